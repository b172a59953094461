package layout

import (
	"testing"

	"gonum.org/v1/gonum/spatial/barneshut"
	"gonum.org/v1/gonum/spatial/r3"
)

// body adapts a node to gonum's Particle3; used only as the reference.
type body struct {
	p r3.Vec
	m float64
}

func (b *body) Coord3() r3.Vec { return b.p }
func (b *body) Mass() float64  { return b.m }

// faForce is the ForceAtlas2 repulsion in gonum's Force3 form: the vector on
// p1 is −m1·m2·v/|v|² with v pointing from p1 to p2 (v = 0 gives 0).
func faForce(_, _ barneshut.Particle3, m1, m2 float64, v r3.Vec) r3.Vec {
	d2 := v.X*v.X + v.Y*v.Y + v.Z*v.Z
	if d2 == 0 {
		return r3.Vec{}
	}
	return r3.Scale(-m1*m2/d2, v)
}

// TestGonumReferenceAccuracy logs gonum's error on the same points and θ,
// so that the speed comparison is read against accuracy too.
func TestGonumReferenceAccuracy(t *testing.T) {
	for _, unitMass := range []bool{true, false} {
		gonumAccuracy(t, unitMass)
	}
}

func gonumAccuracy(t *testing.T, unitMass bool) {
	if testing.Short() {
		t.Skip("reference only")
	}
	const n = 10000
	x, y, z, m := randomBodies(n, 1)
	if unitMass {
		for i := range m {
			m[i] = 1
		}
	}
	ex, ey, ez := exactForces(x, y, z, m, 0)
	ps := make([]barneshut.Particle3, n)
	for i := range ps {
		ps[i] = &body{r3.Vec{X: float64(x[i]), Y: float64(y[i]), Z: float64(z[i])}, float64(m[i])}
	}
	vol, err := barneshut.NewVolume(ps)
	if err != nil {
		t.Fatal(err)
	}
	for _, theta := range []float64{0.5, 0.8, 1.0} {
		tx, ty, tz := make([]float32, n), make([]float32, n), make([]float32, n)
		for i, p := range ps {
			f := vol.ForceOn(p, theta, faForce)
			tx[i], ty[i], tz[i] = float32(f.X), float32(f.Y), float32(f.Z)
		}
		t.Logf("gonum θ=%.1f unit masses %v: relative RMS error %.3e", theta, unitMass, relRMS(tx, ty, tz, ex, ey, ez))
	}
}
