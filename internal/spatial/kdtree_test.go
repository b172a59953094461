package spatial

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// testMetric mirrors the conceptual metric's shape without importing it:
// two domains {0,1,2} and {3,4} with weights, Euclidean inside, weighted sum
// across, and dimension 2 circular with period 1.
type testMetric struct{}

var (
	tmDom = [2]float64{1.5, 0.5}
	tmDim = [5]float64{0.5, 0.3, 0.2, 0.7, 0.3}
)

func tmDiff(k int, a, b float64) float64 {
	d := math.Abs(a - b)
	if k == 2 {
		d = math.Mod(d, 1)
		d = math.Min(d, 1-d)
	}
	return d
}

func (testMetric) Distance(x, y []float64) float64 {
	var s0, s1 float64
	for k := 0; k < 3; k++ {
		d := tmDiff(k, x[k], y[k])
		s0 += tmDim[k] * d * d
	}
	for k := 3; k < 5; k++ {
		d := x[k] - y[k]
		s1 += tmDim[k] * d * d
	}
	return tmDom[0]*math.Sqrt(s0) + tmDom[1]*math.Sqrt(s1)
}

func (testMetric) AxisBound(q []float64, k int, split float64) float64 {
	dom := 0
	if k >= 3 {
		dom = 1
	}
	gap := math.Abs(q[k] - split)
	if k == 2 {
		if q[k] < split {
			gap = math.Min(gap, q[k])
		} else {
			gap = math.Min(gap, 1-q[k])
		}
	}
	return tmDom[dom] * math.Sqrt(tmDim[k]) * gap
}

// boxMetric adds the exact box bound that *conceptual.Space provides.
type boxMetric struct{ testMetric }

func (boxMetric) BoxDistance(q, lo, hi []float64) float64 {
	y := make([]float64, len(q))
	for k, v := range q {
		y[k] = math.Max(lo[k], math.Min(hi[k], v))
		if k == 2 && (v < lo[k] || v > hi[k]) && tmDiff(2, v, lo[k]) < tmDiff(2, v, hi[k]) {
			y[k] = lo[k]
		} else if k == 2 && (v < lo[k] || v > hi[k]) {
			y[k] = hi[k]
		}
	}
	return testMetric{}.Distance(q, y)
}

func randPoints(r *rand.Rand, n, d int) [][]float64 {
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, d)
		for k := range pts[i] {
			pts[i][k] = r.Float64()
		}
	}
	return pts
}

func sameNeighbors(t *testing.T, got, want []Neighbor) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d neighbours, want %d", len(got), len(want))
	}
	for i := range want {
		// Ties may be ordered differently; distances must agree exactly.
		if math.Abs(got[i].Dist-want[i].Dist) > 1e-12 {
			t.Fatalf("neighbour %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestKDTreeMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, tc := range []struct {
		name string
		n, d int
		m    Metric
	}{
		{"euclid-3d", 2000, 3, nil},
		{"euclid-8d", 5000, 8, Euclidean{}},
		{"conceptual-5d", 3000, 5, testMetric{}},
		{"conceptual-5d-box", 3000, 5, boxMetric{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pts := randPoints(r, tc.n, tc.d)
			tree, err := NewKDTree(pts, tc.m)
			if err != nil {
				t.Fatal(err)
			}
			var buf []Neighbor
			for q := 0; q < 200; q++ {
				qp := randPoints(r, 1, tc.d)[0]
				for _, k := range []int{1, 10, 50} {
					buf = tree.KNN(qp, k, buf)
					sameNeighbors(t, buf, BruteKNN(pts, tc.m, qp, k))
				}
				rad := 0.05 + 0.2*r.Float64()
				buf = tree.Radius(qp, rad, buf)
				sameNeighbors(t, buf, BruteRadius(pts, tc.m, qp, rad))
			}
		})
	}
}

func TestKDTreeInsertAndErrors(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	pts := randPoints(r, 3000, 4)
	tree, err := NewKDTree(pts[:100], nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 100; i < len(pts); i++ {
		if err := tree.Insert(i, pts[i]); err != nil {
			t.Fatal(err)
		}
		if i%250 == 0 || i == len(pts)-1 { // across rebuilds and pending scans
			q := randPoints(r, 1, 4)[0]
			sameNeighbors(t, tree.KNN(q, 20, nil), BruteKNN(pts[:i+1], nil, q, 20))
			sameNeighbors(t, tree.Radius(q, 0.2, nil), BruteRadius(pts[:i+1], nil, q, 0.2))
		}
	}
	if tree.Len() != len(pts) {
		t.Fatalf("Len %d", tree.Len())
	}
	q := []float64{0.5, 0.5, 0.5, 0.5}
	if err := tree.Insert(9, []float64{1, 2}); !errors.Is(err, ErrDimension) {
		t.Fatal(err)
	}
	if _, err := NewKDTree([][]float64{{1, math.NaN()}}, nil); !errors.Is(err, ErrNaN) {
		t.Fatal(err)
	}
	empty, _ := NewKDTree(nil, nil)
	if got := empty.KNN(q, 3, nil); len(got) != 0 {
		t.Fatal("empty tree returned results")
	}
}

func TestHNSWRecall(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	const n, d, k = 5000, 16, 10
	pts := clustered(r, n, d, 20)
	h, err := NewHNSW(d, nil, HNSWOptions{M: 12, EfConstruction: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pts {
		if _, err := h.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	var sum float64
	const queries = 200
	var buf []Neighbor
	for q := 0; q < queries; q++ {
		qp := jitter(r, pts[r.IntN(n)], 0.05)
		buf = h.Search(qp, k, 64, buf)
		sum += Recall(buf, BruteKNN(pts, nil, qp, k))
	}
	if rec := sum / queries; rec < 0.95 {
		t.Fatalf("recall@10 = %.3f < 0.95", rec)
	}
	// Under a non-Euclidean metric too.
	pts5 := randPoints(r, 3000, 5)
	hm, _ := NewHNSW(5, testMetric{}, HNSWOptions{Seed: 2})
	for _, p := range pts5 {
		hm.Add(p)
	}
	sum = 0
	for q := 0; q < queries; q++ {
		qp := randPoints(r, 1, 5)[0]
		sum += Recall(hm.Search(qp, k, 64, buf), BruteKNN(pts5, testMetric{}, qp, k))
	}
	if rec := sum / queries; rec < 0.95 {
		t.Fatalf("conceptual-metric recall@10 = %.3f", rec)
	}
	if _, err := h.Add([]float64{1}); !errors.Is(err, ErrDimension) {
		t.Fatal(err)
	}
}

// clustered draws n points around c Gaussian centres in [0,1]^d, the usual
// shape of embedding data.
func clustered(r *rand.Rand, n, d, c int) [][]float64 {
	centres := randPoints(r, c, d)
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = jitter(r, centres[r.IntN(c)], 0.1)
	}
	return pts
}

func jitter(r *rand.Rand, p []float64, sd float64) []float64 {
	out := make([]float64, len(p))
	for k, v := range p {
		out[k] = v + sd*r.NormFloat64()
	}
	return out
}

func TestRecall(t *testing.T) {
	exact := []Neighbor{{1, 0}, {2, 0}, {3, 0}, {4, 0}}
	if got := Recall([]Neighbor{{2, 0}, {9, 0}, {4, 0}, {8, 0}}, exact); got != 0.5 {
		t.Fatal(got)
	}
}

func BenchmarkSqDist64(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x, y := randPoints(r, 1, 64)[0], randPoints(r, 1, 64)[0]
	var s float64
	for i := 0; i < b.N; i++ {
		s += sqDist(x, y)
	}
	_ = s
}

func TestKDTreeConcurrentQueries(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	pts := randPoints(r, 5000, 6)
	tree, _ := NewKDTree(pts, nil)
	qs := randPoints(r, 64, 6)
	want := make([][]Neighbor, len(qs))
	for i, q := range qs {
		want[i] = BruteKNN(pts, nil, q, 7)
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			var buf []Neighbor
			for rep := 0; rep < 20; rep++ {
				for i, q := range qs {
					buf = tree.KNN(q, 7, buf)
					for j := range buf {
						if buf[j].Dist != want[i][j].Dist {
							t.Errorf("concurrent query %d differs", i)
							return
						}
					}
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
