package game

import (
	"fmt"
	"math/big"
)

// Nucleolus computes the nucleolus (Schmeidler 1969): the imputation that
// lexicographically minimises the non-increasingly ordered vector of excesses
// e(S, x) = v(S) − x(S). It requires a non-empty imputation set
// (Σ v({i}) ≤ v(N)).
//
// The method is the sequential LP scheme (Kopelowitz 1967; Maschler, Peleg &
// Shapley 1979) with the corrections of Guajardo & Jörnsten (2015): at stage k
//
//	min ε  s.t.  x(S) + ε ≥ v(S)  (S active),  x(S) = c_S  (S fixed),
//	             x(N) = v(N),  xᵢ ≥ v({i}) (imputations only),
//
// then every active coalition that is tight in *all* optimal solutions is
// fixed at c_S = v(S) − ε*. Those are found without extra LPs: a coalition
// with a positive optimal dual weight is tight in every optimum by
// complementary slackness, and the dual weights of the active rows sum to 1,
// so each stage fixes at least one coalition. Coalitions whose incidence
// vectors lie in the span of the fixed ones are dropped (their excess is
// already determined), so the rank of the fixed set grows every stage and at
// most n−1 stages run. The program solved is the LP dual (n+1 rows, one
// column per coalition) with the exact simplex of this package.
func Nucleolus(g TU) ([]*big.Rat, error) { return nucleolus(g, true) }

// Prenucleolus is the nucleolus over pre-imputations (no individual
// rationality constraints); it coincides with the nucleolus when the core is
// non-empty.
func Prenucleolus(g TU) ([]*big.Rat, error) { return nucleolus(g, false) }

func nucleolus(g TU, imputations bool) ([]*big.Rat, error) {
	n := g.Players()
	if n < 1 || n > MaxLPPlayers {
		return nil, fmt.Errorf("%w: nucleolus LPs need 1 ≤ n ≤ %d players, got %d", ErrTooLarge, MaxLPPlayers, n)
	}
	t, err := TableOf(g)
	if err != nil {
		return nil, err
	}
	full := GrandCoalition(n)
	vN := &t.v[full]
	if imputations {
		var s big.Rat
		for i := 0; i < n; i++ {
			s.Add(&s, &t.v[1<<uint(i)])
		}
		if s.Cmp(vN) > 0 {
			return nil, fmt.Errorf("%w: imputation set is empty: Σ v({i}) = %s > v(N) = %s", ErrInfeasible, s.RatString(), vN.RatString())
		}
	}
	type fixedC struct {
		s Coalition
		c big.Rat
	}
	fixed := []fixedC{{s: full}}
	fixed[0].c.Set(vN)
	span := newSpan(n)
	span.add(full)
	x := newRats(n)
	if n == 1 {
		x[0].Set(vN)
		return x, nil
	}
	var active []Coalition
	for s := Coalition(1); s < full; s++ {
		active = append(active, s)
	}
	for stage := 0; span.rank < n; stage++ {
		if stage > n {
			return nil, fmt.Errorf("%w: nucleolus did not fix a full-rank set after %d stages", ErrNoConvergence, stage)
		}
		cols := len(active) + 2*len(fixed)
		if imputations {
			cols += n
		}
		p := newRatLP(n+1, cols)
		j := 0
		for _, s := range active {
			for x0 := uint64(s); x0 != 0; x0 &= x0 - 1 {
				p.at(trailing(x0), j).SetInt64(1)
			}
			p.at(n, j).SetInt64(1)
			p.c[j].Neg(&t.v[s])
			j++
		}
		for k := range fixed {
			for x0 := uint64(fixed[k].s); x0 != 0; x0 &= x0 - 1 {
				p.at(trailing(x0), j).SetInt64(1)
				p.at(trailing(x0), j+1).SetInt64(-1)
			}
			p.c[j].Neg(&fixed[k].c)
			p.c[j+1].Set(&fixed[k].c)
			j += 2
		}
		if imputations {
			for i := 0; i < n; i++ {
				p.at(i, j).SetInt64(1)
				p.c[j].Neg(&t.v[1<<uint(i)])
				j++
			}
		}
		p.b[n].SetInt64(1)
		sol, err := p.solve()
		if err != nil {
			return nil, fmt.Errorf("nucleolus stage %d: %w", stage, err)
		}
		if sol.status != lpOptimal {
			return nil, fmt.Errorf("%w: nucleolus stage %d LP status %d", ErrInfeasible, stage, sol.status)
		}
		var eps big.Rat
		eps.Neg(&sol.y[n])
		for i := 0; i < n; i++ {
			x[i].Neg(&sol.y[i])
		}
		progressed := false
		for k, s := range active {
			if sol.x[k].Sign() > 0 {
				f := fixedC{s: s}
				f.c.Sub(&t.v[s], &eps)
				fixed = append(fixed, f)
				span.add(s)
				progressed = true
			}
		}
		if !progressed {
			return nil, fmt.Errorf("%w: nucleolus stage %d fixed no coalition", ErrNoConvergence, stage)
		}
		kept := active[:0]
		for _, s := range active {
			if !span.contains(s) {
				kept = append(kept, s)
			}
		}
		active = kept
	}
	return x, nil
}

// span is an exact row-echelon basis of coalition incidence vectors.
type span struct {
	n     int
	rank  int
	rows  [][]big.Rat
	pivot []int
	work  []big.Rat
}

func newSpan(n int) *span { return &span{n: n, work: make([]big.Rat, n)} }

func (sp *span) reduce(s Coalition) []big.Rat {
	w := sp.work
	for i := range w {
		if s.Has(i) {
			w[i].SetInt64(1)
		} else {
			w[i].SetInt64(0)
		}
	}
	var t big.Rat
	for k, r := range sp.rows {
		p := sp.pivot[k]
		if w[p].Sign() == 0 {
			continue
		}
		f := new(big.Rat).Set(&w[p])
		for i := range w {
			if r[i].Sign() != 0 {
				t.Mul(f, &r[i])
				w[i].Sub(&w[i], &t)
			}
		}
	}
	return w
}

func (sp *span) contains(s Coalition) bool {
	for _, v := range sp.reduce(s) {
		if v.Sign() != 0 {
			return false
		}
	}
	return true
}

func (sp *span) add(s Coalition) {
	w := sp.reduce(s)
	p := -1
	for i := range w {
		if w[i].Sign() != 0 {
			p = i
			break
		}
	}
	if p < 0 {
		return
	}
	row := make([]big.Rat, sp.n)
	var inv big.Rat
	inv.Inv(&w[p])
	for i := range w {
		row[i].Mul(&w[i], &inv)
	}
	sp.rows = append(sp.rows, row)
	sp.pivot = append(sp.pivot, p)
	sp.rank++
}
