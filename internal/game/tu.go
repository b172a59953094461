package game

import (
	"fmt"
	"math/big"
	"math/bits"
	"sort"
)

// Coalition is a set of players as a bit set: player i is a member when bit i
// is set. It is the coalition component a graph node or hyperedge can embed.
type Coalition uint64

// MaxTUPlayers bounds the number of players of a TU game (one bit each).
const MaxTUPlayers = 64

// MaxTablePlayers bounds games stored as a full table of 2ⁿ values.
const MaxTablePlayers = 24

// CoalitionOf builds a coalition from player indices.
func CoalitionOf(players ...int) Coalition {
	var c Coalition
	for _, p := range players {
		c |= 1 << uint(p)
	}
	return c
}

// GrandCoalition is the set {0..n−1}.
func GrandCoalition(n int) Coalition {
	if n >= 64 {
		return ^Coalition(0)
	}
	return Coalition(1)<<uint(n) - 1
}

// Has reports membership of player i.
func (c Coalition) Has(i int) bool { return c>>uint(i)&1 == 1 }

// Size is the number of members.
func (c Coalition) Size() int { return bits.OnesCount64(uint64(c)) }

// Members lists the players in increasing order.
func (c Coalition) Members() []int {
	out := make([]int, 0, c.Size())
	for x := uint64(c); x != 0; x &= x - 1 {
		out = append(out, bits.TrailingZeros64(x))
	}
	return out
}

// TU is a transferable-utility cooperative game (N, v) with v(∅) = 0.
// Value stores v(S) in dst and returns dst; it must not retain dst.
type TU interface {
	Players() int
	Value(dst *big.Rat, s Coalition) *big.Rat
}

// TableGame stores v for every coalition, indexed by the coalition's bits.
type TableGame struct {
	n int
	v []big.Rat
}

// NewTableGame returns the zero game on n players (n ≤ MaxTablePlayers).
func NewTableGame(n int) (*TableGame, error) {
	if n < 1 || n > MaxTablePlayers {
		return nil, fmt.Errorf("%w: table game needs 1 ≤ n ≤ %d, got %d", ErrTooLarge, MaxTablePlayers, n)
	}
	return &TableGame{n: n, v: make([]big.Rat, 1<<uint(n))}, nil
}

// TableOf tabulates any TU game with n ≤ MaxTablePlayers.
func TableOf(g TU) (*TableGame, error) {
	if t, ok := g.(*TableGame); ok {
		return t, nil
	}
	t, err := NewTableGame(g.Players())
	if err != nil {
		return nil, err
	}
	for s := range t.v {
		if s != 0 {
			g.Value(&t.v[s], Coalition(s))
		}
	}
	return t, nil
}

// Players implements TU.
func (t *TableGame) Players() int { return t.n }

// Value implements TU.
func (t *TableGame) Value(dst *big.Rat, s Coalition) *big.Rat { return dst.Set(&t.v[s]) }

// Set assigns v(s); setting the empty coalition is an error.
func (t *TableGame) Set(s Coalition, v *big.Rat) error {
	if s == 0 || uint64(s) >= uint64(len(t.v)) {
		return fmt.Errorf("%w: coalition %v outside players 0..%d or empty", ErrInvalidGame, s.Members(), t.n-1)
	}
	t.v[s].Set(v)
	return nil
}

// SparseGame stores the listed coalitions; every other coalition is worth 0.
// It serves games too large to tabulate (sampling Shapley).
type SparseGame struct {
	N int
	V map[Coalition]*big.Rat
}

// Players implements TU.
func (g *SparseGame) Players() int { return g.N }

// Value implements TU.
func (g *SparseGame) Value(dst *big.Rat, s Coalition) *big.Rat {
	if v, ok := g.V[s]; ok {
		return dst.Set(v)
	}
	return dst.SetInt64(0)
}

// negated is the game −v: it turns a cost game into a profit (savings) game
// and back, since the core, Shapley value and nucleolus commute with negation
// as stated in doc.go.
type negated struct{ g TU }

func (n negated) Players() int { return n.g.Players() }
func (n negated) Value(dst *big.Rat, s Coalition) *big.Rat {
	n.g.Value(dst, s)
	return dst.Neg(dst)
}

// Negate returns the game −v.
func Negate(g TU) TU {
	if n, ok := g.(negated); ok {
		return n.g
	}
	return negated{g}
}

// GloveGame: v(S) = min(#left gloves in S, #right gloves in S).
type GloveGame struct {
	N     int
	Left  Coalition
	Right Coalition
}

// Players implements TU.
func (g GloveGame) Players() int { return g.N }

// Value implements TU.
func (g GloveGame) Value(dst *big.Rat, s Coalition) *big.Rat {
	return dst.SetInt64(int64(min((s & g.Left).Size(), (s & g.Right).Size())))
}

// WeightedMajority is the simple game [q; w₁..wₙ]: v(S) = 1 if w(S) ≥ q.
type WeightedMajority struct {
	Quota   int64
	Weights []int64
}

// Players implements TU.
func (g WeightedMajority) Players() int { return len(g.Weights) }

// Value implements TU.
func (g WeightedMajority) Value(dst *big.Rat, s Coalition) *big.Rat {
	var w int64
	for x := uint64(s); x != 0; x &= x - 1 {
		w += g.Weights[bits.TrailingZeros64(x)]
	}
	if w >= g.Quota {
		return dst.SetInt64(1)
	}
	return dst.SetInt64(0)
}

// AirportGame is the cost game c(S) = max_{i∈S} cᵢ (Littlechild & Owen 1973).
type AirportGame struct{ Costs []*big.Rat }

// Players implements TU.
func (g AirportGame) Players() int { return len(g.Costs) }

// Value implements TU.
func (g AirportGame) Value(dst *big.Rat, s Coalition) *big.Rat {
	dst.SetInt64(0)
	for x := uint64(s); x != 0; x &= x - 1 {
		c := g.Costs[bits.TrailingZeros64(x)]
		if c.Cmp(dst) > 0 {
			dst.Set(c)
		}
	}
	return dst
}

// BankruptcyGame (O'Neill 1982): v(S) = max(0, E − Σ_{i∉S} dᵢ).
type BankruptcyGame struct {
	Estate *big.Rat
	Claims []*big.Rat
}

// Players implements TU.
func (g BankruptcyGame) Players() int { return len(g.Claims) }

// Value implements TU.
func (g BankruptcyGame) Value(dst *big.Rat, s Coalition) *big.Rat {
	dst.Set(g.Estate)
	for i, d := range g.Claims {
		if !s.Has(i) {
			dst.Sub(dst, d)
		}
	}
	if dst.Sign() < 0 {
		dst.SetInt64(0)
	}
	return dst
}

// Partition is a coalition structure: disjoint non-empty coalitions covering
// the players.
type Partition []Coalition

// Validate checks that p partitions {0..n−1}.
func (p Partition) Validate(n int) error {
	var seen Coalition
	for k, c := range p {
		if c == 0 {
			return fmt.Errorf("%w: coalition %d of the structure is empty", ErrInvalidGame, k)
		}
		if c&^GrandCoalition(n) != 0 {
			return fmt.Errorf("%w: coalition %d has players outside 0..%d", ErrInvalidGame, k, n-1)
		}
		if c&seen != 0 {
			return fmt.Errorf("%w: coalition %d overlaps an earlier one", ErrInvalidGame, k)
		}
		seen |= c
	}
	if seen != GrandCoalition(n) {
		return fmt.Errorf("%w: structure does not cover players %v", ErrInvalidGame, (GrandCoalition(n) &^ seen).Members())
	}
	return nil
}

// canonical sorts a partition so equal structures compare equal.
func (p Partition) canonical() Partition {
	q := append(Partition(nil), p...)
	sort.Slice(q, func(i, j int) bool { return q[i]&-q[i] < q[j]&-q[j] })
	return q
}

func trailing(x uint64) int { return bits.TrailingZeros64(x) }

// ValueFloat implements FloatValuer (allocation-free sampling).
func (g GloveGame) ValueFloat(s Coalition) float64 {
	return float64(min((s & g.Left).Size(), (s & g.Right).Size()))
}

// ValueFloat implements FloatValuer (allocation-free sampling).
func (g WeightedMajority) ValueFloat(s Coalition) float64 {
	var w int64
	for x := uint64(s); x != 0; x &= x - 1 {
		w += g.Weights[bits.TrailingZeros64(x)]
	}
	if w >= g.Quota {
		return 1
	}
	return 0
}
