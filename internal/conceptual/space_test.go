package conceptual

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func approx(a, b, tol float64) bool { return a == b || math.Abs(a-b) <= tol }

// fruitSpace is a two-domain space used by several hand-computed tests.
func fruitSpace(t testing.TB) *Space {
	t.Helper()
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{
		{Name: "color", Weight: 2, Dimensions: []DimensionDef{
			{Name: "hue", Weight: 1, Kind: Circular, Range: []float64{0, 360}},
			{Name: "sat", Weight: 3, Kind: Continuous, Range: []float64{0, 1}},
		}},
		{Name: "shape", Weight: 1, Dimensions: []DimensionDef{
			{Name: "size", Weight: 1, Kind: Continuous},
			{Name: "form", Weight: 1, Kind: Categorical, Values: []string{"round", "long"}},
			{Name: "ripeness", Weight: 2, Kind: Ordinal, Values: []string{"green", "ripe", "old"}},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWeightsNormalised(t *testing.T) {
	s := fruitSpace(t)
	w := s.Weights()
	// Domain weights sum to the number of domains: 2:1 → 4/3, 2/3.
	if !approx(w.Domain[0], 4.0/3, 1e-15) || !approx(w.Domain[1], 2.0/3, 1e-15) {
		t.Fatalf("domain weights %v", w.Domain)
	}
	want := []float64{0.25, 0.75, 0.25, 0.25, 0.5}
	for k, v := range want {
		if !approx(w.Dimension[k], v, 1e-15) {
			t.Fatalf("dimension weights %v, want %v", w.Dimension, want)
		}
	}
	if err := s.SetDomainWeight("shape", 2); err != nil {
		t.Fatal(err)
	}
	if w := s.Weights(); !approx(w.Domain[0], 1, 1e-15) || !approx(w.Domain[1], 1, 1e-15) {
		t.Fatalf("after change: %v", w.Domain)
	}
	if err := s.SetDimensionWeight("sat", 1); err != nil {
		t.Fatal(err)
	}
	if w := s.Weights(); !approx(w.Dimension[0], 0.5, 1e-15) {
		t.Fatalf("after dimension change: %v", w.Dimension)
	}
	if err := s.SetDomainWeight("smell", 1); !errors.Is(err, ErrUnknownDomain) {
		t.Fatalf("unknown domain: %v", err)
	}
	if err := s.SetDimensionWeight("hue", 0); !errors.Is(err, ErrInvalidWeight) {
		t.Fatalf("zero weight: %v", err)
	}
}

func TestDistanceHandComputed(t *testing.T) {
	s := fruitSpace(t)
	// x, y: hue 350 vs 10 (arc 20), sat .2 vs .6, size 1 vs 4, form round vs long, ripeness 0 vs 2.
	x := []float64{350, 0.2, 1, 0, 0}
	y := []float64{10, 0.6, 4, 1, 2}
	dColor := math.Sqrt(0.25*20*20 + 0.75*0.4*0.4)
	dShape := math.Sqrt(0.25*9 + 0.25*1 + 0.5*4)
	want := 4.0/3*dColor + 2.0/3*dShape
	if got := s.Distance(x, y); !approx(got, want, 1e-12) {
		t.Fatalf("distance %v, want %v", got, want)
	}
	if got := s.Similarity(x, y, 0.5); !approx(got, math.Exp(-0.5*want), 1e-15) {
		t.Fatalf("similarity %v", got)
	}
	dd := s.DomainDistances(x, y, nil)
	if !approx(dd[0], dColor, 1e-12) || !approx(dd[1], dShape, 1e-12) {
		t.Fatalf("domain distances %v", dd)
	}
}

func TestCircularWrap(t *testing.T) {
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{{Name: "time", Weight: 1, Dimensions: []DimensionDef{
		{Name: "hour", Weight: 1, Kind: Circular, Range: []float64{0, 24}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ a, b, want float64 }{
		{23, 1, 2}, {1, 23, 2}, {0, 12, 12}, {6, 18, 12}, {0, 24, 0}, {3, 4, 1}, {22.5, 0.5, 2},
	}
	for _, c := range cases {
		if got := s.Distance([]float64{c.a}, []float64{c.b}); !approx(got, c.want, 1e-12) {
			t.Errorf("d(%v,%v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	// Values given outside the range wrap into it.
	x, err := s.Point(Coordinates{"hour": 25}, "q")
	if err != nil || x[0] != 1 {
		t.Fatalf("wrap 25 → %v, %v", x, err)
	}
	x, err = s.Point(Coordinates{"hour": -1}, "q")
	if err != nil || x[0] != 23 {
		t.Fatalf("wrap -1 → %v, %v", x, err)
	}
}

func TestMissingSkipsDomainAndRenormalises(t *testing.T) {
	s := fruitSpace(t)
	x := []float64{350, 0.2, 1, 0, 0}
	y := []float64{10, Missing, 4, 1, 2}
	// Colour is skipped; its weight is spread onto shape, whose weight
	// becomes the whole total (2).
	dShape := math.Sqrt(0.25*9 + 0.25*1 + 0.5*4)
	if got := s.Distance(x, y); !approx(got, 2*dShape, 1e-12) {
		t.Fatalf("missing: %v, want %v", got, 2*dShape)
	}
	if d, ok := s.DomainDistance(0, x, y); ok || d != 0 {
		t.Fatalf("colour should be missing")
	}
	allMissing := []float64{Missing, Missing, Missing, Missing, Missing}
	if got := s.Distance(x, allMissing); !math.IsNaN(got) {
		t.Fatalf("no common domain: %v", got)
	}
}

func randomPoint(r *rand.Rand, s *Space) []float64 {
	x := make([]float64, s.Dims())
	for k := range x {
		switch s.DimensionKind(k) {
		case Circular:
			lo, hi, _ := s.DimensionRange(k)
			x[k] = lo + r.Float64()*(hi-lo)
		case Categorical, Ordinal:
			x[k] = float64(r.IntN(3))
		default:
			x[k] = r.NormFloat64()
		}
	}
	return x
}

func TestMetricAxioms(t *testing.T) {
	s := fruitSpace(t)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		x, y, z := randomPoint(r, s), randomPoint(r, s), randomPoint(r, s)
		dxy, dyx := s.Distance(x, y), s.Distance(y, x)
		if s.Distance(x, x) != 0 {
			t.Fatalf("d(x,x) = %v", s.Distance(x, x))
		}
		if dxy != dyx {
			t.Fatalf("asymmetric: %v vs %v", dxy, dyx)
		}
		if dxy < 0 {
			t.Fatalf("negative distance")
		}
		if dxz, dyz := s.Distance(x, z), s.Distance(y, z); dxz > dxy+dyz+1e-9 {
			t.Fatalf("triangle inequality: d(x,z)=%v > %v + %v (x=%v y=%v z=%v)", dxz, dxy, dyz, x, y, z)
		}
		if b := s.Betweenness(x, y, z); b < 0 || b > 1+1e-12 {
			t.Fatalf("betweenness out of [0,1]: %v", b)
		}
	}
}

func TestBetweennessPoints(t *testing.T) {
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{
		{Name: "a", Weight: 1, Dimensions: []DimensionDef{{Name: "x", Weight: 1}, {Name: "y", Weight: 1}}},
		{Name: "b", Weight: 1, Dimensions: []DimensionDef{{Name: "z", Weight: 1}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	x, z := []float64{0, 0, 0}, []float64{2, 2, 2}
	mid := []float64{1, 1, 1}
	if !s.Between(x, mid, z, 1e-12) || !approx(s.Betweenness(x, mid, z), 1, 1e-12) {
		t.Fatal("midpoint should be between")
	}
	// Manhattan across domains: moving first along z then along (x,y) is
	// still a shortest path, so a "corner" point is between too.
	corner := []float64{0, 0, 2}
	if !s.Between(x, corner, z, 1e-12) {
		t.Fatal("corner across domains should be between")
	}
	// Inside one Euclidean domain the corner is not between.
	off := []float64{2, 0, 1}
	if s.Between(x, off, z, 1e-9) {
		t.Fatal("off-line point inside a domain should not be between")
	}
	// Hand value: d(x,z)=sqrt(4)+2=4 (weights: dims .5,.5, domains 1,1)
	// d(x,off)=sqrt(.5*4)+1, d(off,z)=sqrt(.5*4)+1.
	want := 4 / (2*math.Sqrt(2) + 2)
	if got := s.Betweenness(x, off, z); !approx(got, want, 1e-12) {
		t.Fatalf("betweenness %v, want %v", got, want)
	}
}

func TestCompileErrorsNameTheField(t *testing.T) {
	cases := []struct {
		name  string
		def   SpaceDefinition
		field string
		err   error
	}{
		{"no domains", SpaceDefinition{}, "domains", ErrEmptySpace},
		{"empty domain", SpaceDefinition{Domains: []DomainDef{{Name: "a", Weight: 1}}}, "domains[0].dimensions", ErrEmptyDomain},
		{"zero domain weight", SpaceDefinition{Domains: []DomainDef{{Name: "a", Weight: 0, Dimensions: []DimensionDef{{Name: "x", Weight: 1}}}}}, "domains[0].weight", ErrInvalidWeight},
		{"negative dim weight", SpaceDefinition{Domains: []DomainDef{{Name: "a", Weight: 1, Dimensions: []DimensionDef{{Name: "x", Weight: -1}}}}}, "domains[0].dimensions[0].weight", ErrInvalidWeight},
		{"NaN weight", SpaceDefinition{Domains: []DomainDef{{Name: "a", Weight: math.NaN(), Dimensions: []DimensionDef{{Name: "x", Weight: 1}}}}}, "domains[0].weight", ErrInvalidWeight},
		{"bad kind", SpaceDefinition{Domains: []DomainDef{{Name: "a", Weight: 1, Dimensions: []DimensionDef{{Name: "x", Weight: 1, Kind: "fuzzy"}}}}}, "domains[0].dimensions[0].kind", ErrInvalidKind},
		{"circular without range", SpaceDefinition{Domains: []DomainDef{{Name: "a", Weight: 1, Dimensions: []DimensionDef{{Name: "x", Weight: 1, Kind: Circular}}}}}, "domains[0].dimensions[0].range", ErrInvalidRange},
		{"inverted range", SpaceDefinition{Domains: []DomainDef{{Name: "a", Weight: 1, Dimensions: []DimensionDef{{Name: "x", Weight: 1, Range: []float64{2, 1}}}}}}, "domains[0].dimensions[0].range", ErrInvalidRange},
		{"duplicate dim", SpaceDefinition{Domains: []DomainDef{
			{Name: "a", Weight: 1, Dimensions: []DimensionDef{{Name: "x", Weight: 1}}},
			{Name: "b", Weight: 1, Dimensions: []DimensionDef{{Name: "x", Weight: 1}}}}}, "domains[1].dimensions[0].name", ErrDuplicateName},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compile(c.def)
			var fe *FieldError
			if !errors.Is(err, c.err) || !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("got %v, want field %q wrapping %v", err, c.field, c.err)
			}
			if !strings.Contains(err.Error(), c.field) {
				t.Fatalf("message %q does not name %q", err, c.field)
			}
		})
	}
}

func TestPointValidation(t *testing.T) {
	s := fruitSpace(t)
	if _, err := s.Point(Coordinates{"colour": 1}, "q"); !errors.Is(err, ErrUnknownDimension) || !strings.Contains(err.Error(), "q.colour") {
		t.Fatalf("unknown dimension: %v", err)
	}
	if _, err := s.Point(Coordinates{"sat": math.NaN()}, "q"); !errors.Is(err, ErrNaN) || !strings.Contains(err.Error(), "q.sat") {
		t.Fatalf("NaN: %v", err)
	}
	if _, err := s.Point(Coordinates{"sat": 2}, "q"); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("out of range: %v", err)
	}
	if _, err := s.Point(Coordinates{"form": 5}, "q"); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("bad category: %v", err)
	}
	if err := s.CheckPoint([]float64{1, 2}, true, "q"); !errors.Is(err, ErrDimensionCount) {
		t.Fatalf("count: %v", err)
	}
	if err := s.CheckPoint([]float64{1, Missing, 0, 0, 0}, false, "q"); !errors.Is(err, ErrNaN) {
		t.Fatalf("missing not allowed: %v", err)
	}
	x, err := s.Point(Coordinates{"hue": 10, "form": 1}, "q")
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Coordinates(x); len(c) != 2 || c["hue"] != 10 || c["form"] != 1 {
		t.Fatalf("round trip: %v", c)
	}
}

func TestDefinitionRoundTrip(t *testing.T) {
	s := fruitSpace(t)
	s2, err := Compile(s.Definition())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 100; i++ {
		x, y := randomPoint(r, s), randomPoint(r, s)
		if s.Distance(x, y) != s2.Distance(x, y) {
			t.Fatal("round-tripped space differs")
		}
	}
	c := s.Clone()
	_ = c.SetDomainWeight("color", 5)
	if s.Weights().Domain[0] == c.Weights().Domain[0] {
		t.Fatal("Clone shares weights")
	}
}

func TestAxisBoundIsALowerBound(t *testing.T) {
	s := fruitSpace(t)
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		q, y := randomPoint(r, s), randomPoint(r, s)
		k := r.IntN(s.Dims())
		// split anywhere between q[k] and y[k] puts y on the other side.
		lo, hi := math.Min(q[k], y[k]), math.Max(q[k], y[k])
		split := lo + r.Float64()*(hi-lo)
		if b := s.AxisBound(q, k, split); b > s.Distance(q, y)+1e-12 {
			t.Fatalf("bound %v > distance %v (k=%d q=%v y=%v split=%v)", b, s.Distance(q, y), k, q, y, split)
		}
	}
}

func BenchmarkDistance(b *testing.B) {
	s := fruitSpace(b)
	r := rand.New(rand.NewPCG(1, 1))
	pts := make([][]float64, 1024)
	for i := range pts {
		pts[i] = randomPoint(r, s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sink float64
	for i := 0; i < b.N; i++ {
		sink += s.Distance(pts[i&1023], pts[(i+1)&1023])
	}
	_ = sink
}

func BenchmarkDistanceContinuous8(b *testing.B) {
	dims := make([]DimensionDef, 4)
	for i := range dims {
		dims[i] = DimensionDef{Name: string(rune('a' + i)), Weight: float64(i + 1)}
	}
	dims2 := make([]DimensionDef, 4)
	for i := range dims2 {
		dims2[i] = DimensionDef{Name: string(rune('p' + i)), Weight: 1}
	}
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{{Name: "d1", Weight: 1, Dimensions: dims}, {Name: "d2", Weight: 2, Dimensions: dims2}}})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	pts := make([][]float64, 1024)
	for i := range pts {
		pts[i] = randomPoint(r, s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sink float64
	for i := 0; i < b.N; i++ {
		sink += s.Distance(pts[i&1023], pts[(i+1)&1023])
	}
	_ = sink
}

func TestBoxDistanceIsMinOverBox(t *testing.T) {
	s := fruitSpace(t)
	r := rand.New(rand.NewPCG(15, 16))
	for i := 0; i < 2000; i++ {
		a, b, q := randomPoint(r, s), randomPoint(r, s), randomPoint(r, s)
		lo, hi := make([]float64, len(a)), make([]float64, len(a))
		for k := range a {
			lo[k], hi[k] = math.Min(a[k], b[k]), math.Max(a[k], b[k])
		}
		bd := s.BoxDistance(q, lo, hi)
		// The clamped point is in the box, so the bound is at most its distance…
		y := make([]float64, len(q))
		for k := range q {
			y[k] = math.Max(lo[k], math.Min(hi[k], q[k]))
		}
		if d := s.Distance(q, y); bd > d+1e-12 {
			t.Fatalf("box distance %v > distance to clamped point %v", bd, d)
		}
		// …and no sampled point of the box is closer.
		for j := 0; j < 20; j++ {
			for k := range y {
				y[k] = lo[k] + r.Float64()*(hi[k]-lo[k])
				if s.DimensionKind(k) != Continuous {
					y[k] = []float64{lo[k], hi[k]}[r.IntN(2)]
				}
			}
			if d := s.Distance(q, y); d < bd-1e-12 {
				t.Fatalf("point in box at %v < box distance %v", d, bd)
			}
		}
	}
	if testing.AllocsPerRun(100, func() { s.BoxDistance([]float64{1, 0.5, 1, 0, 0}, []float64{0, 0, 0, 0, 0}, []float64{1, 1, 1, 1, 1}) }) != 0 {
		t.Fatal("BoxDistance allocates")
	}
}

func TestDistanceDoesNotAllocate(t *testing.T) {
	s := fruitSpace(t)
	x, y := []float64{350, 0.2, 1, 0, 0}, []float64{10, Missing, 4, 1, 2}
	if n := testing.AllocsPerRun(100, func() { s.Distance(x, y) }); n != 0 {
		t.Fatalf("Distance allocates %v", n)
	}
	dst := make([]float64, s.NumDomains())
	if n := testing.AllocsPerRun(100, func() { s.DomainDistances(x, y, dst) }); n != 0 {
		t.Fatalf("DomainDistances allocates %v", n)
	}
}
