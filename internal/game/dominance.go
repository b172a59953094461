package game

import (
	"fmt"
	"math/big"
)

// Dominance selects the dominance relation used for elimination.
type Dominance uint8

const (
	// StrictPure removes strategies strictly dominated by another pure strategy.
	StrictPure Dominance = iota
	// StrictMixed also removes strategies strictly dominated by a mixed
	// strategy (an exact LP per candidate); the result is order-independent.
	StrictMixed
	// WeakPure removes strategies weakly dominated by a pure strategy; the
	// result depends on the elimination order, which here is: each round
	// removes, for every player at once, all strategies weakly dominated
	// within the current reduced game.
	WeakPure
)

// Elimination is the outcome of iterated dominance: the surviving
// strategies per player (original indices) and the removal order.
type Elimination struct {
	Remaining [][]int
	Removed   []Removal
}

// Removal records one eliminated strategy and what dominated it.
type Removal struct {
	Round, Player, Strategy int
	// DominatedBy is the dominating pure strategy, or −1 for a mixed one.
	DominatedBy int
}

// IterateDominance eliminates dominated strategies until none remain
// (Fudenberg & Tirole 1991, §2.1).
func (g *Game) IterateDominance(rel Dominance) (*Elimination, error) {
	if rel > WeakPure {
		return nil, fmt.Errorf("%w: unknown dominance relation %d", ErrInvalidGame, rel)
	}
	rem := g.allStrategies()
	res := &Elimination{}
	for round := 0; ; round++ {
		type cut struct{ player, s, by int }
		var cuts []cut
		for i := range g.shape {
			U := g.payoffColumns(i, rem[i], rem)
			for a := range rem[i] {
				by := -2
				for b := range rem[i] {
					if b != a && dominates(U[b], U[a], rel == WeakPure) {
						by = rem[i][b]
						break
					}
				}
				if by == -2 && rel == StrictMixed && len(rem[i]) > 2 {
					_, delta, err := maxMinLP(U, U[a])
					if err != nil {
						return nil, fmt.Errorf("dominance LP for player %d strategy %d: %w", i, rem[i][a], err)
					}
					if delta.Sign() > 0 {
						by = -1
					}
				}
				if by != -2 {
					cuts = append(cuts, cut{i, rem[i][a], by})
				}
			}
		}
		// Never empty a player's strategy set: with weak dominance two
		// strategies can only remove each other if payoff-equal, which
		// dominates() excludes, so at least one always survives.
		if len(cuts) == 0 {
			res.Remaining = rem
			return res, nil
		}
		for _, c := range cuts {
			res.Removed = append(res.Removed, Removal{Round: round, Player: c.player, Strategy: c.s, DominatedBy: c.by})
			kept := rem[c.player][:0:0]
			for _, s := range rem[c.player] {
				if s != c.s {
					kept = append(kept, s)
				}
			}
			rem[c.player] = kept
		}
	}
}

// dominates reports whether row b dominates row a: strictly better
// everywhere, or (weak) at least as good everywhere and better somewhere.
func dominates(b, a []*big.Rat, weak bool) bool {
	better := false
	for c := range a {
		switch b[c].Cmp(a[c]) {
		case -1:
			return false
		case 0:
			if !weak {
				return false
			}
		case 1:
			better = true
		}
	}
	return better
}
