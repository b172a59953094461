package layout

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// RangeFunc processes the half-open index range [lo, hi) on behalf of worker w
// (0 <= w < Pool.Workers()). Each worker owns its scratch slot w, so a
// RangeFunc may write per-worker partial results without synchronisation.
type RangeFunc func(w, lo, hi int)

// Pool is an explicit, caller-owned worker pool. It is the only place the
// layout kernel runs code on other goroutines: the caller creates it, the
// caller closes it. The calling goroutine always works as worker 0, so a pool
// of size 1 starts no goroutine at all.
//
// Work is handed out in chunks claimed with an atomic counter rather than
// split statically: the machines this runs on are shared and a statically
// split phase finishes only when its slowest worker does.
type Pool struct {
	workers int
	start   []chan struct{}
	done    sync.WaitGroup

	// The job being run; written by Run before the workers are released
	// (the channel send orders it) and read-only while they run.
	fn    RangeFunc
	n     int
	chunk int
	next  atomic.Int64

	mu     sync.Mutex // serialises Run and Close
	closed bool
}

// NewPool returns a pool of the given number of workers; workers <= 0 means
// runtime.GOMAXPROCS(0). It starts workers-1 goroutines, which live until
// Close.
func NewPool(workers int) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pool{workers: workers, start: make([]chan struct{}, workers-1)}
	for i := range p.start {
		ch := make(chan struct{})
		p.start[i] = ch
		go p.loop(i+1, ch)
	}
	return p
}

// Workers returns the number of workers including the caller.
func (p *Pool) Workers() int {
	if p == nil {
		return 1
	}
	return p.workers
}

func (p *Pool) loop(w int, start chan struct{}) {
	for range start {
		p.drain(w)
		p.done.Done()
	}
}

func (p *Pool) drain(w int) {
	n, chunk := int64(p.n), int64(p.chunk)
	for {
		lo := p.next.Add(chunk) - chunk
		if lo >= n {
			return
		}
		hi := min(lo+chunk, n)
		p.fn(w, int(lo), int(hi))
	}
}

// Run calls fn over [0, n) in chunks of the given size and returns when all
// of it is done. It does not allocate. A nil pool runs fn serially as worker 0.
func (p *Pool) Run(fn RangeFunc, n, chunk int) {
	if n <= 0 {
		return
	}
	if chunk <= 0 {
		chunk = 1
	}
	if p == nil || p.workers == 1 || n <= chunk {
		fn(0, 0, n)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		fn(0, 0, n)
		return
	}
	p.fn, p.n, p.chunk = fn, n, chunk
	p.next.Store(0)
	p.done.Add(len(p.start))
	for _, ch := range p.start {
		ch <- struct{}{}
	}
	p.drain(0)
	p.done.Wait()
	p.fn = nil
}

// Close stops the pool's goroutines. Run after Close runs serially.
func (p *Pool) Close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	for _, ch := range p.start {
		close(ch)
	}
}
