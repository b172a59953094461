package conceptual

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Clustering is a partition of points: Labels[i] is the cluster of point i
// (−1 for DBSCAN noise) and Centers the cluster centres (k-means) or the
// per-cluster centres computed after the fact (DBSCAN).
type Clustering struct {
	Labels  []int       `json:"labels"`
	Centers [][]float64 `json:"centers"`
	// Cost is Σ d(x, centre)² over the clustered points (k-means' objective).
	Cost       float64 `json:"cost"`
	Iterations int     `json:"iterations"`
}

// K is the number of clusters.
func (c *Clustering) K() int { return len(c.Centers) }

func (s *Space) checkPoints(points [][]float64) error {
	for i, p := range points {
		if len(p) != len(s.dims) {
			return fieldErrf(fmt.Sprintf("points[%d]", i), ErrDimensionCount, "got %d, want %d", len(p), len(s.dims))
		}
		present := false
		for k, v := range p {
			if math.IsInf(v, 0) {
				return fieldErrf(fmt.Sprintf("points[%d].%s", i, s.dims[k].name), ErrNaN, "got %v", v)
			}
			present = present || !IsMissing(v)
		}
		if !present {
			return fieldErrf(fmt.Sprintf("points[%d]", i), ErrNoCommonDomain, "point has no coordinates")
		}
	}
	return nil
}

// KMeansOptions configure KMeans.
type KMeansOptions struct {
	K       int
	MaxIter int // default 100
	// Rand drives k-means++ seeding; nil uses a fixed seed so results are
	// reproducible.
	Rand *rand.Rand
}

// KMeans clusters points under the conceptual metric: k-means++ seeding
// (Arthur & Vassilvitskii 2007, sampling ∝ d²) then Lloyd iterations. The
// centre update is the per-dimension estimator matching each kind — mean
// for continuous and ordinal, circular mean for circular, mode for
// categorical — which minimises the within-domain squared error dimension
// by dimension (exactly so for single-dimension domains). Missing
// coordinates are skipped in the update.
func (s *Space) KMeans(points [][]float64, opt KMeansOptions) (*Clustering, error) {
	if err := s.checkPoints(points); err != nil {
		return nil, err
	}
	n := len(points)
	if opt.K < 1 {
		return nil, fieldErrf("k", ErrInvalidParameter, "want k ≥ 1, got %d", opt.K)
	}
	if n < opt.K {
		return nil, fieldErrf("points", ErrTooFewPoints, "%d points for k=%d", n, opt.K)
	}
	if opt.MaxIter <= 0 {
		opt.MaxIter = 100
	}
	r := opt.Rand
	if r == nil {
		r = rand.New(rand.NewPCG(0x5eed, 0xc0ffee))
	}
	centers := s.seedPlusPlus(points, opt.K, r)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = -1
	}
	acc := newCentreAccumulator(s, opt.K)
	it := 0
	for ; it < opt.MaxIter; it++ {
		changed := false
		for i, p := range points {
			best, bd := 0, math.Inf(1)
			for c, ctr := range centers {
				if d := s.Distance(p, ctr); d < bd {
					best, bd = c, d
				}
			}
			if labels[i] != best {
				labels[i], changed = best, true
			}
		}
		if !changed && it > 0 {
			break
		}
		acc.update(points, labels, centers)
		// An empty cluster takes the point farthest from its centre.
		for c := range centers {
			if acc.count[c] > 0 {
				continue
			}
			far, fd := -1, -1.0
			for i, p := range points {
				if acc.count[labels[i]] > 1 {
					if d := s.Distance(p, centers[labels[i]]); d > fd {
						far, fd = i, d
					}
				}
			}
			if far >= 0 {
				acc.count[labels[far]]--
				labels[far] = c
				acc.count[c] = 1
				copy(centers[c], points[far])
			}
		}
	}
	res := &Clustering{Labels: labels, Centers: centers, Iterations: it}
	for i, p := range points {
		d := s.Distance(p, centers[labels[i]])
		res.Cost += d * d
	}
	return res, nil
}

func (s *Space) seedPlusPlus(points [][]float64, k int, r *rand.Rand) [][]float64 {
	n := len(points)
	centers := make([][]float64, 0, k)
	first := r.IntN(n)
	centers = append(centers, append([]float64(nil), points[first]...))
	d2 := make([]float64, n)
	for i, p := range points {
		d := s.Distance(p, centers[0])
		d2[i] = sq(d)
	}
	for len(centers) < k {
		var total float64
		for _, v := range d2 {
			total += v
		}
		pick := 0
		if total > 0 {
			u := r.Float64() * total
			for i, v := range d2 {
				u -= v
				if u < 0 {
					pick = i
					break
				}
				pick = i
			}
		} else {
			pick = r.IntN(n)
		}
		c := append([]float64(nil), points[pick]...)
		centers = append(centers, c)
		for i, p := range points {
			if d := sq(s.Distance(p, c)); d < d2[i] {
				d2[i] = d
			}
		}
	}
	// A centre seeded from a point with missing values gets those values
	// from the mean of all points, so no centre starts incomplete.
	acc := newCentreAccumulator(s, 1)
	global := [][]float64{make([]float64, len(s.dims))}
	acc.update(points, make([]int, n), global)
	for _, c := range centers {
		for k, v := range c {
			if IsMissing(v) {
				c[k] = global[0][k]
			}
		}
	}
	return centers
}

func sq(d float64) float64 {
	if d != d {
		return 0
	}
	return d * d
}

// centreAccumulator holds reusable sums so Lloyd iterations do not allocate.
type centreAccumulator struct {
	s       *Space
	count   []int
	sum     [][]float64 // per cluster, per dimension: Σx (or Σcos for circular)
	sin     [][]float64 // circular: Σsin
	n       [][]float64 // per cluster, per dimension: values present
	catVals [][]map[float64]int
}

func newCentreAccumulator(s *Space, k int) *centreAccumulator {
	a := &centreAccumulator{s: s, count: make([]int, k)}
	d := len(s.dims)
	for c := 0; c < k; c++ {
		a.sum = append(a.sum, make([]float64, d))
		a.sin = append(a.sin, make([]float64, d))
		a.n = append(a.n, make([]float64, d))
		a.catVals = append(a.catVals, make([]map[float64]int, d))
	}
	return a
}

func (a *centreAccumulator) update(points [][]float64, labels []int, centers [][]float64) {
	s := a.s
	for c := range a.count {
		a.count[c] = 0
		clear(a.sum[c])
		clear(a.sin[c])
		clear(a.n[c])
		for k := range a.catVals[c] {
			if a.catVals[c][k] != nil {
				clear(a.catVals[c][k])
			}
		}
	}
	for i, p := range points {
		c := labels[i]
		a.count[c]++
		for k, v := range p {
			if IsMissing(v) {
				continue
			}
			a.n[c][k]++
			switch s.kind[k] {
			case Circular:
				lo := s.dims[k].lo
				th := 2 * math.Pi * (v - lo) / s.period[k]
				a.sum[c][k] += math.Cos(th)
				a.sin[c][k] += math.Sin(th)
			case Categorical:
				if a.catVals[c][k] == nil {
					a.catVals[c][k] = map[float64]int{}
				}
				a.catVals[c][k][v]++
			default:
				a.sum[c][k] += v
			}
		}
	}
	for c, ctr := range centers {
		if a.count[c] == 0 {
			continue
		}
		for k := range ctr {
			if a.n[c][k] == 0 {
				continue // keep the previous value
			}
			switch s.kind[k] {
			case Circular:
				th := math.Atan2(a.sin[c][k], a.sum[c][k])
				if th < 0 {
					th += 2 * math.Pi
				}
				ctr[k] = s.dims[k].lo + th/(2*math.Pi)*s.period[k]
			case Categorical:
				best, bc := 0.0, -1
				for v, cnt := range a.catVals[c][k] {
					if cnt > bc || (cnt == bc && v < best) {
						best, bc = v, cnt
					}
				}
				ctr[k] = best
			default:
				ctr[k] = a.sum[c][k] / a.n[c][k]
			}
		}
	}
}

// DBSCANOptions configure DBSCAN.
type DBSCANOptions struct {
	Eps    float64
	MinPts int
	// Neighbors, if set, returns the indices of all points within Eps of
	// point i (itself included), appended to dst; a spatial index can supply
	// it. Nil uses a linear scan (O(n²) overall).
	Neighbors func(i int, dst []int) []int
}

// DBSCAN is density-based clustering (Ester, Kriegel, Sander & Xu 1996)
// under the conceptual metric: points with at least MinPts neighbours within
// Eps are core points; clusters are the connected core points plus the
// border points they reach; the rest is noise (label −1). Centres are the
// per-kind means of each cluster.
func (s *Space) DBSCAN(points [][]float64, opt DBSCANOptions) (*Clustering, error) {
	if err := s.checkPoints(points); err != nil {
		return nil, err
	}
	if !(opt.Eps > 0) || math.IsInf(opt.Eps, 0) {
		return nil, fieldErrf("eps", ErrInvalidParameter, "want finite eps > 0, got %v", opt.Eps)
	}
	if opt.MinPts < 1 {
		return nil, fieldErrf("min_pts", ErrInvalidParameter, "want min_pts ≥ 1, got %d", opt.MinPts)
	}
	neighbors := opt.Neighbors
	if neighbors == nil {
		neighbors = func(i int, dst []int) []int {
			for j, q := range points {
				if s.Distance(points[i], q) <= opt.Eps {
					dst = append(dst, j)
				}
			}
			return dst
		}
	}
	const unvisited, noise = -2, -1
	labels := make([]int, len(points))
	for i := range labels {
		labels[i] = unvisited
	}
	var nb, queue []int
	k := 0
	for i := range points {
		if labels[i] != unvisited {
			continue
		}
		nb = neighbors(i, nb[:0])
		if len(nb) < opt.MinPts {
			labels[i] = noise
			continue
		}
		labels[i] = k
		queue = append(queue[:0], nb...)
		for len(queue) > 0 {
			j := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			if labels[j] == noise {
				labels[j] = k // border point
			}
			if labels[j] != unvisited {
				continue
			}
			labels[j] = k
			nb = neighbors(j, nb[:0])
			if len(nb) >= opt.MinPts {
				queue = append(queue, nb...)
			}
		}
		k++
	}
	res := &Clustering{Labels: labels, Centers: make([][]float64, k)}
	for c := range res.Centers {
		res.Centers[c] = make([]float64, len(s.dims))
	}
	if k > 0 {
		var in [][]float64
		var lab []int
		for i, l := range labels {
			if l >= 0 {
				in, lab = append(in, points[i]), append(lab, l)
			}
		}
		newCentreAccumulator(s, k).update(in, lab, res.Centers)
		for i, p := range in {
			res.Cost += sq(s.Distance(p, res.Centers[lab[i]]))
		}
	}
	return res, nil
}

// Silhouette is the mean silhouette coefficient (Rousseeuw 1987) of a
// labelling: for each clustered point, (b − a)/max(a, b) with a the mean
// distance to its own cluster and b the smallest mean distance to another
// cluster; points in singleton clusters score 0 and noise (−1) is left out.
// It needs O(n²) distances.
func (s *Space) Silhouette(points [][]float64, labels []int) float64 {
	k := 0
	for _, l := range labels {
		k = max(k, l+1)
	}
	if k < 2 {
		return 0
	}
	size := make([]int, k)
	for _, l := range labels {
		if l >= 0 {
			size[l]++
		}
	}
	sum := make([]float64, k)
	var total float64
	m := 0
	for i, p := range points {
		li := labels[i]
		if li < 0 {
			continue
		}
		m++
		if size[li] == 1 {
			continue
		}
		clear(sum)
		for j, q := range points {
			if lj := labels[j]; lj >= 0 && j != i {
				sum[lj] += s.Distance(p, q)
			}
		}
		a := sum[li] / float64(size[li]-1)
		b := math.Inf(1)
		for c := range sum {
			if c != li && size[c] > 0 {
				b = math.Min(b, sum[c]/float64(size[c]))
			}
		}
		if den := math.Max(a, b); den > 0 {
			total += (b - a) / den
		}
	}
	if m == 0 {
		return 0
	}
	return total / float64(m)
}

// AutoKResult reports the silhouette of every k tried and the chosen one.
type AutoKResult struct {
	Best   *Clustering     `json:"best"`
	K      int             `json:"k"`
	Scores map[int]float64 `json:"scores"`
}

// AutoK runs KMeans for k in [kMin, kMax] and keeps the k with the highest
// mean silhouette (ties go to the smaller k). kMin must be ≥ 2.
func (s *Space) AutoK(points [][]float64, kMin, kMax int, r *rand.Rand) (*AutoKResult, error) {
	if kMin < 2 || kMax < kMin {
		return nil, fieldErrf("k", ErrInvalidParameter, "want 2 ≤ kMin ≤ kMax, got [%d, %d]", kMin, kMax)
	}
	if kMax > len(points)-1 {
		kMax = len(points) - 1
	}
	if kMax < kMin {
		return nil, fieldErrf("points", ErrTooFewPoints, "%d points for k ≥ %d", len(points), kMin)
	}
	res := &AutoKResult{Scores: map[int]float64{}}
	best := math.Inf(-1)
	for k := kMin; k <= kMax; k++ {
		c, err := s.KMeans(points, KMeansOptions{K: k, Rand: r})
		if err != nil {
			return nil, err
		}
		sc := s.Silhouette(points, c.Labels)
		res.Scores[k] = sc
		if sc > best {
			best, res.Best, res.K = sc, c, k
		}
	}
	return res, nil
}

// Prototypes turns cluster centres into named prototypes ("prefix-0", …)
// ready for add_prototype commands.
func (s *Space) Prototypes(c *Clustering, prefix, source string) []Prototype {
	out := make([]Prototype, len(c.Centers))
	for i, ctr := range c.Centers {
		out[i] = Prototype{Name: fmt.Sprintf("%s-%d", prefix, i), Point: s.Coordinates(ctr), Source: source}
	}
	return out
}
