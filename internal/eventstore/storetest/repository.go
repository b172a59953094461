package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
)

func execOK(t *testing.T, r *eventstore.Repository, id string, cmd graph.Command, m graph.Meta) eventstore.Result {
	t.Helper()
	res, err := r.Execute(ctxT(t), id, cmd, m, eventstore.ExecOptions{})
	if err != nil {
		t.Fatalf("%s on %s: %v", cmd.Op(), id, err)
	}
	return res
}

func testRepository(t *testing.T, s eventstore.Store) {
	snaps := &eventstore.MemorySnapshots{}
	r := eventstore.NewRepository(s, eventstore.RepoOptions{Snapshots: snaps, SnapshotEvery: 3})
	defer r.Close()
	ctx := ctxT(t)
	res := execOK(t, r, "g", &graph.CreateGraph{Name: "G"}, graph.Meta{CommandID: "c0"})
	if res.Version == 0 || len(res.Events) != 1 {
		t.Fatalf("create: %+v", res)
	}
	execOK(t, r, "g", &graph.AddNodes{Nodes: []graph.Node{{ID: "a"}, {ID: "b"}}}, graph.Meta{CommandID: "c1"})
	res = execOK(t, r, "g", &graph.AddEdges{Edges: []graph.EdgeInput{{ID: "ab", Source: "a", Target: "b"}}}, graph.Meta{CommandID: "c2"})
	// The same command id again: applied once.
	dup := execOK(t, r, "g", &graph.AddEdges{Edges: []graph.EdgeInput{{ID: "ab", Source: "a", Target: "b"}}}, graph.Meta{CommandID: "c2"})
	if !dup.Duplicate || dup.Version != res.Version {
		t.Fatalf("retried command: %+v, first %+v", dup, res)
	}
	// Domain errors come through unchanged.
	_, err := r.Execute(ctx, "g", &graph.AddEdges{Edges: []graph.EdgeInput{{ID: "x", Source: "a", Target: "zz"}}}, graph.Meta{}, eventstore.ExecOptions{})
	if !errors.Is(err, graph.ErrDangling) {
		t.Fatalf("dangling edge: %v", err)
	}
	// A stale expected version is a conflict, not a re-decide.
	stale := res.Version - 1
	_, err = r.Execute(ctx, "g", &graph.RenameGraph{Name: "H"}, graph.Meta{}, eventstore.ExecOptions{Expected: &stale})
	if !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("stale expected version: %v", err)
	}
	execOK(t, r, "g", &graph.RenameGraph{Name: "H"}, graph.Meta{CommandID: "c3"})
	r.Close() // wait for the snapshot written at the 3rd event
	if v, _, err := snaps.LoadSnapshot(ctx, "g"); err != nil || v == 0 {
		t.Fatalf("no snapshot after 4 events: %d, %v", v, err)
	}
	// A fresh repository (another process) opens snapshot + tail and sees the same graph.
	r2 := eventstore.NewRepository(s, eventstore.RepoOptions{Snapshots: snaps})
	g, err := r2.Open(ctx, "g")
	if err != nil {
		t.Fatal(err)
	}
	if g.Name() != "H" || g.NodeCount() != 2 || g.EdgeCount() != 1 {
		t.Fatalf("reopened: name %q, %d nodes, %d edges", g.Name(), g.NodeCount(), g.EdgeCount())
	}
	if _, ok := g.CommandVersion("c2"); !ok {
		t.Fatal("command ids lost across snapshot + tail")
	}
	execOK(t, r, "g", &graph.DeleteGraph{}, graph.Meta{})
	_, err = r2.Execute(ctx, "g", &graph.RenameGraph{Name: "I"}, graph.Meta{}, eventstore.ExecOptions{})
	if !errors.Is(err, eventstore.ErrDeleted) {
		t.Fatalf("command on a deleted graph: %v", err)
	}
}

// testTwoRepositories: two repositories (two processes) with caches race on one graph; every
// command lands exactly once and both end with the same state.
func testTwoRepositories(t *testing.T, s eventstore.Store) {
	caches := []*mapCache{{}, {}}
	repos := []*eventstore.Repository{
		eventstore.NewRepository(s, eventstore.RepoOptions{Cache: caches[0], Retries: 1000}),
		eventstore.NewRepository(s, eventstore.RepoOptions{Cache: caches[1], Retries: 1000}),
	}
	execOK(t, repos[0], "g", &graph.CreateGraph{Name: "race"}, graph.Meta{})
	const writers, each = 4, 20
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := repos[w%2]
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				_, err := r.Execute(ctxT(t), "g", &graph.AddNodes{Nodes: []graph.Node{{ID: id}}}, graph.Meta{CommandID: id}, eventstore.ExecOptions{})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, r := range repos {
		var n int
		if err := r.View(ctxT(t), "g", func(g *graph.Graph) error { n = g.NodeCount(); return nil }); err != nil {
			t.Fatal(err)
		}
		if n != writers*each {
			t.Fatalf("repository %d sees %d nodes, want %d", i, n, writers*each)
		}
	}
	if got := loadAll(t, s, "g", 0); len(got) != writers*each+1 {
		t.Fatalf("%d events stored, want %d", len(got), writers*each+1)
	}
}

type mapCache struct {
	mu sync.Mutex
	m  map[string]*graph.Graph
}

func (c *mapCache) Get(id string) (*graph.Graph, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.m[id]
	return g, ok
}

func (c *mapCache) Add(id string, g *graph.Graph) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*graph.Graph{}
	}
	c.m[id] = g
}

func (c *mapCache) Remove(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

func testImport(t *testing.T, s eventstore.Store) {
	r := eventstore.NewRepository(s, eventstore.RepoOptions{Snapshots: &eventstore.MemorySnapshots{}, SnapshotEvery: 10})
	defer r.Close()
	im, err := r.Import(ctxT(t), "big", eventstore.ImportOptions{Chunk: 200})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(im.Command(&graph.CreateGraph{Name: "big"}))
	const n, m = 2000, 5000
	for i := range n {
		must(im.Node(graph.Node{ID: fmt.Sprint("n", i)}))
		if i > 0 && i%3 == 0 { // interleaved, as CSV edge lists are
			must(im.Edge(graph.EdgeInput{ID: fmt.Sprint("x", i), Source: fmt.Sprint("n", i-1), Target: fmt.Sprint("n", i)}))
		}
	}
	for i := range m {
		must(im.Edge(graph.EdgeInput{ID: fmt.Sprint("e", i), Source: fmt.Sprint("n", i%n), Target: fmt.Sprint("n", (i*7)%n)}))
	}
	v, err := im.Close()
	if err != nil {
		t.Fatal(err)
	}
	if lv, _ := s.LastVersion(ctxT(t), "big"); lv != v {
		t.Fatalf("import returned version %d, store says %d", v, lv)
	}
	wantEdges := m + (n-1)/3
	g, err := r.Open(ctxT(t), "big")
	if err != nil {
		t.Fatal(err)
	}
	if g.NodeCount() != n || g.EdgeCount() != wantEdges || g.Version() != v {
		t.Fatalf("imported graph: %d nodes, %d edges, version %d; want %d, %d, %d", g.NodeCount(), g.EdgeCount(), g.Version(), n, wantEdges, v)
	}
	if events := len(loadAll(t, s, "big", 0)); events > 1+2*(n+wantEdges)/200+2 {
		t.Fatalf("%d events: the import did not chunk", events)
	}
	// A bad edge fails the import with the domain error, and the repository forgets the aggregate.
	im, err = r.Import(ctxT(t), "big", eventstore.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	must(im.Edge(graph.EdgeInput{ID: "bad", Source: "n1", Target: "missing"}))
	if _, err := im.Close(); !errors.Is(err, graph.ErrDangling) {
		t.Fatalf("import with a dangling edge: %v", err)
	}
	execOK(t, r, "big", &graph.RenameGraph{Name: "still usable"}, graph.Meta{})
}

// testImportConflict: another writer appends to the graph in the middle of an import; the import
// must fail with ErrConflict rather than interleave unnoticed.
func testImportConflict(t *testing.T, s eventstore.Store) {
	r := eventstore.NewRepository(s, eventstore.RepoOptions{})
	other := eventstore.NewRepository(s, eventstore.RepoOptions{})
	execOK(t, r, "g", &graph.CreateGraph{Name: "g"}, graph.Meta{})
	im, err := r.Import(ctxT(t), "g", eventstore.ImportOptions{Chunk: 10})
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	for i := 0; i < 500 && failed == nil; i++ {
		failed = im.Node(graph.Node{ID: fmt.Sprint("n", i)})
		if i == 100 {
			execOK(t, other, "g", &graph.AddNodes{Nodes: []graph.Node{{ID: "intruder"}}}, graph.Meta{})
		}
	}
	if failed == nil {
		_, failed = im.Close()
	}
	if !errors.Is(failed, eventstore.ErrConflict) {
		t.Fatalf("import interleaved with another writer: %v, want ErrConflict", failed)
	}
	im.Abort()
	// The graph is consistent and usable: a fresh load replays what was stored.
	var n int
	if err := r.View(ctxT(t), "g", func(g *graph.Graph) error { n = g.NodeCount(); return nil }); err != nil {
		t.Fatal(err)
	}
	if n < 101 {
		t.Fatalf("%d nodes after the failed import", n)
	}
	execOK(t, r, "g", &graph.RenameGraph{Name: "after"}, graph.Meta{})
}

// testStaleCache: a repository whose cached aggregate is behind (another process wrote) must neither
// refuse a valid command nor a correct expected version because of its stale copy.
func testStaleCache(t *testing.T, s eventstore.Store) {
	a := eventstore.NewRepository(s, eventstore.RepoOptions{Cache: &mapCache{}})
	b := eventstore.NewRepository(s, eventstore.RepoOptions{Cache: &mapCache{}})
	execOK(t, a, "g", &graph.CreateGraph{Name: "g"}, graph.Meta{})
	execOK(t, b, "g", &graph.RenameGraph{Name: "cached in b"}, graph.Meta{}) // b now caches the graph
	res := execOK(t, a, "g", &graph.AddNodes{Nodes: []graph.Node{{ID: "x"}}}, graph.Meta{CommandID: "add-x"})
	label := "seen by b"
	execOK(t, b, "g", &graph.UpdateNode{ID: "x", Label: &label}, graph.Meta{})
	res2 := execOK(t, a, "g", &graph.RenameGraph{Name: "again"}, graph.Meta{})
	if res2.Version <= res.Version {
		t.Fatal("versions did not advance")
	}
	if _, err := b.Execute(ctxT(t), "g", &graph.RenameGraph{Name: "with expected"}, graph.Meta{}, eventstore.ExecOptions{Expected: &res2.Version}); err != nil {
		t.Fatalf("b refused a current expected version: %v", err)
	}
	// A retry through the stale repository of a command the other one applied: applied once.
	dup, err := b.Execute(ctxT(t), "g", &graph.AddNodes{Nodes: []graph.Node{{ID: "x"}}}, graph.Meta{CommandID: "add-x"}, eventstore.ExecOptions{})
	if err != nil || !dup.Duplicate {
		t.Fatalf("retry via another repository: %+v, %v", dup, err)
	}
}
