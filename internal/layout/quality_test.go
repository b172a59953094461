package layout

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPlantedPartitionQuality is the quality criterion on a seeded
// stochastic block model of 20 communities × 500 nodes (10 links inside,
// 1 outside per node on average): after the layout settles, linked nodes are
// on average at most 0.3× as far apart as random pairs, and at least 90% of
// nodes are closer to their own community's centroid than to any other.
func TestPlantedPartitionQuality(t *testing.T) {
	const k, size = 20, 500
	src, dst, comm, err := PlantedPartition(k, size, 10, 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	n := k * size
	p := DefaultParams()
	pool := NewPool(0)
	defer pool.Close()
	l, err := New(p, pool, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetGraph(Graph{N: n, Src: src, Dst: dst}); err != nil {
		t.Fatal(err)
	}
	const maxSteps = 600
	steps := 0
	for ; steps < maxSteps && !l.Settled(); steps++ {
		l.Step()
	}
	x, y, z := l.Positions()
	linked, random, own := partitionQuality(x, y, z, src, dst, comm, k)
	t.Logf("%d nodes, %d edges: settled=%v after %d steps; linked/random distance %.3f; closest to own centroid %.1f%%",
		n, len(src), l.Settled(), steps, linked/random, 100*own)
	if !l.Settled() {
		t.Errorf("not settled after %d steps", maxSteps)
	}
	if linked > 0.3*random {
		t.Errorf("mean linked distance %.3g > 0.3 × mean random-pair distance %.3g", linked, random)
	}
	if own < 0.9 {
		t.Errorf("only %.1f%% of nodes are closest to their own community centroid", 100*own)
	}
	_ = context.Background
}

// partitionQuality returns the mean linked distance, the mean distance of
// 100K seeded random pairs, and the fraction of nodes nearest their own
// community centroid.
func partitionQuality(x, y, z []float32, src, dst, comm []int32, k int) (linked, random, own float64) {
	dist := func(i, j int32) float64 {
		dx, dy, dz := float64(x[i]-x[j]), float64(y[i]-y[j]), float64(z[i]-z[j])
		return math.Sqrt(dx*dx + dy*dy + dz*dz)
	}
	for e := range src {
		linked += dist(src[e], dst[e])
	}
	linked /= float64(len(src))
	rng := rand.New(rand.NewPCG(11, 11))
	const pairs = 100000
	for range pairs {
		random += dist(int32(rng.IntN(len(x))), int32(rng.IntN(len(x))))
	}
	random /= pairs
	c := make([]float64, 4*k)
	for i, g := range comm {
		c[4*g] += float64(x[i])
		c[4*g+1] += float64(y[i])
		c[4*g+2] += float64(z[i])
		c[4*g+3]++
	}
	for g := range k {
		c[4*g] /= c[4*g+3]
		c[4*g+1] /= c[4*g+3]
		c[4*g+2] /= c[4*g+3]
	}
	hits := 0
	for i, g := range comm {
		best, bd := -1, math.Inf(1)
		for h := range k {
			dx, dy, dz := float64(x[i])-c[4*h], float64(y[i])-c[4*h+1], float64(z[i])-c[4*h+2]
			if d := dx*dx + dy*dy + dz*dz; d < bd {
				best, bd = h, d
			}
		}
		if best == int(g) {
			hits++
		}
	}
	return linked, random, float64(hits) / float64(len(comm))
}
