package structure

import (
	"math"
	"math/rand/v2"
)

// PageRank computes the weighted PageRank of the directed graph (Page, Brin, Motwani & Winograd,
// "The PageRank citation ranking", Stanford 1999) by power iteration: a walker follows an out-edge
// with probability damp, chosen in proportion to its weight, and otherwise (or from a node without
// out-edges) jumps to a uniformly random node. It stops when the L1 change of an iteration is below
// tol or after maxIter iterations; the ranks sum to 1.
func PageRank(g *Graph, damp, tol float64, maxIter int) []float64 {
	n := g.N
	if n == 0 {
		return nil
	}
	outW := make([]float64, n)
	for u := range n {
		for e := g.OutOff[u]; e < g.OutOff[u+1]; e++ {
			outW[u] += g.OutW[e]
		}
	}
	rank := make([]float64, n)
	next := make([]float64, n)
	for i := range rank {
		rank[i] = 1 / float64(n)
	}
	for range maxIter {
		dangling := 0.0
		for u := range n {
			if outW[u] == 0 {
				dangling += rank[u]
			}
		}
		base := (1-damp)/float64(n) + damp*dangling/float64(n)
		for i := range next {
			next[i] = base
		}
		for u := range n {
			if outW[u] == 0 {
				continue
			}
			share := damp * rank[u] / outW[u]
			for e := g.OutOff[u]; e < g.OutOff[u+1]; e++ {
				next[g.OutAdj[e]] += share * g.OutW[e]
			}
		}
		diff := 0.0
		for i := range rank {
			diff += math.Abs(next[i] - rank[i])
		}
		rank, next = next, rank
		if diff < tol {
			break
		}
	}
	return rank
}

// Betweenness computes the shortest-path betweenness centrality of every node of the undirected,
// unweighted graph (hop counts) by Brandes' algorithm ("A faster algorithm for betweenness
// centrality", J. Math. Sociol. 2001), counting each unordered pair of endpoints once. With
// samples in (0, N) it runs from that many random sources and scales by N/samples (Brandes & Pich,
// "Centrality estimation in large networks", IJBC 2007), an unbiased estimate for large graphs.
func Betweenness(g *Graph, samples int, seed uint64) []float64 {
	n := g.N
	bc := make([]float64, n)
	if n == 0 {
		return bc
	}
	sources := make([]int32, n)
	for i := range sources {
		sources[i] = int32(i)
	}
	scale := 0.5 // each unordered pair is reached from both ends
	if samples > 0 && samples < n {
		rng := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
		rng.Shuffle(n, func(i, j int) { sources[i], sources[j] = sources[j], sources[i] })
		sources = sources[:samples]
		scale *= float64(n) / float64(samples)
	}
	sigma := make([]float64, n)
	dist := make([]int32, n)
	delta := make([]float64, n)
	stack := make([]int32, 0, n)
	queue := make([]int32, 0, n)
	for i := range dist {
		dist[i] = -1
	}
	for _, s := range sources {
		stack, queue = stack[:0], queue[:0]
		sigma[s], dist[s] = 1, 0
		queue = append(queue, s)
		for h := 0; h < len(queue); h++ {
			v := queue[h]
			stack = append(stack, v)
			for e := g.Off[v]; e < g.Off[v+1]; e++ {
				w := g.Adj[e]
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					queue = append(queue, w)
				}
				if dist[w] == dist[v]+1 {
					sigma[w] += sigma[v]
				}
			}
		}
		// Predecessors are the neighbours one hop closer: found again on the way back instead of
		// stored, which keeps the pass free of per-source allocations.
		for i := len(stack) - 1; i >= 0; i-- {
			w := stack[i]
			for e := g.Off[w]; e < g.Off[w+1]; e++ {
				v := g.Adj[e]
				if dist[v] == dist[w]-1 {
					delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
				}
			}
			if w != s {
				bc[w] += delta[w]
			}
		}
		for _, v := range stack {
			sigma[v], dist[v], delta[v] = 0, -1, 0
		}
	}
	for i := range bc {
		bc[i] *= scale
	}
	return bc
}

// Bridges returns the input edge indices whose removal disconnects their endpoints (cut edges), by
// Tarjan's low-link depth-first search ("A note on finding the bridges of a graph", IPL 1974), run
// iteratively so that long paths cannot overflow the stack. Parallel edges are never bridges.
func Bridges(g *Graph) []int32 {
	n := g.N
	disc := make([]int32, n)
	low := make([]int32, n)
	for i := range disc {
		disc[i] = -1
	}
	type frame struct {
		v, parentSlot int32 // parentSlot: the adjacency slot used to enter v, -1 at a root
		next          int32 // next adjacency slot to look at
	}
	var out []int32
	stack := make([]frame, 0, 64)
	t := int32(0)
	for r := range n {
		if disc[r] >= 0 {
			continue
		}
		disc[r], low[r] = t, t
		t++
		stack = append(stack[:0], frame{v: int32(r), parentSlot: -1, next: g.Off[r]})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			v := f.v
			if f.next < g.Off[v+1] {
				e := f.next
				f.next++
				w := g.Adj[e]
				if f.parentSlot >= 0 && g.Adj[f.parentSlot] == w {
					continue // the edge we came by (merged parallels are one slot)
				}
				if disc[w] < 0 {
					disc[w], low[w] = t, t
					t++
					stack = append(stack, frame{v: w, parentSlot: reverseSlot(g, e, v), next: g.Off[w]})
				} else {
					low[v] = min(low[v], disc[w])
				}
				continue
			}
			stack = stack[:len(stack)-1]
			if f.parentSlot < 0 {
				continue
			}
			p := g.Adj[f.parentSlot]
			low[p] = min(low[p], low[v])
			if low[v] > disc[p] {
				if id := g.EdgeID[f.parentSlot]; id >= 0 {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// reverseSlot finds the slot of edge e (from v) in the other endpoint's list: the slot pointing back
// to v. Lists are sorted by neighbour, so a binary search finds it.
func reverseSlot(g *Graph, e, v int32) int32 {
	w := g.Adj[e]
	lo, hi := g.Off[w], g.Off[w+1]
	for lo < hi {
		mid := (lo + hi) / 2
		if g.Adj[mid] < v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
