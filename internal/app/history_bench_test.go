package app

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/timeline"
)

// bigHistory is a 100K-event history ending at 100K nodes and 300K edges: a quarter of the events add
// four nodes, the rest four edges between random earlier nodes.
var bigHistory = sync.OnceValue(func() *timeline.History {
	h, err := timeline.New(graph.New("big"), timeline.Options{})
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	seq := uint64(1)
	if err := h.Append(graph.Event{Seq: seq, Data: &graph.GraphCreated{Name: "big"}}); err != nil {
		panic(err)
	}
	nodes, edges := 0, 0
	for seq < 100_000 {
		seq++
		var p graph.Payload
		if nodes < 8 || rng.IntN(4) == 0 {
			ns := make([]graph.Node, 4)
			for i := range ns {
				ns[i] = graph.Node{ID: fmt.Sprintf("n%d", nodes), Label: fmt.Sprintf("node %d", nodes)}
				nodes++
			}
			p = &graph.NodesAdded{Nodes: ns}
		} else {
			es := make([]graph.Edge, 4)
			for i := range es {
				es[i] = graph.Edge{ID: fmt.Sprintf("e%d", edges), Source: fmt.Sprintf("n%d", rng.IntN(nodes)),
					Target: fmt.Sprintf("n%d", rng.IntN(nodes)), Weight: 1}
				edges++
			}
			p = &graph.EdgesAdded{Edges: es}
		}
		if err := h.Append(graph.Event{Seq: seq, Data: p}); err != nil {
			panic(err)
		}
	}
	return h
})

// BenchmarkTimelinePastVersion is what the workbench does when the scrubber jumps back: restore the
// version from the nearest checkpoint (timeline.History.At) and project it into a world for the view.
func BenchmarkTimelinePastVersion(b *testing.B) {
	h := bigHistory()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	var nodes int
	for b.Loop() {
		st, err := rebuild(h, "big", 1+rng.IntN(h.Len()), 0)
		if err != nil {
			b.Fatal(err)
		}
		nodes += st.world.Nodes.Len()
		h.Recycle(st.g) // as the timeline does when the view it was shown in is replaced
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/jump")
	b.ReportMetric(float64(nodes)/float64(b.N), "nodes/jump")
}

// BenchmarkTimelineCompare rebuilds the union view of two random versions (Diff + two restores).
func BenchmarkTimelineCompare(b *testing.B) {
	h := bigHistory()
	rng := rand.New(rand.NewPCG(3, 4))
	b.ReportAllocs()
	for b.Loop() {
		st, err := rebuild(h, "big", 1+rng.IntN(h.Len()), 1+rng.IntN(h.Len()))
		if err != nil {
			b.Fatal(err)
		}
		h.Recycle(st.g)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/compare")
}
