package spatial

import "math"

// Plane is {p : N·p + D ≥ 0} (the inside), with |N| = 1.
type Plane struct {
	N [3]float64
	D float64
}

// Frustum is a view volume: six inward planes and its eight corners (for
// the bounding box used to query the R-tree).
type Frustum struct {
	Planes  [6]Plane
	Corners [8][3]float64
}

// FrustumFromMatrix extracts the frustum of a column-major view-projection
// matrix (OpenGL/mathgl convention, clip z in [−w, w]) by the method of
// Gribb & Hartmann ("Fast extraction of viewing frustum planes from the
// world-view-projection matrix", 2001); the corners are the clip-space cube
// mapped back through the inverse. ok is false for a singular matrix.
func FrustumFromMatrix(m [16]float64) (f Frustum, ok bool) {
	row := func(i int) [4]float64 { return [4]float64{m[i], m[4+i], m[8+i], m[12+i]} }
	r0, r1, r2, r3 := row(0), row(1), row(2), row(3)
	comb := func(a, b [4]float64, s float64) Plane {
		n := [3]float64{a[0] + s*b[0], a[1] + s*b[1], a[2] + s*b[2]}
		d := a[3] + s*b[3]
		l := math.Sqrt(n[0]*n[0] + n[1]*n[1] + n[2]*n[2])
		if l == 0 {
			return Plane{D: d}
		}
		return Plane{N: [3]float64{n[0] / l, n[1] / l, n[2] / l}, D: d / l}
	}
	f.Planes = [6]Plane{comb(r3, r0, 1), comb(r3, r0, -1), comb(r3, r1, 1), comb(r3, r1, -1), comb(r3, r2, 1), comb(r3, r2, -1)}
	inv, ok := invert4(m)
	if !ok {
		return f, false
	}
	i := 0
	for _, z := range []float64{-1, 1} {
		for _, y := range []float64{-1, 1} {
			for _, x := range []float64{-1, 1} {
				var p [4]float64
				for r := 0; r < 4; r++ {
					p[r] = inv[r]*x + inv[4+r]*y + inv[8+r]*z + inv[12+r]
				}
				if p[3] == 0 {
					return f, false
				}
				f.Corners[i] = [3]float64{p[0] / p[3], p[1] / p[3], p[2] / p[3]}
				i++
			}
		}
	}
	return f, true
}

// Bounds is the axis-aligned box of the corners.
func (f *Frustum) Bounds() (lo, hi [3]float64) {
	lo, hi = f.Corners[0], f.Corners[0]
	for _, c := range f.Corners[1:] {
		for k := 0; k < 3; k++ {
			lo[k] = math.Min(lo[k], c[k])
			hi[k] = math.Max(hi[k], c[k])
		}
	}
	return lo, hi
}

// IntersectsSphere is the conservative plane test: false only if the sphere
// lies entirely outside one plane.
func (f *Frustum) IntersectsSphere(c [3]float64, r float64) bool {
	for _, p := range f.Planes {
		if p.N[0]*c[0]+p.N[1]*c[1]+p.N[2]*c[2]+p.D < -r {
			return false
		}
	}
	return true
}

// invert4 inverts a column-major 4×4 matrix by cofactors.
func invert4(m [16]float64) ([16]float64, bool) {
	var inv [16]float64
	inv[0] = m[5]*m[10]*m[15] - m[5]*m[11]*m[14] - m[9]*m[6]*m[15] + m[9]*m[7]*m[14] + m[13]*m[6]*m[11] - m[13]*m[7]*m[10]
	inv[4] = -m[4]*m[10]*m[15] + m[4]*m[11]*m[14] + m[8]*m[6]*m[15] - m[8]*m[7]*m[14] - m[12]*m[6]*m[11] + m[12]*m[7]*m[10]
	inv[8] = m[4]*m[9]*m[15] - m[4]*m[11]*m[13] - m[8]*m[5]*m[15] + m[8]*m[7]*m[13] + m[12]*m[5]*m[11] - m[12]*m[7]*m[9]
	inv[12] = -m[4]*m[9]*m[14] + m[4]*m[10]*m[13] + m[8]*m[5]*m[14] - m[8]*m[6]*m[13] - m[12]*m[5]*m[10] + m[12]*m[6]*m[9]
	inv[1] = -m[1]*m[10]*m[15] + m[1]*m[11]*m[14] + m[9]*m[2]*m[15] - m[9]*m[3]*m[14] - m[13]*m[2]*m[11] + m[13]*m[3]*m[10]
	inv[5] = m[0]*m[10]*m[15] - m[0]*m[11]*m[14] - m[8]*m[2]*m[15] + m[8]*m[3]*m[14] + m[12]*m[2]*m[11] - m[12]*m[3]*m[10]
	inv[9] = -m[0]*m[9]*m[15] + m[0]*m[11]*m[13] + m[8]*m[1]*m[15] - m[8]*m[3]*m[13] - m[12]*m[1]*m[11] + m[12]*m[3]*m[9]
	inv[13] = m[0]*m[9]*m[14] - m[0]*m[10]*m[13] - m[8]*m[1]*m[14] + m[8]*m[2]*m[13] + m[12]*m[1]*m[10] - m[12]*m[2]*m[9]
	inv[2] = m[1]*m[6]*m[15] - m[1]*m[7]*m[14] - m[5]*m[2]*m[15] + m[5]*m[3]*m[14] + m[13]*m[2]*m[7] - m[13]*m[3]*m[6]
	inv[6] = -m[0]*m[6]*m[15] + m[0]*m[7]*m[14] + m[4]*m[2]*m[15] - m[4]*m[3]*m[14] - m[12]*m[2]*m[7] + m[12]*m[3]*m[6]
	inv[10] = m[0]*m[5]*m[15] - m[0]*m[7]*m[13] - m[4]*m[1]*m[15] + m[4]*m[3]*m[13] + m[12]*m[1]*m[7] - m[12]*m[3]*m[5]
	inv[14] = -m[0]*m[5]*m[14] + m[0]*m[6]*m[13] + m[4]*m[1]*m[14] - m[4]*m[2]*m[13] - m[12]*m[1]*m[6] + m[12]*m[2]*m[5]
	inv[3] = -m[1]*m[6]*m[11] + m[1]*m[7]*m[10] + m[5]*m[2]*m[11] - m[5]*m[3]*m[10] - m[9]*m[2]*m[7] + m[9]*m[3]*m[6]
	inv[7] = m[0]*m[6]*m[11] - m[0]*m[7]*m[10] - m[4]*m[2]*m[11] + m[4]*m[3]*m[10] + m[8]*m[2]*m[7] - m[8]*m[3]*m[6]
	inv[11] = -m[0]*m[5]*m[11] + m[0]*m[7]*m[9] + m[4]*m[1]*m[11] - m[4]*m[3]*m[9] - m[8]*m[1]*m[7] + m[8]*m[3]*m[5]
	inv[15] = m[0]*m[5]*m[10] - m[0]*m[6]*m[9] - m[4]*m[1]*m[10] + m[4]*m[2]*m[9] + m[8]*m[1]*m[6] - m[8]*m[2]*m[5]
	det := m[0]*inv[0] + m[1]*inv[4] + m[2]*inv[8] + m[3]*inv[12]
	if det == 0 || math.IsNaN(det) {
		return inv, false
	}
	for i := range inv {
		inv[i] /= det
	}
	return inv, true
}
