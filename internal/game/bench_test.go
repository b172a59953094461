package game

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// nondegenerate draws random games from a fixed seed until one is
// nondegenerate (large payoff range: almost always the first).
func nondegenerate(b *testing.B, m, n int) *Bimatrix {
	rng := rand.New(rand.NewPCG(2026, uint64(m*100+n)))
	for {
		g := randomBimatrix(rng, m, n, 1000)
		vr, err := g.VertexEnumeration()
		if err != nil {
			b.Fatal(err)
		}
		if !vr.Degenerate {
			return g
		}
	}
}

func BenchmarkAllEquilibria(b *testing.B) {
	for _, size := range []int{4, 6, 8} {
		g := nondegenerate(b, size, size)
		b.Run(fmt.Sprintf("vertex/%dx%d", size, size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.VertexEnumeration(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("support/%dx%d", size, size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.SupportEnumeration(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLemkeHowson(b *testing.B) {
	for _, size := range []int{8, 20, 50} {
		rng := rand.New(rand.NewPCG(7, uint64(size)))
		g := randomBimatrix(rng, size, size, 1000)
		b.Run(fmt.Sprintf("%dx%d", size, size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.LemkeHowson(0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkShapley(b *testing.B) {
	for _, n := range []int{10, 15, 20} {
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		g := randomTable(rng, n, 1000, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Shapley(g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	g := WeightedMajority{Quota: 51, Weights: make([]int64, 60)}
	for i := range g.Weights {
		g.Weights[i] = int64(1 + i%3)
	}
	b.Run("sample/n=60/1000orders", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ShapleySample(g, 1000, 0.95, rand.New(rand.NewPCG(1, 2))); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkNucleolus(b *testing.B) {
	for _, n := range []int{4, 6, 8} {
		rng := rand.New(rand.NewPCG(3, uint64(n)))
		g := randomTable(rng, n, 1000, 1)
		// Worth grows like |S|², so the imputation set is non-empty.
		for s := 1; s < len(g.v); s++ {
			k := int64(Coalition(s).Size())
			g.v[s].SetInt64(k*k*100 + rng.Int64N(100))
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Nucleolus(g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCore(b *testing.B) {
	for _, n := range []int{6, 10} {
		rng := rand.New(rand.NewPCG(4, uint64(n)))
		g := randomTable(rng, n, 1000, 1)
		b.Run(fmt.Sprintf("exact/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Core(g); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("float/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := CoreFloat(g, 1e-9); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPureNash(b *testing.B) {
	for _, exact := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(5, 5))
		g := randomGame(rng, []int{8, 8, 8, 8}, 100, exact)
		b.Run(fmt.Sprintf("4x8^4/exact=%v", exact), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				g.pureNashMask()
			}
		})
	}
}

func BenchmarkReplicatorStep(b *testing.B) {
	const k = 16
	A := make([]float64, k*k)
	rng := rand.New(rand.NewPCG(6, 6))
	for i := range A {
		A[i] = rng.Float64()
	}
	r, _ := NewReplicator(k, A)
	x := make([]float64, k)
	for i := range x {
		x[i] = 1.0 / k
	}
	b.ReportAllocs()
	for b.Loop() {
		r.Step(x, 0.01)
	}
}
