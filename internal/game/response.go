package game

import (
	"fmt"
	"math/big"
)

// PureBestResponses lists player i's best replies to the other players'
// strategies in profile (player i's own entry is ignored).
func (g *Game) PureBestResponses(player int, profile []int) ([]int, error) {
	if player < 0 || player >= len(g.shape) {
		return nil, fmt.Errorf("%w: player %d out of range", ErrInvalidGame, player)
	}
	p := append([]int(nil), profile...)
	if len(p) == len(g.shape) {
		p[player] = 0
	}
	base, err := g.Index(p)
	if err != nil {
		return nil, err
	}
	st := g.stride[player]
	best := []int{0}
	for s := 1; s < g.shape[player]; s++ {
		switch c := g.cmp(base+s*st, base+best[0]*st, player); {
		case c > 0:
			best = append(best[:0], s)
		case c == 0:
			best = append(best, s)
		}
	}
	return best, nil
}

// checkMixed validates a mixed profile: one probability vector per player,
// non-negative, summing to 1.
func (g *Game) checkMixed(mixed [][]*big.Rat) error {
	if len(mixed) != len(g.shape) {
		return fmt.Errorf("%w: mixed profile has %d players, game has %d", ErrInvalidGame, len(mixed), len(g.shape))
	}
	var sum big.Rat
	for i, m := range mixed {
		if len(m) != g.shape[i] {
			return fmt.Errorf("%w: player %d: %d probabilities for %d strategies", ErrInvalidGame, i, len(m), g.shape[i])
		}
		sum.SetInt64(0)
		for s, p := range m {
			if p.Sign() < 0 {
				return fmt.Errorf("%w: player %d strategy %d has negative probability %s", ErrInvalidGame, i, s, p.RatString())
			}
			sum.Add(&sum, p)
		}
		if sum.Cmp(big.NewRat(1, 1)) != 0 {
			return fmt.Errorf("%w: player %d probabilities sum to %s", ErrInvalidGame, i, sum.RatString())
		}
	}
	return nil
}

// StrategyPayoffs returns, exactly, player i's expected payoff of each pure
// strategy against the others' mixed strategies (mixed[i] is ignored).
func (g *Game) StrategyPayoffs(player int, mixed [][]*big.Rat) ([]*big.Rat, error) {
	if err := g.checkMixed(mixed); err != nil {
		return nil, err
	}
	return g.strategyPayoffs(player, mixed), nil
}

func (g *Game) strategyPayoffs(player int, mixed [][]*big.Rat) []*big.Rat {
	n := len(g.shape)
	out := newRats(g.shape[player])
	var w, t, u big.Rat
	for idx := 0; idx < g.profiles; idx++ {
		w.SetInt64(1)
		for j := 0; j < n && w.Sign() != 0; j++ {
			if j != player {
				w.Mul(&w, mixed[j][g.strategyAt(idx, j)])
			}
		}
		if w.Sign() == 0 {
			continue
		}
		if g.exact {
			t.Mul(&w, g.ratAt(idx, player))
		} else {
			u.SetFloat64(g.flt[idx*n+player])
			t.Mul(&w, &u)
		}
		s := g.strategyAt(idx, player)
		out[s].Add(out[s], &t)
	}
	return out
}

// ExpectedPayoffs returns every player's expected payoff under a mixed profile.
func (g *Game) ExpectedPayoffs(mixed [][]*big.Rat) ([]*big.Rat, error) {
	if err := g.checkMixed(mixed); err != nil {
		return nil, err
	}
	out := newRats(len(g.shape))
	var t big.Rat
	for i := range g.shape {
		for s, v := range g.strategyPayoffs(i, mixed) {
			t.Mul(v, mixed[i][s])
			out[i].Add(out[i], &t)
		}
	}
	return out, nil
}

// Regret returns, for each player, max_s u_i(s, σ₋ᵢ) − u_i(σ), exactly; the
// profile is a Nash equilibrium iff every regret is zero.
func (g *Game) Regret(mixed [][]*big.Rat) ([]*big.Rat, error) {
	if err := g.checkMixed(mixed); err != nil {
		return nil, err
	}
	out := newRats(len(g.shape))
	var t, eu big.Rat
	for i := range g.shape {
		sp := g.strategyPayoffs(i, mixed)
		eu.SetInt64(0)
		best := sp[0]
		for s, v := range sp {
			t.Mul(v, mixed[i][s])
			eu.Add(&eu, &t)
			if v.Cmp(best) > 0 {
				best = v
			}
		}
		out[i].Sub(best, &eu)
	}
	return out, nil
}

// IsNash verifies the Nash condition exactly: no player can gain by a
// unilateral (pure, hence any) deviation.
func (g *Game) IsNash(mixed [][]*big.Rat) (bool, error) {
	reg, err := g.Regret(mixed)
	if err != nil {
		return false, err
	}
	for _, r := range reg {
		if r.Sign() != 0 {
			return false, nil
		}
	}
	return true, nil
}

// PureProfile turns a pure profile into a mixed one (unit vectors).
func (g *Game) PureProfile(profile []int) [][]*big.Rat {
	out := make([][]*big.Rat, len(g.shape))
	for i, m := range g.shape {
		out[i] = newRats(m)
		out[i][profile[i]].SetInt64(1)
	}
	return out
}
