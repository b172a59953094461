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
	// Work on the positive integer matrices (same equilibria) so every
	// solve is fraction-free and allocation-free after the first.
	A, B := b.positiveIntegers()
	bt := make([]big.Int, n*m) // column player's payoffs, transposed
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			bt[j*m+i].Set(&B[i*n+j])
		}
	}
	var out []Equilibrium
	ws := &supportWork{}
	yv, xv := make([]big.Int, n), make([]big.Int, m)
	for k := 1; k <= min(m, n); k++ {
		rowsets := combinations(m, k)
		colsets := combinations(n, k)
		for _, I := range rowsets {
			for _, J := range colsets {
				// y makes every row in I indifferent under A.
				if !ws.indifferent(A, n, I, J, m, yv) {
					continue
				}
				if !ws.indifferent(bt, m, J, I, n, xv) {
					continue
				}
				out = append(out, b.equilibrium(normalise(xv), normalise(yv)))
			}
		}
	}
	return out, nil
}

type supportWork struct {
	mat    []big.Int
	inRows []bool
	t1, t2 big.Int
	det    big.Int
	s      big.Int
}

// indifferent looks for a distribution z on cols (support S) making the
// payoffs M[r][·]·z equal (to u) for every r ∈ rows, with z > 0 on S and no
// row outside `rows` (of nRows) earning more than u. M is row-major with
// width w. On success out (length w) holds z up to a positive factor.
//
// The (k+1)×(k+1) system is solved by integer-preserving Gauss–Jordan
// elimination (Edmonds 1967): after pivoting every column the matrix is D·I
// and the right-hand side D·(z, u) with D = ±det, so signs and comparisons
// need no division at all.
func (ws *supportWork) indifferent(M []big.Int, w int, rows, cols []int, nRows int, out []big.Int) bool {
	k := len(cols)
	dim := k + 1
	W := dim + 1
	if cap(ws.mat) < dim*W {
		ws.mat = make([]big.Int, dim*W)
	}
	a := ws.mat[:dim*W]
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
	if !ws.gaussJordan(a, dim) {
		return false
	}
	// Make D positive so the right-hand side has z's signs.
	if ws.det.Sign() < 0 {
		ws.det.Neg(&ws.det)
		for r := 0; r < dim; r++ {
			a[r*W+dim].Neg(&a[r*W+dim])
		}
	}
	for c := 0; c < k; c++ {
		if a[c*W+dim].Sign() <= 0 {
			return false
		}
	}
	for j := range out {
		out[j].SetInt64(0)
	}
	for c, j := range cols {
		out[j].Set(&a[c*W+dim])
	}
	u := &a[k*W+dim]
	if cap(ws.inRows) < nRows {
		ws.inRows = make([]bool, nRows)
	}
	in := ws.inRows[:nRows]
	for r := range in {
		in[r] = false
	}
	for _, r := range rows {
		in[r] = true
	}
	for r := 0; r < nRows; r++ {
		if in[r] {
			continue
		}
		ws.s.SetInt64(0)
		for _, j := range cols {
			ws.t1.Mul(&M[r*w+j], &out[j])
			ws.s.Add(&ws.s, &ws.t1)
		}
		if ws.s.Cmp(u) > 0 {
			return false
		}
	}
	return true
}

// gaussJordan pivots the dim×(dim+1) integer matrix a to D·I | D·x, leaving
// D in ws.det; it reports false for a singular system.
func (ws *supportWork) gaussJordan(a []big.Int, dim int) bool {
	W := dim + 1
	ws.det.SetInt64(1)
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
		piv := &a[c*W+c]
		for r := 0; r < dim; r++ {
			if r == c {
				continue
			}
			f := &a[r*W+c]
			for k := 0; k < W; k++ {
				if k == c {
					continue
				}
				ws.t1.Mul(&a[r*W+k], piv)
				if f.Sign() != 0 {
					ws.t2.Mul(f, &a[c*W+k])
					ws.t1.Sub(&ws.t1, &ws.t2)
				}
				a[r*W+k].Quo(&ws.t1, &ws.det)
			}
			f.SetInt64(0)
		}
		ws.det.Set(piv)
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
