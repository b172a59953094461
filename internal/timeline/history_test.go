package timeline

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
)

func build(t testing.TB, evs []graph.Event, opt Options) *History {
	t.Helper()
	h, err := New(graph.New("g"), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.AppendAll(evs); err != nil {
		t.Fatal(err)
	}
	return h
}

// same reports whether two states hold the same graph: metadata, nodes and edges with all their
// fields. Slots may differ: a restored aggregate rebuilds its incidence lists in another order, so a
// later node removal frees edge slots in another order.
func same(t testing.TB, a, b *graph.Graph) bool {
	t.Helper()
	if a.Version() != b.Version() || a.Name() != b.Name() || a.EventCount() != b.EventCount() ||
		a.NodeCount() != b.NodeCount() || a.EdgeCount() != b.EdgeCount() {
		return false
	}
	for n := range a.Nodes() {
		if m, ok := b.Node(n.ID); !ok || !reflect.DeepEqual(n, m) {
			return false
		}
	}
	for e := range a.Edges() {
		if f, ok := b.Edge(e.ID); !ok || !reflect.DeepEqual(e, f) {
			return false
		}
	}
	return true
}

// TestAtMatchesReplay: the state At(v) restores is the state of a fresh replay to v,
// for random versions (in the gaps between sequences too), with dense, sparse and thinned checkpoints.
func TestAtMatchesReplay(t *testing.T) {
	evs := genHistory(1, smallSpec)
	for name, opt := range map[string]Options{
		"dense":   {EveryEvents: 37},
		"bytes":   {EveryEvents: 1 << 30, EveryBytes: 3000},
		"thinned": {EveryEvents: 20, Budget: 1_200_000}, // checkpoints count estimated clone bytes
		"base":    {EveryEvents: 1 << 30, EveryBytes: 1 << 40},
	} {
		t.Run(name, func(t *testing.T) {
			h := build(t, evs, opt)
			if name == "thinned" {
				st := h.Stats()
				if st.Thinned == 0 || st.CheckpointBytes > 1_200_000 {
					t.Fatalf("budget not kept: %+v", st)
				}
			}
			rng := rand.New(rand.NewPCG(2, 3))
			vs := []uint64{0, h.Last(), evs[0].Seq}
			for range 60 {
				vs = append(vs, rng.Uint64N(h.Last()+1))
			}
			for i, v := range vs {
				g, err := h.At(v)
				if err != nil {
					t.Fatalf("At(%d): %v", v, err)
				}
				want := replay(evs, v)
				if !same(t, g, want) {
					t.Fatalf("At(%d): state differs from replay (nodes %d/%d edges %d/%d)", v,
						g.NodeCount(), want.NodeCount(), g.EdgeCount(), want.EdgeCount())
				}
				if i%2 == 1 {
					// Half the states go back for reuse, as the workbench hands them back: the next
					// restore writes into their tables.
					h.Recycle(g)
				}
			}
		})
	}
}

// TestAtIsFresh: the returned aggregate is the caller's; changing it does not change the history.
func TestAtIsFresh(t *testing.T) {
	evs := genHistory(4, smallSpec)
	h := build(t, evs, Options{EveryEvents: 100})
	v := evs[1500].Seq
	g, _ := h.At(v)
	g.Apply(&graph.Event{Seq: h.Last() + 1, Data: &graph.NodeRemoved{ID: nodeIDs(g)[0]}})
	again, _ := h.At(v)
	if !same(t, again, replay(evs, v)) {
		t.Fatal("history changed by a caller's edit")
	}
}

func TestBadVersions(t *testing.T) {
	evs := genHistory(5, smallSpec)
	// A history that starts at a stored snapshot: versions before it are unknown.
	base := replay(evs, evs[999].Seq)
	h, err := New(base, Options{EveryEvents: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.AppendAll(evs[1000:]); err != nil {
		t.Fatal(err)
	}
	for _, v := range []uint64{0, evs[500].Seq, h.First() - 1, h.Last() + 1, 1 << 62} {
		if _, err := h.At(v); !errors.Is(err, ErrVersionOutOfRange) {
			t.Errorf("At(%d) = %v, want ErrVersionOutOfRange", v, err)
		}
		if _, err := h.Diff(h.First(), v); !errors.Is(err, ErrVersionOutOfRange) {
			t.Errorf("Diff(first, %d) = %v, want ErrVersionOutOfRange", v, err)
		}
	}
	g, err := h.At(h.First())
	if err != nil || !same(t, g, replay(evs, evs[999].Seq)) {
		t.Fatalf("At(First) = %v", err)
	}
	if err := h.Append(evs[1500]); !errors.Is(err, ErrOutOfOrder) {
		t.Errorf("append of an old event = %v, want ErrOutOfOrder", err)
	}
	if err := h.Append(graph.Event{Data: &graph.GraphRenamed{Name: "x"}}); !errors.Is(err, ErrOutOfOrder) {
		t.Errorf("append of an unstored event = %v, want ErrOutOfOrder", err)
	}
}

func diffIDs(a, b []string) []string {
	var out []string
	for _, id := range b {
		if _, ok := slices.BinarySearch(a, id); !ok {
			out = append(out, id)
		}
	}
	return out
}

// TestDiffBruteForce compares Diff — and each of its two strategies, replay and double restore — with
// the set differences of two fresh replays, over random pairs, short spans and the whole history.
func TestDiffBruteForce(t *testing.T) {
	evs := genHistory(6, smallSpec)
	h := build(t, evs, Options{EveryEvents: 64})
	rng := rand.New(rand.NewPCG(7, 8))
	type pair struct{ a, b uint64 }
	pairs := []pair{{0, h.Last()}, {h.Last(), 0}, {evs[100].Seq, evs[101].Seq}, {evs[7].Seq, evs[7].Seq}}
	for range 40 {
		pairs = append(pairs, pair{rng.Uint64N(h.Last() + 1), rng.Uint64N(h.Last() + 1)})
	}
	for range 20 {
		a := rng.Uint64N(h.Last() + 1)
		pairs = append(pairs, pair{a, min(h.Last(), a+rng.Uint64N(40))})
	}
	check := func(what string, a, b uint64, c Change) {
		t.Helper()
		ga, gb := replay(evs, a), replay(evs, b)
		na, nb, ea, eb := nodeIDs(ga), nodeIDs(gb), edgeIDs(ga), edgeIDs(gb)
		for _, chk := range []struct {
			name      string
			got, want []string
		}{
			{"nodes added", c.NodesAdded, diffIDs(na, nb)},
			{"nodes removed", c.NodesRemoved, diffIDs(nb, na)},
			{"edges added", c.EdgesAdded, diffIDs(ea, eb)},
			{"edges removed", c.EdgesRemoved, diffIDs(eb, ea)},
		} {
			if !slices.Equal(chk.got, chk.want) {
				t.Fatalf("%s(%d, %d) %s: got %d ids, want %d", what, a, b, chk.name, len(chk.got), len(chk.want))
			}
		}
	}
	for _, p := range pairs {
		c, err := h.Diff(p.a, p.b)
		if err != nil {
			t.Fatal(err)
		}
		check("Diff", p.a, p.b, c)
		lo, _ := h.index(min(p.a, p.b))
		hi, _ := h.index(max(p.a, p.b))
		for name, strategy := range map[string]func(lo, hi int) (map[string]presence, map[string]presence, error){
			"diffReplay": h.diffReplay, "diffRestore": h.diffRestore,
		} {
			nodes, edges, err := strategy(lo, hi)
			if err != nil {
				t.Fatal(err)
			}
			var c Change
			c.NodesAdded, c.NodesRemoved = changed(nodes)
			c.EdgesAdded, c.EdgesRemoved = changed(edges)
			check(name, min(p.a, p.b), max(p.a, p.b), c)
		}
	}
}
