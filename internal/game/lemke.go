package game

import "fmt"

// LemkeHowson follows the Lemke–Howson path (Lemke & Howson 1964) from the
// artificial equilibrium (0, 0) with the given label missing, exactly as in
// von Stengel, "Equilibrium computation for two-player games in strategic
// and extensive form", Algorithmic Game Theory ch. 3 (2007), Algorithm 3.6:
// labels 0..m−1 are the row player's strategies and m..m+n−1 the column
// player's (label m+j is column strategy j).
//
// The best-response polytopes P = {x ≥ 0 : B′ᵀx ≤ 1} and Q = {y ≥ 0 : A′y ≤ 1}
// (A′, B′ positive integer versions of A, B) are held as two integer-pivoting
// tableaux. The variable with the missing label enters first; each pivot's
// leaving variable has a label that is then duplicated, and its complement
// enters the other tableau, until the missing label itself leaves. The
// lexicographic ratio test keeps the path well defined on degenerate games.
// The result is exact and always a Nash equilibrium.
func (b *Bimatrix) LemkeHowson(label int) (Equilibrium, error) {
	m, n := b.M, b.N
	if label < 0 || label >= m+n {
		return Equilibrium{}, fmt.Errorf("%w: Lemke–Howson label %d outside 0..%d", ErrInvalidGame, label, m+n-1)
	}
	A, B := b.positiveIntegers()
	bt := make([]bigInt, n*m) // B′ᵀ
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			bt[j*m+i].Set(&B[i*n+j])
		}
	}
	// P: rows n, variables x_0..x_{m−1} (label i), s_0..s_{n−1} (label m+j):
	// in P the variable index equals its label.
	P := newIntTableau(n, m, bt)
	// Q: rows m, variables y_0..y_{n−1} (label m+j), r_0..r_{m−1} (label i).
	Q := newIntTableau(m, n, A)
	qVar := func(l int) int { // Q variable carrying label l
		if l < m {
			return n + l
		}
		return l - m
	}
	qLabel := func(v int) int {
		if v < n {
			return m + v
		}
		return v - n
	}
	inP := label < m
	enter := label
	if !inP {
		enter = qVar(label)
	}
	limit := 1 << 20
	for step := 0; ; step++ {
		if step > limit {
			return Equilibrium{}, fmt.Errorf("%w: Lemke–Howson from label %d exceeded %d pivots", ErrNoConvergence, label, limit)
		}
		var tab *intTableau
		slack0 := 0
		if inP {
			tab, slack0 = P, m
		} else {
			tab, slack0 = Q, n
		}
		r := tab.lexMinRatioRow(enter, slack0)
		if r < 0 {
			return Equilibrium{}, fmt.Errorf("%w: Lemke–Howson ray at label %d (payoff matrices must be positive)", ErrInvalidGame, label)
		}
		leave := tab.basis[r]
		tab.pivot(r, enter)
		var l int
		if inP {
			l = leave
		} else {
			l = qLabel(leave)
		}
		if l == label {
			break
		}
		// The duplicate label l leaves the other polytope: its variable there
		// enters.
		inP = !inP
		if inP {
			enter = l
		} else {
			enter = qVar(l)
		}
	}
	xv := make([]bigInt, m)
	yv := make([]bigInt, n)
	P.values(m, xv)
	Q.values(n, yv)
	return b.equilibrium(normalise(xv), normalise(yv)), nil
}

// LemkeHowsonAll runs Lemke–Howson from every label and returns the distinct
// equilibria found, in order of first discovery.
func (b *Bimatrix) LemkeHowsonAll() ([]Equilibrium, error) {
	var out []Equilibrium
	seen := map[string]bool{}
	for l := 0; l < b.M+b.N; l++ {
		e, err := b.LemkeHowson(l)
		if err != nil {
			return nil, err
		}
		k := eqKey(e)
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out, nil
}
