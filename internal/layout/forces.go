package layout

import (
	"fmt"
	"math"
	"slices"
)

// Inputs feeds the force terms beyond structure. The domain packages compute
// them (conceptual space, event log, game theory); the kernel only sees plain
// slices indexed by node. Every field is optional: an empty slice disables
// its term whatever its weight. Per-node slices have length N. SetGraph
// drops the inputs, because node indices may have changed: set them again
// after every topology change.
type Inputs struct {
	// SimA[k]–SimB[k] are nearest neighbours in the conceptual space with
	// similarity SimW[k] >= 0 (nil: 1).
	SimA, SimB []int32
	SimW       []float32
	// Category of each node, -1 for none.
	Category []int32
	// Time of each node's creation event (any unit; NaN: unknown). Each node
	// is paired with its TimeNeighbours nearest successors in time order
	// (default 2) that are at most TimeWindow apart (0: no limit), with
	// weight exp(-Δt/TimeWindow) (1 without a window).
	Time           []float64
	TimeWindow     float64
	TimeNeighbours int
	// Coalition of each node, -1 for none.
	Coalition []int32
	// CompA[k]–CompB[k] hold conflicting strategies with strength CompW[k]
	// (nil: 1).
	CompA, CompB []int32
	CompW        []float32
	// GradX/Y/Z is a per-node utility gradient (e.g. from payoffs), used as
	// given.
	GradX, GradY, GradZ []float32
	// Field is a utility field over space evaluated at each node's current
	// position every step.
	Field UtilityField
}

// UtilityField is a sum of Gaussian bumps U(p) = Σ Amp_k·exp(−|p−c_k|²/(2·Width_k²))
// centred at (X_k, Y_k, Z_k): positive amplitudes attract, negative repel.
type UtilityField struct {
	X, Y, Z, Amp, Width []float32
}

// extra holds the prepared inputs and the per-step centroid state.
type extra struct {
	n                  int
	sim, temporal, cmp csr
	cat, coal          []int32
	ncat, ncoal        int
	catC, coalC        []float64 // x, y, z, count per category / coalition
	catF               []float32 // per-member force of each category
	gx, gy, gz         []float32
	fx, fy, fz, fa, fw []float32

	wS, wR, wT, wK, wC, wU float32
	active                 bool
}

func (e *extra) reset(n int) { *e = extra{n: n} }

// SetInputs validates and installs the inputs for the extra force terms.
// It allocates; call it when the inputs change, not every step. The
// centroid terms need per-worker scratch, sized here.
func (l *Layout) SetInputs(in Inputs) error {
	n := l.n
	var e extra
	e.n = n
	perNode := func(name string, k int) error {
		if k != 0 && k != n {
			return fmt.Errorf("%w: %s has %d entries for %d nodes", ErrInvalidInput, name, k, n)
		}
		return nil
	}
	for _, c := range []struct {
		name string
		k    int
	}{
		{"Category", len(in.Category)}, {"Time", len(in.Time)}, {"Coalition", len(in.Coalition)},
		{"GradX", len(in.GradX)}, {"GradY", len(in.GradY)}, {"GradZ", len(in.GradZ)},
	} {
		if err := perNode(c.name, c.k); err != nil {
			return err
		}
	}
	if len(in.GradX) != len(in.GradY) || len(in.GradX) != len(in.GradZ) {
		return fmt.Errorf("%w: gradient components have %d, %d, %d entries", ErrInvalidInput,
			len(in.GradX), len(in.GradY), len(in.GradZ))
	}
	f := in.Field
	if k := len(f.X); len(f.Y) != k || len(f.Z) != k || len(f.Amp) != k || len(f.Width) != k {
		return fmt.Errorf("%w: utility field slices differ in length", ErrInvalidInput)
	}
	for k, wd := range f.Width {
		if !(wd > 0) {
			return fmt.Errorf("%w: utility field width %d is %v", ErrInvalidInput, k, wd)
		}
	}
	if err := e.sim.build(n, in.SimA, in.SimB, in.SimW); err != nil {
		return fmt.Errorf("similarity: %w", err)
	}
	if err := e.cmp.build(n, in.CompA, in.CompB, in.CompW); err != nil {
		return fmt.Errorf("competition: %w", err)
	}
	if err := e.buildTemporal(in.Time, in.TimeWindow, in.TimeNeighbours); err != nil {
		return err
	}
	var err error
	if e.cat, e.ncat, err = groupIDs("Category", in.Category); err != nil {
		return err
	}
	if e.coal, e.ncoal, err = groupIDs("Coalition", in.Coalition); err != nil {
		return err
	}
	e.catC = make([]float64, 4*e.ncat)
	e.coalC = make([]float64, 4*e.ncoal)
	e.catF = make([]float32, 3*e.ncat)
	for w := range l.ws {
		l.ws[w].centroid = make([]float64, 4*(e.ncat+e.ncoal))
	}
	e.gx, e.gy, e.gz = slices.Clone(in.GradX), slices.Clone(in.GradY), slices.Clone(in.GradZ)
	e.fx, e.fy, e.fz = slices.Clone(f.X), slices.Clone(f.Y), slices.Clone(f.Z)
	e.fa, e.fw = slices.Clone(f.Amp), slices.Clone(f.Width)
	l.ext = e
	return nil
}

func groupIDs(name string, ids []int32) ([]int32, int, error) {
	k := 0
	for i, c := range ids {
		if c < -1 {
			return nil, 0, fmt.Errorf("%w: %s[%d] = %d", ErrInvalidInput, name, i, c)
		}
		k = max(k, int(c)+1)
	}
	return slices.Clone(ids), k, nil
}

// buildTemporal pairs each node with its nearest successors in time.
func (e *extra) buildTemporal(t []float64, window float64, k int) error {
	if len(t) == 0 {
		return nil
	}
	if window < 0 || math.IsNaN(window) {
		return fmt.Errorf("%w: TimeWindow = %v", ErrInvalidInput, window)
	}
	if k <= 0 {
		k = 2
	}
	order := make([]int32, 0, len(t))
	for i, v := range t {
		if !math.IsNaN(v) {
			order = append(order, int32(i))
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		switch {
		case t[a] < t[b]:
			return -1
		case t[a] > t[b]:
			return 1
		}
		return 0
	})
	var a, b []int32
	var w []float32
	for p, i := range order {
		for q := p + 1; q < len(order) && q <= p+k; q++ {
			j := order[q]
			dt := t[j] - t[i]
			if window > 0 && dt > window {
				break
			}
			wt := 1.0
			if window > 0 {
				wt = math.Exp(-dt / window)
			}
			a, b, w = append(a, i), append(b, j), append(w, float32(wt))
		}
	}
	return e.temporal.build(len(t), a, b, w)
}

func (e *extra) setWeights(w *Weights) {
	e.wS = gate(w.Similarity, !e.sim.empty())
	e.wT = gate(w.Temporal, !e.temporal.empty())
	e.wC = gate(w.Competition, !e.cmp.empty())
	e.wR = gate(w.Category, e.ncat > 1)
	e.wK = gate(w.Coalition, e.ncoal > 0)
	e.wU = gate(w.Utility, len(e.gx) > 0 || len(e.fx) > 0)
	e.active = e.wS != 0 || e.wT != 0 || e.wC != 0 || e.wR != 0 || e.wK != 0 || e.wU != 0
}

func gate(w float64, have bool) float32 {
	if !have {
		return 0
	}
	return float32(w)
}

func (e *extra) needCentroids() bool { return e.wR != 0 || e.wK != 0 }

// centroidsRange accumulates coordinate sums and counts of nodes [lo, hi)
// into acc: categories first, then coalitions, 4 floats each.
func (e *extra) centroidsRange(acc []float64, x, y, z []float32, lo, hi int) {
	off := 4 * e.ncat
	for i := lo; i < hi; i++ {
		px, py, pz := float64(x[i]), float64(y[i]), float64(z[i])
		if e.wR != 0 {
			if c := e.cat[i]; c >= 0 {
				a := acc[4*c : 4*c+4]
				a[0], a[1], a[2], a[3] = a[0]+px, a[1]+py, a[2]+pz, a[3]+1
			}
		}
		if e.wK != 0 {
			if c := e.coal[i]; c >= 0 {
				a := acc[off+4*int(c) : off+4*int(c)+4]
				a[0], a[1], a[2], a[3] = a[0]+px, a[1]+py, a[2]+pz, a[3]+1
			}
		}
	}
}

// mergeCentroids sums the workers' partials into centroids and computes the
// category repulsion: categories a and b repel like two bodies of masses
// n_a and n_b, k_r·n_a·n_b/d, and each member of a carries 1/n_a of a's
// share. Categories are few, so the K² loop is serial.
func (e *extra) mergeCentroids(ws []scratch, kr, eps2 float32) {
	clear(e.catC)
	clear(e.coalC)
	off := 4 * e.ncat
	for w := range ws {
		acc := ws[w].centroid
		for k := range e.catC {
			e.catC[k] += acc[k]
		}
		for k := range e.coalC {
			e.coalC[k] += acc[off+k]
		}
	}
	for _, c := range [][]float64{e.catC, e.coalC} {
		for k := 0; k < len(c); k += 4 {
			if c[k+3] > 0 {
				c[k], c[k+1], c[k+2] = c[k]/c[k+3], c[k+1]/c[k+3], c[k+2]/c[k+3]
			}
		}
	}
	if e.wR == 0 {
		return
	}
	kf := float64(kr)
	if kf == 0 {
		kf = 1
	}
	for a := range e.ncat {
		ca := e.catC[4*a : 4*a+4]
		var gx, gy, gz float64
		if ca[3] > 0 {
			for b := range e.ncat {
				cb := e.catC[4*b : 4*b+4]
				if b == a || cb[3] == 0 {
					continue
				}
				dx, dy, dz := ca[0]-cb[0], ca[1]-cb[1], ca[2]-cb[2]
				f := kf * ca[3] * cb[3] / (dx*dx + dy*dy + dz*dz + float64(eps2))
				gx, gy, gz = gx+f*dx, gy+f*dy, gz+f*dz
			}
			gx, gy, gz = gx/ca[3], gy/ca[3], gz/ca[3]
		}
		e.catF[3*a], e.catF[3*a+1], e.catF[3*a+2] = float32(gx), float32(gy), float32(gz)
	}
}

// force returns the sum of the weighted extra terms on node i at (px,py,pz).
func (e *extra) force(i int, px, py, pz float32, x, y, z, mass []float32, kr, eps2 float32) (fx, fy, fz float32) {
	if e.wS != 0 {
		sx, sy, sz := pull(&e.sim, i, px, py, pz, x, y, z)
		fx, fy, fz = fx+e.wS*sx, fy+e.wS*sy, fz+e.wS*sz
	}
	if e.wT != 0 {
		sx, sy, sz := pull(&e.temporal, i, px, py, pz, x, y, z)
		fx, fy, fz = fx+e.wT*sx, fy+e.wT*sy, fz+e.wT*sz
	}
	if e.wC != 0 {
		// the pair's ordinary repulsion, again, times the conflict strength
		k := kr
		if k == 0 {
			k = 1
		}
		mi := mass[i]
		var sx, sy, sz float32
		c := &e.cmp
		for q := c.off[i]; q < c.off[i+1]; q++ {
			j := c.nbr[q]
			dx, dy, dz := px-x[j], py-y[j], pz-z[j]
			f := c.w[q] * mass[j] / (dx*dx + dy*dy + dz*dz + eps2)
			sx, sy, sz = sx+f*dx, sy+f*dy, sz+f*dz
		}
		s := e.wC * k * mi
		fx, fy, fz = fx+s*sx, fy+s*sy, fz+s*sz
	}
	if e.wR != 0 {
		if c := e.cat[i]; c >= 0 {
			fx += e.wR * e.catF[3*c]
			fy += e.wR * e.catF[3*c+1]
			fz += e.wR * e.catF[3*c+2]
		}
	}
	if e.wK != 0 {
		if c := e.coal[i]; c >= 0 {
			cc := e.coalC[4*c : 4*c+3]
			fx += e.wK * (float32(cc[0]) - px)
			fy += e.wK * (float32(cc[1]) - py)
			fz += e.wK * (float32(cc[2]) - pz)
		}
	}
	if e.wU != 0 {
		var gx, gy, gz float32
		if len(e.gx) > 0 {
			gx, gy, gz = e.gx[i], e.gy[i], e.gz[i]
		}
		for k := range e.fx {
			dx, dy, dz := e.fx[k]-px, e.fy[k]-py, e.fz[k]-pz
			inv := 1 / (e.fw[k] * e.fw[k])
			g := e.fa[k] * inv * float32(math.Exp(float64(-0.5*(dx*dx+dy*dy+dz*dz)*inv)))
			gx, gy, gz = gx+g*dx, gy+g*dy, gz+g*dz
		}
		fx, fy, fz = fx+e.wU*gx, fy+e.wU*gy, fz+e.wU*gz
	}
	return fx, fy, fz
}

// pull is the linear spring sum Σ w_ij (p_j − p_i) over i's pairs in c.
func pull(c *csr, i int, px, py, pz float32, x, y, z []float32) (sx, sy, sz float32) {
	for q := c.off[i]; q < c.off[i+1]; q++ {
		j, w := c.nbr[q], c.w[q]
		sx += w * (x[j] - px)
		sy += w * (y[j] - py)
		sz += w * (z[j] - pz)
	}
	return sx, sy, sz
}
