package structure

import (
	"math/rand/v2"
)

// Communities is a partition of the nodes.
type Communities struct {
	Label      []int32 // community of each node, 0..Count-1, numbered by first appearance
	Count      int
	Modularity float64
	Levels     int // aggregation levels the Louvain method went through
}

// LouvainOptions tune Louvain; zero values take the defaults.
type LouvainOptions struct {
	Resolution float64 // γ; default 1
	Seed       uint64  // node order of the local moving phase
	// MinGain stops a level when a full pass improves modularity by less; default 1e-7.
	MinGain float64
}

// Louvain finds communities of high modularity by the Louvain method (Blondel, Guillaume, Lambiotte
// & Lefebvre, "Fast unfolding of communities in large networks", J. Stat. Mech. 2008, P10008):
// local moving of single nodes to the neighbouring community of best modularity gain, then
// aggregation of communities into nodes, repeated while modularity grows. Modularity is Newman's
// with a resolution parameter (Reichardt & Bornholdt 2006):
//
//	Q = 1/(2m) Σ_ij [A_ij − γ k_i k_j / (2m)] δ(c_i, c_j).
func Louvain(g *Graph, opt LouvainOptions) Communities {
	if opt.Resolution == 0 {
		opt.Resolution = 1
	}
	if opt.MinGain == 0 {
		opt.MinGain = 1e-7
	}
	label := make([]int32, g.N)
	for i := range label {
		label[i] = int32(i)
	}
	if g.N == 0 {
		return Communities{}
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	cur := g
	levels := 0
	for {
		comm, moved := localMoving(cur, opt.Resolution, opt.MinGain, rng)
		levels++
		n := renumber(comm)
		for i := range label {
			label[i] = comm[label[i]]
		}
		if !moved || n == cur.N {
			break
		}
		cur = aggregate(cur, comm, n)
	}
	count := renumberFirst(label)
	return Communities{Label: label, Count: count, Modularity: Modularity(g, label, opt.Resolution), Levels: levels}
}

// localMoving is phase one: every node starts alone; nodes move to the neighbouring community with
// the largest gain until a pass gains less than minGain. It reports whether any node moved.
func localMoving(g *Graph, gamma, minGain float64, rng *rand.Rand) ([]int32, bool) {
	n := g.N
	comm := make([]int32, n)
	k := make([]float64, n)   // node degree
	tot := make([]float64, n) // Σ degrees of a community
	m2 := 0.0
	for u := range n {
		comm[u] = int32(u)
		k[u] = g.Degree(u)
		tot[u] = k[u]
		m2 += k[u]
	}
	if m2 == 0 {
		return comm, false
	}
	order := rng.Perm(n)
	wTo := make([]float64, n) // weight from the node being moved to each community, reset after use
	touched := make([]int32, 0, 64)
	moved := false
	q := modularityOf(g, comm, k, tot, m2, gamma)
	for {
		movesThisPass := 0
		for _, ui := range order {
			u := int32(ui)
			cu := comm[u]
			touched = touched[:0]
			for e := g.Off[u]; e < g.Off[u+1]; e++ {
				c := comm[g.Adj[e]]
				if wTo[c] == 0 {
					touched = append(touched, c)
				}
				wTo[c] += g.W[e]
			}
			tot[cu] -= k[u]
			// Gain of joining c (with u out of every community): wTo[c] − γ tot[c] k_u / 2m.
			best, bestGain := cu, wTo[cu]-gamma*tot[cu]*k[u]/m2
			for _, c := range touched {
				if gain := wTo[c] - gamma*tot[c]*k[u]/m2; gain > bestGain+1e-12 {
					best, bestGain = c, gain
				}
			}
			tot[best] += k[u]
			if best != cu {
				comm[u] = best
				movesThisPass++
			}
			for _, c := range touched {
				wTo[c] = 0
			}
			wTo[cu] = 0
		}
		if movesThisPass == 0 {
			break
		}
		moved = true
		nq := modularityOf(g, comm, k, tot, m2, gamma)
		if nq-q < minGain {
			break
		}
		q = nq
	}
	return comm, moved
}

// modularityOf is Q of a partition given degrees and community totals.
func modularityOf(g *Graph, comm []int32, k, tot []float64, m2, gamma float64) float64 {
	in := 0.0
	for u := range g.N {
		in += g.Self[u]
		for e := g.Off[u]; e < g.Off[u+1]; e++ {
			if comm[g.Adj[e]] == comm[u] {
				in += g.W[e]
			}
		}
	}
	sq := 0.0
	for _, t := range tot {
		sq += t * t
	}
	return in/m2 - gamma*sq/(m2*m2)
}

// Modularity is Q of labels on g (γ = resolution).
func Modularity(g *Graph, label []int32, resolution float64) float64 {
	k := make([]float64, g.N)
	m2 := 0.0
	maxL := int32(0)
	for u := range g.N {
		k[u] = g.Degree(u)
		m2 += k[u]
		maxL = max(maxL, label[u])
	}
	if m2 == 0 {
		return 0
	}
	tot := make([]float64, maxL+1)
	for u := range g.N {
		tot[label[u]] += k[u]
	}
	return modularityOf(g, label, k, tot, m2, resolution)
}

// renumber maps community ids to 0..n-1 in place and returns n.
func renumber(comm []int32) int {
	idx := make(map[int32]int32, 64)
	for i, c := range comm {
		j, ok := idx[c]
		if !ok {
			j = int32(len(idx))
			idx[c] = j
		}
		comm[i] = j
	}
	return len(idx)
}

// renumberFirst numbers labels by first appearance (deterministic output for a given input).
func renumberFirst(label []int32) int { return renumber(label) }

// aggregate is phase two: communities become nodes, the weights between them summed; a
// community's internal weight becomes its self-loop.
func aggregate(g *Graph, comm []int32, n int) *Graph {
	members := make([][]int32, n)
	for u := range g.N {
		members[comm[u]] = append(members[comm[u]], int32(u))
	}
	h := &Graph{N: n, Off: make([]int32, n+1), Self: make([]float64, n)}
	wTo := make([]float64, n)
	var touched []int32
	for c := range n {
		touched = touched[:0]
		for _, u := range members[c] {
			h.Self[c] += g.Self[u]
			for e := g.Off[u]; e < g.Off[u+1]; e++ {
				d := comm[g.Adj[e]]
				if int(d) == c {
					h.Self[c] += g.W[e] // both directions are visited: A_CC counts each edge twice
					continue
				}
				if wTo[d] == 0 {
					touched = append(touched, d)
				}
				wTo[d] += g.W[e]
			}
		}
		for _, d := range touched {
			h.Adj = append(h.Adj, d)
			h.W = append(h.W, wTo[d])
			wTo[d] = 0
		}
		h.Off[c+1] = int32(len(h.Adj))
	}
	return h
}
