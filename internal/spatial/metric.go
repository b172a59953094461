package spatial

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors.
var (
	ErrDimension = errors.New("wrong number of coordinates")
	ErrNaN       = errors.New("coordinate is NaN or infinite")
	ErrParameter = errors.New("invalid parameter")
	ErrUnknownID = errors.New("unknown id")
)

// Metric is a distance over flat points that a k-d tree can prune with.
// AxisBound(q, k, split) must be a lower bound on Distance(q, y) for every y
// with y[k] on the other side of split from q[k]. *conceptual.Space
// implements it for the conceptual metric; Euclidean is the plain one.
type Metric interface {
	Distance(a, b []float64) float64
	AxisBound(q []float64, k int, split float64) float64
}

// Euclidean is the L2 metric.
type Euclidean struct{}

// Distance is the L2 distance.
func (Euclidean) Distance(a, b []float64) float64 { return math.Sqrt(sqDist(a, b)) }

// AxisBound is |q_k − split|.
func (Euclidean) AxisBound(q []float64, k int, split float64) float64 { return math.Abs(q[k] - split) }

// sqDist is the squared L2 distance, unrolled four ways with independent
// accumulators (Go does not vectorise; this halves the time at 64 dims).
func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		d0 := a[i] - b[i]
		d1 := a[i+1] - b[i+1]
		d2 := a[i+2] - b[i+2]
		d3 := a[i+3] - b[i+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(a); i++ {
		d := a[i] - b[i]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

// Neighbor is a search result: the point's id and its distance to the query.
type Neighbor struct {
	ID   int
	Dist float64
}

func checkVec(x []float64, dims int, field string) error {
	if len(x) != dims {
		return fmt.Errorf("spatial: %s: %w: got %d, want %d", field, ErrDimension, len(x), dims)
	}
	for k, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("spatial: %s[%d]: %w", field, k, ErrNaN)
		}
	}
	return nil
}

// BruteKNN is the exact oracle: the k nearest of points to q by linear scan,
// sorted by distance then id.
func BruteKNN(points [][]float64, m Metric, q []float64, k int) []Neighbor {
	if m == nil {
		m = Euclidean{}
	}
	all := make([]Neighbor, len(points))
	for i, p := range points {
		all[i] = Neighbor{ID: i, Dist: m.Distance(q, p)}
	}
	sortNeighbors(all)
	if k < len(all) {
		all = all[:k]
	}
	return all
}

// BruteRadius returns all points within r of q, sorted.
func BruteRadius(points [][]float64, m Metric, q []float64, r float64) []Neighbor {
	if m == nil {
		m = Euclidean{}
	}
	var out []Neighbor
	for i, p := range points {
		if d := m.Distance(q, p); d <= r {
			out = append(out, Neighbor{ID: i, Dist: d})
		}
	}
	sortNeighbors(out)
	return out
}

func sortNeighbors(ns []Neighbor) {
	// insertion sort for short lists, else a simple heap sort free of
	// closures to stay allocation-free.
	if len(ns) <= 32 {
		for i := 1; i < len(ns); i++ {
			for j := i; j > 0 && less(ns[j], ns[j-1]); j-- {
				ns[j], ns[j-1] = ns[j-1], ns[j]
			}
		}
		return
	}
	for i := len(ns)/2 - 1; i >= 0; i-- {
		siftDown(ns, i, len(ns))
	}
	for end := len(ns) - 1; end > 0; end-- {
		ns[0], ns[end] = ns[end], ns[0]
		siftDown(ns, 0, end)
	}
}

func less(a, b Neighbor) bool { return a.Dist < b.Dist || (a.Dist == b.Dist && a.ID < b.ID) }

func siftDown(ns []Neighbor, i, n int) {
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && less(ns[c], ns[c+1]) {
			c++
		}
		if !less(ns[i], ns[c]) {
			return
		}
		ns[i], ns[c] = ns[c], ns[i]
		i = c
	}
}

// Recall is |approx ∩ exact| / |exact| by id: the fraction of the true k
// nearest neighbours an approximate search returned.
func Recall(approx, exact []Neighbor) float64 {
	if len(exact) == 0 {
		return 1
	}
	hit := 0
	for _, e := range exact {
		for _, a := range approx {
			if a.ID == e.ID {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(len(exact))
}
