package game

import (
	"fmt"
	"math"
)

// Replicator integrates the replicator dynamics (Taylor & Jonker 1978) for
// evolutionary strategy selection, in float64:
//
//	single population (symmetric game, payoff A):  ẋᵢ = xᵢ((Ax)ᵢ − xᵀAx)
//	two populations (bimatrix A, B):               ẋᵢ = xᵢ((Ay)ᵢ − xᵀAy),
//	                                               ẏⱼ = yⱼ((Bᵀx)ⱼ − xᵀBy)
//
// with the classical fourth-order Runge–Kutta scheme, projecting back onto
// the simplex after each step to stop rounding drift. All scratch space is
// allocated once, so Step allocates nothing.
type Replicator struct {
	m, n  int
	A, B  []float64 // row-major m×n; B nil for one population (m = n)
	k     [4][]float64
	tmp   []float64
	fitX  []float64
	fitY  []float64
	state []float64
}

// NewReplicator builds single-population dynamics for a symmetric game with
// square payoff matrix A (k×k, row-major).
func NewReplicator(k int, A []float64) (*Replicator, error) {
	if k < 1 || len(A) != k*k {
		return nil, fmt.Errorf("%w: replicator needs a %d×%d matrix, got %d entries", ErrInvalidGame, k, k, len(A))
	}
	return newReplicator(k, k, A, nil), nil
}

// NewReplicator2 builds two-population dynamics for the bimatrix game (A, B).
func NewReplicator2(m, n int, A, B []float64) (*Replicator, error) {
	if m < 1 || n < 1 || len(A) != m*n || len(B) != m*n {
		return nil, fmt.Errorf("%w: replicator needs two %d×%d matrices, got %d and %d entries", ErrInvalidGame, m, n, len(A), len(B))
	}
	return newReplicator(m, n, A, B), nil
}

func newReplicator(m, n int, A, B []float64) *Replicator {
	d := m
	if B != nil {
		d = m + n
	}
	r := &Replicator{m: m, n: n, A: append([]float64(nil), A...), tmp: make([]float64, d), fitX: make([]float64, m), fitY: make([]float64, n), state: make([]float64, d)}
	if B != nil {
		r.B = append([]float64(nil), B...)
	}
	for i := range r.k {
		r.k[i] = make([]float64, d)
	}
	return r
}

// Dim is the state length: k, or m+n for two populations (x then y).
func (r *Replicator) Dim() int { return len(r.state) }

// deriv writes the vector field at s into out.
func (r *Replicator) deriv(s, out []float64) {
	m, n := r.m, r.n
	x := s[:m]
	if r.B == nil {
		avg := 0.0
		for i := 0; i < m; i++ {
			f := 0.0
			for j := 0; j < m; j++ {
				f += r.A[i*m+j] * x[j]
			}
			r.fitX[i] = f
			avg += x[i] * f
		}
		for i := 0; i < m; i++ {
			out[i] = x[i] * (r.fitX[i] - avg)
		}
		return
	}
	y := s[m : m+n]
	for j := 0; j < n; j++ {
		r.fitY[j] = 0
	}
	avgX, avgY := 0.0, 0.0
	for i := 0; i < m; i++ {
		f := 0.0
		for j := 0; j < n; j++ {
			f += r.A[i*n+j] * y[j]
			r.fitY[j] += r.B[i*n+j] * x[i]
		}
		r.fitX[i] = f
		avgX += x[i] * f
	}
	for j := 0; j < n; j++ {
		avgY += y[j] * r.fitY[j]
	}
	for i := 0; i < m; i++ {
		out[i] = x[i] * (r.fitX[i] - avgX)
	}
	for j := 0; j < n; j++ {
		out[m+j] = y[j] * (r.fitY[j] - avgY)
	}
}

// Step advances state (length Dim) by dt in place with one RK4 step and
// returns the max-norm of the change.
func (r *Replicator) Step(state []float64, dt float64) float64 {
	k0, k1, k2, k3, tmp := r.k[0], r.k[1], r.k[2], r.k[3], r.tmp
	r.deriv(state, k0)
	for i := range tmp {
		tmp[i] = state[i] + dt/2*k0[i]
	}
	r.deriv(tmp, k1)
	for i := range tmp {
		tmp[i] = state[i] + dt/2*k1[i]
	}
	r.deriv(tmp, k2)
	for i := range tmp {
		tmp[i] = state[i] + dt*k2[i]
	}
	r.deriv(tmp, k3)
	change := 0.0
	for i := range state {
		d := dt / 6 * (k0[i] + 2*k1[i] + 2*k2[i] + k3[i])
		state[i] += d
		change = math.Max(change, math.Abs(d))
	}
	project(state[:r.m])
	if r.B != nil {
		project(state[r.m:])
	}
	return change
}

// project clips negatives and renormalises to the simplex.
func project(x []float64) {
	s := 0.0
	for i, v := range x {
		if v < 0 {
			x[i] = 0
		}
		s += x[i]
	}
	if s > 0 {
		for i := range x {
			x[i] /= s
		}
	}
}

// Run steps from state until the max-norm change per unit time drops below
// tol or maxSteps is reached; it returns the steps taken and whether it
// settled. state is updated in place.
func (r *Replicator) Run(state []float64, dt float64, maxSteps int, tol float64) (int, bool, error) {
	if len(state) != len(r.state) {
		return 0, false, fmt.Errorf("%w: replicator state has %d entries, want %d", ErrInvalidGame, len(state), len(r.state))
	}
	if !(dt > 0) {
		return 0, false, fmt.Errorf("%w: replicator step %v must be positive", ErrInvalidGame, dt)
	}
	project(state[:r.m])
	if r.B != nil {
		project(state[r.m:])
	}
	for s := 1; s <= maxSteps; s++ {
		if r.Step(state, dt)/dt < tol {
			return s, true, nil
		}
	}
	return maxSteps, false, nil
}

// Selected returns the index of the largest share in x (the strategy the
// population selects); ties go to the lowest index.
func Selected(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}
