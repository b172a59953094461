package layout

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
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
			l := benchLayout(b, n, 0.8, 3)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				l.Step()
			}
			b.ReportMetric(float64(l.Interactions())/float64(n), "interactions/node")
			b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
		})
	}
}
