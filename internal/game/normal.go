package game

import (
	"fmt"
	"math/big"
)

// MaxProfiles bounds the number of pure-strategy profiles of a Game.
const MaxProfiles = 1 << 24

// Game is an n-player normal-form game. Payoffs are stored in one of two
// number types, chosen at construction: exact rationals (big.Rat) or float64.
//
// Why two types behind one struct rather than generics: the n-player pure
// algorithms (best responses, dominance, pure Nash, Pareto) only compare
// payoffs, so one comparison method that switches on the representation
// serves both without duplicating code; the two-player mixed algorithms and
// the LPs always run exactly, because a float64 is a dyadic rational and
// converts to big.Rat without loss — so equilibria of a float game are the
// exact equilibria of the game as given. float64 saves memory and time for
// large games and feeds the float-only dynamics (replicator).
//
// Profiles are indexed in mixed radix with player 0 varying fastest
// (Gambit's .nfg order): index = Σ sᵢ·strideᵢ, strideᵢ = Π_{j<i} mⱼ.
type Game struct {
	shape    []int
	stride   []int
	profiles int
	exact    bool
	rat      []big.Rat // profiles × players when exact
	flt      []float64 // profiles × players when float
	// PlayerNames and StrategyNames are optional labels (from .nfg files).
	PlayerNames   []string
	StrategyNames [][]string
	Title         string
}

// NewGame returns a game with the given numbers of strategies per player and
// all payoffs zero; exact selects big.Rat storage, otherwise float64.
func NewGame(shape []int, exact bool) (*Game, error) {
	if len(shape) < 1 {
		return nil, fmt.Errorf("%w: a game needs at least one player", ErrInvalidGame)
	}
	g := &Game{shape: append([]int(nil), shape...), stride: make([]int, len(shape)), profiles: 1, exact: exact}
	for i, m := range shape {
		if m < 1 {
			return nil, fmt.Errorf("%w: player %d has %d strategies", ErrInvalidGame, i, m)
		}
		g.stride[i] = g.profiles
		if g.profiles > MaxProfiles/m {
			return nil, fmt.Errorf("%w: more than %d strategy profiles", ErrTooLarge, MaxProfiles)
		}
		g.profiles *= m
	}
	if exact {
		g.rat = make([]big.Rat, g.profiles*len(shape))
	} else {
		g.flt = make([]float64, g.profiles*len(shape))
	}
	return g, nil
}

// Players is the number of players.
func (g *Game) Players() int { return len(g.shape) }

// Shape returns a copy of the strategy counts.
func (g *Game) Shape() []int { return append([]int(nil), g.shape...) }

// NumStrategies is player i's number of pure strategies.
func (g *Game) NumStrategies(i int) int { return g.shape[i] }

// NumProfiles is the number of pure-strategy profiles.
func (g *Game) NumProfiles() int { return g.profiles }

// Exact reports big.Rat storage.
func (g *Game) Exact() bool { return g.exact }

// Index maps a profile to its flat index.
func (g *Game) Index(profile []int) (int, error) {
	if len(profile) != len(g.shape) {
		return 0, fmt.Errorf("%w: profile %v has %d entries for %d players", ErrInvalidGame, profile, len(profile), len(g.shape))
	}
	idx := 0
	for i, s := range profile {
		if s < 0 || s >= g.shape[i] {
			return 0, fmt.Errorf("%w: profile %v: strategy %d of player %d out of range 0..%d", ErrInvalidGame, profile, s, i, g.shape[i]-1)
		}
		idx += s * g.stride[i]
	}
	return idx, nil
}

// Profile writes the profile of flat index idx into dst (allocated if short).
func (g *Game) Profile(idx int, dst []int) []int {
	if cap(dst) < len(g.shape) {
		dst = make([]int, len(g.shape))
	}
	dst = dst[:len(g.shape)]
	for i, m := range g.shape {
		dst[i] = idx % m
		idx /= m
	}
	return dst
}

// strategyAt is player i's strategy in profile idx.
func (g *Game) strategyAt(idx, i int) int { return idx / g.stride[i] % g.shape[i] }

// SetPayoffs sets every player's payoff at a profile, exactly. On a float
// game the values are rounded to float64.
func (g *Game) SetPayoffs(profile []int, payoffs []*big.Rat) error {
	idx, err := g.Index(profile)
	if err != nil {
		return err
	}
	if len(payoffs) != len(g.shape) {
		return fmt.Errorf("%w: profile %v: %d payoffs for %d players", ErrInvalidGame, profile, len(payoffs), len(g.shape))
	}
	base := idx * len(g.shape)
	for i, p := range payoffs {
		if g.exact {
			g.rat[base+i].Set(p)
		} else {
			g.flt[base+i] = ratFloat(p)
		}
	}
	return nil
}

// SetPayoffsFloat sets every player's payoff at a profile from float64
// values (exact on an exact game: a float64 is a rational).
func (g *Game) SetPayoffsFloat(profile []int, payoffs []float64) error {
	idx, err := g.Index(profile)
	if err != nil {
		return err
	}
	if len(payoffs) != len(g.shape) {
		return fmt.Errorf("%w: profile %v: %d payoffs for %d players", ErrInvalidGame, profile, len(payoffs), len(g.shape))
	}
	base := idx * len(g.shape)
	for i, p := range payoffs {
		if g.exact {
			if g.rat[base+i].SetFloat64(p) == nil {
				return fmt.Errorf("%w: profile %v: payoff %v is not finite", ErrInvalidGame, profile, p)
			}
		} else {
			g.flt[base+i] = p
		}
	}
	return nil
}

// Payoff returns player i's payoff at flat profile index idx as an exact
// rational (a copy).
func (g *Game) Payoff(idx, player int) *big.Rat {
	k := idx*len(g.shape) + player
	if g.exact {
		return new(big.Rat).Set(&g.rat[k])
	}
	return new(big.Rat).SetFloat64(g.flt[k])
}

// PayoffFloat returns player i's payoff at flat index idx as float64.
func (g *Game) PayoffFloat(idx, player int) float64 {
	k := idx*len(g.shape) + player
	if g.exact {
		return ratFloat(&g.rat[k])
	}
	return g.flt[k]
}

// cmp compares player i's payoffs at flat profile indices a and b.
func (g *Game) cmp(a, b, i int) int {
	n := len(g.shape)
	if g.exact {
		return ratCmp(&g.rat[a*n+i], &g.rat[b*n+i])
	}
	x, y := g.flt[a*n+i], g.flt[b*n+i]
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// ratAt is a read-only pointer to the exact payoff (exact games only).
func (g *Game) ratAt(idx, i int) *big.Rat { return &g.rat[idx*len(g.shape)+i] }

// ToExact returns an exact copy (itself when already exact).
func (g *Game) ToExact() *Game {
	if g.exact {
		return g
	}
	h, _ := NewGame(g.shape, true)
	for k, f := range g.flt {
		h.rat[k].SetFloat64(f)
	}
	h.PlayerNames, h.StrategyNames, h.Title = g.PlayerNames, g.StrategyNames, g.Title
	return h
}

// Restrict returns the subgame in which player i keeps strategies keep[i]
// (in that order).
func (g *Game) Restrict(keep [][]int) (*Game, error) {
	if len(keep) != len(g.shape) {
		return nil, fmt.Errorf("%w: restriction lists %d players, game has %d", ErrInvalidGame, len(keep), len(g.shape))
	}
	shape := make([]int, len(keep))
	for i, k := range keep {
		for _, s := range k {
			if s < 0 || s >= g.shape[i] {
				return nil, fmt.Errorf("%w: restriction: strategy %d of player %d out of range", ErrInvalidGame, s, i)
			}
		}
		shape[i] = len(k)
	}
	h, err := NewGame(shape, g.exact)
	if err != nil {
		return nil, err
	}
	n := len(shape)
	prof := make([]int, n)
	for idx := 0; idx < h.profiles; idx++ {
		h.Profile(idx, prof)
		src := 0
		for i, s := range prof {
			src += keep[i][s] * g.stride[i]
		}
		for i := 0; i < n; i++ {
			if g.exact {
				h.rat[idx*n+i].Set(&g.rat[src*n+i])
			} else {
				h.flt[idx*n+i] = g.flt[src*n+i]
			}
		}
	}
	return h, nil
}

// Strategy is the strategy component a graph node can carry: which player
// the node is, its named pure strategies and its current mixed strategy
// (probabilities as exact rational strings, empty when undecided).
type Strategy struct {
	Player int      `json:"player"`
	Names  []string `json:"names,omitempty"`
	Mixed  []string `json:"mixed,omitempty"`
}

// Utility is the utility component of a player node: named objectives and
// how they combine — a weighted sum (Weights as rational strings) or, when
// Lexicographic, priority in the listed order.
type Utility struct {
	Objectives    []string `json:"objectives,omitempty"`
	Weights       []string `json:"weights,omitempty"`
	Lexicographic bool     `json:"lexicographic,omitempty"`
}

// ratCmp is big.Rat.Cmp without its allocation for the common case of two
// integers (Rat.Cmp cross-multiplies into fresh storage).
func ratCmp(a, b *big.Rat) int {
	if a.IsInt() && b.IsInt() {
		return a.Num().Cmp(b.Num())
	}
	return a.Cmp(b)
}
