package structure

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrBadGraph is returned for edges that name missing nodes or carry unusable weights.
var ErrBadGraph = errors.New("bad graph")

// Graph is a weighted graph in compressed sparse row form over nodes 0..N-1: the neighbours of u are
// Adj[Off[u]:Off[u+1]] with weights W at the same positions. Both directions of an undirected edge
// are stored; parallel edges are merged (weights summed). Out holds the directed out-edges alone
// (for PageRank), in the same layout.
type Graph struct {
	N        int
	Off, Adj []int32
	W        []float64
	// Self[u] is the weight of u's self-loops counted twice (A_uu of the symmetric adjacency), kept
	// apart from Adj so that walks never step to the node itself.
	Self []float64
	// EdgeID[k] is the index of the input edge behind Adj[k], or -1 when parallel edges were merged
	// into it; bridges are reported by edge.
	EdgeID []int32

	OutOff, OutAdj []int32
	OutW           []float64
}

// Edge is an input edge between node indices, directed From → To.
type Edge struct {
	From, To int32
	Weight   float64
}

// Build makes the CSR form of n nodes and edges. Weights must be finite and positive (a zero or
// negative weight has no meaning for modularity or PageRank).
func Build(n int, edges []Edge) (*Graph, error) {
	g := &Graph{N: n, Off: make([]int32, n+1), OutOff: make([]int32, n+1), Self: make([]float64, n)}
	for i, e := range edges {
		if e.From < 0 || int(e.From) >= n || e.To < 0 || int(e.To) >= n {
			return nil, fmt.Errorf("edge %d: %d→%d outside 0..%d: %w", i, e.From, e.To, n-1, ErrBadGraph)
		}
		if !(e.Weight > 0) || math.IsInf(e.Weight, 0) {
			return nil, fmt.Errorf("edge %d: weight %v is not positive and finite: %w", i, e.Weight, ErrBadGraph)
		}
		g.OutOff[e.From+1]++
		if e.From == e.To {
			continue
		}
		g.Off[e.From+1]++
		g.Off[e.To+1]++
	}
	for u := range n {
		g.Off[u+1] += g.Off[u]
		g.OutOff[u+1] += g.OutOff[u]
	}
	g.Adj = make([]int32, g.Off[n])
	g.W = make([]float64, g.Off[n])
	g.EdgeID = make([]int32, g.Off[n])
	g.OutAdj = make([]int32, g.OutOff[n])
	g.OutW = make([]float64, g.OutOff[n])
	fill := slices.Clone(g.Off[:n])
	outFill := slices.Clone(g.OutOff[:n])
	for i, e := range edges {
		k := outFill[e.From]
		g.OutAdj[k], g.OutW[k] = e.To, e.Weight
		outFill[e.From]++
		if e.From == e.To {
			g.Self[e.From] += 2 * e.Weight
			continue
		}
		for _, p := range [2][2]int32{{e.From, e.To}, {e.To, e.From}} {
			k := fill[p[0]]
			g.Adj[k], g.W[k], g.EdgeID[k] = p[1], e.Weight, int32(i)
			fill[p[0]]++
		}
	}
	g.merge()
	return g, nil
}

// merge sorts each adjacency list and sums parallel edges, so that later passes see one entry per
// neighbour.
func (g *Graph) merge() {
	type nb struct {
		v  int32
		w  float64
		id int32
	}
	var buf []nb
	w := int32(0)
	for u := range g.N {
		lo, hi := g.Off[u], g.Off[u+1]
		buf = buf[:0]
		for k := lo; k < hi; k++ {
			buf = append(buf, nb{g.Adj[k], g.W[k], g.EdgeID[k]})
		}
		slices.SortFunc(buf, func(a, b nb) int {
			if a.v != b.v {
				return int(a.v - b.v)
			}
			return int(a.id - b.id)
		})
		g.Off[u] = w
		for i, x := range buf {
			if i > 0 && buf[i-1].v == x.v {
				g.W[w-1] += x.w
				g.EdgeID[w-1] = -1 // parallel edges: no single edge stands for the link
				continue
			}
			g.Adj[w], g.W[w], g.EdgeID[w] = x.v, x.w, x.id
			w++
		}
	}
	g.Off[g.N] = w
	g.Adj, g.W, g.EdgeID = g.Adj[:w], g.W[:w], g.EdgeID[:w]
}

// Degree is the weighted degree of u in the symmetric adjacency (self-loops twice).
func (g *Graph) Degree(u int) float64 {
	d := g.Self[u]
	for k := g.Off[u]; k < g.Off[u+1]; k++ {
		d += g.W[k]
	}
	return d
}
