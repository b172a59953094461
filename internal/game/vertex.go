package game

import (
	"fmt"
	"math/big"
	"math/bits"
)

// vertex is a vertex of a best-response polytope: its coordinates (times a
// positive scale, which normalisation removes) and its label set.
type vertex struct {
	coords []big.Int
	labels uint64
}

// VertexResult holds all extreme equilibria of a bimatrix game.
type VertexResult struct {
	Equilibria []Equilibrium
	// Degenerate reports a degenerate game: some mixed strategy with support
	// size k has more than k pure best responses (von Stengel 2007, Def. 3.2),
	// detected as a polytope vertex with more labels than dimensions.
	Degenerate bool
	// VerticesP and VerticesQ count the vertices of P and Q, origin included.
	VerticesP, VerticesQ int
}

// MaxVertexLabels bounds m+n for vertex enumeration (labels are a bit set).
const MaxVertexLabels = 64

// VertexEnumeration returns every extreme Nash equilibrium — for degenerate
// games too — by enumerating the vertices of the best-response polytopes
// P = {x ≥ 0 : B′ᵀx ≤ 1} and Q = {y ≥ 0 : A′y ≤ 1} and pairing the completely
// labelled ones (Mangasarian 1964; Avis, Rosenberg, Savani & von Stengel
// 2010). Vertices are found by a depth-first search over feasible bases:
// from each basis every feasible pivot (every minimum-ratio row, so all
// bases of a degenerate vertex are reached) leads to a neighbour, and the
// graph of feasible bases is connected. Pivots are exact integer pivots and
// are undone by pivoting back, so one tableau per polytope suffices.
func (b *Bimatrix) VertexEnumeration() (*VertexResult, error) {
	m, n := b.M, b.N
	if m+n > MaxVertexLabels {
		return nil, fmt.Errorf("%w: vertex enumeration needs m+n ≤ %d, got %d", ErrTooLarge, MaxVertexLabels, m+n)
	}
	A, B := b.positiveIntegers()
	bt := make([]bigInt, n*m)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			bt[j*m+i].Set(&B[i*n+j])
		}
	}
	// P's variable v carries label v; Q's y_j label m+j and r_i label i.
	vp := enumerateVertices(newIntTableau(n, m, bt), m, func(v int) int { return v })
	vq := enumerateVertices(newIntTableau(m, n, A), n, func(v int) int {
		if v < n {
			return m + v
		}
		return v - n
	})
	res := &VertexResult{VerticesP: len(vp), VerticesQ: len(vq)}
	for _, u := range vp {
		if bits.OnesCount64(u.labels) > m {
			res.Degenerate = true
		}
	}
	for _, v := range vq {
		if bits.OnesCount64(v.labels) > n {
			res.Degenerate = true
		}
	}
	full := uint64(1)<<uint(m+n) - 1
	if m+n == 64 {
		full = ^uint64(0)
	}
	for _, u := range vp {
		if isZero(u.coords) {
			continue
		}
		var x []*big.Rat
		for _, v := range vq {
			if u.labels|v.labels != full || isZero(v.coords) {
				continue
			}
			if x == nil {
				x = normalise(u.coords)
			}
			res.Equilibria = append(res.Equilibria, b.equilibrium(x, normalise(v.coords)))
		}
	}
	return res, nil
}

func isZero(v []big.Int) bool {
	for k := range v {
		if v[k].Sign() != 0 {
			return false
		}
	}
	return true
}

// enumerateVertices walks all feasible bases of t (dimension k) and returns
// its distinct vertices with their labels.
func enumerateVertices(t *intTableau, k int, label func(v int) int) []vertex {
	var out []vertex
	seenVertex := map[string]bool{}
	seenBasis := map[uint64]bool{}
	var mask uint64
	for _, v := range t.basis {
		mask |= 1 << uint(v)
	}
	coords := make([]big.Int, k)
	var key []byte
	var g big.Int
	var record func()
	var visit func(mask uint64)
	record = func() {
		t.values(k, coords)
		// Canonical key: coordinates divided by their gcd with det.
		g.Set(&t.det)
		for c := range coords {
			if coords[c].Sign() != 0 {
				g.GCD(nil, nil, &g, &coords[c])
			}
		}
		key = key[:0]
		for c := range coords {
			var q big.Int
			q.Quo(&coords[c], &g)
			key = q.Append(key, 36)
			key = append(key, ',')
		}
		var q big.Int
		key = q.Quo(&t.det, &g).Append(key, 36)
		if seenVertex[string(key)] {
			return
		}
		seenVertex[string(key)] = true
		var labels uint64
		for v := 0; v < t.cols; v++ {
			if r := t.where[v]; r < 0 || t.rhs(r).Sign() == 0 {
				labels |= 1 << uint(label(v))
			}
		}
		cp := make([]big.Int, k)
		for c := range cp {
			cp[c].Set(&coords[c])
		}
		out = append(out, vertex{coords: cp, labels: labels})
	}
	visit = func(mask uint64) {
		seenBasis[mask] = true
		record()
		var rows []int
		for e := 0; e < t.cols; e++ {
			if t.where[e] >= 0 {
				continue
			}
			rows = t.minRatioRows(e, rows[:0])
			cand := append([]int(nil), rows...)
			for _, r := range cand {
				leave := t.basis[r]
				next := mask&^(1<<uint(leave)) | 1<<uint(e)
				if seenBasis[next] {
					continue
				}
				t.pivot(r, e)
				visit(next)
				t.pivot(r, leave)
			}
		}
	}
	visit(mask)
	return out
}
