package game

import (
	"fmt"
	"math/big"
)

// StabilityRule is the comparison of coalition collections used by
// merge-and-split (Apt & Witzel 2009): a merge or split is performed when the
// new collection is preferred to the old one by the rule.
type StabilityRule uint8

const (
	// Utilitarian prefers the collection with the larger total worth Σ v(T).
	// Total worth strictly rises with every step, so the process terminates.
	Utilitarian StabilityRule = iota
	// ParetoEqualShare gives each member of T the share v(T)/|T| and prefers
	// a collection when no player involved is worse off and one is better off.
	ParetoEqualShare
)

func (r StabilityRule) String() string {
	switch r {
	case Utilitarian:
		return "utilitarian"
	case ParetoEqualShare:
		return "pareto-equal-share"
	}
	return fmt.Sprintf("StabilityRule(%d)", uint8(r))
}

// prefers reports whether collection next is preferred to prev (both cover
// the same players).
func (r StabilityRule) prefers(t *TableGame, next, prev []Coalition) bool {
	switch r {
	case Utilitarian:
		var a, b big.Rat
		for _, c := range next {
			a.Add(&a, &t.v[c])
		}
		for _, c := range prev {
			b.Add(&b, &t.v[c])
		}
		return a.Cmp(&b) > 0
	case ParetoEqualShare:
		better := false
		var sa, sb big.Rat
		for _, cn := range next {
			sa.Quo(&t.v[cn], new(big.Rat).SetInt64(int64(cn.Size())))
			for _, cp := range prev {
				if cn&cp == 0 {
					continue
				}
				sb.Quo(&t.v[cp], new(big.Rat).SetInt64(int64(cp.Size())))
				switch sa.Cmp(&sb) {
				case -1:
					return false
				case 1:
					better = true
				}
			}
		}
		return better
	}
	return false
}

// MergeAndSplit runs the merge-and-split process (Apt & Witzel 2009) from
// start: repeatedly merge two coalitions whose union is preferred by rule to
// the pair, or split one coalition in two when the pair is preferred, until
// neither applies. The result is stable in the stated sense: no two
// coalitions gain by merging and no coalition gains by splitting in two.
// Moves are tried in a fixed order (merges first, lowest coalitions first),
// so the result is deterministic.
func MergeAndSplit(g TU, start Partition, rule StabilityRule) (Partition, error) {
	n := g.Players()
	if err := start.Validate(n); err != nil {
		return nil, err
	}
	t, err := TableOf(g)
	if err != nil {
		return nil, err
	}
	p := start.canonical()
	for iter := 0; ; iter++ {
		if iter > 1<<16 {
			return nil, fmt.Errorf("%w: merge-and-split after %d moves", ErrNoConvergence, iter)
		}
		if a, b, ok := findMerge(t, p, rule); ok {
			merged := p[a] | p[b]
			q := make(Partition, 0, len(p)-1)
			for k, c := range p {
				if k != a && k != b {
					q = append(q, c)
				}
			}
			p = append(q, merged).canonical()
			continue
		}
		if k, part, ok := findSplit(t, p, rule); ok {
			q := append(Partition(nil), p...)
			q[k] = part
			q = append(q, p[k]&^part)
			p = q.canonical()
			continue
		}
		return p, nil
	}
}

func findMerge(t *TableGame, p Partition, rule StabilityRule) (int, int, bool) {
	for a := 0; a < len(p); a++ {
		for b := a + 1; b < len(p); b++ {
			if rule.prefers(t, []Coalition{p[a] | p[b]}, []Coalition{p[a], p[b]}) {
				return a, b, true
			}
		}
	}
	return 0, 0, false
}

func findSplit(t *TableGame, p Partition, rule StabilityRule) (int, Coalition, bool) {
	for k, c := range p {
		if c.Size() < 2 {
			continue
		}
		low := c & -c
		rest := c &^ low
		// Enumerate parts containing the lowest member, excluding c itself.
		for sub := (rest - 1) & rest; ; sub = (sub - 1) & rest {
			part := low | sub
			if rule.prefers(t, []Coalition{part, c &^ part}, []Coalition{c}) {
				return k, part, true
			}
			if sub == 0 {
				break
			}
		}
	}
	return 0, 0, false
}

// MaxOptimalStructurePlayers bounds the O(3ⁿ) search for the optimal structure.
const MaxOptimalStructurePlayers = 14

// StructureReport is the stability analysis of a coalition structure.
type StructureReport struct {
	Partition Partition
	Value     *big.Rat // Σ_{T∈P} v(T)
	// OptimalValue and Optimal are the best structure's worth and one optimal
	// structure (nil above MaxOptimalStructurePlayers).
	OptimalValue *big.Rat
	Optimal      Partition
	Efficient    bool // Value equals OptimalValue (false when unknown)
	// MergeStable: no two coalitions prefer merging (under Rule);
	// BlockingMerge names such a pair otherwise.
	MergeStable   bool
	BlockingMerge []Coalition
	// SplitStable: no coalition prefers splitting in two; BlockingSplit names
	// the two parts otherwise.
	SplitStable   bool
	BlockingSplit []Coalition
	Rule          StabilityRule
	// CSCoreEmpty reports the core of the structure (Aumann & Drèze 1974):
	// allocations with x(T) = v(T) for T∈P and x(S) ≥ v(S) for all S. It is
	// non-empty iff the balanced maximum equals Value; CSCorePoint is one.
	CSCoreEmpty bool
	CSCorePoint []*big.Rat
}

// AnalyzeStructure reports efficiency, merge/split stability under rule and
// the core of the structure p.
func AnalyzeStructure(g TU, p Partition, rule StabilityRule) (*StructureReport, error) {
	n := g.Players()
	if err := p.Validate(n); err != nil {
		return nil, err
	}
	t, err := TableOf(g)
	if err != nil {
		return nil, err
	}
	p = p.canonical()
	rep := &StructureReport{Partition: p, Value: new(big.Rat), Rule: rule}
	for _, c := range p {
		rep.Value.Add(rep.Value, &t.v[c])
	}
	if n <= MaxOptimalStructurePlayers {
		rep.OptimalValue, rep.Optimal = optimalStructure(t)
		rep.Efficient = rep.Value.Cmp(rep.OptimalValue) == 0
	}
	if a, b, ok := findMerge(t, p, rule); ok {
		rep.BlockingMerge = []Coalition{p[a], p[b]}
	} else {
		rep.MergeStable = true
	}
	if k, part, ok := findSplit(t, p, rule); ok {
		rep.BlockingSplit = []Coalition{part, p[k] &^ part}
	} else {
		rep.SplitStable = true
	}
	if n <= MaxLPPlayers {
		core, err := Core(t)
		if err != nil {
			return nil, err
		}
		// min x(N) s.t. x(S) ≥ v(S) is ≥ Value, with equality iff the
		// minimiser meets x(T) = v(T) on every T ∈ P.
		rep.CSCoreEmpty = core.BalancedMax.Cmp(rep.Value) != 0
		if !rep.CSCoreEmpty {
			rep.CSCorePoint = core.cover
		}
	}
	return rep, nil
}

// optimalStructure is the dynamic programme f(S) = max_{T⊆S, T∋min S} v(T) +
// f(S∖T) (Yeh 1986), O(3ⁿ).
func optimalStructure(t *TableGame) (*big.Rat, Partition) {
	size := len(t.v)
	f := make([]big.Rat, size)
	choice := make([]Coalition, size)
	var cand big.Rat
	for s := 1; s < size; s++ {
		S := Coalition(s)
		low := S & -S
		rest := S &^ low
		first := true
		for sub := rest; ; sub = (sub - 1) & rest {
			T := low | sub
			cand.Add(&t.v[T], &f[S&^T])
			if first || cand.Cmp(&f[s]) > 0 {
				f[s].Set(&cand)
				choice[s] = T
				first = false
			}
			if sub == 0 {
				break
			}
		}
	}
	var p Partition
	for s := Coalition(size - 1); s != 0; s &^= choice[s] {
		p = append(p, choice[s])
	}
	return new(big.Rat).Set(&f[size-1]), p.canonical()
}

// AllocationRule names a fair division of a coalition's worth.
type AllocationRule uint8

const (
	// ShapleyAllocation splits v(T) by the Shapley value of the game on T.
	ShapleyAllocation AllocationRule = iota
	// NucleolusAllocation splits v(T) by the nucleolus of the game on T.
	NucleolusAllocation
)

// Allocate divides each coalition's worth among its members by rule,
// computed on the subgame restricted to that coalition.
func Allocate(g TU, p Partition, rule AllocationRule) ([]*big.Rat, error) {
	n := g.Players()
	if err := p.Validate(n); err != nil {
		return nil, err
	}
	out := newRats(n)
	for _, c := range p {
		sub := Subgame{G: g, Members: c.Members()}
		var part []*big.Rat
		var err error
		switch rule {
		case ShapleyAllocation:
			part, err = Shapley(sub)
		case NucleolusAllocation:
			part, err = Nucleolus(sub)
		default:
			return nil, fmt.Errorf("%w: unknown allocation rule %d", ErrInvalidGame, rule)
		}
		if err != nil {
			return nil, fmt.Errorf("allocating coalition %v: %w", c.Members(), err)
		}
		for k, i := range sub.Members {
			out[i].Set(part[k])
		}
	}
	return out, nil
}

// Subgame is g restricted to Members, relabelled 0..len(Members)−1.
type Subgame struct {
	G       TU
	Members []int
}

// Players implements TU.
func (s Subgame) Players() int { return len(s.Members) }

// Value implements TU.
func (s Subgame) Value(dst *big.Rat, c Coalition) *big.Rat {
	var full Coalition
	for x := uint64(c); x != 0; x &= x - 1 {
		full |= 1 << uint(s.Members[trailing(x)])
	}
	return s.G.Value(dst, full)
}
