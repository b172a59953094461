package eventstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// BenchmarkImportMemory: the 100K-node / 300K-edge import into the in-memory store; what is left
// when the network and the disk are taken away (decide, apply, encode).
func BenchmarkImportMemory(b *testing.B) {
	const n, m = 100_000, 300_000
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := eventstore.NewRepository(eventstore.NewMemory(), eventstore.RepoOptions{})
		id := fmt.Sprint("g", i)
		im, err := r.Import(context.Background(), id, eventstore.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := im.Command(&graph.CreateGraph{Name: id}); err != nil {
			b.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(3, 5))
		for k := range n {
			if err := im.Node(graph.Node{ID: fmt.Sprint("n", k), Label: fmt.Sprint("node ", k), Kind: "entity"}); err != nil {
				b.Fatal(err)
			}
		}
		for k := range m {
			e := graph.EdgeInput{ID: fmt.Sprint("e", k), Source: fmt.Sprint("n", rng.IntN(n)), Target: fmt.Sprint("n", rng.IntN(n)), Kind: "rel"}
			if err := im.Edge(e); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := im.Close(); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N*m)/b.Elapsed().Seconds(), "edges/s")
}
