package graph

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// benchEvents is a graph of n nodes and m edges as single-item events (the worst case for Apply:
// one event per node and per edge), with random endpoints from a fixed seed.
func benchEvents(n, m int) []Event {
	rng := rand.New(rand.NewPCG(7, 11))
	evs := make([]Event, 0, 1+n+m)
	evs = append(evs, Event{Data: &GraphCreated{Name: "bench"}})
	for i := range n {
		evs = append(evs, Event{Data: &NodesAdded{Nodes: []Node{{ID: fmt.Sprintf("n%d", i), Label: "node", Kind: "k"}}}})
	}
	for i := range m {
		evs = append(evs, Event{Data: &EdgesAdded{Edges: []Edge{{ID: fmt.Sprintf("e%d", i),
			Source: fmt.Sprintf("n%d", rng.IntN(n)), Target: fmt.Sprintf("n%d", rng.IntN(n)), Kind: "rel", Weight: 1}}}})
	}
	for i := range evs {
		evs[i].Seq = uint64(i + 1)
	}
	return evs
}

func buildGraph(evs []Event, reserve bool) *Graph {
	g := New("bench")
	if reserve {
		g.Reserve(100_000, 300_000)
	}
	for i := range evs {
		g.Apply(&evs[i])
	}
	return g
}

// BenchmarkApply folds 100K node and 300K edge events into an empty aggregate.
func BenchmarkApply(b *testing.B) {
	evs := benchEvents(100_000, 300_000)
	for _, reserve := range []bool{false, true} {
		b.Run(fmt.Sprintf("100Kx300K/reserve=%v", reserve), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buildGraph(evs, reserve)
			}
			b.ReportMetric(float64(len(evs))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkApplyBatched folds the same graph as 1000-item events, the shape an import stores and a
// replay reads.
func BenchmarkApplyBatched(b *testing.B) {
	single := benchEvents(100_000, 300_000)
	var evs []Event
	var nodes []Node
	var edges []Edge
	flush := func() {
		if len(nodes) > 0 {
			evs = append(evs, Event{Data: &NodesAdded{Nodes: nodes}})
			nodes = nil
		}
		if len(edges) > 0 {
			evs = append(evs, Event{Data: &EdgesAdded{Edges: edges}})
			edges = nil
		}
	}
	for _, ev := range single {
		switch p := ev.Data.(type) {
		case *NodesAdded:
			nodes = append(nodes, p.Nodes...)
		case *EdgesAdded:
			edges = append(edges, p.Edges...)
		default:
			evs = append(evs, ev)
		}
		if len(nodes) == 1000 || len(edges) == 1000 {
			flush()
		}
	}
	flush()
	b.ReportAllocs()
	for b.Loop() {
		buildGraph(evs, false)
	}
	b.ReportMetric(400_000*float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkApplySteady measures Apply on a big graph in steady state: update events change existing
// nodes and edges, the traffic of a live session.
func BenchmarkApplySteady(b *testing.B) {
	g := buildGraph(benchEvents(100_000, 300_000), true)
	w := 2.0
	upd := []Event{{Data: &EdgeUpdated{ID: "e123", Weight: &w}}, {Data: &NodePinned{ID: "n7", Position: &Vec3{1, 2, 3}}},
		{Data: &EdgeUpdated{ID: "e99999", Weight: &w}}, {Data: &NodePinned{ID: "n7"}}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Apply(&upd[i&3])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkMemory reports the heap held by a 100K-node / 300K-edge aggregate.
func BenchmarkMemory(b *testing.B) {
	evs := benchEvents(100_000, 300_000)
	var g *Graph
	var ms runtime.MemStats
	for b.Loop() {
		g = nil
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		g = buildGraph(evs, false)
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc-before)/(1<<20), "MB")
	}
	runtime.KeepAlive(g)
}

func BenchmarkSnapshot(b *testing.B) {
	g := buildGraph(benchEvents(100_000, 300_000), true)
	data, _ := g.MarshalBinary()
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := g.MarshalBinary(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(data))/(1<<20), "MB/snapshot")
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeSnapshot(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Clone is the cheaper way to keep a restorable state in memory (the timeline's checkpoints).
	b.Run("clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g.Clone()
		}
	})
}

// BenchmarkDecodeEvent decodes a 1000-edge edges_added event, the unit of bulk import and replay.
func BenchmarkDecodeEvent(b *testing.B) {
	edges := make([]Edge, 1000)
	for i := range edges {
		edges[i] = Edge{ID: fmt.Sprintf("e%d", i), Source: fmt.Sprintf("n%d", i), Target: fmt.Sprintf("n%d", i+1), Weight: 1}
	}
	evs, _ := Wrap("g", []Payload{&EdgesAdded{Edges: edges}}, Meta{})
	data, _ := EncodeEvent(&evs[0])
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeEvent(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(1000*float64(b.N)/b.Elapsed().Seconds(), "edges/s")
}

// BenchmarkEncodeEvent encodes a 1000-edge edges_added event, the unit of bulk import.
func BenchmarkEncodeEvent(b *testing.B) {
	edges := make([]Edge, 1000)
	for i := range edges {
		edges[i] = Edge{ID: fmt.Sprintf("e%d", i), Source: fmt.Sprintf("n%d", i), Target: fmt.Sprintf("n%d", i+1), Weight: 1}
	}
	evs, _ := Wrap("g", []Payload{&EdgesAdded{Edges: edges}}, Meta{})
	b.ReportAllocs()
	for b.Loop() {
		evs[0].Payload = nil
		if _, err := EncodeEvent(&evs[0]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(1000*float64(b.N)/b.Elapsed().Seconds(), "edges/s")
}
