package game

import (
	"fmt"
	"math/big"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// MaxLPPlayers bounds the exact LP methods (core, nucleolus): their programs
// have one column per coalition, 2ⁿ−1 of them.
const MaxLPPlayers = 16

// CoreResult reports core non-emptiness with a certificate either way.
type CoreResult struct {
	// Empty is true when the core is empty.
	Empty bool
	// BalancedMax is max Σ λ_S v(S) over balanced collections λ; the core is
	// non-empty iff it equals v(N) (Bondareva 1963; Shapley 1967).
	BalancedMax *big.Rat
	// Point is a core allocation when the core is non-empty.
	Point []*big.Rat
	// Weights are the balancing weights λ_S (>0 only) of an optimal balanced
	// collection; when Empty they prove it: Σ λ_S v(S) > v(N).
	Weights map[Coalition]*big.Rat
	// cover is an optimum of min x(N) s.t. x(S) ≥ v(S): x(N) = BalancedMax.
	cover []*big.Rat
}

// Core decides core non-emptiness exactly by the Bondareva–Shapley linear
// program: maximise Σ_S λ_S v(S) subject to Σ_{S∋i} λ_S = 1, λ ≥ 0. Its dual
// is min x(N) s.t. x(S) ≥ v(S), whose optimum is a core point whenever the
// primal optimum equals v(N). The program has n rows and 2ⁿ−1 columns, which
// keeps the exact tableau small.
func Core(g TU) (*CoreResult, error) {
	n := g.Players()
	if n < 1 || n > MaxLPPlayers {
		return nil, fmt.Errorf("%w: exact core LP needs 1 ≤ n ≤ %d players, got %d", ErrTooLarge, MaxLPPlayers, n)
	}
	cols := 1<<uint(n) - 1
	p := newRatLP(n, cols)
	var v big.Rat
	for s := 1; s <= cols; s++ {
		j := s - 1
		for x := uint64(s); x != 0; x &= x - 1 {
			p.at(trailing(x), j).SetInt64(1)
		}
		g.Value(&v, Coalition(s))
		p.c[j].Neg(&v)
	}
	for i := 0; i < n; i++ {
		p.b[i].SetInt64(1)
	}
	sol, err := p.solve()
	if err != nil {
		return nil, fmt.Errorf("core LP: %w", err)
	}
	if sol.status != lpOptimal {
		return nil, fmt.Errorf("%w: core LP status %d (cannot happen: the grand coalition alone is balanced)", ErrInfeasible, sol.status)
	}
	res := &CoreResult{BalancedMax: new(big.Rat).Neg(&sol.obj), Weights: map[Coalition]*big.Rat{}}
	for j := range sol.x {
		if sol.x[j].Sign() > 0 {
			res.Weights[Coalition(j+1)] = new(big.Rat).Set(&sol.x[j])
		}
	}
	var vn big.Rat
	g.Value(&vn, GrandCoalition(n))
	res.Empty = res.BalancedMax.Cmp(&vn) > 0
	res.cover = newRats(n)
	for i := range res.cover {
		res.cover[i].Neg(&sol.y[i])
	}
	if !res.Empty {
		res.Point = res.cover
	}
	return res, nil
}

// CoreViolation names a coalition that blocks an allocation: x(S) < v(S),
// or for S = N an allocation that is not efficient.
type CoreViolation struct {
	Coalition Coalition
	Excess    *big.Rat // v(S) − x(S); for S = N any non-zero value
}

// InCore checks x against every coalition exactly; it returns whether x is
// in the core and, if not, the coalition with the largest excess (the
// efficiency violation first).
func InCore(g TU, x []*big.Rat) (bool, *CoreViolation, error) {
	n := g.Players()
	if len(x) != n {
		return false, nil, fmt.Errorf("%w: allocation has %d entries for %d players", ErrInvalidGame, len(x), n)
	}
	if n > 30 {
		return false, nil, fmt.Errorf("%w: core membership enumerates 2ⁿ coalitions; n = %d", ErrTooLarge, n)
	}
	var v, sum, e big.Rat
	full := GrandCoalition(n)
	g.Value(&v, full)
	for _, xi := range x {
		sum.Add(&sum, xi)
	}
	if sum.Cmp(&v) != 0 {
		return false, &CoreViolation{Coalition: full, Excess: new(big.Rat).Sub(&v, &sum)}, nil
	}
	var worst *CoreViolation
	for s := Coalition(1); s < full; s++ {
		sum.SetInt64(0)
		for x0 := uint64(s); x0 != 0; x0 &= x0 - 1 {
			sum.Add(&sum, x[trailing(x0)])
		}
		g.Value(&v, s)
		e.Sub(&v, &sum)
		if e.Sign() > 0 && (worst == nil || e.Cmp(worst.Excess) > 0) {
			worst = &CoreViolation{Coalition: s, Excess: new(big.Rat).Set(&e)}
		}
	}
	return worst == nil, worst, nil
}

// CoreFloat decides core non-emptiness in float64 with gonum's simplex
// (optimize/convex/lp) on the same Bondareva–Shapley program; it is the fast
// inexact alternative to Core. tol is the comparison tolerance.
func CoreFloat(g TU, tol float64) (empty bool, balancedMax float64, err error) {
	n := g.Players()
	if n < 1 || n > MaxLPPlayers {
		return false, 0, fmt.Errorf("%w: core LP needs 1 ≤ n ≤ %d players, got %d", ErrTooLarge, MaxLPPlayers, n)
	}
	cols := 1<<uint(n) - 1
	A := mat.NewDense(n, cols, nil)
	c := make([]float64, cols)
	b := make([]float64, n)
	var v big.Rat
	for s := 1; s <= cols; s++ {
		for x := uint64(s); x != 0; x &= x - 1 {
			A.Set(trailing(x), s-1, 1)
		}
		c[s-1] = -ratFloat(g.Value(&v, Coalition(s)))
	}
	for i := range b {
		b[i] = 1
	}
	opt, _, err := lp.Simplex(c, A, b, 1e-10, nil)
	if err != nil {
		return false, 0, fmt.Errorf("%w: gonum simplex: %v", ErrInfeasible, err)
	}
	vn := ratFloat(g.Value(&v, GrandCoalition(n)))
	return -opt > vn+tol, -opt, nil
}
