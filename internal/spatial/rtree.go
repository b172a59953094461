package spatial

import (
	"fmt"
	"math"

	"github.com/dhconnelly/rtreego"
)

// PositionIndex is an R-tree (Guttman 1984, via github.com/dhconnelly/rtreego)
// over node spheres in 3D for picking, box selection and frustum queries.
// Each node is stored with a "fat" box — its sphere's box grown by a margin —
// as in Box2D's dynamic tree: while a node moves inside its fat box the tree
// is untouched, so a layout that moves every node a little each frame costs
// a comparison per node, and only nodes that escape are deleted and
// reinserted. Queries test the exact sphere after the tree's box filter.
// Not safe for concurrent use.
type PositionIndex struct {
	tree   *rtreego.Rtree
	items  map[int]*posItem
	margin float64
	// Reinserted counts nodes moved in the tree by Set/SyncFlat since the
	// last ResetStats (a measure of incremental work).
	Reinserted int
}

type posItem struct {
	id     int
	pos    [3]float64
	radius float64
	fat    rtreego.Rect
}

func (it *posItem) Bounds() rtreego.Rect { return it.fat }

const (
	rtreeMin = 8
	rtreeMax = 32
)

// NewPositionIndex returns an empty index; margin ≥ 0 is how far a node may
// move before it is reinserted.
func NewPositionIndex(margin float64) (*PositionIndex, error) {
	if !(margin >= 0) || math.IsInf(margin, 0) {
		return nil, fmt.Errorf("spatial: margin: %w: %v", ErrParameter, margin)
	}
	return &PositionIndex{tree: rtreego.NewTree(3, rtreeMin, rtreeMax), items: map[int]*posItem{}, margin: margin}, nil
}

func (p *PositionIndex) fatRect(pos [3]float64, r float64) rtreego.Rect {
	e := r + p.margin
	if e <= 0 {
		e = 1e-9 // rtreego treats touching boxes as disjoint: keep volume
	}
	lo := rtreego.Point{pos[0] - e, pos[1] - e, pos[2] - e}
	hi := rtreego.Point{pos[0] + e, pos[1] + e, pos[2] + e}
	rect, _ := rtreego.NewRectFromPoints(lo, hi)
	return rect
}

func checkPos(pos [3]float64, r float64) error {
	for k, v := range pos {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("spatial: position[%d]: %w", k, ErrNaN)
		}
	}
	if !(r >= 0) || math.IsInf(r, 0) {
		return fmt.Errorf("spatial: radius: %w: %v", ErrParameter, r)
	}
	return nil
}

// Build replaces the contents with the given nodes (xyz interleaved,
// radii per node; ids[i] names node i) using rtreego's OMT bulk load.
func (p *PositionIndex) Build(ids []int, xyz []float32, radii []float32) error {
	if len(xyz) != 3*len(ids) || len(radii) != len(ids) {
		return fmt.Errorf("spatial: build: %w: %d ids, %d coordinates, %d radii", ErrDimension, len(ids), len(xyz), len(radii))
	}
	p.items = make(map[int]*posItem, len(ids))
	objs := make([]rtreego.Spatial, 0, len(ids))
	for i, id := range ids {
		pos := [3]float64{float64(xyz[3*i]), float64(xyz[3*i+1]), float64(xyz[3*i+2])}
		r := float64(radii[i])
		if err := checkPos(pos, r); err != nil {
			return fmt.Errorf("node %d: %w", id, err)
		}
		if _, dup := p.items[id]; dup {
			return fmt.Errorf("spatial: build: %w: duplicate id %d", ErrParameter, id)
		}
		it := &posItem{id: id, pos: pos, radius: r, fat: p.fatRect(pos, r)}
		p.items[id] = it
		objs = append(objs, it)
	}
	p.tree = rtreego.NewTree(3, rtreeMin, rtreeMax, objs...)
	return nil
}

// Len is the number of nodes.
func (p *PositionIndex) Len() int { return len(p.items) }

// Set inserts a node or moves it; the tree changes only if the node's
// sphere leaves its fat box.
func (p *PositionIndex) Set(id int, pos [3]float64, radius float64) error {
	if err := checkPos(pos, radius); err != nil {
		return fmt.Errorf("node %d: %w", id, err)
	}
	it, ok := p.items[id]
	if !ok {
		it = &posItem{id: id, pos: pos, radius: radius, fat: p.fatRect(pos, radius)}
		p.items[id] = it
		p.tree.Insert(it)
		return nil
	}
	it.pos, it.radius = pos, radius
	if p.inside(it) {
		return nil
	}
	p.tree.Delete(it) // finds it by its old fat box
	it.fat = p.fatRect(pos, radius)
	p.tree.Insert(it)
	p.Reinserted++
	return nil
}

func (p *PositionIndex) inside(it *posItem) bool {
	for k := 0; k < 3; k++ {
		lo := it.fat.PointCoord(k)
		hi := lo + it.fat.LengthsCoord(k)
		if it.pos[k]-it.radius < lo || it.pos[k]+it.radius > hi {
			return false
		}
	}
	return true
}

// SyncFlat updates every node i in [0, len(radii)) to xyz[3i:3i+3] — the
// call after a layout step, with ids equal to slot indices. New slots are
// inserted. rtreego's delete+insert costs about 0.1 ms per escaped node on
// the 2-core build machine while its bulk load costs about 4 µs per node, so
// when more than 1/32 of the nodes left their fat boxes the tree is bulk
// loaded afresh instead.
func (p *PositionIndex) SyncFlat(xyz []float32, radii []float32) error {
	if len(xyz) != 3*len(radii) {
		return fmt.Errorf("spatial: sync: %w: %d coordinates for %d radii", ErrDimension, len(xyz), len(radii))
	}
	escaped, missing := 0, 0
	for i := range radii {
		pos := [3]float64{float64(xyz[3*i]), float64(xyz[3*i+1]), float64(xyz[3*i+2])}
		r := float64(radii[i])
		if err := checkPos(pos, r); err != nil {
			return fmt.Errorf("node %d: %w", i, err)
		}
		it, ok := p.items[i]
		if !ok {
			escaped++
			missing++
			continue
		}
		it.pos, it.radius = pos, r
		if !p.inside(it) {
			escaped++
		}
	}
	if escaped > len(radii)/32 && missing == 0 && len(p.items) == len(radii) {
		ids := make([]int, len(radii))
		for i := range ids {
			ids[i] = i
		}
		p.Reinserted += escaped
		return p.Build(ids, xyz, radii)
	}
	for i := range radii {
		if err := p.Set(i, [3]float64{float64(xyz[3*i]), float64(xyz[3*i+1]), float64(xyz[3*i+2])}, float64(radii[i])); err != nil {
			return err
		}
	}
	return nil
}

// Remove deletes a node.
func (p *PositionIndex) Remove(id int) error {
	it, ok := p.items[id]
	if !ok {
		return fmt.Errorf("spatial: remove %d: %w", id, ErrUnknownID)
	}
	p.tree.Delete(it)
	delete(p.items, id)
	return nil
}

// Position returns a node's stored centre and radius.
func (p *PositionIndex) Position(id int) ([3]float64, float64, bool) {
	it, ok := p.items[id]
	if !ok {
		return [3]float64{}, 0, false
	}
	return it.pos, it.radius, true
}

func queryRect(lo, hi [3]float64) rtreego.Rect {
	const eps = 1e-9 // rtreego's intersect is strict; pad the query
	r, _ := rtreego.NewRectFromPoints(
		rtreego.Point{lo[0] - eps, lo[1] - eps, lo[2] - eps},
		rtreego.Point{hi[0] + eps, hi[1] + eps, hi[2] + eps})
	return r
}

// QueryBox appends to dst[:0] the ids of nodes whose centre lies in the box
// [lo, hi] (box selection semantics).
func (p *PositionIndex) QueryBox(lo, hi [3]float64, dst []int) []int {
	dst = dst[:0]
	for k := 0; k < 3; k++ {
		if lo[k] > hi[k] {
			lo[k], hi[k] = hi[k], lo[k]
		}
	}
	for _, s := range p.tree.SearchIntersect(queryRect(lo, hi)) {
		it := s.(*posItem)
		c := it.pos
		if c[0] >= lo[0] && c[0] <= hi[0] && c[1] >= lo[1] && c[1] <= hi[1] && c[2] >= lo[2] && c[2] <= hi[2] {
			dst = append(dst, it.id)
		}
	}
	return dst
}

// QueryFrustum appends the ids of nodes whose sphere intersects the frustum
// (conservatively, by the plane test) — the visible set for culling.
func (p *PositionIndex) QueryFrustum(f *Frustum, dst []int) []int {
	dst = dst[:0]
	lo, hi := f.Bounds()
	for _, s := range p.tree.SearchIntersect(queryRect(lo, hi)) {
		it := s.(*posItem)
		if f.IntersectsSphere(it.pos, it.radius) {
			dst = append(dst, it.id)
		}
	}
	return dst
}

// Pick returns the node whose sphere the ray origin + t·dir (t ∈ [0,
// maxDist]) hits first, and the hit distance t (in units of |dir|). The ray
// is walked in segments, each queried with its bounding box; the walk stops
// at the first segment whose end lies beyond the best hit so far, which is
// exact: any sphere entered before that point has its entry point inside an
// already queried segment box and inside its own fat box.
func (p *PositionIndex) Pick(origin, dir [3]float64, maxDist float64) (id int, t float64, ok bool) {
	dl := math.Sqrt(dir[0]*dir[0] + dir[1]*dir[1] + dir[2]*dir[2])
	if dl == 0 || !(maxDist > 0) || len(p.items) == 0 {
		return -1, 0, false
	}
	if math.IsInf(maxDist, 1) {
		maxDist = p.rayExtent(origin, dir)
		if maxDist <= 0 {
			return -1, 0, false
		}
	}
	const segments = 32
	step := maxDist / segments
	best, bestT := -1, math.Inf(1)
	for s := 0; s < segments; s++ {
		t0, t1 := float64(s)*step, float64(s+1)*step
		var lo, hi [3]float64
		for k := 0; k < 3; k++ {
			a, b := origin[k]+t0*dir[k], origin[k]+t1*dir[k]
			lo[k], hi[k] = math.Min(a, b), math.Max(a, b)
		}
		for _, sp := range p.tree.SearchIntersect(queryRect(lo, hi)) {
			it := sp.(*posItem)
			if th, hit := raySphere(origin, dir, it.pos, it.radius); hit && th <= maxDist &&
				(th < bestT || (th == bestT && it.id < best)) {
				best, bestT = it.id, th
			}
		}
		if best >= 0 && bestT <= t1 {
			break
		}
	}
	if best < 0 {
		return -1, 0, false
	}
	return best, bestT, true
}

// rayExtent bounds the ray parameter at which the ray leaves the tree's
// overall box (used for an unbounded pick).
func (p *PositionIndex) rayExtent(origin, dir [3]float64) float64 {
	lo := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for _, it := range p.items {
		for k := 0; k < 3; k++ {
			lo[k] = math.Min(lo[k], it.fat.PointCoord(k))
			hi[k] = math.Max(hi[k], it.fat.PointCoord(k)+it.fat.LengthsCoord(k))
		}
	}
	tmax := 0.0
	for _, x := range []float64{lo[0], hi[0]} {
		for _, y := range []float64{lo[1], hi[1]} {
			for _, z := range []float64{lo[2], hi[2]} {
				// Projection of each corner on the ray bounds the exit parameter.
				v := ((x-origin[0])*dir[0] + (y-origin[1])*dir[1] + (z-origin[2])*dir[2]) /
					(dir[0]*dir[0] + dir[1]*dir[1] + dir[2]*dir[2])
				tmax = math.Max(tmax, v)
			}
		}
	}
	return tmax
}

// raySphere returns the smallest t ≥ 0 with |origin + t·dir − c| = r (0 if
// the origin is inside the sphere).
func raySphere(o, d, c [3]float64, r float64) (float64, bool) {
	oc := [3]float64{o[0] - c[0], o[1] - c[1], o[2] - c[2]}
	a := d[0]*d[0] + d[1]*d[1] + d[2]*d[2]
	b := oc[0]*d[0] + oc[1]*d[1] + oc[2]*d[2]
	cc := oc[0]*oc[0] + oc[1]*oc[1] + oc[2]*oc[2] - r*r
	if cc <= 0 {
		return 0, true
	}
	disc := b*b - a*cc
	if disc < 0 || b > 0 {
		return 0, false
	}
	return (-b - math.Sqrt(disc)) / a, true
}

// ResetStats zeroes Reinserted.
func (p *PositionIndex) ResetStats() { p.Reinserted = 0 }
