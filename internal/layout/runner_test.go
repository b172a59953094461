package layout

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func smallGraph(t *testing.T) Graph {
	t.Helper()
	src, dst, _, err := PlantedPartition(4, 50, 6, 0.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	return Graph{N: 200, Src: src, Dst: dst}
}

func TestRunnerPublishesSettlesAndWakes(t *testing.T) {
	r, err := NewRunner(RunnerConfig{Params: DefaultParams(), Workers: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	if err := r.Start(ctx); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Start: got %v, want ErrRunning", err)
	}
	g := smallGraph(t)
	r.SetGraph(g)
	waitFor(t, "settling", 20*time.Second, func() bool { s := r.Stats(); return s.Settled && s.Steps > 0 })

	// asleep: the step count stays put
	s0 := r.Steps()
	time.Sleep(50 * time.Millisecond)
	if s1 := r.Steps(); s1 != s0 {
		t.Fatalf("settled runner kept stepping: %d → %d", s0, s1)
	}
	f := r.Acquire()
	if f == nil || len(f.X) != g.N || len(f.Y) != g.N || len(f.Z) != g.N {
		t.Fatalf("frame: %+v", f)
	}
	if f.Step != s0 {
		t.Errorf("frame of step %d, runner at %d", f.Step, s0)
	}
	ax, ay, az := f.X[0], f.Y[0], f.Z[0]
	r.Release(f)

	// a new node linked to node 0 wakes the layout and starts near node 0
	g2 := g
	g2.N = g.N + 1
	g2.Src = append(append([]int32(nil), g.Src...), int32(g.N))
	g2.Dst = append(append([]int32(nil), g.Dst...), 0)
	r.SetGraph(g2)
	waitFor(t, "the new node", 5*time.Second, func() bool {
		f := r.Acquire()
		defer r.Release(f)
		return f != nil && len(f.X) == g2.N
	})
	waitFor(t, "waking", 5*time.Second, func() bool { return r.Steps() > s0 })
	buf, _ := r.CopyPositions(nil)
	if len(buf) != 3*g2.N {
		t.Fatalf("CopyPositions: %d floats", len(buf))
	}
	nx, ny, nz := buf[3*g.N], buf[3*g.N+1], buf[3*g.N+2]
	d := math.Sqrt(float64((nx-ax)*(nx-ax) + (ny-ay)*(ny-ay) + (nz-az)*(nz-az)))
	radius := layoutRadius(buf)
	t.Logf("new node at %.3g from its neighbour; layout RMS radius %.3g", d, radius)
	if d > radius/2 {
		t.Errorf("new node %.3g from its neighbour, radius %.3g: not placed near it", d, radius)
	}
	st := r.Stats()
	if st.Nodes != g2.N || st.Err != nil || !st.Running {
		t.Errorf("stats: %+v", st)
	}
}

func layoutRadius(xyz []float32) float64 {
	n := len(xyz) / 3
	var c [3]float64
	for i := range n {
		for k := range 3 {
			c[k] += float64(xyz[3*i+k])
		}
	}
	var s float64
	for i := range n {
		for k := range 3 {
			d := float64(xyz[3*i+k]) - c[k]/float64(n)
			s += d * d
		}
	}
	return math.Sqrt(s / float64(n))
}

// TestRunnerConcurrentReaders hammers Acquire/Release from several
// goroutines while the runner steps and the topology changes; run with
// -race it checks the frame hand-off.
func TestRunnerConcurrentReaders(t *testing.T) {
	p := DefaultParams()
	p.MinSteps = 1 << 30 // never settle: keep publishing
	r, err := NewRunner(RunnerConfig{Params: p, Workers: 2, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := smallGraph(t)
	r.SetGraph(g)
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var bad sync.Map
	for k := range 4 {
		wg.Go(func() {
			var buf []float32
			for {
				select {
				case <-stop:
					return
				default:
				}
				if k%2 == 0 {
					f := r.Acquire()
					if f != nil {
						if len(f.X) != len(f.Y) || len(f.Y) != len(f.Z) {
							bad.Store("ragged frame", true)
						}
						var s float32
						for i := range f.X {
							s += f.X[i] + f.Y[i] + f.Z[i]
						}
						if s != s {
							bad.Store("NaN in frame", true)
						}
					}
					r.Release(f)
				} else {
					buf, _ = r.CopyPositions(buf)
				}
			}
		})
	}
	waitFor(t, "steps", 10*time.Second, func() bool { return r.Steps() > 20 })
	// grow, then drop node 0 (Prev remaps), while readers run
	g2 := Graph{N: g.N + 10, Src: g.Src, Dst: g.Dst}
	r.SetGraph(g2)
	prev := make([]int32, g2.N-1)
	for i := range prev {
		prev[i] = int32(i + 1)
	}
	r.SetGraph(Graph{N: g2.N - 1, Prev: prev})
	r.SetPinned(3, true)
	r.SetPosition(3, 0, 0, 0)
	if err := r.SetParams(p); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the last topology", 10*time.Second, func() bool {
		f := r.Acquire()
		defer r.Release(f)
		return f != nil && len(f.X) == g2.N-1
	})
	s := r.Steps()
	waitFor(t, "more steps", 10*time.Second, func() bool { return r.Steps() > s+5 })
	f := r.Acquire()
	if f.X[3] != 0 || f.Y[3] != 0 || f.Z[3] != 0 {
		t.Errorf("pinned node moved to (%v,%v,%v)", f.X[3], f.Y[3], f.Z[3])
	}
	r.Release(f)
	close(stop)
	wg.Wait()
	bad.Range(func(k, _ any) bool { t.Error(k); return true })
	r.Stop() // returns once the goroutine has ended
	if r.Stats().Running {
		t.Error("still running after Stop")
	}
	if err := r.Stats().Err; err != nil {
		t.Errorf("rejected change: %v", err)
	}
}

func TestRunnerStopsWithContext(t *testing.T) {
	r, err := NewRunner(RunnerConfig{Params: DefaultParams(), Workers: 1, Interval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.SetGraph(smallGraph(t))
	waitFor(t, "a step", 5*time.Second, func() bool { return r.Steps() > 0 })
	done := r.Done()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("runner did not stop with its context")
	}
	r.Stop()
	// restart resumes from the same layout
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.Wake()
	n := r.Steps()
	waitFor(t, "steps after restart", 5*time.Second, func() bool { return r.Steps() > n })
	r.Stop()
}

// TestStepAllocatesNothing is the zero-allocation rule, with every extra
// term active and a parallel pool.
func TestStepAllocatesNothing(t *testing.T) {
	src, dst, comm, err := PlantedPartition(5, 200, 6, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	p := DefaultParams()
	p.Damping = 0.3
	p.MaxDisplacement = 10
	p.Weights = Weights{Similarity: 1, Category: 1, Temporal: 1, Coalition: 1, Competition: 1, Utility: 1}
	pool := NewPool(2)
	defer pool.Close()
	l, err := New(p, pool, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := 1000
	if err := l.SetGraph(Graph{N: n, Src: src, Dst: dst}); err != nil {
		t.Fatal(err)
	}
	times := make([]float64, n)
	gx, gy, gz := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range times {
		times[i] = float64(i % 97)
		gx[i] = 1
	}
	a, b := randomPairs(n, 300, 4)
	in := Inputs{SimA: a, SimB: b, Category: comm, Time: times, TimeWindow: 10, Coalition: comm,
		CompA: b, CompB: a, GradX: gx, GradY: gy, GradZ: gz,
		Field: UtilityField{X: []float32{1}, Y: []float32{2}, Z: []float32{3}, Amp: []float32{5}, Width: []float32{10}}}
	if err := l.SetInputs(in); err != nil {
		t.Fatal(err)
	}
	if err := l.SetPinned(5, true); err != nil {
		t.Fatal(err)
	}
	l.Step()
	l.Step()
	if allocs := testing.AllocsPerRun(20, l.Step); allocs != 0 {
		t.Errorf("Step allocates %v times", allocs)
	}
}

func TestSetGraphKeepsPositionsAndPlacesNewNodes(t *testing.T) {
	l, err := New(DefaultParams(), nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := smallGraph(t)
	if err := l.SetGraph(g); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		l.Step()
	}
	x, y, z := l.Positions()
	x5, y5, z5 := x[5], y[5], z[5]
	r := float64(l.radius())
	// node 200 hangs off node 5, node 201 off node 200 only (second sweep)
	g2 := Graph{N: g.N + 2, Src: append(append([]int32(nil), g.Src...), 200, 201), Dst: append(append([]int32(nil), g.Dst...), 5, 200)}
	if err := l.SetGraph(g2); err != nil {
		t.Fatal(err)
	}
	x, y, z = l.Positions()
	if x[5] != x5 || y[5] != y5 || z[5] != z5 {
		t.Fatal("existing node moved on SetGraph")
	}
	for _, i := range []int{200, 201} {
		d := math.Sqrt(float64((x[i]-x5)*(x[i]-x5) + (y[i]-y5)*(y[i]-y5) + (z[i]-z5)*(z[i]-z5)))
		if d > r/3 {
			t.Errorf("node %d placed %.3g from node 5 (radius %.3g)", i, d, r)
		}
	}
	// Prev: drop node 0, keep the rest
	prev := make([]int32, g2.N-1)
	for i := range prev {
		prev[i] = int32(i + 1)
	}
	if err := l.SetGraph(Graph{N: g2.N - 1, Prev: prev}); err != nil {
		t.Fatal(err)
	}
	x, _, _ = l.Positions()
	if x[4] != x5 {
		t.Error("Prev did not carry node 5 to index 4")
	}
	if err := l.SetGraph(Graph{N: 2, Prev: []int32{0, 500}}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("bad Prev: got %v", err)
	}
}
