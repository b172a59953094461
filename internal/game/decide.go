package game

import (
	"fmt"
	"math/big"
)

// Rule is a stated rule for the decision engine.
type Rule uint8

const (
	// PayoffDominance (Harsanyi & Selten 1988) picks the equilibrium that
	// Pareto-dominates (weakly, in every player's payoff) all others. When
	// none does, it picks among the equilibria no other one Pareto-dominates
	// the one with the largest payoff sum, then the first found; Decision.Reason says which
	// case applied.
	PayoffDominance Rule = iota
	// RiskDominance (Harsanyi & Selten 1988) compares two strict pure
	// equilibria (i,j) and (k,l) of a two-player game by the products of the
	// players' deviation losses, (Aᵢⱼ−Aₖⱼ)(Bᵢⱼ−Bᵢₗ) against (Aₖₗ−Aᵢₗ)(Bₖₗ−Bₖⱼ),
	// and picks the pure equilibrium that risk-dominates or ties every other;
	// without one, the one beating most others, then the largest product.
	RiskDominance
	// Maximin gives every player its exact security (maximin mixed) strategy,
	// ignoring equilibrium reasoning: the cautious choice.
	Maximin
)

func (r Rule) String() string {
	switch r {
	case PayoffDominance:
		return "payoff-dominance"
	case RiskDominance:
		return "risk-dominance"
	case Maximin:
		return "maximin"
	}
	return fmt.Sprintf("Rule(%d)", uint8(r))
}

// ParseRule maps the CLI names to rules.
func ParseRule(s string) (Rule, error) {
	for _, r := range []Rule{PayoffDominance, RiskDominance, Maximin} {
		if r.String() == s {
			return r, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown decision rule %q (payoff-dominance, risk-dominance, maximin)", ErrParse, s)
}

// Decision is the decision engine's choice: a mixed strategy per player,
// the expected payoffs of that profile, and why.
type Decision struct {
	Rule       Rule
	Strategies [][]*big.Rat
	Payoffs    []*big.Rat
	// Security holds each player's guaranteed level under Maximin.
	Security   []*big.Rat
	Candidates int
	Reason     string
}

// Decide picks a strategy profile by rule. Equilibrium candidates are the
// extreme equilibria (vertex enumeration) for two-player games and the pure
// equilibria otherwise.
func Decide(g *Game, rule Rule) (*Decision, error) {
	switch rule {
	case PayoffDominance:
		return decidePayoff(g)
	case RiskDominance:
		return decideRisk(g)
	case Maximin:
		d := &Decision{Rule: rule, Reason: "each player plays its exact security strategy"}
		for i := 0; i < g.Players(); i++ {
			s, err := g.Maximin(i)
			if err != nil {
				return nil, err
			}
			d.Strategies = append(d.Strategies, s.Strategy)
			d.Security = append(d.Security, s.Level)
		}
		p, err := g.ExpectedPayoffs(d.Strategies)
		if err != nil {
			return nil, err
		}
		d.Payoffs = p
		return d, nil
	}
	return nil, fmt.Errorf("%w: unknown rule %d", ErrInvalidGame, rule)
}

type candidate struct {
	strategies [][]*big.Rat
	payoffs    []*big.Rat
}

func equilibriumCandidates(g *Game) ([]candidate, error) {
	var out []candidate
	if g.Players() == 2 {
		b, err := g.Bimatrix()
		if err != nil {
			return nil, err
		}
		vr, err := b.VertexEnumeration()
		if err != nil {
			return nil, err
		}
		for _, e := range vr.Equilibria {
			out = append(out, candidate{[][]*big.Rat{e.X, e.Y}, []*big.Rat{e.PayoffA, e.PayoffB}})
		}
		return out, nil
	}
	for _, p := range g.PureNash() {
		idx, _ := g.Index(p)
		pay := make([]*big.Rat, g.Players())
		for i := range pay {
			pay[i] = g.Payoff(idx, i)
		}
		out = append(out, candidate{g.PureProfile(p), pay})
	}
	return out, nil
}

// weaklyDominates: a ≥ b in every component.
func weaklyDominates(a, b []*big.Rat) bool {
	for i := range a {
		if a[i].Cmp(b[i]) < 0 {
			return false
		}
	}
	return true
}

func decidePayoff(g *Game) (*Decision, error) {
	cands, err := equilibriumCandidates(g)
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("%w: payoff dominance needs an equilibrium; the game has no pure one", ErrNoEquilibrium)
	}
	d := &Decision{Rule: PayoffDominance, Candidates: len(cands)}
	for _, c := range cands {
		all := true
		for _, o := range cands {
			if !weaklyDominates(c.payoffs, o.payoffs) {
				all = false
				break
			}
		}
		if all {
			d.Strategies, d.Payoffs = c.strategies, c.payoffs
			d.Reason = "this equilibrium payoff-dominates every other equilibrium"
			return d, nil
		}
	}
	var best *candidate
	var bestSum big.Rat
	for k := range cands {
		c := &cands[k]
		dominated := false
		for _, o := range cands {
			if weaklyDominates(o.payoffs, c.payoffs) && !weaklyDominates(c.payoffs, o.payoffs) {
				dominated = true
				break
			}
		}
		if dominated {
			continue
		}
		var s big.Rat
		for _, p := range c.payoffs {
			s.Add(&s, p)
		}
		if best == nil || s.Cmp(&bestSum) > 0 {
			best = c
			bestSum.Set(&s)
		}
	}
	d.Strategies, d.Payoffs = best.strategies, best.payoffs
	d.Reason = "no equilibrium payoff-dominates all others; chose the undominated one with the largest payoff sum"
	return d, nil
}

func decideRisk(g *Game) (*Decision, error) {
	b, err := g.Bimatrix()
	if err != nil {
		return nil, fmt.Errorf("risk dominance: %w", err)
	}
	pure := g.PureNash()
	if len(pure) == 0 {
		return nil, fmt.Errorf("%w: risk dominance needs pure equilibria", ErrNoEquilibrium)
	}
	n := b.N
	A := func(i, j int) *big.Rat { return &b.A[i*n+j] }
	B := func(i, j int) *big.Rat { return &b.B[i*n+j] }
	// product of deviation losses of e=(i,j) against f=(k,l).
	prod := func(e, f []int) *big.Rat {
		i, j, k, l := e[0], e[1], f[0], f[1]
		var x, y big.Rat
		x.Sub(A(i, j), A(k, j))
		y.Sub(B(i, j), B(i, l))
		return x.Mul(&x, &y)
	}
	wins := make([]int, len(pure))
	maxProd := make([]*big.Rat, len(pure))
	for a := range pure {
		maxProd[a] = new(big.Rat)
		for c := range pure {
			if a == c {
				continue
			}
			pa, pc := prod(pure[a], pure[c]), prod(pure[c], pure[a])
			if pa.Cmp(pc) >= 0 {
				wins[a]++
			}
			if pa.Cmp(maxProd[a]) > 0 {
				maxProd[a] = pa
			}
		}
	}
	best := 0
	for a := range pure {
		if wins[a] > wins[best] || wins[a] == wins[best] && maxProd[a].Cmp(maxProd[best]) > 0 {
			best = a
		}
	}
	d := &Decision{Rule: RiskDominance, Candidates: len(pure), Strategies: g.PureProfile(pure[best])}
	d.Payoffs = []*big.Rat{new(big.Rat).Set(A(pure[best][0], pure[best][1])), new(big.Rat).Set(B(pure[best][0], pure[best][1]))}
	if wins[best] == len(pure)-1 {
		d.Reason = "this pure equilibrium risk-dominates (or ties) every other"
	} else {
		d.Reason = "risk dominance is cyclic here; chose the equilibrium beating most others"
	}
	return d, nil
}
