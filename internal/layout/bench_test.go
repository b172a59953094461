package layout

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"testing"

	"gonum.org/v1/gonum/spatial/barneshut"
	"gonum.org/v1/gonum/spatial/r3"
)

// benchGraphs caches the generated graphs across benchmark sizes.
var benchGraphs sync.Map

func benchGraph(b *testing.B, n int) (src, dst []int32) {
	if v, ok := benchGraphs.Load(n); ok {
		g := v.([2][]int32)
		return g[0], g[1]
	}
	src, dst, err := BarabasiAlbert(n, 2, 42)
	if err != nil {
		b.Fatal(err)
	}
	benchGraphs.Store(n, [2][]int32{src, dst})
	return src, dst
}

func benchLayout(b *testing.B, n int, theta float64, warm int) *Layout {
	src, dst := benchGraph(b, n)
	p := DefaultParams()
	p.Theta = theta
	pool := NewPool(0)
	b.Cleanup(pool.Close)
	l, err := New(p, pool, 1)
	if err != nil {
		b.Fatal(err)
	}
	if err := l.SetGraph(Graph{N: n, Src: src, Dst: dst}); err != nil {
		b.Fatal(err)
	}
	for range warm {
		l.Step()
	}
	return l
}

// BenchmarkStep times one full step (tree, repulsion, springs, gravity,
// speed, move) on the seeded Barabási–Albert m=2 graph. Run it with
// -cpu 2 for the GOMAXPROCS=2 figure.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		if n > 100_000 && testing.Short() {
			continue
		}
		b.Run(fmt.Sprintf("nodes=%d/theta=0.8", n), func(b *testing.B) {
			l := benchLayout(b, n, 0.8, 10)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			for b.Loop() {
				l.Step()
			}
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(l.Interactions())/float64(n), "interactions/node")
			b.ReportMetric(float64(l.pool.Workers()), "workers")
		})
	}
}

// gonumStep is the reference: one step of the same model with the tree from
// gonum's spatial/barneshut (Volume, Particle3), the tree walk spread over
// GOMAXPROCS goroutines like ours (ForceOn is safe for concurrent use),
// and the same springs, gravity and plain move as plain loops.
type gonumStep struct {
	x, y, z    []float32
	fx, fy, fz []float32
	bodies     []body
	particles  []barneshut.Particle3
	adj        csr
	theta      float64
	vol        *barneshut.Volume
}

func newGonumStep(b *testing.B, l *Layout, theta float64) *gonumStep {
	x, y, z := l.Positions()
	n := len(x)
	g := &gonumStep{
		x: append([]float32(nil), x...), y: append([]float32(nil), y...), z: append([]float32(nil), z...),
		fx: make([]float32, n), fy: make([]float32, n), fz: make([]float32, n),
		bodies: make([]body, n), particles: make([]barneshut.Particle3, n), adj: l.adj, theta: theta,
	}
	for i := range g.bodies {
		g.bodies[i].m = float64(l.mass[i])
		g.particles[i] = &g.bodies[i]
	}
	return g
}

func (g *gonumStep) step(b *testing.B, workers int) {
	for i := range g.bodies {
		g.bodies[i].p = r3.Vec{X: float64(g.x[i]), Y: float64(g.y[i]), Z: float64(g.z[i])}
	}
	if g.vol == nil {
		v, err := barneshut.NewVolume(g.particles)
		if err != nil {
			b.Fatal(err)
		}
		g.vol = v
	} else if err := g.vol.Reset(); err != nil {
		b.Fatal(err)
	}
	n := len(g.x)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				f := g.vol.ForceOn(g.particles[i], g.theta, faForce)
				g.fx[i], g.fy[i], g.fz[i] = 2*float32(f.X), 2*float32(f.Y), 2*float32(f.Z)
			}
		})
	}
	wg.Wait()
	for i := range n {
		px, py, pz := g.x[i], g.y[i], g.z[i]
		fx, fy, fz := g.fx[i], g.fy[i], g.fz[i]
		for e := g.adj.off[i]; e < g.adj.off[i+1]; e++ {
			j := g.adj.nbr[e]
			fx, fy, fz = fx+g.x[j]-px, fy+g.y[j]-py, fz+g.z[j]-pz
		}
		d := float32(math.Sqrt(float64(px*px + py*py + pz*pz)))
		if d > 0 {
			m := float32(g.bodies[i].m) / d
			fx, fy, fz = fx-m*px, fy-m*py, fz-m*pz
		}
		const speed = 0.01
		g.x[i], g.y[i], g.z[i] = px+speed*fx, py+speed*fy, pz+speed*fz
	}
}

// BenchmarkGonumReference times gonum's Barnes-Hut on the same graph, the
// same positions and the same θ as BenchmarkStep, for the speed ratio.
func BenchmarkGonumReference(b *testing.B) {
	for _, n := range []int{100_000} {
		b.Run(fmt.Sprintf("nodes=%d/theta=0.8", n), func(b *testing.B) {
			l := benchLayout(b, n, 0.8, 10)
			g := newGonumStep(b, l, 0.8)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			for b.Loop() {
				g.step(b, runtime.GOMAXPROCS(0))
			}
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

func TestBenchFunction(t *testing.T) {
	r, err := Bench(context.Background(), 2000, 2, 0.8, 2, 2, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Nodes != 2000 || r.Edges != 3997 || r.Steps != 3 || !(r.MsPerStep > 0) || r.Workers != 2 {
		t.Errorf("unexpected result %+v", r)
	}
	x, y, z, err := Run(context.Background(), Graph{N: 3, Src: []int32{0, 1}, Dst: []int32{1, 2}}, 20, DefaultParams(), 1)
	if err != nil || len(x) != 3 || len(y) != 3 || len(z) != 3 {
		t.Fatalf("Run: %v %d", err, len(x))
	}
	if _, _, _, err := Run(context.Background(), Graph{N: 2, Src: []int32{0}, Dst: []int32{5}}, 1, DefaultParams(), 1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Run with a bad edge: %v", err)
	}
}
