package layout

// scratch is one worker's private buffers and partial sums, padded so that
// workers writing their own slot never share a cache line.
type scratch struct {
	// interaction list of point masses (cells accepted whole, bodies of
	// opened leaves), reused across groups and steps
	lx, ly, lz, lm []float32

	// partial reductions of the current phase
	min, max         [3]float32
	swing, traction  float64
	energy           float64
	sumX, sumY, sumZ float64
	sumM             float64
	interactions     int64
	centroid         []float64 // 4 floats per category then per coalition
	_                [64]byte
}

func (s *scratch) push(x, y, z, m float32) {
	s.lx = append(s.lx, x)
	s.ly = append(s.ly, y)
	s.lz = append(s.lz, z)
	s.lm = append(s.lm, m)
}

// collect fills the interaction list of group g: one walk of the tree for all
// of the group's bodies (Barnes 1990). A cell is accepted whole when its
// centre of mass lies outside its opening sphere as seen from every point of
// the group's box, which makes the test at least as strict for each body as
// the per-body test would be.
func (t *octree) collect(s *scratch, g *group) {
	s.lx, s.ly, s.lz, s.lm = s.lx[:0], s.ly[:0], s.lz[:0], s.lm[:0]
	cells := t.cells
	gcx, gcy, gcz, ghx, ghy, ghz := g.cx, g.cy, g.cz, g.hx, g.hy, g.hz
	for j := 0; j < len(cells); {
		c := &cells[j]
		dx := max(abs32(c.x-gcx)-ghx, 0)
		dy := max(abs32(c.y-gcy)-ghy, 0)
		dz := max(abs32(c.z-gcz)-ghz, 0)
		if dx*dx+dy*dy+dz*dz > c.r2 {
			s.push(c.x, c.y, c.z, c.m)
			j = int(c.next)
			continue
		}
		if c.lo >= 0 {
			lo, hi := int(c.lo), int(c.hi)
			s.lx = append(s.lx, t.sx[lo:hi]...)
			s.ly = append(s.ly, t.sy[lo:hi]...)
			s.lz = append(s.lz, t.sz[lo:hi]...)
			s.lm = append(s.lm, t.sm[lo:hi]...)
			j = int(c.next)
			continue
		}
		j++
	}
}

// repulseGroups computes the repulsion on every body of groups [lo, hi) and
// stores it, scaled by k·m_i, at the body's node index in fx, fy, fz.
//
// The force law is ForceAtlas2's: magnitude k·m_i·m_j/d, i.e. the vector
// k·m_i·m_j·(p_i−p_j)/d², which needs no square root. eps2 softens it so that
// coincident bodies (and a body meeting itself in its own leaf) contribute
// nothing instead of Inf.
func (t *octree) repulseGroups(s *scratch, lo, hi int, k, eps2 float32, fx, fy, fz []float32) {
	var count int64
	for gi := lo; gi < hi; gi++ {
		g := &t.groups[gi]
		t.collect(s, g)
		lx := s.lx
		ly := s.ly[:len(lx)]
		lz := s.lz[:len(lx)]
		lm := s.lm[:len(lx)]
		count += int64(len(lx)) * int64(g.hi-g.lo)
		b := int(g.lo)
		// Two bodies per pass over the list: every list element loaded
		// once serves both, and the two chains of divisions overlap.
		for ; b+1 < int(g.hi); b += 2 {
			px0, py0, pz0 := t.sx[b], t.sy[b], t.sz[b]
			px1, py1, pz1 := t.sx[b+1], t.sy[b+1], t.sz[b+1]
			var ax0, ay0, az0, ax1, ay1, az1 float32
			for q := range lx {
				x, y, z, m := lx[q], ly[q], lz[q], lm[q]
				dx0, dy0, dz0 := px0-x, py0-y, pz0-z
				dx1, dy1, dz1 := px1-x, py1-y, pz1-z
				f0 := m / (dx0*dx0 + dy0*dy0 + dz0*dz0 + eps2)
				f1 := m / (dx1*dx1 + dy1*dy1 + dz1*dz1 + eps2)
				ax0 += dx0 * f0
				ay0 += dy0 * f0
				az0 += dz0 * f0
				ax1 += dx1 * f1
				ay1 += dy1 * f1
				az1 += dz1 * f1
			}
			km0, km1 := k*t.sm[b], k*t.sm[b+1]
			i0, i1 := t.idx[b], t.idx[b+1]
			fx[i0], fy[i0], fz[i0] = ax0*km0, ay0*km0, az0*km0
			fx[i1], fy[i1], fz[i1] = ax1*km1, ay1*km1, az1*km1
		}
		if b < int(g.hi) {
			px, py, pz := t.sx[b], t.sy[b], t.sz[b]
			var ax, ay, az float32
			for q := range lx {
				dx, dy, dz := px-lx[q], py-ly[q], pz-lz[q]
				f := lm[q] / (dx*dx + dy*dy + dz*dz + eps2)
				ax += dx * f
				ay += dy * f
				az += dz * f
			}
			km := k * t.sm[b]
			i := t.idx[b]
			fx[i], fy[i], fz[i] = ax*km, ay*km, az*km
		}
	}
	s.interactions += count
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
