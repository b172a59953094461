package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-gl/mathgl/mgl32"
	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/ui"
	"github.com/infoalchemist/alchemist/internal/world"
	"github.com/nats-io/nats.go"
)

// panelFixture is an embedded server with the suggestion service and the built-in agents, as the
// GUI runs them, a graph "g" of two tight clusters, and the panel's background on it.
type panelFixture struct {
	nc    *nats.Conn
	repo  *eventstore.Repository
	bg    *agentBackground
	mu    sync.Mutex
	notes []string
}

func newPanelFixture(t *testing.T) *panelFixture {
	t.Helper()
	_, nc := natstest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	repo, _, err := esjs.OpenRepository(ctx, nc, esjs.RepoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(repo.Close)
	host, err := startAgentHost(nc, repo, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(host.stop)
	nodes := []graph.Node{{ID: "a1", Coords: []float64{0, 0}}, {ID: "a2", Coords: []float64{0.1, 0}}, {ID: "a3", Coords: []float64{0, 0.12}},
		{ID: "b1", Coords: []float64{5, 5}}, {ID: "b2", Coords: []float64{5.1, 5}}, {ID: "b3", Coords: []float64{5, 5.1}}}
	for _, cmd := range []graph.Command{&graph.CreateGraph{Name: "g"}, &graph.AddNodes{Nodes: nodes},
		&graph.AddEdges{Edges: []graph.EdgeInput{{ID: "a1a2", Source: "a1", Target: "a2"}, {ID: "b1b2", Source: "b1", Target: "b2"}}}} {
		if _, err := repo.Execute(ctx, "g", cmd, graph.Meta{Actor: "test"}, eventstore.ExecOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	f := &panelFixture{nc: nc, repo: repo}
	f.bg = startAgentBackground(ctx, nc, slog.New(slog.DiscardHandler), func(_ noteLevel, format string, args ...any) {
		f.mu.Lock()
		f.notes = append(f.notes, fmt.Sprintf(format, args...))
		f.mu.Unlock()
	})
	f.bg.setGraph("g")
	return f
}

func (f *panelFixture) pending(t *testing.T) []ui.SuggestionItem {
	t.Helper()
	s := f.bg.suggS.Load()
	if s == nil || s.graph != "g" {
		t.Fatalf("no snapshot of g: %+v", s)
	}
	return s.pending
}

func (f *panelFixture) events(t *testing.T) []graph.Event {
	t.Helper()
	var out []graph.Event
	err := f.repo.Store().Load(context.Background(), "g", 1, func(r eventstore.Record) error {
		ev, err := r.Event()
		out = append(out, ev)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A run records the agent's suggestions as pending (once, however often it is asked); verdicts go
// through the suggestion service as "ui" and show in the history; a second verdict is a conflict.
func TestAgentPanelBackground(t *testing.T) {
	f := newPanelFixture(t)
	ctx := context.Background()
	msg, err := f.bg.runAgent(ctx, &task{}, "similarity", "g", nil)
	if err != nil {
		t.Fatal(err)
	}
	pending := f.pending(t)
	if len(pending) < 2 || !strings.Contains(msg, fmt.Sprintf("similarity: %d new suggestions", len(pending))) {
		t.Fatalf("run: %q, %d pending", msg, len(pending))
	}
	for i := 1; i < len(pending); i++ {
		if pending[i].Confidence > pending[i-1].Confidence {
			t.Fatalf("pending not most confident first: %v then %v", pending[i-1].Confidence, pending[i].Confidence)
		}
	}
	snap := f.bg.suggS.Load()
	for i, g := range snap.ghosts {
		if len(g.edges) != 1 || len(pending[i].Commands) != 1 || !strings.HasPrefix(pending[i].Commands[0], "add edge ") {
			t.Fatalf("suggestion %d: ghost %+v, commands %q", i, g, pending[i].Commands)
		}
	}
	if msg, err := f.bg.runAgent(ctx, &task{}, "similarity", "g", nil); err != nil || !strings.Contains(msg, "0 new suggestions") {
		t.Fatalf("second run: %q %v", msg, err)
	}
	if n := len(f.pending(t)); n != len(pending) {
		t.Fatalf("second run: %d pending, want %d", n, len(pending))
	}

	first, second := pending[0], pending[1]
	if _, err := f.bg.accept(ctx, "g", first.ID, first.Title); err != nil {
		t.Fatal(err)
	}
	if _, err := f.bg.reject(ctx, "g", second.ID, second.Title, "not similar"); err != nil {
		t.Fatal(err)
	}
	if msg, err := f.bg.accept(ctx, "g", first.ID, first.Title); err != nil || !strings.Contains(msg, "already accepted") {
		t.Fatalf("second accept (a retry): %q %v", msg, err)
	}
	if _, err := f.bg.reject(ctx, "g", first.ID, first.Title, ""); !errors.Is(err, agents.ErrConflict) {
		t.Fatalf("reject after accept: %v, want a conflict", err)
	}
	history := f.bg.suggS.Load().history
	if len(history) != 2 || !history[1].Accepted || history[0].Accepted || history[0].Reason != "not similar" ||
		history[0].Actor != "ui" || history[1].Actor != "ui" || history[0].Version <= history[1].Version {
		t.Fatalf("history (newest first) %+v", history)
	}
	if n := len(f.pending(t)); n != len(pending)-2 {
		t.Fatalf("%d pending after two verdicts, want %d", n, len(pending)-2)
	}
	var caused bool
	for _, ev := range f.events(t) {
		if ev.Type == graph.EventEdgesAdded && ev.CausationID == first.ID && ev.Actor == "ui" {
			caused = true
		}
	}
	if !caused {
		t.Fatal("no edges_added caused by the accepted suggestion")
	}

	// Asked again, the agent proposes the same pairs but the rejected one: nothing comes back.
	if msg, err := f.bg.runAgent(ctx, &task{}, "similarity", "g", nil); err != nil || !strings.Contains(msg, "0 new suggestions") {
		t.Fatalf("run after the verdicts: %q %v", msg, err)
	}

	// Bulk accept: everything left at or above the lowest confidence.
	var ids []string
	for _, s := range f.pending(t) {
		ids = append(ids, s.ID)
	}
	if msg, err := f.bg.acceptAll(ctx, &task{}, "g", ids); err != nil || msg != fmt.Sprintf("accepted %d suggestions", len(ids)) {
		t.Fatalf("bulk accept: %q %v", msg, err)
	}
	if n := len(f.pending(t)); n != 0 {
		t.Fatalf("%d pending after accepting all", n)
	}
	f.bg.busyInto(map[string]bool{})
	if len(f.bg.busy) != 0 {
		t.Fatalf("busy left over: %v", f.bg.busy)
	}
}

// An agent nobody runs is reported unavailable; a running analysis is cancelled at the agent.
func TestAgentPanelRunFailuresAndCancel(t *testing.T) {
	f := newPanelFixture(t)
	ctx := context.Background()
	if _, err := f.bg.runAgent(ctx, &task{}, "nobody", "g", nil); !errors.Is(err, agents.ErrUnavailable) {
		t.Fatalf("unknown agent: %v, want unavailable", err)
	}
	started := make(chan struct{})
	stopped := make(chan error, 1)
	in, err := agents.Start(f.nc, agents.Agent{Name: "slow", Version: "1.0.0",
		Handler: func(ctx context.Context, c *agents.Call) error {
			c.Progress(1, 10, "thinking")
			close(started)
			<-ctx.Done()
			stopped <- ctx.Err()
			return ctx.Err()
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Stop()
	done := make(chan string, 1)
	go func() {
		msg, err := f.bg.runAgent(ctx, &task{}, "slow", "g", []string{"a1"})
		if err != nil {
			msg = err.Error()
		}
		done <- msg
	}()
	<-started
	var rows []ui.AgentRun
	deadline := time.Now().Add(5 * time.Second)
	for rows = f.bg.runRows(nil, time.Now()); len(rows) != 1 || rows[0].Total != 10; rows = f.bg.runRows(rows, time.Now()) {
		if time.Now().After(deadline) {
			t.Fatalf("run rows %+v", rows)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if rows[0].Agent != "slow" || rows[0].Scope != "1 selected nodes" || rows[0].Message != "thinking" {
		t.Fatalf("run row %+v", rows[0])
	}
	f.bg.cancelRun(rows[0].ID)
	select {
	case err := <-stopped:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the agent stopped with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the agent was not told to cancel")
	}
	if msg := <-done; msg != "agent slow: cancelled" {
		t.Fatalf("cancelled run: %q", msg)
	}
	if rows := f.bg.runRows(nil, time.Now()); len(rows) != 0 {
		t.Fatalf("runs left %+v", rows)
	}
}

// The agents list groups instances by agent with their capabilities.
func TestAgentPanelListsAgents(t *testing.T) {
	f := newPanelFixture(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if a := f.bg.agentsS.Load(); a != nil && len(*a) >= 4 {
			i := slices.IndexFunc(*a, func(x ui.AgentInfo) bool { return x.Name == "similarity" })
			if i < 0 {
				t.Fatalf("no similarity agent in %+v", *a)
			}
			s := (*a)[i]
			if s.Instances != 1 || s.Healthy != 1 || !slices.Contains(s.Suggests, "add_edges") || s.Version == "" {
				t.Fatalf("similarity agent %+v", s)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the built-in agents never showed")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestGhostOfPlacesProposedNodes(t *testing.T) {
	spec := func(op string, args any) agents.CommandSpec {
		c, err := agents.Command(op, args)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	g := ghostOf([]agents.CommandSpec{
		spec("add_nodes", graph.AddNodes{Nodes: []graph.Node{{ID: "n"}, {ID: "m", Pin: &graph.Vec3{1, 2, 3}}}}),
		spec("add_edges", graph.AddEdges{Edges: []graph.EdgeInput{{ID: "e1", Source: "n", Target: "a"}, {ID: "e2", Source: "b", Target: "n"},
			{ID: "e3", Source: "n", Target: "m"}, {ID: "e4", Source: "a", Target: "b"}}}),
		spec("update_node", graph.UpdateNode{ID: "c"}),
		spec("create_subgraph", graph.CreateSubgraph{ID: "s", Name: "s", Nodes: []string{"a", "d"}}),
	})
	if len(g.edges) != 4 || len(g.nodes) != 2 || !slices.Equal(g.nodes[0].anchors, []string{"a", "b"}) ||
		len(g.nodes[1].anchors) != 0 || g.nodes[1].pin == nil || !slices.Equal(g.touched, []string{"c", "a", "d"}) {
		t.Fatalf("ghost %+v", g)
	}
	lines := summariseCommands([]agents.CommandSpec{spec("add_edges", graph.AddEdges{Edges: []graph.EdgeInput{{ID: "x", Source: "a", Target: "b", Kind: "similar"}}}),
		spec("update_node", graph.UpdateNode{ID: "a", SetProps: graph.Props{"pagerank": []byte("0.5"), "community": []byte("1")}}),
		spec("tag_graph", graph.TagGraph{Add: []string{"x"}}), spec("remove_edge", graph.RemoveEdge{ID: "x"}), spec("remove_node", graph.RemoveNode{ID: "q"})})
	want := []string{"add edge a -> b (similar)", "update node a: community, pagerank", `tag_graph {"add":["x"]}`, "remove edge x", "... and 1 more commands"}
	if !slices.Equal(lines, want) {
		t.Fatalf("summaries\n%q\nwant\n%q", lines, want)
	}
	if got := fontSafe.Replace("d₀ = 0.3 … ≥ 2"); got != "d0 = 0.3 ... >= 2" {
		t.Fatalf("fontSafe: %q", got)
	}
}

// ghostScene is a demo world of n nodes spread in a cube, and s suggestions: each links two
// existing nodes, every tenth also adds a node linked to both.
func ghostScene(tb testing.TB, n, s int) (*world.World, []float32, *suggestionSnapshot, *render.Camera) {
	tb.Helper()
	payloads, err := demoPayloads(n, 2)
	if err != nil {
		tb.Fatal(err)
	}
	g := graph.New("demo")
	for i, p := range payloads {
		g.Apply(&graph.Event{Envelope: graph.Envelope{Time: time.Now()}, Seq: uint64(i + 1), Data: p})
	}
	w := world.New("demo")
	w.Load(g)
	rng := rand.New(rand.NewPCG(1, 2))
	pos := make([]float32, 3*w.Nodes.Len())
	for i := range pos {
		pos[i] = rng.Float32()*100 - 50
	}
	snap := &suggestionSnapshot{graph: "demo"}
	for i := range s {
		a, b := w.Nodes.ID[rng.IntN(w.Nodes.Len())], w.Nodes.ID[rng.IntN(w.Nodes.Len())]
		edges := []graph.EdgeInput{{ID: fmt.Sprintf("s%d", i), Source: a, Target: b}}
		var specs []agents.CommandSpec
		if i%10 == 0 {
			nid := fmt.Sprintf("new%d", i)
			c, _ := agents.Command("add_nodes", graph.AddNodes{Nodes: []graph.Node{{ID: nid}}})
			specs = append(specs, c)
			edges = append(edges, graph.EdgeInput{ID: nid + "a", Source: nid, Target: a}, graph.EdgeInput{ID: nid + "b", Source: b, Target: nid})
		}
		c, _ := agents.Command("add_edges", graph.AddEdges{Edges: edges})
		specs = append(specs, c)
		snap.pending = append(snap.pending, ui.SuggestionItem{ID: fmt.Sprintf("sug%d", i), Title: fmt.Sprintf("suggestion %d", i)})
		snap.ghosts = append(snap.ghosts, ghostOf(specs))
	}
	cam := render.NewCamera()
	cam.FitPoints(pos, 1280.0/800)
	return w, pos, snap, &cam
}

func TestGhostPlace(t *testing.T) {
	w, pos, snap, cam := ghostScene(t, 500, 50)
	gp := ghostPainter{cam: cam, winW: 1280, winH: 800}
	gp.place(&w.Nodes, pos, snap, "sug10")
	// 50 direct links, and for the 5 suggestions with a new node 2 more lines and a circle.
	if len(gp.lines) != 60 || len(gp.circles) != 5 || len(gp.labels) != 1 || gp.labels[0].Text != "suggestion 10" {
		t.Fatalf("%d lines, %d circles, labels %+v", len(gp.lines), len(gp.circles), gp.labels)
	}
	hi := 0
	for _, l := range gp.lines {
		if l.Highlight {
			hi++
		}
		for _, p := range [][2]float32{l.A, l.B} {
			if p[0] < 0 || p[0] > 1280 || p[1] < 0 || p[1] > 800 {
				t.Fatalf("line end %v outside the fitted window", p)
			}
		}
	}
	if hi != 3 {
		t.Fatalf("%d highlighted lines, want 3", hi)
	}
	// The per-frame matrix projects like the camera.
	for i := 0; i < len(pos); i += 3 * 37 {
		want := [2]float32{}
		var ok bool
		want[0], want[1], ok = cam.Project(mgl32.Vec3{pos[i], pos[i+1], pos[i+2]}, 1280, 800)
		got, gotOK := gp.project(pos[i], pos[i+1], pos[i+2])
		if ok != gotOK || math.Abs(float64(got[0]-want[0])) > 1e-2 || math.Abs(float64(got[1]-want[1])) > 1e-2 {
			t.Fatalf("node %d: projected to %v %v, camera says %v %v", i/3, got, gotOK, want, ok)
		}
	}
}

func BenchmarkGhostPlace(b *testing.B) {
	for _, s := range []int{50, 200, 2000} {
		b.Run(fmt.Sprintf("suggestions=%d", s), func(b *testing.B) {
			w, pos, snap, cam := ghostScene(b, 100_000, s)
			gp := ghostPainter{cam: cam, winW: 1280, winH: 800}
			gp.place(&w.Nodes, pos, snap, "sug0")
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				gp.place(&w.Nodes, pos, snap, "sug0")
			}
		})
	}
}
