package game

import (
	"fmt"
	"math/big"
)

// MultiGame is a normal-form game whose players have vector-valued
// (multi-objective) payoffs: player i has Objectives[i] criteria. Values are
// exact. It reduces to a scalar Game by weighted sums, or is played directly
// under lexicographic preferences.
type MultiGame struct {
	shape      []int
	objectives []int
	offset     []int // offset of player i's objectives within a profile
	width      int
	v          []big.Rat
	base       *Game // shape and indexing only
}

// NewMultiGame returns an all-zero multi-objective game.
func NewMultiGame(shape, objectives []int) (*MultiGame, error) {
	if len(objectives) != len(shape) {
		return nil, fmt.Errorf("%w: %d objective counts for %d players", ErrInvalidGame, len(objectives), len(shape))
	}
	base, err := NewGame(shape, false)
	if err != nil {
		return nil, err
	}
	base.flt = nil
	m := &MultiGame{shape: base.shape, objectives: append([]int(nil), objectives...), offset: make([]int, len(shape)), base: base}
	for i, k := range objectives {
		if k < 1 {
			return nil, fmt.Errorf("%w: player %d has %d objectives", ErrInvalidGame, i, k)
		}
		m.offset[i] = m.width
		m.width += k
	}
	m.v = make([]big.Rat, base.profiles*m.width)
	return m, nil
}

// Set stores player i's objective vector at a profile.
func (m *MultiGame) Set(profile []int, player int, values []*big.Rat) error {
	idx, err := m.base.Index(profile)
	if err != nil {
		return err
	}
	if player < 0 || player >= len(m.shape) || len(values) != m.objectives[player] {
		return fmt.Errorf("%w: profile %v player %d: want %d objective values", ErrInvalidGame, profile, player, m.objectives[player])
	}
	for k, x := range values {
		m.v[idx*m.width+m.offset[player]+k].Set(x)
	}
	return nil
}

// WeightedSum scalarises: uᵢ = Σ_k weights[i][k]·objective_k.
func (m *MultiGame) WeightedSum(weights [][]*big.Rat) (*Game, error) {
	if len(weights) != len(m.shape) {
		return nil, fmt.Errorf("%w: weights for %d players, game has %d", ErrInvalidGame, len(weights), len(m.shape))
	}
	for i, w := range weights {
		if len(w) != m.objectives[i] {
			return nil, fmt.Errorf("%w: player %d: %d weights for %d objectives", ErrInvalidGame, i, len(w), m.objectives[i])
		}
	}
	g, err := NewGame(m.shape, true)
	if err != nil {
		return nil, err
	}
	n := len(m.shape)
	var t big.Rat
	for idx := 0; idx < g.profiles; idx++ {
		for i := 0; i < n; i++ {
			u := &g.rat[idx*n+i]
			for k, w := range weights[i] {
				t.Mul(w, &m.v[idx*m.width+m.offset[i]+k])
				u.Add(u, &t)
			}
		}
	}
	return g, nil
}

// lexCmp compares player i's objective vectors at two profiles
// lexicographically (first objective most important).
func (m *MultiGame) lexCmp(a, b, i int) int {
	for k := 0; k < m.objectives[i]; k++ {
		o := m.offset[i] + k
		if c := m.v[a*m.width+o].Cmp(&m.v[b*m.width+o]); c != 0 {
			return c
		}
	}
	return 0
}

// LexPureNash returns the pure equilibria under lexicographic preferences:
// no player can reach a lexicographically better objective vector alone.
func (m *MultiGame) LexPureNash() [][]int {
	g := m.base
	var out [][]int
	for idx := 0; idx < g.profiles; idx++ {
		ok := true
		for i := 0; i < len(m.shape) && ok; i++ {
			own := g.strategyAt(idx, i)
			base := idx - own*g.stride[i]
			for s := 0; s < m.shape[i]; s++ {
				if m.lexCmp(base+s*g.stride[i], idx, i) > 0 {
					ok = false
					break
				}
			}
		}
		if ok {
			out = append(out, g.Profile(idx, nil))
		}
	}
	return out
}

// LexBestResponses lists player i's lexicographic best replies to profile.
func (m *MultiGame) LexBestResponses(player int, profile []int) ([]int, error) {
	if player < 0 || player >= len(m.shape) {
		return nil, fmt.Errorf("%w: player %d out of range", ErrInvalidGame, player)
	}
	p := append([]int(nil), profile...)
	if len(p) == len(m.shape) {
		p[player] = 0
	}
	base, err := m.base.Index(p)
	if err != nil {
		return nil, err
	}
	st := m.base.stride[player]
	best := []int{0}
	for s := 1; s < m.shape[player]; s++ {
		switch c := m.lexCmp(base+s*st, base+best[0]*st, player); {
		case c > 0:
			best = append(best[:0], s)
		case c == 0:
			best = append(best, s)
		}
	}
	return best, nil
}
