package layout

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// BarabasiAlbert returns the edges of a seeded preferential-attachment graph
// (Barabási & Albert 1999): a clique of m+1 nodes, then every further node
// links to m distinct earlier nodes chosen with probability proportional to
// their degree. It has n nodes and m(m+1)/2 + m(n−m−1) edges, so m = 2 gives
// about 2n edges with a power-law degree tail — the benchmark graph, and the
// demo graph of the app.
func BarabasiAlbert(n, m int, seed uint64) (src, dst []int32, err error) {
	if m < 1 || n < m+1 {
		return nil, nil, fmt.Errorf("%w: Barabási–Albert needs m >= 1 and n > m, got n=%d m=%d", ErrInvalidInput, n, m)
	}
	if n > math.MaxInt32 {
		return nil, nil, fmt.Errorf("%w: %d nodes do not fit int32 indices", ErrInvalidInput, n)
	}
	edges := m*(m+1)/2 + m*(n-m-1)
	src, dst = make([]int32, 0, edges), make([]int32, 0, edges)
	// Every edge end is listed once, so a uniform pick from ends is a pick
	// proportional to degree.
	ends := make([]int32, 0, 2*edges)
	for i := range m + 1 {
		for j := range i {
			src, dst = append(src, int32(i)), append(dst, int32(j))
			ends = append(ends, int32(i), int32(j))
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0xba))
	chosen := make([]int32, 0, m)
	for v := m + 1; v < n; v++ {
		chosen = chosen[:0]
		for len(chosen) < m {
			t := ends[rng.IntN(len(ends))]
			dup := false
			for _, c := range chosen {
				dup = dup || c == t
			}
			if !dup {
				chosen = append(chosen, t)
			}
		}
		for _, t := range chosen {
			src, dst = append(src, int32(v)), append(dst, t)
			ends = append(ends, int32(v), t)
		}
	}
	return src, dst, nil
}

// PlantedPartition returns a seeded stochastic block model: k communities of
// size nodes each (node i belongs to community i/size), every pair inside a
// community linked with probability degIn/(size−1) and every pair across
// with probability degOut/(n−size), so a node has on average degIn links
// inside and degOut outside. Pairs are drawn by geometric skipping
// (Batagelj & Brandes 2005), in time linear in the edges.
func PlantedPartition(k, size int, degIn, degOut float64, seed uint64) (src, dst, community []int32, err error) {
	n := k * size
	if k < 1 || size < 2 || degIn < 0 || degOut < 0 || degIn > float64(size-1) || (k > 1 && degOut > float64(n-size)) {
		return nil, nil, nil, fmt.Errorf("%w: planted partition k=%d size=%d degIn=%v degOut=%v",
			ErrInvalidInput, k, size, degIn, degOut)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9a27))
	pIn := degIn / float64(size-1)
	pOut := 0.0
	if k > 1 {
		pOut = degOut / float64(n-size)
	}
	// link i to a Bernoulli(p) subset of [from, to), skipping geometrically
	link := func(i, from, to int, p float64) {
		if p <= 0 || from >= to {
			return
		}
		lq := math.Log1p(-p)
		for j := from - 1; ; {
			if p >= 1 {
				j++
			} else {
				j += 1 + int(math.Floor(math.Log(1-rng.Float64())/lq))
			}
			if j >= to || j < from {
				return
			}
			src, dst = append(src, int32(i)), append(dst, int32(j))
		}
	}
	community = make([]int32, n)
	for i := range n {
		c := i / size
		community[i] = int32(c)
		link(i, i+1, (c+1)*size, pIn)
		link(i, (c+1)*size, n, pOut)
	}
	return src, dst, community, nil
}
