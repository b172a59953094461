package spatial

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

type sphere struct {
	c [3]float64
	r float64
}

func randomScene(r *rand.Rand, n int, size float64) ([]int, []float32, []float32, []sphere) {
	ids := make([]int, n)
	xyz := make([]float32, 3*n)
	radii := make([]float32, n)
	sp := make([]sphere, n)
	for i := range ids {
		ids[i] = i
		for k := 0; k < 3; k++ {
			xyz[3*i+k] = float32(r.Float64() * size)
			sp[i].c[k] = float64(xyz[3*i+k])
		}
		radii[i] = float32(0.5 + r.Float64())
		sp[i].r = float64(radii[i])
	}
	return ids, xyz, radii, sp
}

func bruteBox(sp []sphere, lo, hi [3]float64) []int {
	var out []int
	for i, s := range sp {
		if s.c[0] >= lo[0] && s.c[0] <= hi[0] && s.c[1] >= lo[1] && s.c[1] <= hi[1] && s.c[2] >= lo[2] && s.c[2] <= hi[2] {
			out = append(out, i)
		}
	}
	return out
}

func bruteFrustum(sp []sphere, f *Frustum) []int {
	var out []int
	for i, s := range sp {
		if f.IntersectsSphere(s.c, s.r) {
			out = append(out, i)
		}
	}
	return out
}

func brutePick(sp []sphere, o, d [3]float64, maxDist float64) (int, float64) {
	best, bt := -1, math.Inf(1)
	for i, s := range sp {
		if t, ok := raySphere(o, d, s.c, s.r); ok && t <= maxDist && t < bt {
			best, bt = i, t
		}
	}
	return best, bt
}

func sameSet(t *testing.T, what string, got, want []int) {
	t.Helper()
	g := slices.Clone(got)
	slices.Sort(g)
	if !slices.Equal(g, want) {
		t.Fatalf("%s: got %d ids, want %d", what, len(g), len(want))
	}
}

// perspective × lookAt, column-major like mathgl.
func viewProj(eye, target [3]float64, fovy, aspect, near, far float64) [16]float64 {
	f := 1 / math.Tan(fovy/2)
	P := [16]float64{f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, (far + near) / (near - far), -1, 0, 0, 2 * far * near / (near - far), 0}
	fw := norm3(sub3(target, eye))
	s := norm3(cross3(fw, [3]float64{0, 1, 0}))
	u := cross3(s, fw)
	V := [16]float64{s[0], u[0], -fw[0], 0, s[1], u[1], -fw[1], 0, s[2], u[2], -fw[2], 0,
		-dot3(s, eye), -dot3(u, eye), dot3(fw, eye), 1}
	var M [16]float64
	for c := 0; c < 4; c++ {
		for rr := 0; rr < 4; rr++ {
			for k := 0; k < 4; k++ {
				M[c*4+rr] += P[k*4+rr] * V[c*4+k]
			}
		}
	}
	return M
}

func sub3(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func dot3(a, b [3]float64) float64    { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func cross3(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
func norm3(a [3]float64) [3]float64 {
	l := math.Sqrt(dot3(a, a))
	return [3]float64{a[0] / l, a[1] / l, a[2] / l}
}

func TestPositionIndexQueriesMatchBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	ids, xyz, radii, sp := randomScene(r, 5000, 100)
	idx, err := NewPositionIndex(2)
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Build(ids, xyz, radii); err != nil {
		t.Fatal(err)
	}
	check := func(round int) {
		var buf []int
		for q := 0; q < 50; q++ {
			lo := [3]float64{r.Float64() * 100, r.Float64() * 100, r.Float64() * 100}
			hi := [3]float64{lo[0] + r.Float64()*30, lo[1] + r.Float64()*30, lo[2] + r.Float64()*30}
			buf = idx.QueryBox(lo, hi, buf)
			sameSet(t, "box", buf, bruteBox(sp, lo, hi))
		}
		for q := 0; q < 20; q++ {
			eye := [3]float64{r.Float64()*200 - 50, r.Float64()*200 - 50, r.Float64()*200 - 50}
			target := [3]float64{50 + 20*r.NormFloat64(), 50 + 20*r.NormFloat64(), 50 + 20*r.NormFloat64()}
			f, ok := FrustumFromMatrix(viewProj(eye, target, 0.6+r.Float64(), 1.5, 1, 80+r.Float64()*100))
			if !ok {
				t.Fatal("singular view-projection")
			}
			buf = idx.QueryFrustum(&f, buf)
			sameSet(t, "frustum", buf, bruteFrustum(sp, &f))
		}
		for q := 0; q < 200; q++ {
			o := [3]float64{r.Float64()*140 - 20, r.Float64()*140 - 20, r.Float64()*140 - 20}
			d := [3]float64{r.NormFloat64(), r.NormFloat64(), r.NormFloat64()}
			maxD := math.Inf(1)
			if q%2 == 0 {
				maxD = 50 + r.Float64()*100
			}
			gotID, gotT, ok := idx.Pick(o, d, maxD)
			wantID, wantT := brutePick(sp, o, d, maxD)
			if !ok {
				gotID = -1
			}
			if gotID != wantID || (ok && math.Abs(gotT-wantT) > 1e-9) {
				t.Fatalf("round %d pick %d: got %d@%v, want %d@%v", round, q, gotID, gotT, wantID, wantT)
			}
		}
	}
	check(0)
	// Incremental updates: small moves stay in the fat boxes, big ones
	// reinsert; queries stay exact either way.
	for round := 1; round <= 3; round++ {
		idx.ResetStats()
		for i := range sp {
			step := 0.3
			if (round < 3 && i%100 == 0) || (round == 3 && i%10 == 0) {
				step = 15 // rounds 1–2 reinsert incrementally, round 3 rebuilds
			}
			for k := 0; k < 3; k++ {
				sp[i].c[k] += step * r.NormFloat64()
				xyz[3*i+k] = float32(sp[i].c[k])
				sp[i].c[k] = float64(xyz[3*i+k])
			}
		}
		if err := idx.SyncFlat(xyz, radii); err != nil {
			t.Fatal(err)
		}
		if idx.Reinserted == 0 || idx.Reinserted == len(sp) {
			t.Fatalf("round %d: reinserted %d of %d", round, idx.Reinserted, len(sp))
		}
		check(round)
	}
	// Removal.
	for i := 0; i < 100; i++ {
		if err := idx.Remove(i); err != nil {
			t.Fatal(err)
		}
	}
	all := idx.QueryBox([3]float64{-1e9, -1e9, -1e9}, [3]float64{1e9, 1e9, 1e9}, nil)
	if len(all) != len(sp)-100 || idx.Len() != len(sp)-100 {
		t.Fatalf("after removal: %d", len(all))
	}
	if err := idx.Remove(0); !errors.Is(err, ErrUnknownID) {
		t.Fatal(err)
	}
	if err := idx.Set(1, [3]float64{math.NaN(), 0, 0}, 1); !errors.Is(err, ErrNaN) {
		t.Fatal(err)
	}
}

func TestFrustumIdentityIsClipCube(t *testing.T) {
	f, ok := FrustumFromMatrix([16]float64{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1})
	if !ok {
		t.Fatal("identity is singular?")
	}
	lo, hi := f.Bounds()
	if lo != [3]float64{-1, -1, -1} || hi != [3]float64{1, 1, 1} {
		t.Fatalf("bounds %v %v", lo, hi)
	}
	for _, c := range []struct {
		p  [3]float64
		r  float64
		in bool
	}{{[3]float64{0, 0, 0}, 0, true}, {[3]float64{1.5, 0, 0}, 0.4, false}, {[3]float64{1.5, 0, 0}, 0.6, true}, {[3]float64{0, 0, -3}, 1, false}} {
		if got := f.IntersectsSphere(c.p, c.r); got != c.in {
			t.Fatalf("sphere %v r=%v: got %v", c.p, c.r, got)
		}
	}
}
