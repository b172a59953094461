package world

import (
	"fmt"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/render"
)

func ev(seq uint64, p graph.Payload) *graph.Event {
	return &graph.Event{Seq: seq, Data: p}
}

func nodes(ids ...string) *graph.NodesAdded {
	p := &graph.NodesAdded{}
	for _, id := range ids {
		p.Nodes = append(p.Nodes, graph.Node{ID: id, Label: "L" + id, Kind: "k" + id[:1]})
	}
	return p
}

func edge(id, s, t string) graph.Edge { return graph.Edge{ID: id, Source: s, Target: t, Weight: 1} }

func mustApply(t *testing.T, w *World, evs ...*graph.Event) {
	t.Helper()
	for _, e := range evs {
		if err := w.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestApplyBuildsTables(t *testing.T) {
	w := New("g")
	mustApply(t, w,
		ev(1, &graph.GraphCreated{Name: "demo"}),
		ev(2, nodes("a", "b", "c", "d")),
		ev(3, &graph.EdgesAdded{Edges: []graph.Edge{edge("ab", "a", "b"), edge("bc", "b", "c"), edge("cd", "c", "d"), edge("da", "d", "a")}}),
	)
	if w.Name != "demo" || w.Nodes.Len() != 4 || w.Edges.Len() != 4 || w.Seq != 3 {
		t.Fatalf("name %q nodes %d edges %d seq %d", w.Name, w.Nodes.Len(), w.Edges.Len(), w.Seq)
	}
	b, _ := w.Nodes.Index("b")
	if w.Nodes.Degree[b] != 2 || w.Nodes.Radius[b] <= radiusForDegree(0) {
		t.Fatalf("degree %d radius %v", w.Nodes.Degree[b], w.Nodes.Radius[b])
	}
	g := w.LayoutGraph()
	for i, p := range g.Prev {
		if p != -1 {
			t.Fatalf("first sync: node %d has Prev %d, want -1 (new)", i, p)
		}
	}

	// Remove b (and its two edges, as the event records), then compact.
	mustApply(t, w, ev(4, &graph.NodeRemoved{ID: "b", Edges: []graph.Edge{edge("ab", "a", "b"), edge("bc", "b", "c")}}))
	if _, ok := w.Nodes.Index("b"); ok {
		t.Fatal("removed node still indexed")
	}
	w.Sync()
	if w.Nodes.Len() != 3 || w.Edges.Len() != 2 {
		t.Fatalf("after removal: %d nodes %d edges", w.Nodes.Len(), w.Edges.Len())
	}
	for i := range w.Edges.Src {
		s, d := w.Nodes.ID[w.Edges.Src[i]], w.Nodes.ID[w.Edges.Dst[i]]
		want := map[string]string{"cd": "c→d", "da": "d→a"}[w.Edges.ID[i]]
		if s+"→"+d != want {
			t.Errorf("edge %s joins %s→%s, want %s", w.Edges.ID[i], s, d, want)
		}
	}
	g = w.LayoutGraph()
	// a, c, d were rows 0, 2, 3 at the last sync.
	for i, want := range map[string]int32{"a": 0, "c": 2, "d": 3} {
		row, _ := w.Nodes.Index(i)
		if g.Prev[row] != want {
			t.Errorf("Prev of %s = %d, want %d", i, g.Prev[row], want)
		}
	}
	var scene render.Scene
	w.FillScene(&scene)
	if scene.EdgeCount() != 2 || len(scene.Colors) != 3 {
		t.Fatalf("scene has %d edges %d colours", scene.EdgeCount(), len(scene.Colors))
	}
}

func TestInconsistentEventIsReportedNotFatal(t *testing.T) {
	w := New("g")
	mustApply(t, w, ev(1, nodes("a")))
	if err := w.Apply(ev(2, &graph.EdgesAdded{Edges: []graph.Edge{edge("x", "a", "ghost")}})); err == nil {
		t.Fatal("edge to an unknown node accepted")
	}
	if err := w.Apply(ev(3, nodes("a"))); err == nil {
		t.Fatal("duplicate node accepted")
	}
	if w.Nodes.Len() != 1 || w.Edges.Len() != 0 {
		t.Fatalf("state changed: %d nodes %d edges", w.Nodes.Len(), w.Edges.Len())
	}
}

func TestDrainRespectsBudget(t *testing.T) {
	w := New("g")
	q := make(chan *graph.Event, 100_000)
	for i := range cap(q) {
		q <- ev(uint64(i+1), nodes(fmt.Sprintf("n%d", i)))
	}
	n := w.Drain(q, 0, nil, nil)
	if n == 0 || n >= cap(q) {
		t.Fatalf("zero budget applied %d of %d", n, cap(q))
	}
	for len(q) > 0 {
		w.Drain(q, time.Second, nil, nil)
	}
	if w.Nodes.Len() != cap(q) {
		t.Fatalf("%d nodes", w.Nodes.Len())
	}
}

// BenchmarkApply measures the world's apply rate: single-node additions and edge additions, the
// events a live import streams (target ≥ 1M events/s).
func BenchmarkApply(b *testing.B) {
	const n = 100_000
	evs := make([]*graph.Event, 0, 2*n)
	for i := range n {
		evs = append(evs, ev(uint64(i+1), &graph.NodesAdded{Nodes: []graph.Node{{ID: fmt.Sprintf("n%d", i)}}}))
	}
	for i := 1; i < n; i++ {
		evs = append(evs, ev(uint64(n+i), &graph.EdgesAdded{Edges: []graph.Edge{edge(fmt.Sprintf("e%d", i), fmt.Sprintf("n%d", i), fmt.Sprintf("n%d", i/2))}}))
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		w := New("g")
		w.Reserve(n, n)
		for _, e := range evs {
			w.Apply(e)
		}
	}
	b.ReportMetric(float64(len(evs)*b.N)/time.Since(start).Seconds(), "events/s")
}

// tablesOf is a world's content by id, independent of row order.
func tablesOf(w *World) (map[string]string, map[string]string) {
	nodes, edges := map[string]string{}, map[string]string{}
	for r, id := range w.Nodes.ID {
		if !w.Nodes.dead[r] {
			nodes[id] = fmt.Sprintf("%s|%s|%d|%v", w.Nodes.Label[r], w.Kinds[w.Nodes.Kind[r]], w.Nodes.Degree[r], w.Nodes.Pinned[r])
		}
	}
	for r, id := range w.Edges.ID {
		edges[id] = fmt.Sprintf("%s→%s|%v|%s", w.Nodes.ID[w.Edges.Src[r]], w.Nodes.ID[w.Edges.Dst[r]], w.Edges.Weight[r], w.Kinds[w.Edges.Kind[r]])
	}
	return nodes, edges
}

// A world loaded from an aggregate equals one that applied the events, and both go on applying edge
// updates and removals alike (the loaded one builds its edge index on first use).
func TestLoadEqualsReplay(t *testing.T) {
	g := graph.New("g")
	replayed := New("g")
	var seq uint64
	apply := func(p graph.Payload) {
		seq++
		e := ev(seq, p)
		g.Apply(e)
		mustApply(t, replayed, e)
	}
	apply(&graph.GraphCreated{Name: "demo"})
	apply(nodes("a", "b", "c", "d", "e"))
	apply(&graph.EdgesAdded{Edges: []graph.Edge{edge("ab", "a", "b"), edge("bc", "b", "c"), edge("cd", "c", "d"), edge("ea", "e", "a")}})
	apply(&graph.NodeRemoved{ID: "d", Edges: []graph.Edge{edge("cd", "c", "d")}}) // frees a node slot
	apply(nodes("f"))
	apply(&graph.EdgesAdded{Edges: []graph.Edge{edge("fa", "f", "a")}})
	replayed.Sync()

	loaded := New("g")
	loaded.Load(g)
	ln, le := tablesOf(loaded)
	rn, re := tablesOf(replayed)
	if fmt.Sprint(ln) != fmt.Sprint(rn) || fmt.Sprint(le) != fmt.Sprint(re) {
		t.Fatalf("loaded\n%v\n%v\nreplayed\n%v\n%v", ln, le, rn, re)
	}
	w := 3.0
	kind := "heavy"
	more := []*graph.Event{
		ev(seq+1, &graph.EdgeUpdated{ID: "bc", Weight: &w, Kind: &kind}),
		ev(seq+2, &graph.EdgeRemoved{ID: "ab"}),
		ev(seq+3, &graph.NodeRemoved{ID: "a", Edges: []graph.Edge{edge("ea", "e", "a"), edge("fa", "f", "a")}}),
		ev(seq+4, &graph.EdgesAdded{Edges: []graph.Edge{edge("ef", "e", "f")}}),
		ev(seq+5, &graph.EdgeRemoved{ID: "ef"}),
	}
	mustApply(t, loaded, more...)
	mustApply(t, replayed, more...)
	loaded.Sync()
	replayed.Sync()
	ln, le = tablesOf(loaded)
	rn, re = tablesOf(replayed)
	if fmt.Sprint(ln) != fmt.Sprint(rn) || fmt.Sprint(le) != fmt.Sprint(re) {
		t.Fatalf("after more events, loaded\n%v\n%v\nreplayed\n%v\n%v", ln, le, rn, re)
	}
	if len(le) != 1 || le["bc"] != "b→c|3|heavy" {
		t.Fatalf("edges %v", le)
	}
}
