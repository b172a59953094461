package timeline

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync/atomic"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Errors, for errors.Is.
var (
	// ErrVersionOutOfRange: the version asked for is before the history's base or after its last event.
	ErrVersionOutOfRange = errors.New("version out of the history's range")
	// ErrOutOfOrder: an appended event's sequence is not above the last one (or is 0: not stored).
	ErrOutOfOrder = errors.New("event out of order")
)

// History is one graph's events in store order with checkpoints.
//
// It has no lock of its own. Append, AppendAll and Checkpoint change it and the aggregate Tip returns;
// everything else only reads it: At, Diff, Stats, First, Last, Len, Event and the Seek of
// any number of cursors may run together on several goroutines, but never alongside a change. The
// simplest owner keeps it on one goroutine (the app's history goroutine appends the live events and
// answers At and Seek between appends); an owner that appends on one goroutine and scrubs on another
// holds a sync.RWMutex — the write lock around appends, the read lock around reads. At and Seek take
// tens of milliseconds at 100K nodes, so keep them off the frame if the frame must not stall: Seek
// forward by a few events is cheap enough for the frame, a jump back costs what At does.
type History struct {
	opt    Options
	base   uint64        // version of the state before the first event
	events []graph.Event // in store order, strictly increasing Seq
	cum    []tally       // cum[i]: what the first i events weigh and add (the restore cost model's input)
	cps    []checkpoint  // by idx ascending; cps[0] is the base
	tip    *graph.Graph  // the state after all events: checkpoints are cloned from it

	sinceEvents int
	sinceBytes  int64
	cpBytes     int64
	thinned     int
	level       float64 // the modelled cost of the dearest restore between checkpoints, once thinned

	spare atomic.Pointer[graph.Graph] // a restored state its user is done with (Recycle)
}

// New starts a history whose first state is base (graph.New(id) for a full history, or a state
// restored from a stored snapshot for a history that starts there). The history takes base over: the
// caller must not use it afterwards.
func New(base *graph.Graph, opt Options) (*History, error) {
	h := &History{opt: opt.withDefaults(), base: base.Version(), tip: base, cum: []tally{{}}}
	h.cps = []checkpoint{newCheckpoint(0, base)}
	h.cpBytes = h.cps[0].bytes
	return h, nil
}

// First is the earliest version At answers: the base state's.
func (h *History) First() uint64 { return h.base }

// Last is the version of the last event (First when there is none).
func (h *History) Last() uint64 {
	if len(h.events) == 0 {
		return h.base
	}
	return h.events[len(h.events)-1].Seq
}

// Len is the number of events recorded.
func (h *History) Len() int { return len(h.events) }

// Event returns the i-th event (0 ≤ i < Len), e.g. to label a scrubber position. Treat it as read-only.
func (h *History) Event(i int) *graph.Event { return &h.events[i] }

// Tip is the live state after the last event. It belongs to the history: read it, do not change it.
func (h *History) Tip() *graph.Graph { return h.tip }

// Append records the next event. Its Seq must be above the last one's.
func (h *History) Append(ev graph.Event) error {
	if ev.Seq == 0 || ev.Seq <= h.Last() {
		return fmt.Errorf("timeline: append seq %d after %d: %w", ev.Seq, h.Last(), ErrOutOfOrder)
	}
	h.events = append(h.events, ev)
	h.tip.Apply(&h.events[len(h.events)-1])
	sz := eventSize(&ev)
	h.cum = append(h.cum, h.cum[len(h.cum)-1].add(&ev, sz))
	h.sinceEvents++
	h.sinceBytes += sz
	if (h.sinceEvents >= h.opt.EveryEvents || h.sinceBytes >= h.opt.EveryBytes) &&
		(h.thinned == 0 || h.restoreCost(len(h.cps)-1, len(h.events)) >= h.level) {
		return h.checkpoint()
	}
	return nil
}

// AppendAll records events in order, e.g. a replay read from the store.
func (h *History) AppendAll(evs []graph.Event) error {
	h.events = growEvents(h.events, len(evs))
	h.cum = slices.Grow(h.cum, len(evs))
	for i := range evs {
		if err := h.Append(evs[i]); err != nil {
			return err
		}
	}
	return nil
}

func growEvents(s []graph.Event, n int) []graph.Event {
	if cap(s)-len(s) >= n {
		return s
	}
	out := make([]graph.Event, len(s), len(s)+n)
	copy(out, s)
	return out
}

// Checkpoint takes a checkpoint of the current tip now, e.g. when the user opens the timeline.
func (h *History) Checkpoint() error {
	if h.cps[len(h.cps)-1].idx == len(h.events) {
		return nil
	}
	return h.checkpoint()
}

// index is the number of events at or below version v, checked against the range.
func (h *History) index(v uint64) (int, error) {
	if v < h.base || v > h.Last() {
		return 0, fmt.Errorf("timeline: version %d not in [%d, %d]: %w", v, h.base, h.Last(), ErrVersionOutOfRange)
	}
	return sort.Search(len(h.events), func(i int) bool { return h.events[i].Seq > v }), nil
}

// At returns a new aggregate in the state it had at version v: after the last event with Seq ≤ v.
// The caller owns it. Its nodes and edges share property maps with the recorded events: read-only.
func (h *History) At(v uint64) (*graph.Graph, error) {
	n, err := h.index(v)
	if err != nil {
		return nil, err
	}
	return h.restore(n)
}

// restore rebuilds the state after the first n events.
func (h *History) restore(n int) (*graph.Graph, error) {
	cp := &h.cps[h.checkpointFor(n)]
	g := cp.g.Fork(h.spare.Swap(nil))
	for i := cp.idx; i < n; i++ {
		g.Apply(&h.events[i])
	}
	return g, nil
}

// Recycle hands back a state returned by At (or a Diff's) that its user no longer reads or changes:
// the next restore copies into its tables instead of fresh memory, which the first touch makes
// expensive (a page fault per 4 KiB: on the test VM 12 µs, as much again as the copy). Safe to call
// concurrently with At.
func (h *History) Recycle(g *graph.Graph) {
	if g != nil && g != h.tip {
		h.spare.Store(g)
	}
}

// Stats is the memory the history holds.
type Stats struct {
	Events          int
	EventBytes      int64 // estimated encoded size of the events held
	Checkpoints     int
	CheckpointBytes int64 // estimated bytes of the checkpoint aggregates
	Thinned         int   // checkpoints dropped to keep the budget
	MaxReplayEvents int   // longest run of events between two checkpoints (or after the last)
	MaxReplayBytes  int64 // largest estimated bytes of such a run: the replay cost
}

// Stats reports the memory held and the worst replay length.
func (h *History) Stats() Stats {
	s := Stats{Events: len(h.events), EventBytes: h.cum[len(h.events)].bytes, Checkpoints: len(h.cps), CheckpointBytes: h.cpBytes, Thinned: h.thinned}
	for i := range h.cps {
		end := len(h.events)
		if i+1 < len(h.cps) {
			end = h.cps[i+1].idx
		}
		s.MaxReplayEvents = max(s.MaxReplayEvents, end-h.cps[i].idx)
		s.MaxReplayBytes = max(s.MaxReplayBytes, h.cum[end].bytes-h.cum[h.cps[i].idx].bytes)
	}
	return s
}
