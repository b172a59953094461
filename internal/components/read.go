package components

import (
	"fmt"
	"math"
	"math/big"

	"github.com/infoalchemist/alchemist/internal/conceptual"
	"github.com/infoalchemist/alchemist/internal/game"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// ErrNoSpace: the graph has no space of that id.
var ErrNoSpace = fmt.Errorf("components: no such space: %w", graph.ErrNotFound)

// Space returns the compiled conceptual space of a graph's space: a clone the caller may re-weight.
func Space(g *graph.Graph, spaceID string) (*conceptual.Space, error) {
	def, ok := g.SpaceDefinition(spaceID)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoSpace, spaceID)
	}
	s, err := compile(def)
	if err != nil {
		return nil, fmt.Errorf("components: space %q: %w", spaceID, err)
	}
	return s.Clone(), nil
}

// Categorizer returns the nearest-prototype classifier of a space's prototypes (in the order they
// were added; ties go to the earlier one).
func Categorizer(g *graph.Graph, spaceID string) (*conceptual.Categorizer, error) {
	s, err := Space(g, spaceID)
	if err != nil {
		return nil, err
	}
	protos := g.Prototypes(spaceID)
	cp := make([]conceptual.Prototype, len(protos))
	for i, p := range protos {
		cp[i] = conceptual.Prototype{Name: p.Name, Point: conceptual.Coordinates(p.Point), Source: p.Source}
	}
	return conceptual.NewCategorizer(s, cp)
}

// Points writes the coordinates of the nodes of a space into dst as rows of dims values, row-major:
// the node whose rows entry is r fills dst[r*dims : (r+1)*dims]. Rows of nodes without a point there
// (or with a missing dimension) hold NaN, conceptual.Missing. nrows is the number of rows of dst
// (every rows value must be below it; others are skipped). dst is reused when it has the capacity,
// so a caller that keeps it allocates nothing in steady state. The flat order of the dimensions is
// the compiled space's (conceptual.Space.DimensionName), which is the definition's.
func Points(g *graph.Graph, spaceID string, rows map[string]int32, nrows int, dst []float64) ([]float64, int, error) {
	dimNames, ok := g.SpaceDimensions(spaceID)
	if !ok {
		return dst[:0], 0, fmt.Errorf("%w: %q", ErrNoSpace, spaceID)
	}
	dims := len(dimNames)
	n := nrows * dims
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	for i := range dst {
		dst[i] = math.NaN()
	}
	for id, v := range g.SpacePoints(spaceID) {
		r, ok := rows[id]
		if !ok || r < 0 || int(r) >= nrows {
			continue
		}
		copy(dst[int(r)*dims:(int(r)+1)*dims], v)
	}
	return dst, dims, nil
}

// Membership writes, for every node row, the number of the coalition the node is in, or -1: dst has
// nrows entries and coalition k is ids[k] (ids sorted, so numbers are stable while the set of
// coalitions is). dst is reused when it has the capacity.
func Membership(g *graph.Graph, rows map[string]int32, nrows int, dst []int32) ([]int32, []string) {
	if cap(dst) < nrows {
		dst = make([]int32, nrows)
	}
	dst = dst[:nrows]
	for i := range dst {
		dst[i] = -1
	}
	cs := g.Coalitions()
	ids := make([]string, len(cs))
	for k, c := range cs {
		ids[k] = c.ID
		for _, m := range c.Members {
			if r, ok := rows[m]; ok && r >= 0 && int(r) < nrows {
				dst[r] = int32(k)
			}
		}
	}
	return dst, ids
}

// Partition returns the coalition structure of n players as a game.Partition: each coalition's
// members that are players (by the caller's node → player index map) form one coalition, and every
// player in no coalition is a singleton. Players must be 0..n-1 with n ≤ game.MaxTUPlayers.
func Partition(g *graph.Graph, players map[string]int, n int) (game.Partition, error) {
	if n < 1 || n > game.MaxTUPlayers {
		return nil, fmt.Errorf("components: %d players: %w (1..%d)", n, game.ErrTooLarge, game.MaxTUPlayers)
	}
	for m, i := range players {
		if i < 0 || i >= n {
			return nil, fmt.Errorf("components: node %q is player %d of %d: %w", m, i, n, game.ErrInvalidGame)
		}
	}
	var p game.Partition
	var used game.Coalition
	for _, c := range g.Coalitions() {
		var s game.Coalition
		for _, m := range c.Members {
			i, ok := players[m]
			if !ok {
				continue
			}
			if used.Has(i) || s.Has(i) {
				return nil, fmt.Errorf("components: player %d is in two coalitions: %w", i, game.ErrInvalidGame)
			}
			s |= game.CoalitionOf(i)
		}
		if s != 0 {
			p = append(p, s)
			used |= s
		}
	}
	for i := range n {
		if !used.Has(i) {
			p = append(p, game.CoalitionOf(i))
		}
	}
	return p, p.Validate(n)
}

// PlayerIndex maps the nodes with a strategy component to their player index.
func PlayerIndex(g *graph.Graph) map[string]int {
	out := map[string]int{}
	for id, st := range g.Strategies() {
		out[id] = st.Player
	}
	return out
}

// GameStrategy converts a strategy component to the game package's type.
func GameStrategy(s graph.Strategy) game.Strategy {
	return game.Strategy{Player: s.Player, Names: s.Names, Mixed: s.Mixed}
}

// GameUtility converts a utility component to the game package's type.
func GameUtility(u graph.Utility) game.Utility {
	return game.Utility{Objectives: u.Objectives, Weights: u.Weights, Lexicographic: u.Lexicographic}
}

// MixedStrategy returns a strategy's probabilities as exact rationals (nil when undecided).
func MixedStrategy(s graph.Strategy) ([]*big.Rat, error) {
	if len(s.Mixed) == 0 {
		return nil, nil
	}
	return parseRats("mixed", s.Mixed)
}

// UtilityWeights returns a weighted-sum utility's weights as exact rationals, 1 each when none are
// recorded; nil for a lexicographic utility.
func UtilityWeights(u graph.Utility) ([]*big.Rat, error) {
	if u.Lexicographic {
		return nil, nil
	}
	if len(u.Weights) == 0 {
		out := make([]*big.Rat, len(u.Objectives))
		for i := range out {
			out[i] = big.NewRat(1, 1)
		}
		return out, nil
	}
	return parseRats("weights", u.Weights)
}

// CoalitionValue returns a coalition's recorded worth v(S) as an exact rational (ok false when none).
func CoalitionValue(c graph.Coalition) (*big.Rat, bool, error) {
	if c.Value == "" {
		return nil, false, nil
	}
	v, err := parseRat(c.Value)
	return v, err == nil, err
}
