//go:build amd64 && !purego

package layout

import (
	"math"
	"testing"
)

// TestAsmKernels checks both assembly kernels against the scalar one,
// whichever accumulate picks on this CPU.
func TestAsmKernels(t *testing.T) {
	if !haveAVX {
		t.Skip("no AVX")
	}
	x, y, z, m := randomBodies(999, 8)
	var s scratch
	n := len(x)
	s.reserve(0, n+listPad)
	copy(s.lx, x)
	copy(s.ly, y)
	copy(s.lz, z)
	copy(s.lm, m)
	for ; n%listPad != 0; n++ {
		s.lx[n], s.ly[n], s.lz[n], s.lm[n] = padFar, padFar, padFar, 0
	}
	lx, ly, lz, lm := s.lx[:n], s.ly[:n], s.lz[:n], s.lm[:n]
	kernels := map[string]func(px, py, pz, eps2 float32, lx, ly, lz, lm *float32, n int) (float32, float32, float32){"AVX": accumAVX}
	if haveFMA {
		kernels["FMA"] = accumFMA
	}
	if haveAVX512 {
		kernels["AVX-512"] = accumAVX512
	}
	for name, k := range kernels {
		for i := range 40 {
			px, py, pz := x[i]+0.125, y[i], z[i]-0.75
			gx, gy, gz := accumGo(px, py, pz, 1e-6, lx, ly, lz, lm)
			ax, ay, az := k(px, py, pz, 1e-6, &lx[0], &ly[0], &lz[0], &lm[0], n)
			d := math.Sqrt(float64((gx-ax)*(gx-ax) + (gy-ay)*(gy-ay) + (gz-az)*(gz-az)))
			if r := math.Sqrt(float64(gx*gx + gy*gy + gz*gz)); d > 1e-4*r {
				t.Fatalf("%s, body %d: (%v,%v,%v) vs scalar (%v,%v,%v)", name, i, ax, ay, az, gx, gy, gz)
			}
		}
	}
}
