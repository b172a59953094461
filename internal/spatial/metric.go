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

func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i, v := range a {
		d := v - b[i]
		s += d * d
	}
	return s
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
