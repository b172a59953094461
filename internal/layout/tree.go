package layout

import (
	"math"
	"math/bits"
)

// cell is one octree node, 32 bytes so that two share a cache line. Cells are
// stored in depth-first pre-order: an internal cell's first child is the next
// cell, and next skips the whole subtree, so the walk needs no stack.
type cell struct {
	x, y, z, m float32 // centre of mass and total mass
	r2         float32 // squared opening radius: approximate when farther
	next       int32   // first cell after this subtree
	lo, hi     int32   // body range in Morton order for a leaf; lo < 0 if internal
}

// group is a subtree of at most groupCap bodies that share one interaction
// list (Barnes 1990): its tight bounding box and its body range.
type group struct {
	cx, cy, cz float32 // box centre
	hx, hy, hz float32 // box half extents
	lo, hi     int32
}

// summary is what a subtree reports to its parent while being built. Sums are
// float64: the root of a million-body tree adds a million coordinates.
type summary struct {
	min, max   [3]float32
	sx, sy, sz float64 // mass-weighted coordinate sums
	m          float64
}

// point is a body or a cell's monopole: position and mass, 16 bytes.
type point struct{ x, y, z, m float32 }

// octree is a Barnes-Hut octree rebuilt every step into reused slices.
// bodies holds the bodies in Morton order; idx maps a Morton position back
// to the node index.
type octree struct {
	leafCap  int
	groupCap int
	theta    float32

	keys, tmpK []uint64
	idx, tmpI  []int32
	hist       []int32

	bodies []point

	cells  []cell
	groups []group

	// bounding cube of the current positions, used to quantise keys
	lo    [3]float32
	scale float32
}

// Default leaf and group sizes, measured on the Barabási–Albert benchmark:
// with a SIMD kernel a list entry costs a fraction of a tree visit, so
// large groups (fewer walks, longer lists) win; the scalar kernel wants
// small ones.
var defaultLeafCap, defaultGroupCap = func() (int, int) {
	if haveAVX {
		return 32, 256
	}
	return 16, 32
}()

func (t *octree) resize(n int) {
	if cap(t.keys) < n {
		t.keys = make([]uint64, n)
		t.tmpK = make([]uint64, n)
		t.idx = make([]int32, n)
		t.tmpI = make([]int32, n)
		t.bodies = make([]point, n)
	}
	t.keys, t.tmpK = t.keys[:n], t.tmpK[:n]
	t.idx, t.tmpI = t.idx[:n], t.tmpI[:n]
	t.bodies = t.bodies[:n]
	if t.hist == nil {
		t.hist = make([]int32, radixPasses*radixSize)
	}
	if t.leafCap <= 0 {
		t.leafCap = defaultLeafCap
	}
	if t.groupCap <= 0 {
		t.groupCap = defaultGroupCap
	}
}

// setBounds fixes the quantisation cube from a bounding box.
func (t *octree) setBounds(mn, mx [3]float32) {
	side := max(mx[0]-mn[0], mx[1]-mn[1], mx[2]-mn[2])
	if !(side > 0) || math.IsInf(float64(side), 0) {
		side = 1
	}
	// A little slack keeps the maximum inside the last cell in float32.
	side *= 1 + 1e-5
	t.lo = mn
	t.scale = float32(mortonCells) / side
}

// keysRange computes the Morton keys of nodes [lo, hi).
func (t *octree) keysRange(x, y, z []float32, lo, hi int) {
	keys, idx := t.keys[lo:hi], t.idx[lo:hi]
	x, y, z = x[lo:hi], y[lo:hi], z[lo:hi]
	l0, l1, l2, s := t.lo[0], t.lo[1], t.lo[2], t.scale
	for i := range keys {
		keys[i] = mortonKey(quantize(x[i], l0, s), quantize(y[i], l1, s), quantize(z[i], l2, s))
		idx[i] = int32(lo + i)
	}
}

// sort orders keys and idx by key.
func (t *octree) sort() {
	if len(t.keys) < 2 {
		return
	}
	keys, _ := radixSort(t.keys, t.tmpK, t.idx, t.tmpI, t.hist)
	if &keys[0] != &t.keys[0] {
		t.keys, t.tmpK = t.tmpK, t.keys
		t.idx, t.tmpI = t.tmpI, t.idx
	}
}

// gatherRange copies the bodies of Morton positions [lo, hi) from pts,
// which is in node order.
func (t *octree) gatherRange(pts []point, lo, hi int) {
	idx := t.idx[lo:hi]
	b := t.bodies[lo:hi]
	for i, j := range idx {
		b[i] = pts[j]
	}
}

// build constructs the tree over the gathered bodies.
func (t *octree) build() {
	t.cells = t.cells[:0]
	t.groups = t.groups[:0]
	if len(t.keys) == 0 {
		return
	}
	t.buildRange(0, len(t.keys), false)
}

// buildRange appends the subtree over Morton positions [lo, hi). The tree is
// compressed: a cell is created only where the range actually splits, found
// from the highest bit in which its first and last keys differ, so chains of
// single-child cells never exist. The first cell on a path down with at most
// groupCap bodies becomes an interaction group.
func (t *octree) buildRange(lo, hi int, inGroup bool) summary {
	c := len(t.cells)
	t.cells = append(t.cells, cell{lo: -1})
	var s summary
	if hi-lo <= t.leafCap || t.keys[lo] == t.keys[hi-1] {
		s = t.leafSummary(lo, hi)
		t.cells[c].lo, t.cells[c].hi = int32(lo), int32(hi)
	} else {
		starts := !inGroup && hi-lo <= t.groupCap
		shift := uint(bits.Len64(t.keys[lo]^t.keys[hi-1])-1) / 3 * 3
		s.min = [3]float32{float32(math.Inf(1)), float32(math.Inf(1)), float32(math.Inf(1))}
		s.max = [3]float32{float32(math.Inf(-1)), float32(math.Inf(-1)), float32(math.Inf(-1))}
		for a := lo; a < hi; {
			// The children share every bit above shift+3, so the end of
			// this child is the first key whose prefix down to shift grows.
			p := t.keys[a] >> shift
			b, e := a+1, hi
			for b < e {
				mid := int(uint(b+e) >> 1)
				if t.keys[mid]>>shift > p {
					e = mid
				} else {
					b = mid + 1
				}
			}
			cs := t.buildRange(a, b, inGroup || starts)
			for k := range 3 {
				s.min[k] = min(s.min[k], cs.min[k])
				s.max[k] = max(s.max[k], cs.max[k])
			}
			s.sx += cs.sx
			s.sy += cs.sy
			s.sz += cs.sz
			s.m += cs.m
			a = b
		}
	}
	if !inGroup && (hi-lo <= t.groupCap || t.cells[c].lo >= 0) {
		cx, cy, cz := (s.min[0]+s.max[0])/2, (s.min[1]+s.max[1])/2, (s.min[2]+s.max[2])/2
		t.groups = append(t.groups, group{
			cx: cx, cy: cy, cz: cz,
			hx: s.max[0] - cx, hy: s.max[1] - cy, hz: s.max[2] - cz,
			lo: int32(lo), hi: int32(hi),
		})
	}
	t.finishCell(&t.cells[c], &s)
	t.cells[c].next = int32(len(t.cells))
	return s
}

func (t *octree) leafSummary(lo, hi int) summary {
	var s summary
	bs := t.bodies[lo:hi]
	s.min = [3]float32{bs[0].x, bs[0].y, bs[0].z}
	s.max = s.min
	for _, b := range bs {
		x, y, z, m := b.x, b.y, b.z, float64(b.m)
		s.min[0], s.max[0] = min(s.min[0], x), max(s.max[0], x)
		s.min[1], s.max[1] = min(s.min[1], y), max(s.max[1], y)
		s.min[2], s.max[2] = min(s.min[2], z), max(s.max[2], z)
		s.sx += m * float64(x)
		s.sy += m * float64(y)
		s.sz += m * float64(z)
		s.m += m
	}
	return s
}

// finishCell sets the centre of mass and the opening radius. The radius is
// Barnes' (1994) modified criterion r = s/θ + δ, with s the longest side of
// the cell's tight bounding box and δ the distance from the centre of mass to
// the box centre; it keeps the error bounded when the mass sits off-centre,
// where the plain s/d < θ test can accept a cell that contains the body.
func (t *octree) finishCell(c *cell, s *summary) {
	bx := (s.min[0] + s.max[0]) / 2
	by := (s.min[1] + s.max[1]) / 2
	bz := (s.min[2] + s.max[2]) / 2
	if s.m > 0 {
		c.x, c.y, c.z = float32(s.sx/s.m), float32(s.sy/s.m), float32(s.sz/s.m)
	} else { // massless bodies: use the box centre so nothing is NaN
		c.x, c.y, c.z = bx, by, bz
	}
	c.m = float32(s.m)
	if !(t.theta > 0) {
		c.r2 = float32(math.Inf(1))
		return
	}
	side := max(s.max[0]-s.min[0], s.max[1]-s.min[1], s.max[2]-s.min[2])
	dx, dy, dz := c.x-bx, c.y-by, c.z-bz
	r := side/t.theta + float32(math.Sqrt(float64(dx*dx+dy*dy+dz*dz)))
	c.r2 = r * r
}
