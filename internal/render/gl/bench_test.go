package gl_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/render"
	rgl "github.com/infoalchemist/alchemist/internal/render/gl"
)

// BenchmarkFrame draws one full frame (positions re-uploaded, nodes, edges, MSAA resolve) headless and
// waits for the GPU, at 1280×800 — the figure docs/benchmarks.md records.
func BenchmarkFrame(b *testing.B) {
	for _, size := range []struct {
		name         string
		nodes, edges int
	}{{"100K_nodes_200K_edges", 100_000, 200_000}} {
		b.Run(size.name, func(b *testing.B) {
			s := openSurface(b, true)
			info, err := rgl.Init(s.ProcAddress, false)
			if err != nil {
				b.Fatal(err)
			}
			r, err := rgl.New(info, rgl.Options{Samples: 4, Headless: true})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			scene := randomScene(size.nodes, size.edges)
			cam := render.NewCamera()
			cam.Fit(render.BoundsOf(scene.Positions), 1280.0/800)
			if err := r.BeginFrame(1280, 800); err != nil {
				b.Fatal(err)
			}
			r.DrawScene(scene, &cam)
			r.Finish()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				scene.Positions[0] += 1e-6 // the layout moves nodes every frame
				r.DrawScene(scene, &cam)
				r.Finish()
			}
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/frame")
			b.Logf("%s: %s", info.Renderer, size.name)
		})
	}
}

func randomScene(nodes, edges int) *render.Scene {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &render.Scene{
		Positions: make([]float32, 3*nodes), Radii: make([]float32, nodes), Colors: make([]uint32, nodes),
		Edges: make([]uint32, 2*edges), Version: 1, EdgeColor: [4]float32{0.7, 0.7, 0.8, 0.25},
	}
	for i := range s.Positions {
		s.Positions[i] = float32(rng.NormFloat64() * 100)
	}
	for i := range nodes {
		s.Radii[i] = 1
		s.Colors[i] = render.Palette[i%len(render.Palette)]
	}
	for i := range s.Edges {
		s.Edges[i] = uint32(rng.IntN(nodes))
	}
	return s
}
