package game

import "math/big"

// intTableau is a simplex tableau kept in integers by integer pivoting
// (Edmonds 1967; von Stengel 2007, §3.5): after any pivot the tableau equals
// det·B⁻¹·[M | b] with det the last pivot element, so every division is
// exact and no fractions are ever formed. A tableau is a function of its
// basis, so pivoting back on the same element restores it exactly.
type intTableau struct {
	rows, cols int // cols counts the variables; column cols is the rhs
	T          []big.Int
	det        big.Int
	basis      []int // variable basic in each row
	where      []int // row of each variable, −1 when non-basic
	t1, t2     big.Int
}

// newIntTableau builds [M | I | 1] for the system M·z + w = 1, z, w ≥ 0,
// with M rows×k; variables 0..k−1 are z, k..k+rows−1 the slacks w.
func newIntTableau(rows, k int, M []big.Int) *intTableau {
	t := &intTableau{rows: rows, cols: k + rows}
	w := t.cols + 1
	t.T = make([]big.Int, rows*w)
	t.basis = make([]int, rows)
	t.where = make([]int, t.cols)
	for v := range t.where {
		t.where[v] = -1
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < k; j++ {
			t.T[i*w+j].Set(&M[i*k+j])
		}
		t.T[i*w+k+i].SetInt64(1)
		t.T[i*w+t.cols].SetInt64(1)
		t.basis[i] = k + i
		t.where[k+i] = i
	}
	t.det.SetInt64(1)
	return t
}

func (t *intTableau) at(i, j int) *big.Int { return &t.T[i*(t.cols+1)+j] }
func (t *intTableau) rhs(i int) *big.Int   { return &t.T[i*(t.cols+1)+t.cols] }

// pivot brings variable e into the basis in row r.
func (t *intTableau) pivot(r, e int) {
	w := t.cols + 1
	pr := t.T[r*w : (r+1)*w]
	piv := &pr[e]
	for i := 0; i < t.rows; i++ {
		if i == r {
			continue
		}
		ri := t.T[i*w : (i+1)*w]
		f := &ri[e]
		zero := f.Sign() == 0
		for k := 0; k < w; k++ {
			if k == e {
				continue
			}
			t.t1.Mul(&ri[k], piv)
			if !zero && pr[k].Sign() != 0 {
				t.t2.Mul(f, &pr[k])
				t.t1.Sub(&t.t1, &t.t2)
			}
			ri[k].Quo(&t.t1, &t.det)
		}
		f.SetInt64(0)
	}
	t.det.Set(piv)
	old := t.basis[r]
	t.where[old] = -1
	t.basis[r] = e
	t.where[e] = r
}

// minRatioRows lists the rows attaining min rhs/T[·][e] over rows with a
// positive entry in column e (the feasible leaving rows).
func (t *intTableau) minRatioRows(e int, out []int) []int {
	out = out[:0]
	for i := 0; i < t.rows; i++ {
		a := t.at(i, e)
		if a.Sign() <= 0 {
			continue
		}
		if len(out) == 0 {
			out = append(out, i)
			continue
		}
		// rhs_i/a_i vs rhs_b/a_b  ⇔  rhs_i·a_b vs rhs_b·a_i (a > 0).
		b := out[0]
		t.t1.Mul(t.rhs(i), t.at(b, e))
		t.t2.Mul(t.rhs(b), a)
		switch t.t1.Cmp(&t.t2) {
		case -1:
			out = append(out[:0], i)
		case 0:
			out = append(out, i)
		}
	}
	return out
}

// lexMinRatioRow is the lexicographic minimum-ratio test: among rows with a
// positive entry in column e, minimise (rhs, columns of the initial slack
// basis) / T[·][e] lexicographically. The slack columns hold det·B⁻¹, whose
// rows are independent, so the minimum is unique and degenerate games cannot
// make Lemke–Howson cycle (von Stengel 2007, §3.7).
func (t *intTableau) lexMinRatioRow(e, slack0 int) int {
	best := -1
	for i := 0; i < t.rows; i++ {
		a := t.at(i, e)
		if a.Sign() <= 0 {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		ab := t.at(best, e)
		c := t.cmpRatio(t.rhs(i), a, t.rhs(best), ab)
		for k := 0; c == 0 && k < t.rows; k++ {
			c = t.cmpRatio(t.at(i, slack0+k), a, t.at(best, slack0+k), ab)
		}
		if c < 0 {
			best = i
		}
	}
	return best
}

func (t *intTableau) cmpRatio(x, a, y, b *big.Int) int {
	t.t1.Mul(x, b)
	t.t2.Mul(y, a)
	return t.t1.Cmp(&t.t2)
}

// values writes the basic values (times det) of variables 0..k−1 into out;
// non-basic variables are zero.
func (t *intTableau) values(k int, out []big.Int) {
	for v := 0; v < k; v++ {
		if r := t.where[v]; r >= 0 {
			out[v].Set(t.rhs(r))
		} else {
			out[v].SetInt64(0)
		}
	}
}

// normalise divides an integer vector by its sum, giving a distribution.
func normalise(v []big.Int) []*big.Rat {
	var s big.Int
	for k := range v {
		s.Add(&s, &v[k])
	}
	out := newRats(len(v))
	for k := range v {
		if v[k].Sign() != 0 {
			out[k].SetFrac(&v[k], &s)
		}
	}
	return out
}

type bigInt = big.Int

// eqKey identifies an equilibrium for de-duplication.
func eqKey(e Equilibrium) string {
	buf := make([]byte, 0, 64)
	for _, v := range e.X {
		buf = append(buf, v.RatString()...)
		buf = append(buf, ',')
	}
	buf = append(buf, '|')
	for _, v := range e.Y {
		buf = append(buf, v.RatString()...)
		buf = append(buf, ',')
	}
	return string(buf)
}
