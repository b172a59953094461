package jetstream

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/eventstore/storetest"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func openStore(t testing.TB, nc *nats.Conn, cfg Config) *Store {
	t.Helper()
	s, err := Open(ctxT(t), nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConformance runs the storetest suite on an embedded server with a real file store.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store {
		_, nc := natstest.Start(t)
		return openStore(t, nc, Config{Window: 16})
	})
}

func wrap(t testing.TB, graphID string, ps ...graph.Payload) []graph.Event {
	evs, err := graph.Wrap(graphID, ps, graph.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestRestart: acknowledged events survive a server restart on the same directory, and the
// snapshot bucket too.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	emb, nc := natstest.Start(t, natstest.Options{DataDir: dir})
	repo, _, err := OpenRepository(ctxT(t), nc, RepoConfig{SnapshotEvery: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, cmd := range []graph.Command{&graph.CreateGraph{Name: "g"}, &graph.AddNodes{Nodes: []graph.Node{{ID: "a"}, {ID: "b"}}},
		&graph.AddEdges{Edges: []graph.EdgeInput{{ID: "ab", Source: "a", Target: "b"}}}} {
		if _, err := repo.Execute(ctxT(t), "g", cmd, graph.Meta{CommandID: fmt.Sprint(i)}, eventstore.ExecOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	repo.Close()
	nc.Close()
	emb.Shutdown()

	_, nc2 := natstest.Start(t, natstest.Options{DataDir: dir})
	repo2, _, err := OpenRepository(ctxT(t), nc2, RepoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := repo2.Open(ctxT(t), "g")
	if err != nil {
		t.Fatal(err)
	}
	if g.NodeCount() != 2 || g.EdgeCount() != 1 || g.EventCount() != 3 {
		t.Fatalf("after restart: %d nodes %d edges %d events", g.NodeCount(), g.EdgeCount(), g.EventCount())
	}
}

// TestRetryGets10071 pins the ARCHITECTURE §4 gotcha the store works around: on an R1 stream a
// retried publish whose first attempt landed is refused by the sequence check (10071) before
// de-duplication could answer, so Append compares the last Msg-Id instead.
func TestRetryGets10071(t *testing.T) {
	_, nc := natstest.Start(t)
	s := openStore(t, nc, Config{})
	evs := wrap(t, "g", &graph.GraphCreated{Name: "g"})
	v, err := s.Append(ctxT(t), "g", 0, evs)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := graph.EncodeEvent(&evs[0])
	m := nats.NewMsg(natsx.EventSubject("g", evs[0].Type))
	m.Data = data
	m.Header.Set(jetstream.MsgIDHeader, evs[0].ID)
	_, err = s.js.PublishMsg(ctxT(t), m, jetstream.WithExpectLastSequenceForSubject(0, natsx.GraphEvents("g")))
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != codeWrongLastSeq {
		t.Fatalf("raw retry: %v, want API error %d", err, codeWrongLastSeq)
	}
	// Forget what the store knows so the retry goes through the publish-and-resolve path.
	s.mu.Lock()
	delete(s.last, "g")
	s.mu.Unlock()
	if v2, err := s.Append(ctxT(t), "g", 0, evs); err != nil || v2 != v {
		t.Fatalf("Append retry: %d, %v; want %d", v2, err, v)
	}
	// A multi-event (atomic batch) retry too.
	batch := wrap(t, "g", &graph.NodesAdded{Nodes: []graph.Node{{ID: "a"}}}, &graph.NodesAdded{Nodes: []graph.Node{{ID: "b"}}})
	v3, err := s.Append(ctxT(t), "g", v, batch)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.last["g"] = lastMsg{seq: v} // stale knowledge: the store believes the batch is not there
	s.mu.Unlock()
	if v4, err := s.Append(ctxT(t), "g", v, batch); err != nil || v4 != v3 {
		t.Fatalf("batch retry: %d, %v; want %d", v4, err, v3)
	}
	info, _ := s.stream.Info(ctxT(t))
	if info.State.Msgs != 3 {
		t.Fatalf("%d messages in the stream, want 3", info.State.Msgs)
	}
}

// TestBulkSurvivesOtherGraphs: while an import streams into one graph, other writers keep
// appending to other graphs. Their publishes break the import's Msg-Id chain again and again; the
// import must resynchronise and end with every event exactly once, in order.
func TestBulkSurvivesOtherGraphs(t *testing.T) {
	_, nc := natstest.Start(t)
	s := openStore(t, nc, Config{Window: 64})
	ctx := ctxT(t)
	if _, err := s.Append(ctx, "big", 0, wrap(t, "big", &graph.GraphCreated{Name: "big"})); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var noise atomic.Int64
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprint("other", w)
			v, err := s.Append(ctx, id, 0, wrap(t, id, &graph.GraphCreated{Name: id}))
			for err == nil {
				select {
				case <-stop:
					return
				default:
				}
				v, err = s.Append(ctx, id, v, wrap(t, id, &graph.GraphRenamed{Name: fmt.Sprint(v)}))
				noise.Add(1)
				time.Sleep(time.Millisecond)
			}
			t.Error(err)
		}()
	}
	v0, _ := s.LastVersion(ctx, "big")
	b, err := s.BeginBulk(ctx, "big", v0)
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	var want []string
	for i := range n {
		ev := wrap(t, "big", &graph.NodesAdded{Nodes: []graph.Node{{ID: fmt.Sprint(i)}}})[0]
		want = append(want, ev.ID)
		if err := b.Add(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	v, err := b.Finish(ctx)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = s.Load(ctx, "big", v0+1, func(r eventstore.Record) error {
		ev, err := r.Event()
		got = append(got, ev.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d events stored, want %d", len(got), n)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("event %d out of order", i)
		}
	}
	if lv, _ := s.LastVersion(ctx, "big"); lv != v {
		t.Fatalf("Finish returned %d, last version %d", v, lv)
	}
	t.Logf("%d noise appends, %d resyncs", noise.Load(), b.(*bulk).resyncs)
}

func TestSnapshotsChunked(t *testing.T) {
	_, nc := natstest.Start(t)
	s := openStore(t, nc, Config{})
	snaps, err := OpenSnapshots(ctxT(t), s.JetStream(), SnapshotConfig{ChunkSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	if _, _, err := snaps.LoadSnapshot(ctx, "g"); !errors.Is(err, eventstore.ErrNotFound) {
		t.Fatalf("missing snapshot: %v", err)
	}
	data := make([]byte, 4321)
	for i := range data {
		data[i] = byte(i * 7)
	}
	if err := snaps.SaveSnapshot(ctx, "g", 10, data); err != nil {
		t.Fatal(err)
	}
	if err := snaps.SaveSnapshot(ctx, "g", 5, []byte("older")); err != nil { // must not replace 10
		t.Fatal(err)
	}
	v, got, err := snaps.LoadSnapshot(ctx, "g")
	if err != nil || v != 10 || string(got) != string(data) {
		t.Fatalf("load: v%d %d bytes %v", v, len(got), err)
	}
	if err := snaps.SaveSnapshot(ctx, "g", 20, data[:10]); err != nil {
		t.Fatal(err)
	}
	if _, err := snaps.kv.Get(ctx, chunkKey("g", 10, 0)); !errors.Is(err, jetstream.ErrKeyNotFound) {
		t.Fatalf("old chunks not purged: %v", err)
	}
	if v, got, _ := snaps.LoadSnapshot(ctx, "g"); v != 20 || len(got) != 10 {
		t.Fatalf("replaced snapshot: v%d %d bytes", v, len(got))
	}
}

func TestCacheEvicts(t *testing.T) {
	c := NewCache(2)
	for _, id := range []string{"a", "b", "c"} {
		c.Add(id, graph.New(id))
	}
	if _, ok := c.Get("a"); ok || c.Len() != 2 {
		t.Fatal("LRU kept the least recently used graph")
	}
}

func TestLister(t *testing.T) {
	storetest.RunLister(t, func(t *testing.T) eventstore.Store {
		_, nc := natstest.Start(t)
		return openStore(t, nc, Config{})
	})
}

// TestImportServerStops: the server goes away in the middle of a bulk import. The import fails; after
// a restart on the same directory the graph loads and holds a gap-free prefix of the import (the
// Msg-Id chain never stores an event whose predecessor is missing).
func TestImportServerStops(t *testing.T) {
	dir := t.TempDir()
	emb, nc := natstest.Start(t, natstest.Options{DataDir: dir})
	s := openStore(t, nc, Config{Window: 64, Timeout: 2 * time.Second})
	repo := eventstore.NewRepository(s, eventstore.RepoOptions{})
	im, err := repo.Import(ctxT(t), "g", eventstore.ImportOptions{Chunk: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Command(&graph.CreateGraph{Name: "g"}); err != nil {
		t.Fatal(err)
	}
	var failed error
	for i := 0; i < 50_000 && failed == nil; i++ {
		if i == 10_000 {
			emb.Shutdown()
		}
		failed = im.Node(graph.Node{ID: fmt.Sprint("n", i)})
	}
	if failed == nil {
		_, failed = im.Close()
	}
	if failed == nil {
		t.Fatal("import succeeded with the server gone")
	}
	nc.Close()

	_, nc2 := natstest.Start(t, natstest.Options{DataDir: dir})
	s2 := openStore(t, nc2, Config{})
	g, err := eventstore.NewRepository(s2, eventstore.RepoOptions{}).Open(ctxT(t), "g")
	if err != nil {
		t.Fatal(err)
	}
	n := g.NodeCount()
	if n < 100 || n%100 != 0 {
		t.Fatalf("%d nodes after the restart: not a whole number of chunks", n)
	}
	for i := range n {
		if !g.HasNode(fmt.Sprint("n", i)) {
			t.Fatalf("%d nodes stored but n%d missing: the stored import has a gap", n, i)
		}
	}
	t.Logf("%d of the first 10,000 nodes were stored before the server stopped", n)
}

// TestEightWriters: 8 writers × 500 commands on one graph through two repositories (two service
// instances), every 10th command retried with the same id through the other one. Every command
// lands exactly once, retries are recognised, and both repositories end with the state of the
// acknowledged commands applied serially.
func TestEightWriters(t *testing.T) {
	each := 500
	if testing.Short() {
		each = 50
	}
	const writers = 8
	_, nc := natstest.Start(t)
	s := openStore(t, nc, Config{})
	repos := [2]*eventstore.Repository{
		eventstore.NewRepository(s, eventstore.RepoOptions{Cache: NewCache(2), Retries: 10_000}),
		eventstore.NewRepository(s, eventstore.RepoOptions{Cache: NewCache(2), Retries: 10_000}),
	}
	ctx := ctxT(t)
	if _, err := repos[0].Execute(ctx, "g", &graph.CreateGraph{Name: "race"}, graph.Meta{}, eventstore.ExecOptions{}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var dups atomic.Int64
	acked := make([][]uint64, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				cmd := &graph.AddNodes{Nodes: []graph.Node{{ID: id}}}
				res, err := repos[w%2].Execute(ctx, "g", cmd, graph.Meta{CommandID: id}, eventstore.ExecOptions{})
				if err != nil {
					t.Error(err)
					return
				}
				acked[w] = append(acked[w], res.Version)
				if i%10 == 0 { // the client never saw the reply and retries elsewhere
					again, err := repos[1-w%2].Execute(ctx, "g", cmd, graph.Meta{CommandID: id}, eventstore.ExecOptions{})
					if err != nil || !again.Duplicate || again.Version != res.Version {
						t.Errorf("retry of %s: %+v, %v (first at %d)", id, again, err, res.Version)
						return
					}
					dups.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	// Serial replay of the stored history is the reference state.
	ref := graph.New("g")
	err := s.Load(ctx, "g", 0, func(r eventstore.Record) error {
		ev, err := r.Event()
		if err == nil {
			ref.Apply(&ev)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if ref.NodeCount() != writers*each || ref.EventCount() != uint64(writers*each+1) {
		t.Fatalf("history: %d nodes in %d events, want %d in %d", ref.NodeCount(), ref.EventCount(), writers*each, writers*each+1)
	}
	seen := map[uint64]bool{}
	for w := range writers {
		for _, v := range acked[w] {
			if seen[v] {
				t.Fatalf("two commands acknowledged at version %d", v)
			}
			seen[v] = true
		}
	}
	for i, r := range repos {
		err := r.View(ctx, "g", func(g *graph.Graph) error {
			if g.NodeCount() != ref.NodeCount() || g.Version() != ref.Version() {
				return fmt.Errorf("repository %d: %d nodes at version %d, history %d at %d", i, g.NodeCount(), g.Version(), ref.NodeCount(), ref.Version())
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d commands, %d retries recognised", writers*each, dups.Load())
}
