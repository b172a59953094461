package layout

import "math"

// scratch is one worker's private buffers and partial sums, padded so that
// workers writing their own slot never share a cache line.
type scratch struct {
	// interaction list of point masses (cells accepted whole, bodies of
	// opened leaves) as four columns, reused across groups and steps; the
	// columns are kept at one length, the list's capacity.
	lx, ly, lz, lm []float32

	// partial reductions of the current phase
	min, max        [3]float32
	swing, traction float64
	energy          float64
	sum             [3]float64 // coordinate sums, for the RMS radius
	sum2            float64
	interactions    int64
	centroid        []float64 // 4 floats per category then per coalition
	_               [64]byte
}

// listPad is the SIMD width the list is padded to, with massless entries
// far away that add exactly nothing.
const (
	listPad = 32
	padFar  = 1e15
)

// reserve makes room for need more entries after k.
func (s *scratch) reserve(k, need int) {
	if k+need <= len(s.lx) {
		return
	}
	n := max(2*len(s.lx), k+need+listPad, 1024)
	for _, col := range []*[]float32{&s.lx, &s.ly, &s.lz, &s.lm} {
		c := make([]float32, n)
		copy(c, (*col)[:k])
		*col = c
	}
}

// collect fills the interaction list of group g and returns its length,
// padded to a multiple of listPad: one walk of the tree for all of the
// group's bodies (Barnes 1990). A cell is accepted whole when its centre of
// mass lies outside its opening sphere as seen from every point of the
// group's box, which makes the test at least as strict for each body as the
// per-body test would be.
func (t *octree) collect(s *scratch, g *group) int {
	cells, bodies := t.cells, t.bodies
	gcx, gcy, gcz, ghx, ghy, ghz := g.cx, g.cy, g.cz, g.hx, g.hy, g.hz
	k := 0
	for j := 0; j < len(cells); {
		c := &cells[j]
		// distance from the centre of mass to the box, per axis, without
		// branches: the accept/open outcome is hard to predict, and a
		// mispredicted branch per axis cost a quarter of the walk
		dx := max(abs32(c.x-gcx)-ghx, 0)
		dy := max(abs32(c.y-gcy)-ghy, 0)
		dz := max(abs32(c.z-gcz)-ghz, 0)
		if dx*dx+dy*dy+dz*dz > c.r2 {
			if k >= len(s.lx) {
				s.reserve(k, 1)
			}
			s.lx[k], s.ly[k], s.lz[k], s.lm[k] = c.x, c.y, c.z, c.m
			k++
			j = int(c.next)
			continue
		}
		if c.lo >= 0 {
			lo, hi := int(c.lo), int(c.hi)
			s.reserve(k, hi-lo)
			lx, ly, lz, lm := s.lx[k:], s.ly[k:], s.lz[k:], s.lm[k:]
			for i, b := range bodies[lo:hi] {
				lx[i], ly[i], lz[i], lm[i] = b.x, b.y, b.z, b.m
			}
			k += hi - lo
			j = int(c.next)
			continue
		}
		j++
	}
	s.reserve(k, listPad)
	for ; k%listPad != 0; k++ {
		s.lx[k], s.ly[k], s.lz[k], s.lm[k] = padFar, padFar, padFar, 0
	}
	return k
}

// repulseGroups computes the repulsion on every body of groups [lo, hi) and
// stores it, scaled by k·m_i, at the body's node index in fx, fy, fz.
//
// The force law is ForceAtlas2's: magnitude k·m_i·m_j/d, i.e. the vector
// k·m_i·m_j·(p_i−p_j)/d², which needs no square root. eps2 > 0 softens it
// so that coincident bodies (and a body meeting itself in its own leaf)
// contribute nothing instead of Inf.
func (t *octree) repulseGroups(s *scratch, lo, hi int, k, eps2 float32, fx, fy, fz []float32) {
	var count int64
	for gi := lo; gi < hi; gi++ {
		g := &t.groups[gi]
		n := t.collect(s, g)
		lx, ly, lz, lm := s.lx[:n], s.ly[:n], s.lz[:n], s.lm[:n]
		count += int64(n) * int64(g.hi-g.lo)
		bodies := t.bodies[g.lo:g.hi]
		idx := t.idx[g.lo:g.hi]
		if haveAVX {
			for b, p := range bodies {
				ax, ay, az := accumulate(p.x, p.y, p.z, eps2, lx, ly, lz, lm)
				km := k * p.m
				i := idx[b]
				fx[i], fy[i], fz[i] = ax*km, ay*km, az*km
			}
			continue
		}
		accumPairs(bodies, idx, k, eps2, lx, ly, lz, lm, fx, fy, fz)
	}
	s.interactions += count
}

// accumPairs is the portable kernel: two bodies per pass over the list, so
// that every list element loaded once serves both and the two chains of
// divisions overlap.
func accumPairs(bodies []point, idx []int32, k, eps2 float32, lx, ly, lz, lm, fx, fy, fz []float32) {
	ly, lz, lm = ly[:len(lx)], lz[:len(lx)], lm[:len(lx)]
	b := 0
	for ; b+1 < len(bodies) && b+1 < len(idx); b += 2 {
		p0, p1 := bodies[b], bodies[b+1]
		var ax0, ay0, az0, ax1, ay1, az1 float32
		for q := range lx {
			x, y, z, m := lx[q], ly[q], lz[q], lm[q]
			dx0, dy0, dz0 := p0.x-x, p0.y-y, p0.z-z
			dx1, dy1, dz1 := p1.x-x, p1.y-y, p1.z-z
			f0 := m / (dx0*dx0 + dy0*dy0 + dz0*dz0 + eps2)
			f1 := m / (dx1*dx1 + dy1*dy1 + dz1*dz1 + eps2)
			ax0 += dx0 * f0
			ay0 += dy0 * f0
			az0 += dz0 * f0
			ax1 += dx1 * f1
			ay1 += dy1 * f1
			az1 += dz1 * f1
		}
		km0, km1 := k*p0.m, k*p1.m
		i0, i1 := idx[b], idx[b+1]
		fx[i0], fy[i0], fz[i0] = ax0*km0, ay0*km0, az0*km0
		fx[i1], fy[i1], fz[i1] = ax1*km1, ay1*km1, az1*km1
	}
	if b < len(bodies) && b < len(idx) {
		p := bodies[b]
		ax, ay, az := accumGo(p.x, p.y, p.z, eps2, lx, ly, lz, lm)
		km := k * p.m
		i := idx[b]
		fx[i], fy[i], fz[i] = ax*km, ay*km, az*km
	}
}

// accumGo is the scalar kernel for one body.
func accumGo(px, py, pz, eps2 float32, lx, ly, lz, lm []float32) (ax, ay, az float32) {
	ly, lz, lm = ly[:len(lx)], lz[:len(lx)], lm[:len(lx)]
	for q := range lx {
		dx, dy, dz := px-lx[q], py-ly[q], pz-lz[q]
		f := lm[q] / (dx*dx + dy*dy + dz*dz + eps2)
		ax += dx * f
		ay += dy * f
		az += dz * f
	}
	return ax, ay, az
}

// abs32 clears the sign bit; math.Abs would round-trip through float64.
func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }
