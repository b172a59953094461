package game

import (
	"fmt"
	"math/big"
)

// MaxSupportStrategies bounds min(m, n) for support enumeration, whose cost
// grows like C(m+n, m).
const MaxSupportStrategies = 16

// SupportEnumeration returns every equilibrium of a nondegenerate bimatrix
// game (Dickhaut & Kaplan 1991; Nisan et al. 2007, §3.3): for each pair of
// supports I, J of equal size k it solves the indifference systems
//
//	Σ_{j∈J} A_ij y_j = u (i ∈ I),  Σ y_j = 1;   Σ_{i∈I} x_i B_ij = v (j ∈ J),  Σ x_i = 1
//
// exactly, and keeps solutions that are positive on the supports and against
// which no strategy outside them does better. In a nondegenerate game every
// equilibrium has supports of equal size and is found once. In a degenerate
// game equilibria with unequal supports or non-unique indifference solutions
// are skipped; use VertexEnumeration there.
func (b *Bimatrix) SupportEnumeration() ([]Equilibrium, error) {
	m, n := b.M, b.N
	if min(m, n) > MaxSupportStrategies {
		return nil, fmt.Errorf("%w: support enumeration needs min(m,n) ≤ %d, got %d", ErrTooLarge, MaxSupportStrategies, min(m, n))
	}
	// Column player's payoffs transposed, so both systems read rows.
	bt := make([]big.Rat, n*m)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			bt[j*m+i].Set(&b.B[i*n+j])
		}
	}
	var out []Equilibrium
	ws := &supportWork{}
	for k := 1; k <= min(m, n); k++ {
		rowsets := combinations(m, k)
		colsets := combinations(n, k)
		for _, I := range rowsets {
			for _, J := range colsets {
				// y makes every row in I indifferent under A.
				y, ok := ws.indifferent(b.A, n, I, J, m)
				if !ok {
					continue
				}
				x, ok := ws.indifferent(bt, m, J, I, n)
				if !ok {
					continue
				}
				out = append(out, b.equilibrium(x, y))
			}
		}
	}
	return out, nil
}

type supportWork struct {
	mat []big.Rat
	t   big.Rat
}

// indifferent solves for a distribution z on cols (support S) making the
// payoffs M[r][·]·z equal for every r ∈ rows, then checks z > 0 on S and that
// no row outside `rows` (of nRows) earns more. M is row-major with width w.
// It returns the full-length distribution.
func (ws *supportWork) indifferent(M []big.Rat, w int, rows, cols []int, nRows int) ([]*big.Rat, bool) {
	k := len(cols)
	// Unknowns z_0..z_{k−1}, u; equations: rows (k) and Σz = 1.
	dim := k + 1
	if cap(ws.mat) < dim*(dim+1) {
		ws.mat = make([]big.Rat, dim*(dim+1))
	}
	a := ws.mat[:dim*(dim+1)]
	W := dim + 1
	for e, r := range rows {
		for c, j := range cols {
			a[e*W+c].Set(&M[r*w+j])
		}
		a[e*W+k].SetInt64(-1)
		a[e*W+dim].SetInt64(0)
	}
	for c := 0; c < k; c++ {
		a[k*W+c].SetInt64(1)
	}
	a[k*W+k].SetInt64(0)
	a[k*W+dim].SetInt64(1)
	if !solveInPlace(a, dim, &ws.t) {
		return nil, false
	}
	z := newRats(w)
	for c, j := range cols {
		v := &a[c*W+dim]
		if v.Sign() <= 0 {
			return nil, false
		}
		z[j].Set(v)
	}
	u := &a[k*W+dim]
	inRows := make(map[int]bool, len(rows))
	for _, r := range rows {
		inRows[r] = true
	}
	var s big.Rat
	for r := 0; r < nRows; r++ {
		if inRows[r] {
			continue
		}
		s.SetInt64(0)
		for _, j := range cols {
			ws.t.Mul(&M[r*w+j], z[j])
			s.Add(&s, &ws.t)
		}
		if s.Cmp(u) > 0 {
			return nil, false
		}
	}
	return z, true
}

// solveInPlace runs Gauss–Jordan elimination on the dim×(dim+1) augmented
// matrix a; on success row i's last entry is unknown i. It reports false for
// a singular system.
func solveInPlace(a []big.Rat, dim int, t *big.Rat) bool {
	W := dim + 1
	var f big.Rat
	for c := 0; c < dim; c++ {
		p := -1
		for r := c; r < dim; r++ {
			if a[r*W+c].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			return false
		}
		if p != c {
			for k := 0; k < W; k++ {
				a[p*W+k], a[c*W+k] = a[c*W+k], a[p*W+k]
			}
		}
		f.Inv(&a[c*W+c])
		for k := c; k < W; k++ {
			a[c*W+k].Mul(&a[c*W+k], &f)
		}
		for r := 0; r < dim; r++ {
			if r == c || a[r*W+c].Sign() == 0 {
				continue
			}
			f.Set(&a[r*W+c])
			for k := c; k < W; k++ {
				if a[c*W+k].Sign() != 0 {
					t.Mul(&f, &a[c*W+k])
					a[r*W+k].Sub(&a[r*W+k], t)
				}
			}
		}
	}
	return true
}

// combinations lists the k-subsets of 0..n−1 in lexicographic order.
func combinations(n, k int) [][]int {
	var out [][]int
	cur := make([]int, k)
	var rec func(start, depth int)
	rec = func(start, depth int) {
		if depth == k {
			out = append(out, append([]int(nil), cur...))
			return
		}
		for i := start; i <= n-(k-depth); i++ {
			cur[depth] = i
			rec(i+1, depth+1)
		}
	}
	rec(0, 0)
	return out
}
