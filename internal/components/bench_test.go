package components

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// benchWorld builds n nodes with a point each in an 8-dimension space (2 domains × 4) and
// coalitions of 10, through the commands.
func benchWorld(b *testing.B, n int) (*graph.Graph, map[string]int32) {
	b.Helper()
	w := newWorld(b)
	def := `{"domains":[{"name":"a","dimensions":[{"name":"a0"},{"name":"a1"},{"name":"a2"},{"name":"a3"}]},` +
		`{"name":"b","dimensions":[{"name":"b0"},{"name":"b1"},{"name":"b2"},{"name":"b3","kind":"circular","range":[0,1]}]}]}`
	w.must(&graph.DefineSpace{ID: "s", Definition: json.RawMessage(def)})
	rng := rand.New(rand.NewPCG(1, 1))
	rows := make(map[string]int32, n)
	names := []string{"a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"}
	for lo := 0; lo < n; lo += graph.MaxBatch {
		hi := min(lo+graph.MaxBatch, n)
		ns := make([]graph.Node, 0, hi-lo)
		pts := make([]graph.NodePoint, 0, hi-lo)
		for i := lo; i < hi; i++ {
			id := fmt.Sprintf("n%d", i)
			rows[id] = int32(i)
			ns = append(ns, graph.Node{ID: id})
			c := graph.Coordinates{}
			for _, d := range names {
				c[d] = rng.Float64()
			}
			pts = append(pts, graph.NodePoint{ID: id, Coordinates: c})
		}
		w.must(&graph.AddNodes{Nodes: ns})
		w.must(&graph.SetCoordinates{Space: "s", Points: pts})
	}
	for k := 0; k+10 <= min(n, 2000); k += 10 {
		var m []string
		for i := k; i < k+10; i++ {
			m = append(m, fmt.Sprintf("n%d", i))
		}
		w.must(&graph.FormCoalition{ID: fmt.Sprintf("k%d", k), Members: m})
	}
	return w.g, rows
}

// BenchmarkPoints reads every node's point into a reused flat buffer: the per-frame shape of a
// conceptual layout force. It must not allocate.
func BenchmarkPoints(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			g, rows := benchWorld(b, n)
			dst, _, _ := Points(g, "s", rows, n, nil)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				dst, _, _ = Points(g, "s", rows, n, dst)
			}
		})
	}
}

// BenchmarkMembership reads coalition membership per row (200 coalitions of 10).
func BenchmarkMembership(b *testing.B) {
	g, rows := benchWorld(b, 100_000)
	dst, _ := Membership(g, rows, len(rows), nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		dst, _ = Membership(g, rows, len(rows), dst)
	}
}

// BenchmarkSetCoordinates decides and applies one set_coordinates command of 10,000 points in the
// 8-dimension space with the rules installed (compile once, check and canonicalise every point).
func BenchmarkSetCoordinates(b *testing.B) {
	const n = 10_000
	g, _ := benchWorld(b, n)
	rng := rand.New(rand.NewPCG(2, 2))
	cmd := &graph.SetCoordinates{Space: "s", Points: make([]graph.NodePoint, n)}
	for i := range cmd.Points {
		c := graph.Coordinates{}
		for _, d := range []string{"a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"} {
			c[d] = rng.Float64()
		}
		cmd.Points[i] = graph.NodePoint{ID: fmt.Sprintf("n%d", i), Coordinates: c}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		evs, err := graph.Decide(g, cmd, graph.Meta{})
		if err != nil {
			b.Fatal(err)
		}
		g.Apply(&evs[0])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/point")
}
