package timeline

import (
	"sort"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Options tune the checkpoint schedule. Zero fields take the defaults.
type Options struct {
	// EveryEvents takes a checkpoint after this many events since the last one (default 2048: at
	// 100K nodes a replay of 2048 events takes 5–14 ms on the reference machine).
	EveryEvents int
	// EveryBytes takes a checkpoint once the events since the last one weigh this many estimated bytes
	// (default 2 MiB, 10–20 ms of replay): batch events carry many items, so a count alone would let
	// replays grow long.
	//
	// Once the budget has made the history thin its checkpoints, these are floors: the next
	// checkpoint waits until restoring the tip would cost more than the dearest interval kept, so the
	// history does not clone states it would drop at once.
	EveryBytes int64
	// Budget caps the bytes held by checkpoints (default 512 MiB; negative: no cap). Checkpoints are
	// thinned to stay under it where that costs a restore the least; the base and the newest
	// checkpoint are always kept.
	Budget int64
}

func (o Options) withDefaults() Options {
	if o.EveryEvents <= 0 {
		o.EveryEvents = 2048
	}
	if o.EveryBytes <= 0 {
		o.EveryBytes = 2 << 20
	}
	if o.Budget == 0 {
		o.Budget = 512 << 20
	}
	return o
}

// The restore cost model, in nanoseconds on the reference machine (shared 2-core VM, warm heap): a
// clone copies its aggregate at ≈ 0.5 ns per byte (11–24 ms for the 48.7 MB of 100K nodes / 300K
// edges); a replay costs ≈ 7 ns per estimated event byte (0.6–1 µs per node or edge added, 2.5–4 µs per
// event of the benchmark history). Only the ratio steers the schedule; the absolute figures are the
// benchmark's to report.
//
// Memory the heap has not touched yet costs far more than the copy: ≈ 12 µs a 4 KiB page fault on the
// VM (3 ns a byte) and, amortised, a byte of marking per byte allocated. freshMemory weighs that where
// the choice is between allocating and not: a replay that adds more nodes or edges than the headroom
// graph.Clone leaves (an eighth of the table, at least 1024 slots) regrows the table — a 48K-node
// state replayed over 8K events allocated 69 MB instead of 24 — so it is charged that many clones
// more, which the thinning avoids; and a cursor jumping forward restores only if that wins even with
// the clone so weighted, since its replay allocates nothing.
const (
	cloneNsPerByte  = 0.5
	replayNsPerByte = 7.0
	freshMemory     = 4.0
)

// tally is what a prefix of the history weighs: estimated bytes and the nodes and edges its
// additions carry (removals free slots, so additions bound a replay's growth from above).
type tally struct {
	bytes        int64
	nodes, edges int64
}

func (t tally) add(ev *graph.Event, size int64) tally {
	t.bytes += size
	switch p := ev.Data.(type) {
	case *graph.NodesAdded:
		t.nodes += int64(len(p.Nodes))
	case *graph.EdgesAdded:
		t.edges += int64(len(p.Edges))
	}
	return t
}

// headroom is the free slots a clone of a table holding n is sure to have (graph.Clone's rule, with
// the live count standing in for the slot count, which can only be larger).
func headroom(n int) int64 { return int64(max(1024, n/8)) }

// checkpoint is the state after the first idx events of the history, kept as a live aggregate: a
// restore clones it (graph.Clone, 11–35 ms at 100K nodes / 300K edges) instead of decoding a snapshot
// (175 ms).
type checkpoint struct {
	idx     int
	version uint64
	g       *graph.Graph
	bytes   int64 // estimated memory of g
	nodes   int   // g's node and edge counts, for the headroom of its clones
	edges   int
}

// cloneBytes estimates what a clone of g holds: measured 48.7 MB for 100K nodes and 300K edges, plus
// the eighth of headroom graph.Clone leaves in the slot tables.
func cloneBytes(g *graph.Graph) int64 {
	return 4096 + 265*int64(g.NodeCount()) + 88*int64(g.EdgeCount())
}

func (h *History) checkpoint() error {
	cp := newCheckpoint(len(h.events), h.tip)
	h.cps = append(h.cps, cp)
	h.cpBytes += cp.bytes
	h.sinceEvents, h.sinceBytes = 0, 0
	h.thin()
	return nil
}

func newCheckpoint(idx int, g *graph.Graph) checkpoint {
	frozen := g.Clone()
	frozen.Freeze() // restores fork it: they share its id indexes instead of copying them
	return checkpoint{idx: idx, version: g.Version(), g: frozen, bytes: cloneBytes(g), nodes: g.NodeCount(), edges: g.EdgeCount()}
}

// replayCost is the modelled cost of applying events [from, to).
func (h *History) replayCost(from, to int) float64 {
	return replayNsPerByte * float64(h.cum[to].bytes-h.cum[from].bytes)
}

// restoreCost is the modelled cost of restoring the state after n events from checkpoint c.
func (h *History) restoreCost(c, n int) float64 {
	cp := &h.cps[c]
	clone := cloneNsPerByte * float64(cp.bytes)
	cost := clone + h.replayCost(cp.idx, n)
	if h.cum[n].nodes-h.cum[cp.idx].nodes > headroom(cp.nodes) || h.cum[n].edges-h.cum[cp.idx].edges > headroom(cp.edges) {
		cost += freshMemory * clone
	}
	return cost
}

// thin drops checkpoints until the budget holds. Each step removes the checkpoint whose removal
// leaves the cheapest merged interval (the clone of its predecessor plus the replay across both
// intervals): a greedy min-max that spends the budget where states are large and clones dear, and
// lets old, small states stretch their replays — the cost-weighted form of the logarithmic schedule
// of reversible debuggers. The base and the newest checkpoint stay.
func (h *History) thin() {
	for h.opt.Budget > 0 && h.cpBytes > h.opt.Budget && len(h.cps) > 2 {
		best, bestCost := -1, 0.0
		for i := 1; i < len(h.cps)-1; i++ {
			if c := h.restoreCost(i-1, h.cps[i+1].idx); best < 0 || c < bestCost {
				best, bestCost = i, c
			}
		}
		h.cpBytes -= h.cps[best].bytes
		h.cps[best].g = nil
		h.cps = append(h.cps[:best], h.cps[best+1:]...)
		h.thinned++
	}
	if h.thinned > 0 {
		h.level = 0
		for c := 0; c+1 < len(h.cps); c++ {
			h.level = max(h.level, h.restoreCost(c, h.cps[c+1].idx))
		}
	}
}

// checkpointFor is the latest checkpoint at or below n events.
func (h *History) checkpointFor(n int) int {
	return sort.Search(len(h.cps), func(i int) bool { return h.cps[i].idx > n }) - 1
}

// worst is the position (event count) whose restore the model rates costliest — the last one before
// a checkpoint, or the tip — and that cost in nanoseconds.
func (h *History) worst() (n int, ns float64) {
	for c := range h.cps {
		end := len(h.events)
		if c+1 < len(h.cps) {
			end = h.cps[c+1].idx - 1
		}
		if cost := h.restoreCost(c, end); cost > ns {
			n, ns = end, cost
		}
	}
	return n, ns
}

// eventSize estimates an event's encoded size: its raw payload when it came from the store, else a
// per-item figure measured on the JSON encoding (≈ 90 bytes per node or edge with short ids).
func eventSize(ev *graph.Event) int64 {
	const envelope = 200
	if len(ev.Payload) > 0 {
		return envelope + int64(len(ev.Payload))
	}
	switch p := ev.Data.(type) {
	case *graph.NodesAdded:
		return envelope + 90*int64(len(p.Nodes))
	case *graph.EdgesAdded:
		return envelope + 90*int64(len(p.Edges))
	case *graph.NodeRemoved:
		return envelope + 90*int64(len(p.Edges))
	}
	return envelope + 64
}
