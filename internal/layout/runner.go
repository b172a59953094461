package layout

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Frame is one published set of positions. A frame handed out by Acquire is
// immutable until it is Released; the runner never writes a frame that a
// reader holds.
type Frame struct {
	Step    uint64 // the runner's step count when it was taken
	X, Y, Z []float32

	// refs counts readers; -1 while the runner writes the frame.
	refs atomic.Int32
}

// RunnerConfig configures a Runner.
type RunnerConfig struct {
	Params Params
	// Workers sizes the runner's pool; 0 means GOMAXPROCS. The app may give
	// the layout fewer than all cores so that frames keep theirs.
	Workers int
	// Seed fixes the placement of nodes without placed neighbours.
	Seed uint64
	// Interval is the least time between two steps (0: as fast as it goes).
	Interval time.Duration
}

// RunnerStats are the counters shown in the overlay.
type RunnerStats struct {
	Steps        uint64        // steps taken since NewRunner
	Published    uint64        // frames published
	Nodes        int           // nodes in the current topology
	Settled      bool          // sleeping until the next change
	LastStep     time.Duration // wall time of the last step
	Energy       float64       // Σ|Δp|² of the last step
	Err          error         // last rejected change, if any
	Running      bool
	Workers      int
	Theta        float64
	Interactions int64 // pair interactions in the last step
}

// Runner steps a Layout on its own goroutine, against its own copy of the
// topology, and publishes positions by pointer swap: the render thread
// always reads the last complete step and never waits for one. Changes
// (topology, parameters, force inputs, pins) are queued and applied between
// steps; a settled layout sleeps until the next change.
//
// Three frames rotate: the latest, one a reader may still hold, and one to
// write; with more readers holding old frames a step simply is not
// published.
type Runner struct {
	cfg RunnerConfig

	mu      sync.Mutex // guards pending
	pending pendingChanges
	wake    chan struct{}

	latest atomic.Pointer[Frame]
	frames [3]*Frame

	steps, published atomic.Uint64
	stats            atomic.Pointer[RunnerStats]

	runMu   sync.Mutex // guards cancel and done; never held with mu
	cancel  context.CancelFunc
	done    chan struct{}
	running atomic.Bool
	paused  atomic.Bool

	// owned by the stepping goroutine
	layout     *Layout
	lastInputs *Inputs
}

type pendingChanges struct {
	graphs    []*Graph // applied in order: each Prev refers to the one before
	params    *Params
	inputs    *Inputs
	positions []posChange
	pins      []pinChange
	wake      bool
}

type posChange struct {
	i       int
	x, y, z float32
}

type pinChange struct {
	i  int
	on bool
}

// NewRunner returns a stopped runner with an empty topology.
func NewRunner(cfg RunnerConfig) (*Runner, error) {
	if err := cfg.Params.Validate(); err != nil {
		return nil, err
	}
	if cfg.Workers < 0 || cfg.Interval < 0 {
		return nil, fmt.Errorf("%w: workers %d, interval %v", ErrInvalidParams, cfg.Workers, cfg.Interval)
	}
	r := &Runner{cfg: cfg, wake: make(chan struct{}, 1)}
	for i := range r.frames {
		r.frames[i] = &Frame{}
	}
	r.stats.Store(&RunnerStats{Theta: cfg.Params.Theta})
	return r, nil
}

// Start launches the stepping goroutine; it runs until ctx ends or Stop.
func (r *Runner) Start(ctx context.Context) error {
	r.runMu.Lock()
	defer r.runMu.Unlock()
	if r.done != nil {
		return ErrRunning
	}
	pool := NewPool(r.cfg.Workers)
	if r.layout == nil {
		l, err := New(r.cfg.Params, pool, r.cfg.Seed)
		if err != nil {
			pool.Close()
			return err
		}
		r.layout = l
	} else {
		r.layout.setPool(pool)
	}
	ctx, cancel := context.WithCancel(ctx)
	r.cancel, r.done = cancel, make(chan struct{})
	r.running.Store(true)
	go r.loop(ctx, pool, r.done)
	return nil
}

// Stop ends the stepping goroutine and waits for it. The layout state is
// kept: Start resumes from it.
func (r *Runner) Stop() {
	r.runMu.Lock()
	cancel, done := r.cancel, r.done
	r.runMu.Unlock()
	if done == nil {
		return
	}
	cancel()
	<-done
	r.runMu.Lock()
	r.cancel, r.done = nil, nil
	r.runMu.Unlock()
}

// Done is closed when the goroutine of the current run has ended (nil when
// not started).
func (r *Runner) Done() <-chan struct{} {
	r.runMu.Lock()
	defer r.runMu.Unlock()
	return r.done
}

func (r *Runner) loop(ctx context.Context, pool *Pool, done chan struct{}) {
	defer close(done)
	defer pool.Close()
	defer r.running.Store(false)
	var timer *time.Timer
	if r.cfg.Interval > 0 {
		timer = time.NewTimer(time.Hour)
		timer.Stop()
		defer timer.Stop()
	}
	var lastErr error
	for {
		changed, err := r.applyPending()
		if err != nil {
			lastErr = err
		}
		if changed {
			r.publish()
		}
		l := r.layout
		if ctx.Err() != nil {
			r.updateStats(0, lastErr)
			return
		}
		if l.N() == 0 || l.Settled() || r.paused.Load() {
			r.updateStats(0, lastErr)
			select {
			case <-ctx.Done():
				return
			case <-r.wake:
			}
			continue
		}
		t0 := time.Now()
		l.Step()
		el := time.Since(t0)
		r.steps.Add(1)
		r.publish()
		r.updateStats(el, lastErr)
		if timer != nil && el < r.cfg.Interval {
			timer.Reset(r.cfg.Interval - el)
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
		}
	}
}

// applyPending moves queued changes into the layout. It reports whether
// anything changed and the first error.
func (r *Runner) applyPending() (bool, error) {
	r.mu.Lock()
	p := r.pending
	r.pending = pendingChanges{}
	r.mu.Unlock()
	l := r.layout
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	changed := false
	if p.params != nil {
		keep(l.SetParams(*p.params))
		changed = true
	}
	for _, g := range p.graphs {
		if err := l.SetGraph(*g); err != nil {
			keep(err)
		} else if p.inputs == nil && r.lastInputs != nil {
			// the old inputs still apply if they fit the new node count
			if l.SetInputs(*r.lastInputs) != nil {
				r.lastInputs = nil
			}
		}
		changed = true
	}
	if p.inputs != nil {
		if err := l.SetInputs(*p.inputs); err != nil {
			keep(err)
		} else {
			r.lastInputs = p.inputs
		}
		changed = true
	}
	for _, c := range p.positions {
		keep(l.SetPosition(c.i, c.x, c.y, c.z))
		changed = true
	}
	for _, c := range p.pins {
		keep(l.SetPinned(c.i, c.on))
		changed = true
	}
	if changed || p.wake {
		l.Wake()
	}
	return changed, first
}

func (r *Runner) queue(f func(*pendingChanges)) {
	r.mu.Lock()
	f(&r.pending)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// SetGraph queues a topology snapshot. The runner copies g, so the caller
// may reuse its slices. Surviving nodes keep their positions and new nodes
// start near their neighbours (see Layout.SetGraph); force inputs set before
// are kept if they still fit the node count.
func (r *Runner) SetGraph(g Graph) {
	c := Graph{N: g.N, Src: slices.Clone(g.Src), Dst: slices.Clone(g.Dst),
		Weight: slices.Clone(g.Weight), Prev: slices.Clone(g.Prev)}
	r.queue(func(p *pendingChanges) { p.graphs = append(p.graphs, &c) })
}

// SetParams queues new parameters (weights included); they are validated
// now and applied before the next step.
func (r *Runner) SetParams(p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	r.queue(func(q *pendingChanges) { q.params = &p })
	return nil
}

// SetInputs queues force-term inputs for the current or queued topology.
// The runner keeps in, so the caller must not modify its slices afterwards.
func (r *Runner) SetInputs(in Inputs) {
	r.queue(func(q *pendingChanges) { q.inputs = &in })
}

// SetPosition queues a move of node i (e.g. a drag).
func (r *Runner) SetPosition(i int, x, y, z float32) {
	r.queue(func(q *pendingChanges) { q.positions = append(q.positions, posChange{i, x, y, z}) })
}

// SetPinned queues pinning or freeing node i.
func (r *Runner) SetPinned(i int, on bool) {
	r.queue(func(q *pendingChanges) { q.pins = append(q.pins, pinChange{i, on}) })
}

// Wake makes a settled layout run again without any change.
func (r *Runner) Wake() {
	r.queue(func(q *pendingChanges) { q.wake = true })
}

// SetPaused stops stepping (changes are still applied and published) or resumes it.
func (r *Runner) SetPaused(on bool) {
	r.paused.Store(on)
	if !on {
		r.Wake()
	}
}

// Paused reports whether stepping is paused.
func (r *Runner) Paused() bool { return r.paused.Load() }

// publish copies the layout's positions into a free frame and swaps it in.
func (r *Runner) publish() {
	cur := r.latest.Load()
	var f *Frame
	for _, c := range r.frames {
		if c != cur && c.refs.CompareAndSwap(0, -1) {
			f = c
			break
		}
	}
	if f == nil {
		return // every other frame is held by a reader; skip this one
	}
	x, y, z := r.layout.Positions()
	f.X = append(f.X[:0], x...)
	f.Y = append(f.Y[:0], y...)
	f.Z = append(f.Z[:0], z...)
	f.Step = r.steps.Load()
	f.refs.Store(0)
	r.latest.Store(f)
	r.published.Add(1)
}

// Acquire returns the latest complete frame, or nil before the first one.
// The caller must Release it; until then the runner leaves it alone.
func (r *Runner) Acquire() *Frame {
	for {
		f := r.latest.Load()
		if f == nil {
			return nil
		}
		if n := f.refs.Load(); n >= 0 && f.refs.CompareAndSwap(n, n+1) {
			return f
		}
	}
}

// Release returns a frame obtained from Acquire.
func (r *Runner) Release(f *Frame) {
	if f != nil {
		f.refs.Add(-1)
	}
}

// CopyPositions copies the latest frame into dst as interleaved x,y,z
// (growing dst as needed) and returns it with the frame's step.
func (r *Runner) CopyPositions(dst []float32) ([]float32, uint64) {
	f := r.Acquire()
	if f == nil {
		return dst[:0], 0
	}
	defer r.Release(f)
	n := len(f.X)
	dst = grow(dst, 3*n)
	for i := range n {
		dst[3*i], dst[3*i+1], dst[3*i+2] = f.X[i], f.Y[i], f.Z[i]
	}
	return dst, f.Step
}

// Steps returns the number of steps taken; cheap enough for every frame.
func (r *Runner) Steps() uint64 { return r.steps.Load() }

// Stats returns the latest counters.
func (r *Runner) Stats() RunnerStats {
	s := *r.stats.Load()
	s.Steps = r.steps.Load()
	s.Published = r.published.Load()
	s.Running = r.running.Load()
	return s
}

// updateStats publishes the counters; it allocates one small struct, which
// is the runner's, not the kernel's, and only when a step was taken.
func (r *Runner) updateStats(step time.Duration, err error) {
	l := r.layout
	prev := r.stats.Load()
	s := &RunnerStats{
		Nodes: l.N(), Settled: l.Settled() || l.N() == 0, LastStep: step, Energy: l.Energy(),
		Err: err, Workers: l.pool.Workers(), Theta: l.p.Theta, Interactions: l.Interactions(),
	}
	if step == 0 {
		s.LastStep = prev.LastStep
	}
	r.stats.Store(s)
}
