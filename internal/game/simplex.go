package game

import (
	"fmt"
	"math/big"
)

// lpStatus is the outcome of an exact linear program.
type lpStatus uint8

const (
	lpOptimal lpStatus = iota
	lpInfeasible
	lpUnbounded
)

// ratLP is a linear program in equality form over the rationals:
//
//	minimise c·x subject to A x = b, x ≥ 0,
//
// with A dense and row-major (m rows, n columns). It is the exact LP engine of
// the package: a two-phase tableau simplex with Bland's rule (Dantzig 1963;
// Bland 1977), so it terminates on degenerate programs, and every number it
// returns is exact.
type ratLP struct {
	m, n int
	A    []big.Rat // m*n
	b    []big.Rat // m
	c    []big.Rat // n
}

func newRatLP(m, n int) *ratLP {
	return &ratLP{m: m, n: n, A: make([]big.Rat, m*n), b: make([]big.Rat, m), c: make([]big.Rat, n)}
}

func (p *ratLP) at(i, j int) *big.Rat { return &p.A[i*p.n+j] }

// lpSolution is an optimal basic solution with its dual: y satisfies
// Aᵀy ≤ c and b·y = c·x (strong duality), so y certifies optimality.
type lpSolution struct {
	status lpStatus
	x      []big.Rat
	y      []big.Rat
	obj    big.Rat
}

// solve runs the two-phase simplex. Artificial variables are kept as columns
// (never re-entering in phase 2) because their reduced costs give the dual
// solution for free: ỹ_i = −(reduced cost of artificial i).
func (p *ratLP) solve() (*lpSolution, error) {
	m, n := p.m, p.n
	w := n + m + 1 // columns: originals, artificials, rhs
	rhs := n + m
	T := make([]big.Rat, (m+1)*w)
	row := func(i int) []big.Rat { return T[i*w : (i+1)*w] }
	sign := make([]int, m)
	basis := make([]int, m)
	for i := 0; i < m; i++ {
		r := row(i)
		sign[i] = 1
		if p.b[i].Sign() < 0 {
			sign[i] = -1
		}
		for j := 0; j < n; j++ {
			a := p.at(i, j)
			if a.Sign() == 0 {
				continue
			}
			r[j].Set(a)
			if sign[i] < 0 {
				r[j].Neg(&r[j])
			}
		}
		r[n+i].SetInt64(1)
		r[rhs].Set(&p.b[i])
		if sign[i] < 0 {
			r[rhs].Neg(&r[rhs])
		}
		basis[i] = n + i
	}
	z := row(m)
	// Phase 1: minimise the sum of artificials.
	for i := 0; i < m; i++ {
		r := row(i)
		for j := 0; j < n; j++ {
			if r[j].Sign() != 0 {
				z[j].Sub(&z[j], &r[j])
			}
		}
		z[rhs].Sub(&z[rhs], &r[rhs])
	}
	var tmp big.Rat
	if err := simplexIterate(T, m, w, n+m, basis, &tmp); err != nil {
		return nil, err
	}
	if z[rhs].Sign() != 0 {
		return &lpSolution{status: lpInfeasible}, nil
	}
	// Drive artificials out of the basis; a row where that is impossible is
	// redundant and its artificial stays basic at zero forever.
	for i := 0; i < m; i++ {
		if basis[i] < n {
			continue
		}
		r := row(i)
		for j := 0; j < n; j++ {
			if r[j].Sign() != 0 {
				pivot(T, m, w, i, j, &tmp)
				basis[i] = j
				break
			}
		}
	}
	// Phase 2 objective row: reduced costs c_j − c_B·B⁻¹A_j.
	for j := 0; j < w; j++ {
		z[j].SetInt64(0)
	}
	for j := 0; j < n; j++ {
		z[j].Set(&p.c[j])
	}
	for i := 0; i < m; i++ {
		bj := basis[i]
		if bj >= n || p.c[bj].Sign() == 0 {
			continue
		}
		r := row(i)
		cb := &p.c[bj]
		for j := 0; j < w; j++ {
			if r[j].Sign() == 0 {
				continue
			}
			tmp.Mul(cb, &r[j])
			z[j].Sub(&z[j], &tmp)
		}
	}
	if err := simplexIterate(T, m, w, n, basis, &tmp); err != nil {
		if err == errUnbounded {
			return &lpSolution{status: lpUnbounded}, nil
		}
		return nil, err
	}
	sol := &lpSolution{status: lpOptimal, x: make([]big.Rat, n), y: make([]big.Rat, m)}
	for i := 0; i < m; i++ {
		if basis[i] < n {
			sol.x[basis[i]].Set(&row(i)[rhs])
		}
	}
	for i := 0; i < m; i++ {
		sol.y[i].Neg(&z[n+i])
		if sign[i] < 0 {
			sol.y[i].Neg(&sol.y[i])
		}
	}
	sol.obj.Neg(&z[rhs])
	return sol, nil
}

var errUnbounded = fmt.Errorf("%w: linear program", ErrUnbounded)

// simplexIterate pivots with Bland's rule until the objective row (row m) has
// no negative reduced cost among the first `enter` columns.
func simplexIterate(T []big.Rat, m, w, enter int, basis []int, tmp *big.Rat) error {
	rhs := w - 1
	z := T[m*w : (m+1)*w]
	var best, ratio big.Rat
	for iter := 0; ; iter++ {
		if iter > 1<<22 {
			return fmt.Errorf("%w: simplex exceeded iteration cap", ErrNoConvergence)
		}
		s := -1
		for j := 0; j < enter; j++ {
			if z[j].Sign() < 0 {
				s = j
				break
			}
		}
		if s < 0 {
			return nil
		}
		r := -1
		for i := 0; i < m; i++ {
			a := &T[i*w+s]
			if a.Sign() <= 0 {
				continue
			}
			ratio.Quo(&T[i*w+rhs], a)
			if r < 0 {
				r = i
				best.Set(&ratio)
				continue
			}
			if c := ratio.Cmp(&best); c < 0 || c == 0 && basis[i] < basis[r] {
				r = i
				best.Set(&ratio)
			}
		}
		if r < 0 {
			return errUnbounded
		}
		pivot(T, m, w, r, s, tmp)
		basis[r] = s
	}
}

// pivot makes column s a unit column with its 1 in row r (rows 0..m, the
// last being the objective row).
func pivot(T []big.Rat, m, w, r, s int, tmp *big.Rat) {
	pr := T[r*w : (r+1)*w]
	var inv big.Rat
	inv.Inv(&pr[s])
	for j := 0; j < w; j++ {
		if pr[j].Sign() != 0 {
			pr[j].Mul(&pr[j], &inv)
		}
	}
	var f big.Rat
	for i := 0; i <= m; i++ {
		if i == r {
			continue
		}
		ri := T[i*w : (i+1)*w]
		if ri[s].Sign() == 0 {
			continue
		}
		f.Set(&ri[s])
		for j := 0; j < w; j++ {
			if pr[j].Sign() == 0 {
				continue
			}
			tmp.Mul(&f, &pr[j])
			ri[j].Sub(&ri[j], tmp)
		}
	}
}
