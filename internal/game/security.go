package game

import (
	"fmt"
	"math/big"
)

// maxMinLP solves, exactly,
//
//	max δ  s.t.  Σ_k σ_k U[k][c] − δ ≥ base[c]  for every column c,
//	             Σ_k σ_k = 1, σ ≥ 0,
//
// the LP behind maximin (security) strategies (von Neumann 1928; base = 0)
// and behind strict dominance by a mixed strategy (base = the dominated
// strategy's payoffs; dominated iff δ* > 0).
func maxMinLP(U [][]*big.Rat, base []*big.Rat) ([]*big.Rat, *big.Rat, error) {
	k := len(U)
	if k == 0 {
		return nil, nil, fmt.Errorf("%w: maximin over no strategies", ErrInvalidGame)
	}
	c := len(U[0])
	// Columns: σ (k), δ⁺, δ⁻, slacks (c).
	p := newRatLP(c+1, k+2+c)
	for col := 0; col < c; col++ {
		for s := 0; s < k; s++ {
			p.at(col, s).Set(U[s][col])
		}
		p.at(col, k).SetInt64(-1)
		p.at(col, k+1).SetInt64(1)
		p.at(col, k+2+col).SetInt64(-1)
		if base != nil {
			p.b[col].Set(base[col])
		}
	}
	for s := 0; s < k; s++ {
		p.at(c, s).SetInt64(1)
	}
	p.b[c].SetInt64(1)
	p.c[k].SetInt64(-1)
	p.c[k+1].SetInt64(1)
	sol, err := p.solve()
	if err != nil {
		return nil, nil, err
	}
	if sol.status != lpOptimal {
		return nil, nil, fmt.Errorf("%w: maximin LP status %d", ErrInfeasible, sol.status)
	}
	sigma := newRats(k)
	for s := range sigma {
		sigma[s].Set(&sol.x[s])
	}
	delta := new(big.Rat).Sub(&sol.x[k], &sol.x[k+1])
	return sigma, delta, nil
}

// payoffColumns arranges player i's payoffs as U[s][c]: own strategy s
// (restricted to own) against opponent profile c (restricted to others[j]
// for each opponent j, enumerated with the lowest player fastest).
func (g *Game) payoffColumns(player int, own []int, others [][]int) [][]*big.Rat {
	n := len(g.shape)
	var bases []int
	counter := make([]int, n)
	for {
		b := 0
		for j := 0; j < n; j++ {
			if j != player {
				b += others[j][counter[j]] * g.stride[j]
			}
		}
		bases = append(bases, b)
		j := 0
		for ; j < n; j++ {
			if j == player {
				continue
			}
			counter[j]++
			if counter[j] < len(others[j]) {
				break
			}
			counter[j] = 0
		}
		if j == n {
			break
		}
	}
	U := make([][]*big.Rat, len(own))
	for r, s := range own {
		U[r] = make([]*big.Rat, len(bases))
		for c, b := range bases {
			U[r][c] = g.Payoff(b+s*g.stride[player], player)
		}
	}
	return U
}

// allStrategies lists 0..m−1 for every player.
func (g *Game) allStrategies() [][]int {
	out := make([][]int, len(g.shape))
	for i, m := range g.shape {
		out[i] = make([]int, m)
		for s := range out[i] {
			out[i][s] = s
		}
	}
	return out
}

// Security is a player's maximin mixed strategy and the payoff it
// guarantees against every opponent profile.
type Security struct {
	Strategy []*big.Rat
	Level    *big.Rat
}

// Maximin computes player i's exact security strategy by LP. For a
// two-player zero-sum game it is the minimax strategy and Level the value.
func (g *Game) Maximin(player int) (*Security, error) {
	if player < 0 || player >= len(g.shape) {
		return nil, fmt.Errorf("%w: player %d out of range", ErrInvalidGame, player)
	}
	all := g.allStrategies()
	U := g.payoffColumns(player, all[player], all)
	sigma, v, err := maxMinLP(U, nil)
	if err != nil {
		return nil, fmt.Errorf("maximin of player %d: %w", player, err)
	}
	return &Security{Strategy: sigma, Level: v}, nil
}
