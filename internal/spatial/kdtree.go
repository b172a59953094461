package spatial

import (
	"math"

	"gonum.org/v1/gonum/spatial/kdtree"
)

// KDTree answers exact k-nearest-neighbour and radius queries with gonum's
// k-d tree (Bentley 1975; Friedman, Bentley & Finkel 1977). Under a Metric
// other than Euclidean the tree still splits on raw coordinates but prunes
// with the metric's AxisBound, which keeps the search exact for any metric
// whose bound is valid — the conceptual metric included. Queries allocate
// their result heap; the tree is safe for concurrent queries but not for a
// query concurrent with Insert.
type KDTree struct {
	tree   *kdtree.Tree
	metric Metric // nil: Euclidean fast path
	dims   int
}

type kdPoint struct {
	x  []float64
	id int
	t  *KDTree
}

// Compare returns the signed lower bound that gonum's search squares and
// compares with the current k-th distance; its sign says which side of the
// splitting plane the receiver (the query) lies on.
func (p *kdPoint) Compare(c kdtree.Comparable, d kdtree.Dim) float64 {
	q := c.(*kdPoint)
	diff := p.x[d] - q.x[d]
	if p.t.metric == nil || diff == 0 {
		return diff
	}
	return math.Copysign(p.t.metric.AxisBound(p.x, int(d), q.x[d]), diff)
}

func (p *kdPoint) Dims() int { return len(p.x) }

// Distance returns the squared distance, as gonum expects.
func (p *kdPoint) Distance(c kdtree.Comparable) float64 {
	q := c.(*kdPoint)
	if p.t.metric == nil {
		return sqDist(p.x, q.x)
	}
	d := p.t.metric.Distance(p.x, q.x)
	return d * d
}

type kdPoints []*kdPoint

func (p kdPoints) Index(i int) kdtree.Comparable         { return p[i] }
func (p kdPoints) Len() int                              { return len(p) }
func (p kdPoints) Slice(start, end int) kdtree.Interface { return p[start:end] }
func (p kdPoints) Pivot(d kdtree.Dim) int {
	pl := kdPlane{p, d}
	return kdtree.Partition(pl, kdtree.MedianOfRandoms(pl, 100))
}

type kdPlane struct {
	p kdPoints
	d kdtree.Dim
}

func (p kdPlane) Len() int                               { return len(p.p) }
func (p kdPlane) Less(i, j int) bool                     { return p.p[i].x[p.d] < p.p[j].x[p.d] }
func (p kdPlane) Swap(i, j int)                          { p.p[i], p.p[j] = p.p[j], p.p[i] }
func (p kdPlane) Slice(start, end int) kdtree.SortSlicer { return kdPlane{p.p[start:end], p.d} }

// NewKDTree builds a balanced tree over points (point i gets id i). metric
// nil means Euclidean. The tree keeps references to the point slices.
func NewKDTree(points [][]float64, metric Metric) (*KDTree, error) {
	t := &KDTree{}
	if _, ok := metric.(Euclidean); !ok {
		t.metric = metric
	}
	if len(points) > 0 {
		t.dims = len(points[0])
	}
	pts := make(kdPoints, len(points))
	for i, x := range points {
		if err := checkVec(x, t.dims, "points"); err != nil {
			return nil, err
		}
		pts[i] = &kdPoint{x: x, id: i, t: t}
	}
	t.tree = kdtree.New(pts, false)
	return t, nil
}

// Len is the number of points.
func (t *KDTree) Len() int { return t.tree.Len() }

// Insert adds a point with the given id (the tree is not rebalanced; rebuild
// after many inserts).
func (t *KDTree) Insert(id int, x []float64) error {
	if t.tree.Len() == 0 && t.dims == 0 {
		t.dims = len(x)
	}
	if err := checkVec(x, t.dims, "x"); err != nil {
		return err
	}
	t.tree.Insert(&kdPoint{x: x, id: id, t: t}, false)
	return nil
}

// KNN returns the k nearest points to q, nearest first, appended to dst[:0].
func (t *KDTree) KNN(q []float64, k int, dst []Neighbor) []Neighbor {
	dst = dst[:0]
	if k <= 0 || t.tree.Len() == 0 {
		return dst
	}
	keep := kdtree.NewNKeeper(k)
	t.tree.NearestSet(keep, &kdPoint{x: q, id: -1, t: t})
	for _, c := range keep.Heap {
		p := c.Comparable.(*kdPoint)
		dst = append(dst, Neighbor{ID: p.id, Dist: math.Sqrt(c.Dist)})
	}
	sortNeighbors(dst)
	return dst
}

// Radius returns every point within r of q, nearest first.
func (t *KDTree) Radius(q []float64, r float64, dst []Neighbor) []Neighbor {
	dst = dst[:0]
	if t.tree.Len() == 0 || r < 0 {
		return dst
	}
	keep := kdtree.NewDistKeeper(r * r)
	t.tree.NearestSet(keep, &kdPoint{x: q, id: -1, t: t})
	for _, c := range keep.Heap {
		if c.Comparable == nil {
			continue
		}
		p := c.Comparable.(*kdPoint)
		dst = append(dst, Neighbor{ID: p.id, Dist: math.Sqrt(c.Dist)})
	}
	sortNeighbors(dst)
	return dst
}
