package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/platform"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/ui"
	"github.com/infoalchemist/alchemist/internal/world"
)

// testView is a view of a random graph of n nodes with positions in a cube of side 100 (no layout
// runner: the tests move positions themselves).
func testView(t testing.TB, n int, seed uint64) *graphView {
	w, err := demoWorld(n, seed)
	if err != nil {
		t.Fatal(err)
	}
	w.Sync()
	v := &graphView{world: w}
	w.FillScene(&v.scene)
	rng := rand.New(rand.NewPCG(seed, 7))
	v.scene.Positions = make([]float32, 3*w.Nodes.Len())
	for i := range v.scene.Positions {
		v.scene.Positions[i] = rng.Float32()*100 - 50
	}
	return v
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestSelectionSetOperations(t *testing.T) {
	var s selection
	s.add("a", "b")
	s.add("b", "c")
	if !slices.Equal(s.ids, []string{"a", "b", "c"}) || s.id != "b" || !s.has("c") {
		t.Fatalf("after adds: ids %v, inspected %q", s.ids, s.id)
	}
	kept := s.ids
	s.toggle("b")
	if !slices.Equal(kept, []string{"a", "b", "c"}) {
		t.Errorf("a kept selection changed to %v", kept)
	}
	if !slices.Equal(s.ids, []string{"a", "c"}) || s.has("b") || s.id != "c" {
		t.Fatalf("after toggling b off: ids %v, inspected %q", s.ids, s.id)
	}
	s.toggle("d")
	if !s.has("d") || s.id != "d" {
		t.Fatalf("after toggling d on: ids %v, inspected %q", s.ids, s.id)
	}
	gen := s.gen
	s.replace("x")
	if !slices.Equal(s.ids, []string{"x"}) || s.has("a") || s.gen == gen {
		t.Fatalf("after replace: ids %v, gen %d", s.ids, s.gen)
	}
	s.clear()
	if len(s.ids) != 0 || s.id != "" || s.has("x") {
		t.Fatalf("after clear: ids %v, inspected %q", s.ids, s.id)
	}
}

// The highlight follows the selection, survives columns being replaced and rows moving, gives the
// colours back, and costs nothing on frames where nothing changed.
func TestHighlightFollowsSelectionAndScene(t *testing.T) {
	v := testView(t, 200, 1)
	l := &frameLoop{view: v, sel: selection{row: -1}, logger: quietLogger()}
	original := slices.Clone(v.scene.Colors)
	ids := v.world.Nodes.ID
	l.sel.add(ids[3], ids[7])
	l.paint()
	if v.scene.Colors[3] != selectionHighlight || v.scene.Colors[7] != selectionHighlight {
		t.Fatal("selected rows not highlighted")
	}
	version := v.scene.Version
	l.paint()
	if v.scene.Version != version {
		t.Error("a frame without changes repainted")
	}
	l.sel.toggle(ids[3])
	l.paint()
	if v.scene.Colors[3] != original[3] || v.scene.Colors[7] != selectionHighlight {
		t.Error("unselected row kept the highlight, or the other lost it")
	}
	// The view installs new columns (the highlight is lost with them): it is painted again.
	v.scene.Colors = append(v.scene.Colors[:0], original...)
	v.scene.Version++
	l.paint()
	if v.scene.Colors[7] != selectionHighlight {
		t.Error("highlight lost after the columns were replaced")
	}
	// Another view (the timeline's past): the old one gets its colours back, the new one the paint.
	other := testView(t, 200, 1)
	l.view = other
	l.paint()
	if v.scene.Colors[7] != original[7] || other.scene.Colors[7] != selectionHighlight {
		t.Error("view swap: old view kept the highlight or the new one lacks it")
	}
	l.sel.clear()
	l.paint()
	if !slices.Equal(other.scene.Colors, original) {
		t.Error("clearing the selection did not restore every colour")
	}
}

// largestRows agrees with sorting every row, ties broken by row.
func TestLargestRowsMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var h rowHeap
	for _, n := range []int{0, 1, 10, 1000} {
		radius := make([]float32, n)
		for i := range radius {
			radius[i] = float32(rng.IntN(20)) // many ties
		}
		for _, k := range []int{0, 1, 5, 256, 2000} {
			got := largestRows(radius, k, &h, nil)
			all := make([]int32, n)
			for i := range all {
				all[i] = int32(i)
			}
			sort.SliceStable(all, func(a, b int) bool { return radius[all[a]] > radius[all[b]] })
			want := all[:min(k, n)]
			if !slices.Equal(got, want) {
				t.Fatalf("n %d k %d: got %v, want %v", n, k, got, want)
			}
		}
	}
}

// Placed labels never overlap (except the hovered one, which is always placed), stay within the
// limit, and go to higher priorities first.
func TestPlaceLabelsGreedyWithoutOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var cands []labelCand
	for i := range 400 {
		cands = append(cands, labelCand{id: fmt.Sprintf("n%03d", i), text: strings.Repeat("x", 3+i%12),
			x: rng.Float32() * 800, y: rng.Float32() * 600, r: 2 + rng.Float32()*6, prio: rng.Float32() * 100})
	}
	cands[17].always, cands[17].prio = true, 2e9
	measure := func(s string) (float32, float32) { return 7 * float32(len(s)), 13 }
	var grid []bool
	got := placeLabels(cands, 50, 800, 600, &grid, measure, nil)
	if len(got) != 50 {
		t.Fatalf("%d labels placed, want the limit 50", len(got))
	}
	if got[0].id != "n017" {
		t.Errorf("the hovered label is not first: %s", got[0].id)
	}
	box := func(c labelCand) [4]float32 {
		return [4]float32{c.x + c.r + 1, c.y - c.h/2 - 1, c.x + c.r + 7 + c.w, c.y + c.h/2 + 1}
	}
	for i := range got {
		for j := i + 1; j < len(got); j++ {
			a, b := box(got[i]), box(got[j])
			if a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] {
				t.Fatalf("labels %s and %s overlap: %v %v", got[i].id, got[j].id, a, b)
			}
		}
		if i > 0 && got[i].prio > got[i-1].prio {
			t.Fatalf("label %s placed after a lower priority", got[i].id)
		}
	}
}

// Box selection through the R-tree finds exactly the nodes the brute-force screen test finds, from
// every side of the graph, for small and large boxes.
func TestBoxSelectTreeMatchesScan(t *testing.T) {
	v := testView(t, 5000, 2)
	var b boxIndex
	b.sync(v)
	if b.tree != nil {
		t.Fatal("a 5000-node graph synced the tree")
	}
	b.syncAlways(v)
	<-b.tree.done
	if b.tree.err != nil {
		t.Fatal(b.tree.err)
	}
	rng := rand.New(rand.NewPCG(8, 9))
	for trial := range 40 {
		cam := render.NewCamera()
		cam.Yaw, cam.Pitch = rng.Float32()*6.28, rng.Float32()*2-1
		cam.FitPoints(v.scene.Positions, 4.0/3)
		cam.Zoom(0.3 + rng.Float32())
		x0, y0 := rng.Float32()*800, rng.Float32()*600
		r := render.Rect{X0: x0, Y0: y0, X1: x0 + rng.Float32()*400 - 200, Y1: y0 + rng.Float32()*300 - 150}
		got, path, _ := b.query(v, &cam, 800, 600, r, math.Inf(1), nil)
		if path != "rtree" {
			t.Fatalf("trial %d: path %q", trial, path)
		}
		p := render.NewProjector(&cam, 800, 600)
		want := p.InRect(r, v.scene.Positions, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: tree found %d nodes, scan %d", trial, len(got), len(want))
		}
	}
	// The rows change: the tree is stale and the caller must scan.
	v.world.Topology++
	if _, path, _ := b.query(v, &cam0, 800, 600, render.Rect{X1: 10, Y1: 10}, math.Inf(1), nil); path != "" {
		t.Errorf("a stale tree answered (%q)", path)
	}
}

var cam0 = render.NewCamera()

// execute runs a command on the repository as actor.
func execute(t *testing.T, repo *eventstore.Repository, op, body, actor string) uint64 {
	t.Helper()
	cmd, ok := graph.NewCommand(op)
	if !ok {
		t.Fatalf("no op %s", op)
	}
	if err := json.Unmarshal([]byte(body), cmd); err != nil {
		t.Fatal(err)
	}
	res, err := repo.Execute(context.Background(), "g", cmd, graph.Meta{Actor: actor}, eventstore.ExecOptions{})
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return res.Version
}

// Provenance lists exactly the events that touched a node (its edges included) or an edge, with
// actor and version, and a later lookup reads only the events after the last scan.
func TestProvenanceOfNodeAndEdge(t *testing.T) {
	store := eventstore.NewMemory()
	repo := eventstore.NewRepository(store, eventstore.RepoOptions{})
	execute(t, repo, "create_graph", `{"name":"g"}`, "alice")
	execute(t, repo, "add_nodes", `{"nodes":[{"id":"hub"},{"id":"a"},{"id":"b"},{"id":"c","label":"not hub"}]}`, "alice")
	execute(t, repo, "add_edges", `{"edges":[{"id":"e1","source":"hub","target":"a"},{"id":"e2","source":"b","target":"hub"},{"id":"e3","source":"a","target":"c"}]}`, "bob")
	execute(t, repo, "update_node", `{"id":"hub","label":"Hub"}`, "carol")
	execute(t, repo, "update_node", `{"id":"c","label":"hub-like"}`, "carol")
	execute(t, repo, "remove_edge", `{"id":"e1"}`, "dave")
	v6 := execute(t, repo, "remove_node", `{"id":"b"}`, "erin")

	var cache provenanceCache
	ctx := context.Background()
	wait := func(key provKey, version uint64) []ui.Provenance {
		deadline := time.Now().Add(5 * time.Second)
		for {
			rows, note := cache.lookup(ctx, store, nil, key, version)
			if note == "" {
				return rows
			}
			if strings.HasPrefix(note, "history:") || time.Now().After(deadline) {
				t.Fatalf("lookup of %v: %s", key, note)
			}
			time.Sleep(time.Millisecond)
		}
	}
	describe := func(rows []ui.Provenance) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Actor+":"+r.Type)
		}
		return out
	}
	hub := provKey{graph: "g", item: "hub"}
	got := describe(wait(hub, v6))
	want := []string{"erin:node_removed", "dave:edge_removed", "carol:node_updated", "bob:edges_added", "alice:nodes_added"}
	if !slices.Equal(got, want) {
		t.Fatalf("hub provenance %v, want %v", got, want)
	}
	if got := describe(wait(provKey{graph: "g", item: "e1", edge: true}, v6)); !slices.Equal(got, []string{"dave:edge_removed", "bob:edges_added"}) {
		t.Errorf("edge e1 provenance %v", got)
	}
	// The timeline shows version 3: only what happened by then.
	if got := describe(wait(hub, 3)); !slices.Equal(got, []string{"bob:edges_added", "alice:nodes_added"}) {
		t.Errorf("hub provenance at version 3: %v", got)
	}
	// A later change is found by scanning only what follows.
	v7 := execute(t, repo, "pin_node", `{"id":"hub","position":[1,2,3]}`, "frank")
	rows := wait(hub, v7)
	if len(rows) != 6 || rows[0].Actor != "frank" || rows[0].Version != v7 {
		t.Errorf("after pinning: %v", describe(rows))
	}
	if _, last, read, err := scanProvenance(ctx, store, hub, v7, map[string]bool{}); err != nil || read != 1 || last != v7 {
		t.Errorf("incremental scan read %d records to %d (%v)", read, last, err)
	}
}

// The inspector of several selected nodes summarises them and describes the inspected one; an edge
// clicked in its list is described instead, with a way back.
func TestInspectionSummaryAndEdge(t *testing.T) {
	g := graph.New("i")
	run(t, g, "create_graph", `{"name":"i"}`)
	run(t, g, "add_nodes", `{"nodes":[{"id":"a"},{"id":"b"},{"id":"c"}]}`)
	run(t, g, "add_edges", `{"edges":[{"id":"ab","source":"a","target":"b","kind":"likes","weight":2.5}]}`)
	w := world.New("i")
	w.Load(g)
	l := &frameLoop{view: &graphView{world: w, agg: g}, sel: selection{row: -1}}
	l.sel.add("a", "b", "c")
	in := l.inspection(context.Background())
	if in.SelectedTotal != 3 || len(in.Selected) != 3 || !strings.Contains(in.Title, "3 selected") || len(in.Edges) != 1 || in.Edges[0].ID != "ab" {
		t.Fatalf("summary %+v", in)
	}
	l.sel.edge = "ab"
	in = l.inspection(context.Background())
	rows := map[string]string{}
	for _, r := range in.Rows {
		rows[r[0]] = r[1]
	}
	if in.BackTo != "a" || rows["source"] != "a" || rows["target"] != "b" || rows["kind"] != "likes" || rows["weight"] != "2.5" {
		t.Errorf("edge inspection %+v", in)
	}
}

// BenchmarkBoxSelect100K compares the ways to answer a box selection over 100K nodes: the R-tree's
// sync (fresh build, and the re-sync of positions that did not move) done in the background when the
// drag starts, the tree query at release, and the linear screen scan it falls back to.
func BenchmarkBoxSelect100K(b *testing.B) {
	v := testView(b, 100_000, 1)
	cam := render.NewCamera()
	cam.FitPoints(v.scene.Positions, 1280.0/1024)
	small := render.Rect{X0: 600, Y0: 480, X1: 680, Y1: 540}
	large := render.Rect{X0: 340, Y0: 250, X1: 940, Y1: 770}
	b.Run("sync-build", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var bi boxIndex
			bi.syncAlways(v)
			<-bi.tree.done
		}
	})
	var bi boxIndex
	bi.sync(v)
	<-bi.tree.done
	b.Run("sync-unmoved", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bi.syncAlways(v)
			<-bi.tree.done
		}
	})
	zoomed := cam
	zoomed.Zoom(0.15) // close to the centre of the graph: the box's pyramid holds few nodes
	for _, c := range []struct {
		name string
		cam  *render.Camera
		r    render.Rect
	}{{"small", &cam, small}, {"large", &cam, large}, {"zoomed-small", &zoomed, small}} {
		b.Run("rtree-"+c.name, func(b *testing.B) {
			var dst []int32
			var share float64
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				dst, _, share = bi.query(v, c.cam, 1280, 1024, c.r, math.Inf(1), dst[:0])
			}
			b.ReportMetric(float64(len(dst)), "selected")
			b.ReportMetric(share*100, "%volume")
		})
		b.Run("scan-"+c.name, func(b *testing.B) {
			p := render.NewProjector(c.cam, 1280, 1024)
			var dst []int32
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				dst = p.InRect(c.r, v.scene.Positions, dst[:0])
			}
			b.ReportMetric(float64(len(dst)), "selected")
		})
	}
}

// BenchmarkMarks100K is the per-frame cost of hover, rings and labels on a 100K-node view: a frame
// whose label choice is cached (labels follow their nodes), a frame that chooses again (the camera
// moved), the top-K rebuild after a topology change, and one hover pick.
func BenchmarkMarks100K(b *testing.B) {
	v := testView(b, 100_000, 1)
	l := &frameLoop{view: v, sel: selection{row: -1}, radiusScale: 1, logger: quietLogger()}
	l.camera.FovY = render.NewCamera().FovY
	l.camera.FitPoints(v.scene.Positions, 1280.0/1024)
	for _, id := range v.world.Nodes.ID[:20] {
		l.sel.add(id)
	}
	p := render.NewProjector(&l.camera, 1280, 1024)
	lb := &l.sel.labels
	measure := func(s string) (float32, float32) { return 7 * float32(len(s)), 13 }
	lb.refreshTop(v, time.Now())
	b.Run("top-k", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			lb.top = largestRows(v.world.Nodes.Radius, topK, &lb.topHeap, lb.top[:0])
		}
	})
	b.Run("choose", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			lb.cands = l.labelCandidates(&p, lb.cands[:0])
			lb.chosen = placeLabels(lb.cands, maxLabels, 1280, 1024, &lb.grid, measure, lb.chosen[:0])
		}
		b.ReportMetric(float64(len(lb.chosen)), "labels")
	})
	b.Run("follow", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			lb.rings = l.rings(&p, lb.rings[:0])
			lb.out = l.followLabels(&p, lb.chosen, lb.out[:0])
		}
	})
	b.Run("hover-pick", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p.Pick(640, 512, v.scene.Positions, v.scene.Radii, 1, pickMinRadius)
		}
	})
	b.Run("paint-unchanged", func(b *testing.B) {
		l.paint()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			l.paint()
		}
	})
	// Every node selected (a box around the whole graph): restoring and repainting 100K rows.
	b.Run("repaint-all-selected", func(b *testing.B) {
		l.sel.add(v.world.Nodes.ID...)
		l.paint()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			l.sel.gen++
			l.paint()
		}
	})
}

// BenchmarkProvenanceScan100K is the inspector's background scan of a long history held in memory
// (the JetStream store adds its read time): 100K nodes in 100 nodes_added events, 300K edges in 300
// edges_added events, then 20K node_updated events; the hub has an edge in every edges_added event.
func BenchmarkProvenanceScan100K(b *testing.B) {
	store := eventstore.NewMemory()
	ctx := context.Background()
	var version uint64
	appendEv := func(p graph.Payload) {
		id, err := graph.NewEventID()
		if err != nil {
			b.Fatal(err)
		}
		ev := graph.Event{Envelope: graph.Envelope{ID: id, GraphID: "big", Time: time.Now(), Actor: "bench"}, Data: p}
		if version, err = store.Append(ctx, "big", version, []graph.Event{ev}); err != nil {
			b.Fatal(err)
		}
	}
	appendEv(&graph.GraphCreated{Name: "big"})
	const n = 100_000
	for c := range 100 {
		nodes := make([]graph.Node, 1000)
		for i := range nodes {
			nodes[i] = graph.Node{ID: fmt.Sprintf("n%d", c*1000+i), Label: fmt.Sprintf("node %d", c*1000+i)}
		}
		appendEv(&graph.NodesAdded{Nodes: nodes})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for c := range 300 {
		edges := make([]graph.Edge, 1000)
		for i := range edges {
			edges[i] = graph.Edge{ID: fmt.Sprintf("e%d", c*1000+i), Source: fmt.Sprintf("n%d", rng.IntN(n)), Target: fmt.Sprintf("n%d", rng.IntN(n)), Weight: 1}
		}
		edges[0].Source = "n0" // the hub
		appendEv(&graph.EdgesAdded{Edges: edges})
	}
	label := "x"
	for i := range 20_000 {
		appendEv(&graph.NodeUpdated{ID: fmt.Sprintf("n%d", rng.IntN(n)), Label: &label})
		_ = i
	}
	for _, item := range []string{"n0", "n77777"} {
		b.Run(item, func(b *testing.B) {
			var found []ui.Provenance
			var read int
			for i := 0; i < b.N; i++ {
				var err error
				found, _, read, err = scanProvenance(ctx, store, provKey{graph: "big", item: item}, 1, map[string]bool{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(found)), "events")
			b.ReportMetric(float64(read), "read")
		})
	}
}

// The controls turn events into gestures: a still click (with its modifiers), a Shift+drag box, an
// orbit for a plain drag, and the F, R and Escape keys.
func TestControlsGestures(t *testing.T) {
	mouse := func(press bool, x, y float64, mods platform.Mods) platform.Event {
		return platform.Event{Kind: platform.EventMouseButton, Button: platform.MouseLeft, Press: press, X: x, Y: y, Mods: mods}
	}
	move := func(x, y float64) platform.Event { return platform.Event{Kind: platform.EventMouseMove, X: x, Y: y} }
	key := func(k platform.Key, mods platform.Mods) platform.Event {
		return platform.Event{Kind: platform.EventKey, Key: k, Press: true, Mods: mods}
	}
	var c cameraControls
	cam := render.NewCamera()
	c.handle([]platform.Event{mouse(true, 50, 60, platform.ModControl), move(51, 61), mouse(false, 51, 61, platform.ModControl)}, &cam, 600, false, false)
	if !c.clicked || c.clickMods != platform.ModControl || c.clickX != 51 || c.boxDone {
		t.Fatalf("ctrl+click: %+v", c)
	}
	c = cameraControls{}
	yaw := cam.Yaw
	c.handle([]platform.Event{mouse(true, 100, 100, platform.ModShift), move(150, 140)}, &cam, 600, false, false)
	if !c.boxing || !c.boxStarted || cam.Yaw != yaw {
		t.Fatalf("shift+drag started no box, or orbited: %+v", c)
	}
	c.handle([]platform.Event{move(200, 220), mouse(false, 200, 220, 0)}, &cam, 600, false, false)
	if c.boxing || !c.boxDone || c.boxX != 200 || c.boxY != 220 || c.boxMods != platform.ModShift || c.clicked {
		t.Fatalf("box not finished: %+v", c)
	}
	c = cameraControls{}
	c.handle([]platform.Event{mouse(true, 100, 100, 0), move(150, 140), mouse(false, 150, 140, 0)}, &cam, 600, false, false)
	if c.boxDone || c.clicked || cam.Yaw == yaw {
		t.Fatalf("a plain drag did not orbit: %+v", c)
	}
	c = cameraControls{}
	c.handle([]platform.Event{mouse(true, 10, 10, 0), mouse(false, 10, 10, 0)}, &cam, 600, true, false)
	if c.clicked {
		t.Error("a click on the UI picked")
	}
	c.handle([]platform.Event{key(platform.KeyA+'F'-'A', 0), key(platform.KeyA+'R'-'A', platform.ModControl), key(platform.KeyEscape, 0)}, &cam, 600, false, false)
	if !c.focusAsked || c.resetAsked || !c.clearAsked {
		t.Errorf("keys: focus %v reset %v clear %v", c.focusAsked, c.resetAsked, c.clearAsked)
	}
	c.handle([]platform.Event{key(platform.KeyA+'R'-'A', 0)}, &cam, 600, false, false)
	if !c.resetAsked {
		t.Error("R did not ask for a reset")
	}
}

// fakeSurface is a window of a fixed size; the rest of platform.Surface is not used by selection.
type fakeSurface struct {
	platform.Surface
	w, h int
}

func (f fakeSurface) FramebufferSize() (int, int) { return f.w, f.h }
func (f fakeSurface) WindowSize() (int, int)      { return f.w, f.h }

// Clicks pick the node under the pointer (Shift adds, Ctrl toggles, empty space clears), a box
// selects what it encloses, F frames the selection and R gives the camera back to the layout.
func TestPointerSelectionAndFocus(t *testing.T) {
	v := testView(t, 300, 4)
	l := &frameLoop{view: v, sel: selection{row: -1}, logger: quietLogger(), radiusScale: 1,
		surface: fakeSurface{w: 800, h: 600}, camera: render.NewCamera()}
	l.camera.FitPoints(v.scene.Positions, 800.0/600)
	p := render.NewProjector(&l.camera, 800, 600)
	at := func(row int) (float64, float64) {
		x, y, _, _ := p.Project(v.scene.Positions[3*row], v.scene.Positions[3*row+1], v.scene.Positions[3*row+2])
		return float64(x), float64(y)
	}
	clickOn := func(row int, mods platform.Mods) string {
		x, y := at(row)
		l.controls.clicked, l.controls.clickX, l.controls.clickY, l.controls.clickMods = true, x, y, mods
		l.handlePointer()
		got, _ := p.Pick(float32(x), float32(y), v.scene.Positions, v.scene.Radii, 1, pickMinRadius)
		return v.world.Nodes.ID[got] // the node the pointer is on (a nearer one may hide the row)
	}
	a := clickOn(10, 0)
	if !slices.Equal(l.selectedIDs(), []string{a}) {
		t.Fatalf("click: %v, want [%s]", l.selectedIDs(), a)
	}
	b := clickOn(20, platform.ModShift)
	if !slices.Equal(l.selectedIDs(), []string{a, b}) || l.sel.id != b {
		t.Fatalf("shift+click: %v (inspected %s)", l.selectedIDs(), l.sel.id)
	}
	clickOn(10, platform.ModControl)
	if !slices.Equal(l.selectedIDs(), []string{b}) {
		t.Fatalf("ctrl+click: %v", l.selectedIDs())
	}
	l.controls.clicked, l.controls.clickX, l.controls.clickY, l.controls.clickMods = true, 1, 1, 0
	l.handlePointer()
	if len(l.selectedIDs()) != 0 {
		t.Fatalf("click on empty space kept %v", l.selectedIDs())
	}

	// A box over the left half selects exactly the nodes projected there.
	l.controls.pressX, l.controls.pressY, l.controls.boxX, l.controls.boxY = 0, 0, 400, 600
	l.controls.boxDone, l.controls.boxMods = true, platform.ModShift
	l.handlePointer()
	want := p.InRect(render.Rect{X1: 400, Y1: 600}, v.scene.Positions, nil)
	if len(l.selectedIDs()) != len(want) || len(want) < 50 {
		t.Fatalf("box selected %d nodes, %d are in it", len(l.selectedIDs()), len(want))
	}

	// F frames three nodes: they fill the view more than the whole graph did, and stay in it.
	whole := l.camera.Distance
	l.selectIDs([]string{v.world.Nodes.ID[1], v.world.Nodes.ID[2], v.world.Nodes.ID[3]})
	l.controls.focusAsked = true
	l.handlePointer()
	if l.camera.Distance >= whole || !l.fitted {
		t.Errorf("focus: distance %v (whole graph %v), fitted %v", l.camera.Distance, whole, l.fitted)
	}
	p = render.NewProjector(&l.camera, 800, 600)
	for row := 1; row <= 3; row++ {
		if x, y := at(row); x < 0 || x > 800 || y < 0 || y > 600 {
			t.Errorf("node %d is outside the focused view at %v,%v", row, x, y)
		}
	}
	l.controls.resetAsked = true
	l.handlePointer()
	if l.fitted || l.camera != render.NewCamera() {
		t.Error("R did not reset the camera")
	}
}

// Hover picks when the pointer moved, at most every hoverEvery, and again after hoverRecheck while it
// rests; the hovered node is labelled first, whatever its size.
func TestHoverIsThrottledAndLabelled(t *testing.T) {
	v := testView(t, 300, 5)
	l := &frameLoop{view: v, sel: selection{row: -1}, logger: quietLogger(), radiusScale: 1,
		surface: fakeSurface{w: 800, h: 600}, camera: render.NewCamera()}
	l.camera.FitPoints(v.scene.Positions, 800.0/600)
	p := render.NewProjector(&l.camera, 800, 600)
	x, y, _, _ := p.Project(v.scene.Positions[30], v.scene.Positions[31], v.scene.Positions[32]) // row 10
	row, _ := p.Pick(x, y, v.scene.Positions, v.scene.Radii, 1, pickMinRadius)
	t0 := time.Now()
	l.controls.pointerSeen, l.controls.lastX, l.controls.lastY = true, float64(x), float64(y)
	l.updateHover(t0)
	if l.sel.hover.id != v.world.Nodes.ID[row] || l.sel.row != int32(row) || l.sel.hover.picks != 1 {
		t.Fatalf("hover %q row %d after %d picks, want row %d", l.sel.hover.id, l.sel.row, l.sel.hover.picks, row)
	}
	l.controls.lastX, l.controls.lastY = 1, 1
	l.updateHover(t0.Add(hoverEvery / 2))
	if l.sel.hover.picks != 1 {
		t.Error("picked again before hoverEvery")
	}
	l.updateHover(t0.Add(hoverEvery))
	if l.sel.hover.picks != 2 || l.sel.hover.id != "" || l.sel.row != -1 {
		t.Errorf("after moving to empty space: hover %q row %d, %d picks", l.sel.hover.id, l.sel.row, l.sel.hover.picks)
	}
	l.updateHover(t0.Add(hoverEvery + hoverRecheck))
	if l.sel.hover.picks != 3 {
		t.Error("a resting pointer was not re-checked")
	}
	l.controls.lastX, l.controls.lastY = float64(x), float64(y)
	l.updateHover(t0.Add(2*hoverEvery + hoverRecheck))
	l.sel.labels.refreshTop(v, t0)
	cands := l.labelCandidates(&p, nil)
	measure := func(s string) (float32, float32) { return 7 * float32(len(s)), 13 }
	var grid []bool
	chosen := placeLabels(cands, maxLabels, 800, 600, &grid, measure, nil)
	if len(chosen) == 0 || chosen[0].id != l.sel.hover.id || !chosen[0].strong || len(chosen) > maxLabels {
		t.Errorf("labels: %d chosen, first %+v, hovered %q", len(chosen), chosen[0], l.sel.hover.id)
	}
}
