package game

import (
	"fmt"
	"math/big"
)

// Bimatrix is an exact two-player game: A[i][j] is the row player's payoff
// and B[i][j] the column player's when row i meets column j (m×n).
type Bimatrix struct {
	M, N int
	A, B []big.Rat // row-major m×n
}

// NewBimatrix copies two m×n matrices, rejecting ragged or mismatched ones.
func NewBimatrix(A, B [][]*big.Rat) (*Bimatrix, error) {
	m := len(A)
	if m == 0 || len(A[0]) == 0 {
		return nil, fmt.Errorf("%w: matrix A is empty", ErrInvalidGame)
	}
	n := len(A[0])
	if len(B) != m {
		return nil, fmt.Errorf("%w: A has %d rows, B has %d", ErrInvalidGame, m, len(B))
	}
	g := &Bimatrix{M: m, N: n, A: make([]big.Rat, m*n), B: make([]big.Rat, m*n)}
	for i := 0; i < m; i++ {
		if len(A[i]) != n {
			return nil, fmt.Errorf("%w: A row %d has %d entries, row 0 has %d", ErrInvalidGame, i, len(A[i]), n)
		}
		if len(B[i]) != n {
			return nil, fmt.Errorf("%w: B row %d has %d entries, A has %d columns", ErrInvalidGame, i, len(B[i]), n)
		}
		for j := 0; j < n; j++ {
			g.A[i*n+j].Set(A[i][j])
			g.B[i*n+j].Set(B[i][j])
		}
	}
	return g, nil
}

// Bimatrix views a two-player game as (A, B), exactly.
func (g *Game) Bimatrix() (*Bimatrix, error) {
	if len(g.shape) != 2 {
		return nil, fmt.Errorf("%w: game has %d players", ErrNotTwoPlayer, len(g.shape))
	}
	m, n := g.shape[0], g.shape[1]
	b := &Bimatrix{M: m, N: n, A: make([]big.Rat, m*n), B: make([]big.Rat, m*n)}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			idx := i + j*m
			if g.exact {
				b.A[i*n+j].Set(g.ratAt(idx, 0))
				b.B[i*n+j].Set(g.ratAt(idx, 1))
			} else {
				b.A[i*n+j].SetFloat64(g.flt[idx*2])
				b.B[i*n+j].SetFloat64(g.flt[idx*2+1])
			}
		}
	}
	return b, nil
}

// Game converts back to an exact normal-form game.
func (b *Bimatrix) Game() *Game {
	g, _ := NewGame([]int{b.M, b.N}, true)
	for i := 0; i < b.M; i++ {
		for j := 0; j < b.N; j++ {
			idx := i + j*b.M
			g.rat[idx*2].Set(&b.A[i*b.N+j])
			g.rat[idx*2+1].Set(&b.B[i*b.N+j])
		}
	}
	return g
}

// Equilibrium is a mixed equilibrium of a bimatrix game, exact.
type Equilibrium struct {
	X, Y             []*big.Rat
	PayoffA, PayoffB *big.Rat
}

// Payoffs computes xᵀAy and xᵀBy.
func (b *Bimatrix) Payoffs(x, y []*big.Rat) (*big.Rat, *big.Rat) {
	pa, pb := new(big.Rat), new(big.Rat)
	var t big.Rat
	for i := 0; i < b.M; i++ {
		if x[i].Sign() == 0 {
			continue
		}
		for j := 0; j < b.N; j++ {
			if y[j].Sign() == 0 {
				continue
			}
			t.Mul(x[i], y[j])
			pa.Add(pa, new(big.Rat).Mul(&t, &b.A[i*b.N+j]))
			pb.Add(pb, new(big.Rat).Mul(&t, &b.B[i*b.N+j]))
		}
	}
	return pa, pb
}

// IsNash checks exactly that x and y are probability vectors and mutual best
// responses: (Ay)ᵢ ≤ xᵀAy for all i and (xᵀB)ⱼ ≤ xᵀBy for all j.
func (b *Bimatrix) IsNash(x, y []*big.Rat) bool {
	if len(x) != b.M || len(y) != b.N || !isDistribution(x) || !isDistribution(y) {
		return false
	}
	pa, pb := b.Payoffs(x, y)
	var s, t big.Rat
	for i := 0; i < b.M; i++ {
		s.SetInt64(0)
		for j := 0; j < b.N; j++ {
			t.Mul(&b.A[i*b.N+j], y[j])
			s.Add(&s, &t)
		}
		if s.Cmp(pa) > 0 {
			return false
		}
	}
	for j := 0; j < b.N; j++ {
		s.SetInt64(0)
		for i := 0; i < b.M; i++ {
			t.Mul(&b.B[i*b.N+j], x[i])
			s.Add(&s, &t)
		}
		if s.Cmp(pb) > 0 {
			return false
		}
	}
	return true
}

func isDistribution(p []*big.Rat) bool {
	var s big.Rat
	for _, v := range p {
		if v.Sign() < 0 {
			return false
		}
		s.Add(&s, v)
	}
	return s.Cmp(big.NewRat(1, 1)) == 0
}

func (b *Bimatrix) equilibrium(x, y []*big.Rat) Equilibrium {
	pa, pb := b.Payoffs(x, y)
	return Equilibrium{X: x, Y: y, PayoffA: pa, PayoffB: pb}
}

// positiveIntegers returns A′ = s_A·(A − min A) + 1 and B′ likewise, with s
// the common denominator: positive integer matrices with exactly the same
// equilibria (best responses are invariant under positive affine maps of a
// player's payoffs), as the polytope methods require (von Stengel 2007, §3.4).
func (b *Bimatrix) positiveIntegers() (A, B []big.Int) {
	return positiveIntegerMatrix(b.A), positiveIntegerMatrix(b.B)
}

func positiveIntegerMatrix(M []big.Rat) []big.Int {
	ptrs := make([]*big.Rat, len(M))
	lo := &M[0]
	for k := range M {
		ptrs[k] = &M[k]
		if M[k].Cmp(lo) < 0 {
			lo = &M[k]
		}
	}
	scale := new(big.Rat).SetInt(lcmDenominators(ptrs))
	out := make([]big.Int, len(M))
	var t big.Rat
	for k := range M {
		t.Sub(&M[k], lo)
		t.Mul(&t, scale)
		out[k].Add(t.Num(), big.NewInt(1)) // t is an integer now
	}
	return out
}
