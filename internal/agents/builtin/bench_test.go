package builtin

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// benchGraph is n nodes in communities of 50 with about 8 edges per node and 8-dimensional coords.
func benchGraph(b *testing.B, n int) *graph.Graph {
	rng := rand.New(rand.NewPCG(1, 1))
	nodes := make([]graph.Node, n)
	for i := range nodes {
		c := make([]float64, 8)
		for k := range c {
			c[k] = float64(i/50) + rng.NormFloat64()
		}
		nodes[i] = graph.Node{ID: fmt.Sprintf("n%d", i), Coords: c}
	}
	var edges []graph.EdgeInput
	for i := range n {
		for range 4 {
			j := (i/50)*50 + rng.IntN(50)
			if rng.IntN(10) == 0 {
				j = rng.IntN(n)
			}
			if j != i && j < n {
				edges = append(edges, graph.EdgeInput{ID: fmt.Sprintf("e%d", len(edges)), Source: nodes[i].ID, Target: nodes[j].ID})
			}
		}
	}
	return build(b, &graph.AddNodes{Nodes: nodes}, &graph.AddEdges{Edges: edges})
}

func BenchmarkAnalyzeStructure(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		g := benchGraph(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, err := AnalyzeStructure(g, nil, StructureParams{Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				StructureSuggestions(g, rep, StructureParams{})
			}
		})
	}
}

func BenchmarkSimilarPairs(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		g := benchGraph(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := SimilarPairs(g, nil, SimilarityParams{K: 5}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
