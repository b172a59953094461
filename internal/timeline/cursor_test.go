package timeline

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// TestCursorMatchesAt: a cursor moved at random — forward and backward, by small steps and long
// jumps, onto sequence gaps — shows at every stop the state of At and of a fresh replay.
func TestCursorMatchesAt(t *testing.T) {
	evs := genHistory(11, smallSpec)
	for name, opt := range map[string]Options{
		"dense":   {EveryEvents: 37},
		"thinned": {EveryEvents: 20, Budget: 1_200_000},
		"base":    {EveryEvents: 1 << 30, EveryBytes: 1 << 40},
	} {
		t.Run(name, func(t *testing.T) {
			h := build(t, evs, opt)
			c := h.Cursor()
			rng := rand.New(rand.NewPCG(12, 13))
			v := uint64(0)
			for step := range 150 {
				switch r := rng.IntN(10); {
				case r < 4: // drag forward
					v = min(h.Last(), v+rng.Uint64N(30))
				case r < 6: // drag backward
					v -= min(v, rng.Uint64N(30))
				case r < 7:
					v = h.Last()
				default: // jump
					v = rng.Uint64N(h.Last() + 1)
				}
				g, err := c.Seek(v)
				if err != nil {
					t.Fatalf("step %d: Seek(%d): %v", step, v, err)
				}
				want, err := h.At(v)
				if err != nil {
					t.Fatal(err)
				}
				if !same(t, g, want) || !same(t, g, replay(evs, v)) {
					t.Fatalf("step %d: Seek(%d) differs from At (nodes %d/%d edges %d/%d)", step, v,
						g.NodeCount(), want.NodeCount(), g.EdgeCount(), want.EdgeCount())
				}
			}
		})
	}
}

// TestCursorForwardReplaysOnly: dragging forward restores once, then replays exactly the events
// passed; a step back restores from a checkpoint.
func TestCursorForwardReplaysOnly(t *testing.T) {
	evs := genHistory(14, smallSpec)
	h := build(t, evs, Options{EveryEvents: 50})
	c := h.Cursor()
	start := 100
	if _, err := c.Seek(evs[start].Seq); err != nil {
		t.Fatal(err)
	}
	replayed := c.replayed
	for i := start + 3; i < len(evs); i += 3 {
		if c.NeedsRestore(evs[i].Seq) {
			t.Fatalf("a step forward to event %d needs a restore", i)
		}
		if _, err := c.Seek(evs[i].Seq); err != nil {
			t.Fatal(err)
		}
	}
	last := len(evs) - 1 - (len(evs)-1-start)%3
	if c.restores != 1 || c.replayed-replayed != last-start {
		t.Fatalf("forward drag: %d restores, %d events replayed; want 1 and %d", c.restores, c.replayed-replayed, last-start)
	}
	if !c.NeedsRestore(evs[last-1].Seq) || c.NeedsRestore(h.Last()+1) {
		t.Fatal("NeedsRestore: a step back needs one, a version out of range does not")
	}
	before := c.g
	g, err := c.Seek(evs[last-1].Seq)
	if err != nil || c.restores != 2 || !same(t, g, replay(evs, evs[last-1].Seq)) {
		t.Fatalf("step back: %v, %d restores", err, c.restores)
	}
	// A restore replaces the aggregate: the one the frame may still be drawing is left as it was.
	if before == g || !same(t, before, replay(evs, evs[last].Seq)) {
		t.Fatal("a restoring Seek changed the previous aggregate")
	}
	// Appends after the cursor was made are reachable by a forward move.
	h2 := build(t, evs[:2000], Options{EveryEvents: 50})
	c2 := h2.Cursor()
	if _, err := c2.Seek(h2.Last()); err != nil {
		t.Fatal(err)
	}
	if err := h2.AppendAll(evs[2000:]); err != nil {
		t.Fatal(err)
	}
	g, err = c2.Seek(h2.Last())
	if err != nil || !same(t, g, replay(evs, h2.Last())) {
		t.Fatalf("seek past the old end: %v", err)
	}
}

// TestCursorLongJumpRestores: a jump far forward starts from the checkpoint below the target rather
// than replaying thousands of events.
func TestCursorLongJumpRestores(t *testing.T) {
	evs := genHistory(15, smallSpec)
	h := build(t, evs, Options{EveryEvents: 50})
	c := h.Cursor()
	if !c.NeedsRestore(evs[10].Seq) {
		t.Fatal("the first Seek needs a restore")
	}
	if _, err := c.Seek(evs[10].Seq); err != nil {
		t.Fatal(err)
	}
	if !c.NeedsRestore(h.Last()) {
		t.Fatal("a long jump forward should restore")
	}
	g, err := c.Seek(h.Last())
	if err != nil || !same(t, g, replay(evs, h.Last())) {
		t.Fatal(err)
	}
	if c.restores != 2 || c.replayed >= len(evs)-10 {
		t.Fatalf("long jump: %d restores, %d replayed", c.restores, c.replayed)
	}
}

// TestCursorBadVersion: a version out of range is an error and the cursor stays where it was.
func TestCursorBadVersion(t *testing.T) {
	evs := genHistory(16, smallSpec)
	h := build(t, evs, Options{EveryEvents: 100})
	c := h.Cursor()
	v := evs[700].Seq
	g, err := c.Seek(v)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Seek(h.Last() + 1); !errors.Is(err, ErrVersionOutOfRange) {
		t.Fatalf("Seek past the end = %v, want ErrVersionOutOfRange", err)
	}
	again, err := c.Seek(v)
	if err != nil || again != g || c.restores != 1 || !same(t, again, replay(evs, v)) {
		t.Fatalf("cursor moved by a failed seek: %v", err)
	}
}

// TestConcurrentReaders: At, Diff and cursors read the history from several goroutines at once
// (run with -race): the contract the History doc gives the app.
func TestConcurrentReaders(t *testing.T) {
	evs := genHistory(17, smallSpec)
	h := build(t, evs, Options{EveryEvents: 40})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 18))
			c := h.Cursor()
			for range 20 {
				v := rng.Uint64N(h.Last() + 1)
				var g *graph.Graph
				var err error
				if w%2 == 0 {
					g, err = c.Seek(v)
				} else {
					g, err = h.At(v)
					if err == nil {
						_, err = h.Diff(v, h.Last())
					}
				}
				if err == nil && !same(t, g, replay(evs, v)) {
					err = errors.New("state differs from replay")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
