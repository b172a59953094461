package layout

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// forceGraph is a seeded random graph of 300 nodes and 600 edges that the
// extra-force tests lay out with and without their term.
func forceGraph() Graph {
	rng := rand.New(rand.NewPCG(5, 5))
	const n, m = 300, 600
	g := Graph{N: n}
	for range m {
		g.Src = append(g.Src, int32(rng.IntN(n)))
		g.Dst = append(g.Dst, int32(rng.IntN(n)))
	}
	return g
}

// layoutWith runs 150 serial steps from the same seeded start with the
// given inputs and weights.
func layoutWith(t *testing.T, in Inputs, w Weights) (x, y, z []float32) {
	t.Helper()
	p := DefaultParams()
	p.Weights = w
	l, err := New(p, nil, 9)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetGraph(forceGraph()); err != nil {
		t.Fatal(err)
	}
	if err := l.SetInputs(in); err != nil {
		t.Fatal(err)
	}
	for range 150 {
		l.Step()
	}
	return l.Positions()
}

func meanPairDistance(x, y, z []float32, a, b []int32) float64 {
	var s float64
	for k := range a {
		dx, dy, dz := float64(x[a[k]]-x[b[k]]), float64(y[a[k]]-y[b[k]]), float64(z[a[k]]-z[b[k]])
		s += math.Sqrt(dx*dx + dy*dy + dz*dz)
	}
	return s / float64(len(a))
}

func randomPairs(n, k int, seed uint64) (a, b []int32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for range k {
		a = append(a, int32(rng.IntN(n)))
		b = append(b, int32(rng.IntN(n)))
	}
	return a, b
}

// compare logs both metrics and checks that the weighted run moved the
// metric in the expected direction by at least the given factor.
func compare(t *testing.T, name string, off, on float64, wantSmaller bool, factor float64) {
	t.Helper()
	t.Logf("%s: weight 0 → %.4g, weight on → %.4g", name, off, on)
	if wantSmaller && !(on < off*factor) {
		t.Errorf("%s: %.4g is not below %.2f × %.4g", name, on, factor, off)
	}
	if !wantSmaller && !(on > off*factor) {
		t.Errorf("%s: %.4g is not above %.2f × %.4g", name, on, factor, off)
	}
}

func TestSimilarityAttraction(t *testing.T) {
	a, b := randomPairs(300, 60, 1)
	in := Inputs{SimA: a, SimB: b}
	x0, y0, z0 := layoutWith(t, in, Weights{})
	x1, y1, z1 := layoutWith(t, in, Weights{Similarity: 1})
	compare(t, "similar-pair distance", meanPairDistance(x0, y0, z0, a, b), meanPairDistance(x1, y1, z1, a, b), true, 0.8)
}

func TestCompetitionRepulsion(t *testing.T) {
	// conflicts between linked nodes, where it shows against the springs
	g := forceGraph()
	a, b := g.Src[:60], g.Dst[:60]
	in := Inputs{CompA: a, CompB: b}
	x0, y0, z0 := layoutWith(t, in, Weights{})
	x1, y1, z1 := layoutWith(t, in, Weights{Competition: 50})
	compare(t, "competing-pair distance", meanPairDistance(x0, y0, z0, a, b), meanPairDistance(x1, y1, z1, a, b), false, 1.1)
}

func TestTemporalProximity(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	times := make([]float64, 300)
	for i := range times {
		times[i] = rng.Float64() * 1000
	}
	// measure on the pairs the term is defined on: successors in time
	var e extra
	if err := e.buildTemporal(times, 0, 2); err != nil {
		t.Fatal(err)
	}
	var a, b []int32
	for i := range 300 {
		for q := e.temporal.off[i]; q < e.temporal.off[i+1]; q++ {
			a, b = append(a, int32(i)), append(b, e.temporal.nbr[q])
		}
	}
	in := Inputs{Time: times}
	x0, y0, z0 := layoutWith(t, in, Weights{})
	x1, y1, z1 := layoutWith(t, in, Weights{Temporal: 1})
	compare(t, "time-neighbour distance", meanPairDistance(x0, y0, z0, a, b), meanPairDistance(x1, y1, z1, a, b), true, 0.8)
}

func groupCentroids(x, y, z []float32, ids []int32, k int) []float64 {
	c := make([]float64, 4*k)
	for i, g := range ids {
		if g < 0 {
			continue
		}
		c[4*g], c[4*g+1], c[4*g+2], c[4*g+3] = c[4*g]+float64(x[i]), c[4*g+1]+float64(y[i]), c[4*g+2]+float64(z[i]), c[4*g+3]+1
	}
	for g := range k {
		c[4*g], c[4*g+1], c[4*g+2] = c[4*g]/c[4*g+3], c[4*g+1]/c[4*g+3], c[4*g+2]/c[4*g+3]
	}
	return c
}

func TestCoalitionAttraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	coal := make([]int32, 300)
	for i := range coal {
		coal[i] = int32(rng.IntN(6)) // half the nodes in coalitions 0..2
		if coal[i] > 2 {
			coal[i] = -1
		}
	}
	spread := func(x, y, z []float32) float64 {
		c := groupCentroids(x, y, z, coal, 3)
		var s float64
		var k int
		for i, g := range coal {
			if g >= 0 {
				dx, dy, dz := float64(x[i])-c[4*g], float64(y[i])-c[4*g+1], float64(z[i])-c[4*g+2]
				s += math.Sqrt(dx*dx + dy*dy + dz*dz)
				k++
			}
		}
		return s / float64(k)
	}
	in := Inputs{Coalition: coal}
	off := spread(layoutWith(t, in, Weights{}))
	on := spread(layoutWith(t, in, Weights{Coalition: 1}))
	compare(t, "member distance to coalition centroid", off, on, true, 0.8)
}

func TestCategoryRepulsion(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	cat := make([]int32, 300)
	for i := range cat {
		cat[i] = int32(rng.IntN(2))
	}
	gap := func(x, y, z []float32) float64 {
		c := groupCentroids(x, y, z, cat, 2)
		dx, dy, dz := c[0]-c[4], c[1]-c[5], c[2]-c[6]
		return math.Sqrt(dx*dx + dy*dy + dz*dz)
	}
	in := Inputs{Category: cat}
	off := gap(layoutWith(t, in, Weights{}))
	on := gap(layoutWith(t, in, Weights{Category: 1}))
	compare(t, "distance between category centroids", off, on, false, 2)
}

func TestUtilityGradient(t *testing.T) {
	// a bump of utility at (+R,0,0): nodes drift toward it
	in := Inputs{Field: UtilityField{X: []float32{40}, Y: []float32{0}, Z: []float32{0}, Amp: []float32{2000}, Width: []float32{40}}}
	meanX := func(x, _, _ []float32) float64 {
		var s float64
		for _, v := range x {
			s += float64(v)
		}
		return s / float64(len(x))
	}
	off := meanX(layoutWith(t, in, Weights{}))
	on := meanX(layoutWith(t, in, Weights{Utility: 1}))
	t.Logf("mean x: weight 0 → %.4g, weight 1 → %.4g", off, on)
	if !(on > off+5) {
		t.Errorf("field: mean x %.4g did not move toward the bump from %.4g", on, off)
	}
	// a given per-node gradient along −y
	gx, gy, gz := make([]float32, 300), make([]float32, 300), make([]float32, 300)
	for i := range gy {
		gy[i] = -20
	}
	in = Inputs{GradX: gx, GradY: gy, GradZ: gz}
	meanY := func(_, y, _ []float32) float64 { return meanX(y, nil, nil) }
	off = meanY(layoutWith(t, in, Weights{}))
	on = meanY(layoutWith(t, in, Weights{Utility: 1}))
	t.Logf("mean y: weight 0 → %.4g, weight 1 → %.4g", off, on)
	if !(on < off-5) {
		t.Errorf("gradient: mean y %.4g did not move along −y from %.4g", on, off)
	}
}

func TestInputsValidated(t *testing.T) {
	l, err := New(DefaultParams(), nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetGraph(Graph{N: 3}); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]Inputs{
		"pair out of range": {SimA: []int32{0}, SimB: []int32{3}},
		"length mismatch":   {CompA: []int32{0, 1}, CompB: []int32{1}},
		"per-node length":   {Category: []int32{0, 1}},
		"negative weight":   {SimA: []int32{0}, SimB: []int32{1}, SimW: []float32{-1}},
		"bad width":         {Field: UtilityField{X: []float32{0}, Y: []float32{0}, Z: []float32{0}, Amp: []float32{1}, Width: []float32{0}}},
		"bad group id":      {Coalition: []int32{0, -2, 1}},
	} {
		if err := l.SetInputs(in); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: got %v, want ErrInvalidInput", name, err)
		}
	}
	p := DefaultParams()
	p.Weights.Temporal = -1
	if _, err := New(p, nil, 1); !errors.Is(err, ErrInvalidParams) {
		t.Errorf("negative weight: got %v, want ErrInvalidParams", err)
	}
}

// TestDampingAndDisplacementCap: the cap bounds every move, and momentum
// keeps a node moving for a step after its force vanishes.
func TestDampingAndDisplacementCap(t *testing.T) {
	p := DefaultParams()
	p.MaxDisplacement = 0.5
	l, err := New(p, nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetGraph(forceGraph()); err != nil {
		t.Fatal(err)
	}
	x, y, z := l.Positions()
	px, py, pz := append([]float32(nil), x...), append([]float32(nil), y...), append([]float32(nil), z...)
	for range 5 {
		l.Step()
		x, y, z = l.Positions()
		for i := range x {
			d := math.Sqrt(float64((x[i]-px[i])*(x[i]-px[i]) + (y[i]-py[i])*(y[i]-py[i]) + (z[i]-pz[i])*(z[i]-pz[i])))
			if d > 0.5*(1+1e-5) {
				t.Fatalf("node %d moved %.4g > cap 0.5", i, d)
			}
		}
		copy(px, x)
		copy(py, y)
		copy(pz, z)
	}

	// a linked pair: after one step, switch every force off; momentum alone
	// must still move it
	p = DefaultParams()
	p.Damping = 0.5
	p.Repulsion, p.Gravity = 0, 0
	l, err = New(p, nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetGraph(Graph{N: 2, Src: []int32{0}, Dst: []int32{1}}); err != nil {
		t.Fatal(err)
	}
	l.Step() // the spring pulls the pair together
	x, _, _ = l.Positions()
	gap0 := math.Abs(float64(x[0] - x[1]))
	p.Attraction = 0
	if err := l.SetParams(p); err != nil {
		t.Fatal(err)
	}
	x0 := x[0]
	l.Step() // no force left: only momentum moves it
	x, _, _ = l.Positions()
	if x[0] == x0 {
		t.Errorf("damping 0.5 kept no momentum (gap %.3g)", gap0)
	}
}

// TestEdgeWeightsHonoured: of two springs on one node, the heavier one ends
// up shorter.
func TestEdgeWeightsHonoured(t *testing.T) {
	l, err := New(DefaultParams(), nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	g := Graph{N: 3, Src: []int32{0, 0}, Dst: []int32{1, 2}, Weight: []float32{1, 8}}
	if err := l.SetGraph(g); err != nil {
		t.Fatal(err)
	}
	for range 300 {
		l.Step()
	}
	x, y, z := l.Positions()
	d01 := meanPairDistance(x, y, z, []int32{0}, []int32{1})
	d02 := meanPairDistance(x, y, z, []int32{0}, []int32{2})
	t.Logf("weight 1: %.3g, weight 8: %.3g", d01, d02)
	if !(d02 < d01/2) {
		t.Errorf("weight-8 edge %.3g is not much shorter than weight-1 edge %.3g", d02, d01)
	}
}
