package conceptual

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func planeSpace(t testing.TB) *Space {
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{{Name: "plane", Weight: 1, Dimensions: []DimensionDef{
		{Name: "x", Weight: 1}, {Name: "y", Weight: 1}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func blobs(r *rand.Rand, centres [][2]float64, per int, sd float64) ([][]float64, []int) {
	var pts [][]float64
	var truth []int
	for c, ctr := range centres {
		for i := 0; i < per; i++ {
			pts = append(pts, []float64{ctr[0] + sd*r.NormFloat64(), ctr[1] + sd*r.NormFloat64()})
			truth = append(truth, c)
		}
	}
	return pts, truth
}

// samePartition reports whether two labellings agree up to renaming.
func samePartition(a, b []int) bool {
	m, inv := map[int]int{}, map[int]int{}
	for i := range a {
		if x, ok := m[a[i]]; ok && x != b[i] {
			return false
		}
		if x, ok := inv[b[i]]; ok && x != a[i] {
			return false
		}
		m[a[i]], inv[b[i]] = b[i], a[i]
	}
	return true
}

func TestKMeansRecoversBlobs(t *testing.T) {
	s := planeSpace(t)
	r := rand.New(rand.NewPCG(11, 12))
	centres := [][2]float64{{0, 0}, {10, 0}, {0, 10}, {10, 10}}
	pts, truth := blobs(r, centres, 50, 0.8)
	c, err := s.KMeans(pts, KMeansOptions{K: 4, Rand: rand.New(rand.NewPCG(1, 1))})
	if err != nil {
		t.Fatal(err)
	}
	if !samePartition(c.Labels, truth) {
		t.Fatalf("k-means did not recover the blobs: sizes %v", clusterSizes(c.Labels))
	}
	// Each centre is the mean of its points (the brute-force oracle).
	for k, ctr := range c.Centers {
		var sx, sy, n float64
		for i, p := range pts {
			if c.Labels[i] == k {
				sx, sy, n = sx+p[0], sy+p[1], n+1
			}
		}
		if !approx(ctr[0], sx/n, 1e-9) || !approx(ctr[1], sy/n, 1e-9) {
			t.Fatalf("centre %d = %v, mean = %v,%v", k, ctr, sx/n, sy/n)
		}
	}
	auto, err := s.AutoK(pts, 2, 8, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if auto.K != 4 {
		t.Fatalf("AutoK chose %d (scores %v)", auto.K, auto.Scores)
	}
	protos := s.Prototypes(auto.Best, "cluster", "kmeans")
	cat, err := NewCategorizer(s, protos)
	if err != nil || cat.Len() != 4 {
		t.Fatalf("prototypes: %v %v", protos, err)
	}
	for i, p := range pts {
		if n, _ := cat.Nearest(p); n != auto.Best.Labels[i] {
			t.Fatalf("prototype cells disagree with the clustering at %d", i)
		}
	}
}

func TestKMeansCircularWrap(t *testing.T) {
	s, _ := Compile(SpaceDefinition{Domains: []DomainDef{{Name: "color", Weight: 1, Dimensions: []DimensionDef{
		{Name: "hue", Weight: 1, Kind: Circular, Range: []float64{0, 360}}}}}})
	var pts [][]float64
	for _, h := range []float64{350, 355, 358, 2, 5, 10, 170, 175, 180, 185, 190} {
		pts = append(pts, []float64{h})
	}
	c, err := s.KMeans(pts, KMeansOptions{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 6; i++ {
		if c.Labels[i] != c.Labels[0] {
			t.Fatalf("reds split across the wrap: %v", c.Labels)
		}
	}
	red := c.Centers[c.Labels[0]][0]
	// Circular mean of 350,355,358,2,5,10 is ≈ 0 (mod 360), not 180.
	if d := s.Distance([]float64{red}, []float64{0}); d > 2 {
		t.Fatalf("red centre %v", red)
	}
}

func TestKMeansCategoricalMode(t *testing.T) {
	s, _ := Compile(SpaceDefinition{Domains: []DomainDef{{Name: "d", Weight: 1, Dimensions: []DimensionDef{
		{Name: "x", Weight: 1}, {Name: "kind", Weight: 1, Kind: Categorical}}}}})
	pts := [][]float64{{0, 1}, {0.1, 1}, {0.2, 2}, {10, 3}, {10.1, 3}, {10.2, 3}}
	c, err := s.KMeans(pts, KMeansOptions{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	if c.Centers[c.Labels[0]][1] != 1 || c.Centers[c.Labels[3]][1] != 3 {
		t.Fatalf("modes: %v", c.Centers)
	}
}

func TestDBSCAN(t *testing.T) {
	s := planeSpace(t)
	r := rand.New(rand.NewPCG(13, 14))
	pts, truth := blobs(r, [][2]float64{{0, 0}, {20, 0}, {0, 20}}, 40, 0.7)
	noise := [][]float64{{10, 10}, {-15, 5}, {30, 30}}
	pts = append(pts, noise...)
	for range noise {
		truth = append(truth, -1)
	}
	c, err := s.DBSCAN(pts, DBSCANOptions{Eps: 2, MinPts: 4})
	if err != nil {
		t.Fatal(err)
	}
	if c.K() != 3 || !samePartition(c.Labels, truth) {
		t.Fatalf("DBSCAN: k=%d sizes %v", c.K(), clusterSizes(c.Labels))
	}
	for i := len(pts) - 3; i < len(pts); i++ {
		if c.Labels[i] != -1 {
			t.Fatalf("noise point %d labelled %d", i, c.Labels[i])
		}
	}
	// A supplied neighbour function gives the same result.
	c2, err := s.DBSCAN(pts, DBSCANOptions{Eps: 2, MinPts: 4, Neighbors: func(i int, dst []int) []int {
		for j := range pts {
			if s.Distance(pts[i], pts[j]) <= 2 {
				dst = append(dst, j)
			}
		}
		return dst
	}})
	if err != nil || !samePartition(c.Labels, c2.Labels) {
		t.Fatalf("neighbour function changes result: %v", err)
	}
	if _, err := s.DBSCAN(pts, DBSCANOptions{Eps: 0, MinPts: 4}); !errors.Is(err, ErrInvalidParameter) {
		t.Fatal(err)
	}
}

func TestSilhouetteHandComputed(t *testing.T) {
	s, _ := Compile(SpaceDefinition{Domains: []DomainDef{{Name: "d", Weight: 1, Dimensions: []DimensionDef{{Name: "x", Weight: 1}}}}})
	pts := [][]float64{{0}, {1}, {4}, {5}}
	labels := []int{0, 0, 1, 1}
	// point 0: a=1, b=(4+5)/2=4.5 → 3.5/4.5; point 1: a=1, b=3.5 → 2.5/3.5; symmetric.
	want := (3.5/4.5 + 2.5/3.5) / 2
	if got := s.Silhouette(pts, labels); !approx(got, want, 1e-12) {
		t.Fatalf("silhouette %v, want %v", got, want)
	}
	if got := s.Silhouette(pts, []int{0, 0, 0, 0}); got != 0 {
		t.Fatalf("single cluster: %v", got)
	}
}

func TestClusterInputErrors(t *testing.T) {
	s := planeSpace(t)
	if _, err := s.KMeans([][]float64{{1, 2}}, KMeansOptions{K: 2}); !errors.Is(err, ErrTooFewPoints) {
		t.Fatal(err)
	}
	if _, err := s.KMeans([][]float64{{1}}, KMeansOptions{K: 1}); !errors.Is(err, ErrDimensionCount) {
		t.Fatal(err)
	}
	if _, err := s.KMeans([][]float64{{math.NaN(), math.NaN()}}, KMeansOptions{K: 1}); !errors.Is(err, ErrNoCommonDomain) {
		t.Fatal(err)
	}
	if _, err := s.AutoK([][]float64{{1, 2}, {3, 4}}, 1, 3, nil); !errors.Is(err, ErrInvalidParameter) {
		t.Fatal(err)
	}
}

func BenchmarkKMeans1000x4(b *testing.B) {
	s := planeSpace(b)
	r := rand.New(rand.NewPCG(1, 2))
	pts, _ := blobs(r, [][2]float64{{0, 0}, {10, 0}, {0, 10}, {10, 10}}, 250, 1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.KMeans(pts, KMeansOptions{K: 4}); err != nil {
			b.Fatal(err)
		}
	}
}

// clusterSizes lists cluster sizes, sorted.
func clusterSizes(labels []int) []int {
	var out []int
	for _, l := range labels {
		for len(out) <= l {
			out = append(out, 0)
		}
		if l >= 0 {
			out[l]++
		}
	}
	slices.Sort(out)
	return out
}
