package timeline

import "github.com/infoalchemist/alchemist/internal/graph"

// Cursor scrubs a [History]: it keeps one working aggregate of its own and moves it to each version
// asked for. A move forward replays only the events in between (dragging right or playing: no clone,
// microseconds per event); a move backward — or a jump so far forward that a later checkpoint is
// cheaper to start from — clones the nearest checkpoint at or below the target and replays from there,
// the cost of [History.At].
//
// The aggregate Seek returns belongs to the cursor: it is valid until the next Seek, which changes it
// in place or replaces it. Read it, never change it, and clone it (graph.Graph.Clone) or call
// [History.At] to keep a version. Like the values of At, its nodes and edges share property maps
// with the recorded events.
//
// A Seek that replays forward changes the aggregate in place; a Seek that restores (a move back, a long
// jump) replaces it with a fresh one and leaves the old one as it was, so a frame may keep drawing the
// old state while a worker restores: ask [Cursor.NeedsRestore], take the cheap moves on the frame and
// hand the others to a worker, calling nothing on the cursor until the worker is done.
//
// A Cursor is not safe for concurrent use; it reads the history, so it follows the history's rules
// (see [History]): Seek may run alongside other readers, not alongside Append. Drop the cursor to free
// its aggregate (as much memory as one checkpoint of the state it shows).
type Cursor struct {
	h *History
	g *graph.Graph // the working state, nil before the first Seek
	n int          // g is the state after the first n events

	restores int // clones from a checkpoint, for tests and benchmarks
	replayed int // events applied
}

// Cursor returns a new cursor on h, positioned nowhere: the first Seek restores from a checkpoint.
func (h *History) Cursor() *Cursor { return &Cursor{h: h} }

// Seek moves the cursor to version v and returns the state at v: after the last event with Seq ≤ v.
// The result is the cursor's and is valid until the next Seek. A version outside [First, Last] is
// ErrVersionOutOfRange and leaves the cursor where it was.
func (c *Cursor) Seek(v uint64) (*graph.Graph, error) {
	n, err := c.h.index(v)
	if err != nil {
		return nil, err
	}
	if c.needsRestore(n) {
		cp := &c.h.cps[c.h.checkpointFor(n)]
		c.g, c.n = cp.g.Fork(nil), cp.idx // shares the checkpoint's id indexes; the old state stays as it was
		c.restores++
	}
	for ; c.n < n; c.n++ {
		c.g.Apply(&c.h.events[c.n])
		c.replayed++
	}
	return c.g, nil
}

// NeedsRestore reports whether Seek(v) would clone a checkpoint (a move back, a long jump forward,
// the first Seek) rather than replay forward from the cursor's position: the frame can take the
// cheap moves itself and send the others to a worker. It is false for a version out of range.
func (c *Cursor) NeedsRestore(v uint64) bool {
	n, err := c.h.index(v)
	if err != nil {
		return false
	}
	return c.needsRestore(n)
}

func (c *Cursor) needsRestore(n int) bool { return c.g == nil || n < c.n || c.restoreCheaper(n) }

// restoreCheaper reports whether reaching n (ahead of the cursor) from the checkpoint below n costs
// less than replaying from where the cursor is — a long jump forward — with the clone's fresh memory
// weighed in: the replay allocates nothing.
func (c *Cursor) restoreCheaper(n int) bool {
	cp := c.h.checkpointFor(n)
	if c.h.cps[cp].idx <= c.n {
		return false
	}
	return c.h.restoreCost(cp, n)+freshMemory*cloneNsPerByte*float64(c.h.cps[cp].bytes) < c.h.replayCost(c.n, n)
}
