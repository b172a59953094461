package conceptual

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// The fruit space of Bechberger's reference implementation
// (lbechberger/ConceptualSpaces, conceptual_spaces/demo/fruit_space.py):
// three one-dimensional domains color, shape, taste. Expected values below
// are the ones that implementation publishes in its demo and tests.
type fruit struct {
	s                                                      *Space
	pear, orange, lemon, granny, apple, banana, red, nonSw *Concept
}

var inf = math.Inf(1)

func newFruit(t testing.TB) *fruit {
	t.Helper()
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{
		{Name: "color", Weight: 1, Dimensions: []DimensionDef{{Name: "hue", Weight: 1}}},
		{Name: "shape", Weight: 1, Dimensions: []DimensionDef{{Name: "round", Weight: 1}}},
		{Name: "taste", Weight: 1, Dimensions: []DimensionDef{{Name: "sweet", Weight: 1}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(cubes [][2][]float64, mu, c float64, w map[string]float64) *Concept {
		t.Helper()
		ws, err := s.NewWeights(w, nil)
		if err != nil {
			t.Fatal(err)
		}
		var core []Cuboid
		for _, cb := range cubes {
			core = append(core, Cuboid{Min: cb[0], Max: cb[1]})
		}
		k, err := s.NewConcept(core, mu, c, ws)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	f := &fruit{s: s}
	f.pear = mk([][2][]float64{{{0.5, 0.4, 0.35}, {0.7, 0.6, 0.45}}}, 1, 12, map[string]float64{"color": 0.5, "shape": 1.25, "taste": 1.25})
	f.orange = mk([][2][]float64{{{0.8, 0.9, 0.6}, {0.9, 1.0, 0.7}}}, 1, 15, map[string]float64{"color": 1, "shape": 1, "taste": 1})
	f.lemon = mk([][2][]float64{{{0.7, 0.45, 0.0}, {0.8, 0.55, 0.1}}}, 1, 20, map[string]float64{"color": 0.5, "shape": 0.5, "taste": 2})
	f.granny = mk([][2][]float64{{{0.55, 0.70, 0.35}, {0.6, 0.8, 0.45}}}, 1, 25, map[string]float64{"color": 1, "shape": 1, "taste": 1})
	f.apple = mk([][2][]float64{
		{{0.5, 0.65, 0.35}, {0.8, 0.8, 0.5}},
		{{0.65, 0.65, 0.4}, {0.85, 0.8, 0.55}},
		{{0.7, 0.65, 0.45}, {1.0, 0.8, 0.6}},
	}, 1, 10, map[string]float64{"color": 0.5, "shape": 1.5, "taste": 1})
	f.banana = mk([][2][]float64{
		{{0.5, 0.1, 0.35}, {0.75, 0.30, 0.55}},
		{{0.7, 0.1, 0.5}, {0.8, 0.3, 0.7}},
		{{0.75, 0.1, 0.5}, {0.85, 0.3, 1.00}},
	}, 1, 10, map[string]float64{"color": 0.75, "shape": 1.5, "taste": 0.75})
	f.red = mk([][2][]float64{{{0.9, -inf, -inf}, {1.0, inf, inf}}}, 1, 20, map[string]float64{"color": 1})
	f.nonSw = mk([][2][]float64{{{-inf, -inf, 0.0}, {inf, inf, 0.2}}}, 1, 7, map[string]float64{"taste": 1})
	return f
}

func TestBechbergerMembership(t *testing.T) {
	f := newFruit(t)
	if got := f.pear.Membership([]float64{0.6, 0.5, 0.4}); got != 1 {
		t.Fatalf("pear inside: %v", got)
	}
	if got := f.pear.Membership([]float64{0.3, 0.2, 0.1}); !approx(got, 0.0003526621646282561, 1e-15) {
		t.Fatalf("pear outside: %v", got)
	}
}

// concept_test.py of the reference implementation: 4 dimensions in two
// domains, domain weights 2:1, dimension weights 1:1 and 3:2, c = 2.
func TestBechbergerMembershipTwoDomains(t *testing.T) {
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{
		{Name: "d0", Weight: 2, Dimensions: []DimensionDef{{Name: "a", Weight: 1}, {Name: "b", Weight: 1}}},
		{Name: "d1", Weight: 1, Dimensions: []DimensionDef{{Name: "c", Weight: 3}, {Name: "d", Weight: 2}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	w := s.Weights()
	one, _ := s.NewConcept([]Cuboid{{Min: []float64{1, 2, 3, 4}, Max: []float64{3, 4, 5, 6}}}, 1, 2, w)
	if got := one.Membership([]float64{4, 4, 4, 4}); !approx(got, 0.15173524, 1e-8) {
		t.Fatalf("one cuboid: %v", got)
	}
	two, err := s.NewConcept([]Cuboid{
		{Min: []float64{3, 4, 5, 6}, Max: []float64{10, 10, 10, 10}},
		{Min: []float64{1, 2, 3, 4}, Max: []float64{3, 4, 5, 6}},
	}, 1, 2, w)
	if err != nil {
		t.Fatal(err)
	}
	if got := two.Membership([]float64{4, 4, 4, 4}); !approx(got, 0.15173524, 1e-8) {
		t.Fatalf("two cuboids: %v", got)
	}
	w1, _ := s.NewWeights(map[string]float64{"d1": 1}, map[string]float64{"c": 3, "d": 2})
	inf2, err := s.NewConcept([]Cuboid{
		{Min: []float64{0, 0, 5, 6}, Max: []float64{0, 0, 10, 10}},
		{Min: []float64{0, 0, 3, 4}, Max: []float64{0, 0, 5, 6}},
	}, 1, 2, w1)
	if err != nil {
		t.Fatal(err)
	}
	// The reference test gives 0.18515757 because its concept keeps a weight
	// on domain d0 while being unbounded there; here a concept's domains are
	// those it weighs, so d1 carries the whole weight: exp(−2·sqrt(0.4·2²)).
	if got := inf2.Membership([]float64{4, 4, 10, 4}); !approx(got, math.Exp(-2*math.Sqrt(0.4*4)), 1e-12) {
		t.Fatalf("infinite cuboids: %v", got)
	}
}

func cuboidsApprox(t *testing.T, got []Cuboid, want [][2][]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d cuboids %v, want %d", len(got), got, len(want))
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			ok := true
			for d := range w[0] {
				ok = ok && approx(g.Min[d], w[0][d], 1e-9) && approx(g.Max[d], w[1][d], 1e-9)
			}
			found = found || ok
		}
		if !found {
			t.Fatalf("cuboid %v not in %v", w, got)
		}
	}
}

func TestBechbergerIntersectUnionProject(t *testing.T) {
	f := newFruit(t)
	inter, err := f.pear.Intersect(f.apple)
	if err != nil {
		t.Fatal(err)
	}
	cuboidsApprox(t, inter.Core, [][2][]float64{{{0.5, 0.625, 0.35}, {0.7, 0.625, 0.45}}})
	if !approx(inter.Mu, 0.6872892788, 1e-10) || inter.C != 10 {
		t.Fatalf("intersection μ=%v c=%v", inter.Mu, inter.C)
	}
	wantW := Weights{Domain: []float64{0.5, 1.375, 1.125}, Dimension: []float64{1, 1, 1}}
	if !inter.W.approxEqual(wantW, 1e-12) {
		t.Fatalf("intersection weights %v", inter.W)
	}
	union, err := f.pear.Union(f.apple)
	if err != nil {
		t.Fatal(err)
	}
	cuboidsApprox(t, union.Core, [][2][]float64{
		{{0.5, 0.4, 0.35}, {0.7125, 0.66875, 0.45625}},
		{{0.5, 0.65, 0.35}, {0.8, 0.8, 0.5}},
		{{0.65, 0.65, 0.4}, {0.85, 0.8, 0.55}},
		{{0.7, 0.65, 0.45}, {1.0, 0.8, 0.6}},
	})
	if union.Mu != 1 || union.C != 10 || !union.W.approxEqual(wantW, 1e-12) {
		t.Fatalf("union params %v %v %v", union.Mu, union.C, union.W)
	}
	proj, err := f.pear.Project("color")
	if err != nil {
		t.Fatal(err)
	}
	cuboidsApprox(t, proj.Core, [][2][]float64{{{0.5, -inf, -inf}, {0.7, inf, inf}}})
	if !proj.W.approxEqual(Weights{Domain: []float64{1, 0, 0}, Dimension: []float64{1, 0, 0}}, 1e-12) || proj.C != 12 {
		t.Fatalf("projection %v", proj.W)
	}
	lo, up, err := f.pear.Cut("round", 0.5)
	if err != nil {
		t.Fatal(err)
	}
	cuboidsApprox(t, lo.Core, [][2][]float64{{{0.5, 0.4, 0.35}, {0.7, 0.5, 0.45}}})
	cuboidsApprox(t, up.Core, [][2][]float64{{{0.5, 0.5, 0.35}, {0.7, 0.6, 0.45}}})
}

// The repair example of concept_test.py (test_unify_repair_no_params).
func TestUnionRepair(t *testing.T) {
	s, _ := Compile(SpaceDefinition{Domains: []DomainDef{
		{Name: "d0", Weight: 2, Dimensions: []DimensionDef{{Name: "a", Weight: 1}}},
		{Name: "d1", Weight: 1, Dimensions: []DimensionDef{{Name: "b", Weight: 3}, {Name: "c", Weight: 2}}},
	}})
	w := s.Weights()
	k1, _ := s.NewConcept([]Cuboid{{Min: []float64{1, 2, 3}, Max: []float64{2, 3, 4}}}, 1, 2, w)
	k2, _ := s.NewConcept([]Cuboid{{Min: []float64{3, 4, 5}, Max: []float64{7, 7, 7}}}, 1, 2, w)
	for _, u := range []func() (*Concept, error){func() (*Concept, error) { return k1.Union(k2) }, func() (*Concept, error) { return k2.Union(k1) }} {
		got, err := u()
		if err != nil {
			t.Fatal(err)
		}
		cuboidsApprox(t, got.Core, [][2][]float64{{{1, 2, 3}, {3.25, 4, 4.75}}, {{3, 4, 4.75}, {7, 7, 7}}})
	}
}

func TestBechbergerSizeSubsethood(t *testing.T) {
	f := newFruit(t)
	if got := f.apple.Size(); !approx(got, 0.10483333333333335, 1e-12) {
		t.Fatalf("apple size %v", got)
	}
	if got := f.lemon.Size(); !approx(got, 0.0135, 1e-14) {
		t.Fatalf("lemon size %v", got)
	}
	check := func(name string, got float64, err error, want, tol float64) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if !approx(got, want, tol) {
			t.Fatalf("%s = %v, want %v", name, got, want)
		}
	}
	v, err := f.granny.Subsethood(f.apple)
	check("granny ⊆ apple", v, err, 1, 1e-12)
	v, err = f.apple.Subsethood(f.granny)
	check("apple ⊆ granny", v, err, 0.11709107083287003, 1e-9)
	v, err = f.apple.Implies(f.red)
	check("apple ⇒ red", v, err, 1.0/3, 1e-9)
	v, err = f.lemon.Implies(f.nonSw)
	check("lemon ⇒ nonSweet", v, err, 1, 1e-12)
	v, err = f.pear.Similarity(f.pear)
	check("pear ~ pear", v, err, 1, 1e-12)
	ab, err := f.apple.Similarity(f.banana)
	if err != nil || !(ab > 0 && ab < 1) {
		t.Fatalf("apple ~ banana = %v, %v", ab, err)
	}
	ba, _ := f.banana.Similarity(f.apple)
	if !approx(ab, ba, 1e-9) {
		t.Fatalf("Jaccard similarity not symmetric: %v vs %v", ab, ba)
	}
	ag, _ := f.apple.Similarity(f.granny)
	if !(ag > ab) {
		t.Fatalf("apple should be more similar to granny (%v) than to banana (%v)", ag, ab)
	}
}

// For a single cuboid Size is the exact integral of the membership
// function. (Over several cuboids inclusion–exclusion, as published, is an
// approximation: min of two fuzzified cuboids is not the fuzzified
// intersection off the axes; the published apple size pins that behaviour.)
func TestSizeMatchesMonteCarlo(t *testing.T) {
	s, _ := Compile(SpaceDefinition{Domains: []DomainDef{
		{Name: "d0", Weight: 2, Dimensions: []DimensionDef{{Name: "a", Weight: 1}, {Name: "b", Weight: 3}}},
		{Name: "d1", Weight: 1, Dimensions: []DimensionDef{{Name: "c", Weight: 1}}},
	}})
	k, err := s.NewConcept([]Cuboid{
		{Min: []float64{0, 0, 0}, Max: []float64{1, 0.5, 0.5}},
	}, 0.8, 6, s.Weights())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 8))
	lo, hi := -3.0, 4.0
	const n = 400000
	var sum float64
	x := make([]float64, 3)
	for i := 0; i < n; i++ {
		for d := range x {
			x[d] = lo + r.Float64()*(hi-lo)
		}
		sum += k.Membership(x)
	}
	mc := sum / n * math.Pow(hi-lo, 3)
	if got := k.Size(); math.Abs(got-mc)/got > 0.02 {
		t.Fatalf("closed form %v vs Monte Carlo %v", got, mc)
	}
}

// The intersection's μ is the best achievable min-membership: no sampled
// point may beat it (up to the optimiser's tolerance).
func TestIntersectionMuIsOptimal(t *testing.T) {
	s, _ := Compile(SpaceDefinition{Domains: []DomainDef{
		{Name: "d0", Weight: 1, Dimensions: []DimensionDef{{Name: "a", Weight: 1}, {Name: "b", Weight: 2}}},
		{Name: "d1", Weight: 1, Dimensions: []DimensionDef{{Name: "c", Weight: 1}}},
	}})
	wa, _ := s.NewWeights(map[string]float64{"d0": 1, "d1": 3}, map[string]float64{"a": 1, "b": 1})
	wb, _ := s.NewWeights(map[string]float64{"d0": 2, "d1": 1}, map[string]float64{"a": 3, "b": 1})
	A, _ := s.NewConcept([]Cuboid{{Min: []float64{0, 0, 0}, Max: []float64{1, 1, 1}}}, 1, 3, wa)
	B, _ := s.NewConcept([]Cuboid{{Min: []float64{2, 1.5, 2}, Max: []float64{3, 3, 3}}}, 0.9, 2, wb)
	I, err := A.Intersect(B)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 10))
	x := make([]float64, 3)
	for i := 0; i < 200000; i++ {
		for d := range x {
			x[d] = -0.5 + r.Float64()*4
		}
		if m := math.Min(A.Membership(x), B.Membership(x)); m > I.Mu+1e-6 {
			t.Fatalf("point %v reaches %v > μ %v", x, m, I.Mu)
		}
	}
	// And the core point does reach it.
	c := I.Core[0].Min
	if m := math.Min(A.Membership(c), B.Membership(c)); !approx(m, I.Mu, 1e-6) {
		t.Fatalf("core point reaches %v, μ = %v", m, I.Mu)
	}
}

func TestConceptValidation(t *testing.T) {
	f := newFruit(t)
	s := f.s
	w := s.Weights()
	if _, err := s.NewConcept(nil, 1, 1, w); !errors.Is(err, ErrEmptyCore) {
		t.Fatal(err)
	}
	c := []Cuboid{{Min: []float64{0, 0, 0}, Max: []float64{1, 1, 1}}}
	if _, err := s.NewConcept(c, 0, 1, w); !errors.Is(err, ErrInvalidParameter) {
		t.Fatal(err)
	}
	if _, err := s.NewConcept(c, 1, -1, w); !errors.Is(err, ErrInvalidParameter) {
		t.Fatal(err)
	}
	if _, err := s.NewConcept([]Cuboid{{Min: []float64{0, math.NaN(), 0}, Max: []float64{1, 1, 1}}}, 1, 1, w); !errors.Is(err, ErrNaN) {
		t.Fatal(err)
	}
	if _, err := s.NewConcept([]Cuboid{{Min: []float64{2, 0, 0}, Max: []float64{1, 1, 1}}}, 1, 1, w); !errors.Is(err, ErrInvalidRange) {
		t.Fatal(err)
	}
	disjoint := []Cuboid{{Min: []float64{0, 0, 0}, Max: []float64{1, 1, 1}}, {Min: []float64{2, 2, 2}, Max: []float64{3, 3, 3}}}
	if _, err := s.NewConcept(disjoint, 1, 1, w); !errors.Is(err, ErrCoreNotStar) {
		t.Fatal(err)
	}
	if _, err := f.pear.Union(f.red); !errors.Is(err, ErrInvalidParameter) {
		t.Fatal(err)
	}
	if _, err := f.red.Project("shape"); !errors.Is(err, ErrInvalidParameter) {
		t.Fatal(err)
	}
}

func BenchmarkMembership(b *testing.B) {
	f := newFruit(b)
	x := []float64{0.3, 0.2, 0.1}
	b.ReportAllocs()
	var sink float64
	for i := 0; i < b.N; i++ {
		sink += f.apple.Membership(x)
	}
	_ = sink
}

func TestConceptDefRoundTrip(t *testing.T) {
	f := newFruit(t)
	for _, k := range []*Concept{f.apple, f.red, f.nonSw} {
		raw, err := json.Marshal(k.Def("x"))
		if err != nil {
			t.Fatal(err)
		}
		var d ConceptDef
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		k2, err := f.s.CompileConcept(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range [][]float64{{0.3, 0.2, 0.1}, {0.9, 0.7, 0.5}, {0.6, 0.6, 0.6}} {
			if !approx(k.Membership(x), k2.Membership(x), 1e-12) {
				t.Fatalf("membership differs after round trip: %v vs %v", k.Membership(x), k2.Membership(x))
			}
		}
	}
	_, err := f.s.CompileConcept(ConceptDef{Mu: 1, C: 1, DomainWeights: map[string]float64{"color": 1},
		Core: []CuboidDef{{Min: map[string]float64{"hue": 0}, Max: map[string]float64{}}}})
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("missing bound: %v", err)
	}
	_, err = f.s.CompileConcept(ConceptDef{Mu: 1, C: 1, DomainWeights: map[string]float64{"colour": 1}})
	if !errors.Is(err, ErrUnknownDomain) {
		t.Fatalf("unknown domain: %v", err)
	}
}
