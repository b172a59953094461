// Package storetest is the conformance suite every eventstore.Store must pass: run it from the
// store's own tests with storetest.Run(t, factory).
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// Factory returns a fresh, empty store for one subtest; the factory registers its own cleanup.
type Factory func(t *testing.T) eventstore.Store

// Run runs every conformance test against stores made by newStore.
func Run(t *testing.T, newStore Factory) {
	tests := []struct {
		name string
		fn   func(*testing.T, eventstore.Store)
	}{
		{"AppendLoad", testAppendLoad},
		{"Conflict", testConflict},
		{"RetryIdempotent", testRetry},
		{"MultiEventAtomic", testMultiEvent},
		{"Deleted", testDeleted},
		{"NotFound", testNotFound},
		{"Invalid", testInvalid},
		{"GraphsIsolated", testIsolation},
		{"Subscribe", testSubscribe},
		{"ConcurrentWriters", testConcurrent},
		{"RepositoryExecute", testRepository},
		{"RepositoryTwoProcesses", testTwoRepositories},
		{"RepositoryStaleCache", testStaleCache},
		{"Import", testImport},
		{"ImportDetectsConcurrentWriter", testImportConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var clock = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func events(t *testing.T, graphID string, ps ...graph.Payload) []graph.Event {
	t.Helper()
	evs, err := graph.Wrap(graphID, ps, graph.Meta{Actor: "storetest", Time: clock})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func nodes(ids ...string) *graph.NodesAdded {
	p := &graph.NodesAdded{}
	for _, id := range ids {
		p.Nodes = append(p.Nodes, graph.Node{ID: id})
	}
	return p
}

func appendOK(t *testing.T, s eventstore.Store, graphID string, expected uint64, evs []graph.Event) uint64 {
	t.Helper()
	v, err := s.Append(ctxT(t), graphID, expected, evs)
	if err != nil {
		t.Fatalf("append to %s after %d: %v", graphID, expected, err)
	}
	return v
}

func loadAll(t *testing.T, s eventstore.Store, graphID string, from uint64) []graph.Event {
	t.Helper()
	var out []graph.Event
	err := s.Load(ctxT(t), graphID, from, func(r eventstore.Record) error {
		ev, err := r.Event()
		if err != nil {
			return fmt.Errorf("seq %d: %w", r.Seq, err)
		}
		wantSubj := eventstore.EventSubject(graphID, ev.Type)
		if r.Subject != wantSubj {
			return fmt.Errorf("seq %d on subject %q, want %q", r.Seq, r.Subject, wantSubj)
		}
		out = append(out, ev)
		return nil
	})
	if err != nil {
		t.Fatalf("load %s from %d: %v", graphID, from, err)
	}
	return out
}

func ids(evs []graph.Event) []string {
	out := make([]string, len(evs))
	for i := range evs {
		out[i] = evs[i].ID
	}
	return out
}

func testAppendLoad(t *testing.T, s eventstore.Store) {
	evs := events(t, "g1", &graph.GraphCreated{Name: "one"}, nodes("a", "b"))
	v := appendOK(t, s, "g1", 0, evs[:1])
	v2 := appendOK(t, s, "g1", v, evs[1:])
	if v2 <= v {
		t.Fatalf("versions %d then %d", v, v2)
	}
	got := loadAll(t, s, "g1", 0)
	if !slices.Equal(ids(got), ids(evs)) {
		t.Fatalf("loaded %v, appended %v", ids(got), ids(evs))
	}
	if got[0].Seq != v || got[1].Seq != v2 {
		t.Fatalf("sequences %d,%d, appends returned %d,%d", got[0].Seq, got[1].Seq, v, v2)
	}
	if n := got[1].Data.(*graph.NodesAdded); len(n.Nodes) != 2 || got[1].Actor != "storetest" || !got[1].Time.Equal(clock) {
		t.Fatalf("event did not round-trip: %+v", got[1])
	}
	if lv, err := s.LastVersion(ctxT(t), "g1"); err != nil || lv != v2 {
		t.Fatalf("LastVersion = %d, %v; want %d", lv, err, v2)
	}
	if tail := loadAll(t, s, "g1", v2); len(tail) != 1 || tail[0].Seq != v2 {
		t.Fatalf("load from %d: %v", v2, ids(tail))
	}
	if none := loadAll(t, s, "g1", v2+1); len(none) != 0 {
		t.Fatalf("load past the end: %v", ids(none))
	}
	// fn's error stops Load and comes back.
	stop := errors.New("stop")
	if err := s.Load(ctxT(t), "g1", 0, func(eventstore.Record) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("Load returned %v, want fn's error", err)
	}
}

func testConflict(t *testing.T, s eventstore.Store) {
	v := appendOK(t, s, "g", 0, events(t, "g", &graph.GraphCreated{Name: "g"}))
	for _, expected := range []uint64{0, v + 1, v - 1 + 1000} {
		_, err := s.Append(ctxT(t), "g", expected, events(t, "g", nodes("x")))
		if !errors.Is(err, eventstore.ErrConflict) {
			t.Fatalf("append expecting %d (version %d): %v, want ErrConflict", expected, v, err)
		}
	}
	if got := loadAll(t, s, "g", 0); len(got) != 1 {
		t.Fatalf("a refused append stored something: %v", ids(got))
	}
}

func testRetry(t *testing.T, s eventstore.Store) {
	v0 := appendOK(t, s, "g", 0, events(t, "g", &graph.GraphCreated{Name: "g"}))
	evs := events(t, "g", nodes("a"), nodes("b"))
	v1 := appendOK(t, s, "g", v0, evs)
	v2, err := s.Append(ctxT(t), "g", v0, evs) // the client never saw the first reply
	if err != nil || v2 != v1 {
		t.Fatalf("retried append: %d, %v; want %d, nil", v2, err, v1)
	}
	if got := loadAll(t, s, "g", 0); len(got) != 3 {
		t.Fatalf("retry stored events again: %v", ids(got))
	}
}

func testMultiEvent(t *testing.T, s eventstore.Store) {
	evs := events(t, "g", &graph.GraphCreated{Name: "g"}, nodes("a"), nodes("b"), &graph.GraphRenamed{Name: "h"})
	v := appendOK(t, s, "g", 0, evs)
	got := loadAll(t, s, "g", 0)
	for i := range got {
		if got[i].Seq != v-uint64(len(got)-1-i) {
			t.Fatalf("multi-event append not consecutive: seq %d at %d, last %d", got[i].Seq, i, v)
		}
	}
	// All or nothing: a conflicting multi-event append stores none of its events.
	if _, err := s.Append(ctxT(t), "g", v-1, events(t, "g", nodes("c"), nodes("d"))); !errors.Is(err, eventstore.ErrConflict) {
		t.Fatalf("stale multi-event append: %v", err)
	}
	if got := loadAll(t, s, "g", 0); len(got) != 4 {
		t.Fatalf("%d events after a refused batch, want 4", len(got))
	}
}

func testDeleted(t *testing.T, s eventstore.Store) {
	v := appendOK(t, s, "g", 0, events(t, "g", &graph.GraphCreated{Name: "g"}, &graph.GraphDeleted{}))
	_, err := s.Append(ctxT(t), "g", v, events(t, "g", nodes("late")))
	if !errors.Is(err, eventstore.ErrDeleted) || !errors.Is(err, graph.ErrDeleted) {
		t.Fatalf("append after graph_deleted: %v, want ErrDeleted", err)
	}
	if got := loadAll(t, s, "g", 0); len(got) != 2 {
		t.Fatalf("deleted graph's history: %v", ids(got))
	}
}

func testNotFound(t *testing.T, s eventstore.Store) {
	err := s.Load(ctxT(t), "nobody", 0, func(eventstore.Record) error { return nil })
	if !errors.Is(err, eventstore.ErrNotFound) {
		t.Fatalf("load of an unknown graph: %v", err)
	}
	if v, err := s.LastVersion(ctxT(t), "nobody"); v != 0 || err != nil {
		t.Fatalf("LastVersion of an unknown graph: %d, %v", v, err)
	}
}

func testInvalid(t *testing.T, s eventstore.Store) {
	for name, tc := range map[string]struct {
		id  string
		evs []graph.Event
	}{
		"no events":    {"g", nil},
		"other graph":  {"g", events(t, "h", nodes("a"))},
		"bad id token": {"g.x", events(t, "g.x", nodes("a"))},
		"wildcard id":  {"*", events(t, "*", nodes("a"))},
	} {
		if _, err := s.Append(ctxT(t), tc.id, 0, tc.evs); !errors.Is(err, eventstore.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

func testIsolation(t *testing.T, s eventstore.Store) {
	va := appendOK(t, s, "a", 0, events(t, "a", &graph.GraphCreated{Name: "a"}))
	vb := appendOK(t, s, "b", 0, events(t, "b", &graph.GraphCreated{Name: "b"}))
	// Appending to b moved the store on, but a's version is still va.
	va2 := appendOK(t, s, "a", va, events(t, "a", nodes("x")))
	if va2 <= vb {
		t.Fatalf("versions are not store positions: a %d, b %d, a %d", va, vb, va2)
	}
	// Prefix graph ids must not leak into each other's aggregate (a vs ab).
	appendOK(t, s, "ab", 0, events(t, "ab", &graph.GraphCreated{Name: "ab"}))
	if got := loadAll(t, s, "a", 0); len(got) != 2 {
		t.Fatalf("graph a sees %d events", len(got))
	}
	if lv, _ := s.LastVersion(ctxT(t), "a"); lv != va2 {
		t.Fatalf("LastVersion(a) = %d, want %d", lv, va2)
	}
}

func next(t *testing.T, sub eventstore.Subscription) eventstore.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := sub.Next(ctx)
	if err != nil {
		t.Fatalf("subscription Next: %v", err)
	}
	return r
}

func testSubscribe(t *testing.T, s eventstore.Store) {
	ctx := ctxT(t)
	v1 := appendOK(t, s, "g", 0, events(t, "g", &graph.GraphCreated{Name: "g"}))
	appendOK(t, s, "h", 0, events(t, "h", &graph.GraphCreated{Name: "h"}))
	one, err := s.Subscribe(ctx, eventstore.GraphFilter("g"), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Stop()
	all, err := s.Subscribe(ctx, eventstore.AllFilter, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer all.Stop()
	byType, err := s.Subscribe(ctx, eventstore.TypeFilter(graph.EventNodesAdded), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer byType.Stop()
	if r := next(t, one); r.Seq != v1 {
		t.Fatalf("history first: got seq %d, want %d", r.Seq, v1)
	}
	// Live events arrive after the history.
	v2 := appendOK(t, s, "g", v1, events(t, "g", nodes("a")))
	vh := appendOK(t, s, "h", 2, events(t, "h", nodes("b")))
	if r := next(t, one); r.Seq != v2 {
		t.Fatalf("live event: seq %d, want %d", r.Seq, v2)
	}
	var seqs []uint64
	for range 4 {
		seqs = append(seqs, next(t, all).Seq)
	}
	if !slices.IsSorted(seqs) || seqs[3] != vh || len(slices.Compact(slices.Clone(seqs))) != 4 {
		t.Fatalf("all-events subscription delivered %v", seqs)
	}
	if r1, r2 := next(t, byType), next(t, byType); r1.Seq != v2 || r2.Seq != vh {
		t.Fatalf("type filter delivered %d, %d; want %d, %d", r1.Seq, r2.Seq, v2, vh)
	}
	// From a position: resume after what was applied.
	resume, err := s.Subscribe(ctx, eventstore.GraphFilter("g"), v2)
	if err != nil {
		t.Fatal(err)
	}
	if r := next(t, resume); r.Seq != v2 {
		t.Fatalf("resume from %d got %d", v2, r.Seq)
	}
	if err := resume.Stop(); err != nil {
		t.Fatal(err)
	}
	// Resuming after the last event (the bridge's usual case) waits for the next one.
	ahead, err := s.Subscribe(ctx, eventstore.GraphFilter("g"), vh+1)
	if err != nil {
		t.Fatal(err)
	}
	defer ahead.Stop()
	v3 := appendOK(t, s, "g", v2, events(t, "g", nodes("c")))
	if r := next(t, ahead); r.Seq != v3 {
		t.Fatalf("subscription from %d got %d, want %d", vh+1, r.Seq, v3)
	}
	if r := next(t, one); r.Seq != v3 {
		t.Fatalf("live subscription got %d, want %d", r.Seq, v3)
	}
	// Next honours its context when nothing comes.
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := one.Next(short); err == nil {
		t.Fatal("Next returned a record that was never appended")
	}
}

// testConcurrent: 8 writers × 25 appends, each read-version-append-retry; every acknowledged event
// is stored exactly once and the versions are a strictly increasing sequence.
func testConcurrent(t *testing.T, s eventstore.Store) {
	ctx := ctxT(t)
	appendOK(t, s, "g", 0, events(t, "g", &graph.GraphCreated{Name: "g"}))
	const writers, each = 8, 25
	var mu sync.Mutex
	acked := map[string]uint64{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				evs, _ := graph.Wrap("g", []graph.Payload{nodes(fmt.Sprintf("w%d-%d", w, i))}, graph.Meta{})
				for {
					v, err := s.LastVersion(ctx, "g")
					if err != nil {
						t.Error(err)
						return
					}
					nv, err := s.Append(ctx, "g", v, evs)
					if errors.Is(err, eventstore.ErrConflict) {
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					acked[evs[0].ID] = nv
					mu.Unlock()
					break
				}
			}
		}()
	}
	wg.Wait()
	got := loadAll(t, s, "g", 0)[1:]
	if len(got) != writers*each || len(acked) != writers*each {
		t.Fatalf("%d events stored, %d acknowledged, want %d", len(got), len(acked), writers*each)
	}
	for i := range got {
		if acked[got[i].ID] != got[i].Seq {
			t.Fatalf("event %s stored at %d, acknowledged at %d", got[i].ID, got[i].Seq, acked[got[i].ID])
		}
		if i > 0 && got[i].Seq <= got[i-1].Seq {
			t.Fatal("sequences not increasing")
		}
	}
}

// RunLister checks eventstore.Lister on stores that implement it.
func RunLister(t *testing.T, newStore Factory) {
	s := newStore(t)
	l, ok := s.(eventstore.Lister)
	if !ok {
		t.Fatalf("%T does not implement eventstore.Lister", s)
	}
	ctx := ctxT(t)
	if got, err := l.ListGraphs(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store lists %v, %v", got, err)
	}
	va := appendOK(t, s, "a", 0, events(t, "a", &graph.GraphCreated{Name: "Alpha"}))
	va = appendOK(t, s, "a", va, events(t, "a", &graph.GraphRenamed{Name: "Alpha 2"}))
	va = appendOK(t, s, "a", va, events(t, "a", nodes("x")))
	vb := appendOK(t, s, "b", 0, events(t, "b", &graph.GraphCreated{Name: "Beta"}, &graph.GraphDeleted{}))
	got, err := l.ListGraphs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []eventstore.GraphInfo{{ID: "a", Name: "Alpha 2", Version: va}, {ID: "b", Name: "Beta", Version: vb, Deleted: true}}
	if !slices.Equal(got, want) {
		t.Fatalf("ListGraphs = %+v, want %+v", got, want)
	}
}
