package game

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func randomGame(rng *rand.Rand, shape []int, span int64, exact bool) *Game {
	g, _ := NewGame(shape, exact)
	for k := range g.profiles * len(shape) {
		v := rng.Int64N(span)
		if exact {
			g.rat[k].SetInt64(v)
		} else {
			g.flt[k] = float64(v)
		}
	}
	return g
}

func TestPureNashBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 40; trial++ {
		shape := []int{1 + rng.IntN(3), 1 + rng.IntN(3), 1 + rng.IntN(3)}
		if trial%3 == 0 {
			shape = append(shape, 2)
		}
		exact := trial%2 == 0
		g := randomGame(rng, shape, 4, exact)
		got := map[int]bool{}
		for _, p := range g.PureNash() {
			idx, _ := g.Index(p)
			got[idx] = true
		}
		prof := make([]int, len(shape))
		for idx := 0; idx < g.profiles; idx++ {
			g.Profile(idx, prof)
			nash := true
			for i := range shape {
				own := prof[i]
				for s := 0; s < shape[i]; s++ {
					prof[i] = s
					dev, _ := g.Index(prof)
					if g.PayoffFloat(dev, i) > g.PayoffFloat(idx, i) {
						nash = false
					}
				}
				prof[i] = own
			}
			if nash != got[idx] {
				t.Fatalf("trial %d profile %v: brute %v, PureNash %v", trial, prof, nash, got[idx])
			}
			if nash {
				ok, err := g.IsNash(g.PureProfile(prof))
				if err != nil || !ok {
					t.Fatalf("IsNash disagrees at %v: %v", prof, err)
				}
			}
		}
		// Pareto: brute force both notions.
		po := map[int]bool{}
		for _, p := range g.ParetoOptimal() {
			idx, _ := g.Index(p)
			po[idx] = true
		}
		wpo := map[int]bool{}
		for _, p := range g.WeaklyParetoOptimal() {
			idx, _ := g.Index(p)
			wpo[idx] = true
		}
		for a := 0; a < g.profiles; a++ {
			dom, sdom := false, false
			for b := 0; b < g.profiles; b++ {
				ge, gt, all := true, false, true
				for i := range shape {
					c := g.cmp(b, a, i)
					if c < 0 {
						ge = false
					}
					if c > 0 {
						gt = true
					} else {
						all = false
					}
				}
				dom = dom || ge && gt
				sdom = sdom || all
			}
			if po[a] == dom || wpo[a] == sdom {
				t.Fatalf("trial %d profile %d: pareto %v (dominated %v), weak %v (strictly dominated %v)", trial, a, po[a], dom, wpo[a], sdom)
			}
		}
	}
}

func TestBestResponsesAndExpectedPayoffs(t *testing.T) {
	// Matching pennies as a Game: at (1/2,1/2) everything is a best response.
	b := bm(t, [][]string{{"1", "-1"}, {"-1", "1"}}, [][]string{{"-1", "1"}, {"1", "-1"}})
	g := b.Game()
	br, err := g.PureBestResponses(0, []int{0, 1})
	if err != nil || len(br) != 1 || br[0] != 1 {
		t.Fatalf("best response to column 1: %v %v", br, err)
	}
	half := [][]*big.Rat{rs("1/2", "1/2"), rs("1/2", "1/2")}
	ok, err := g.IsNash(half)
	if err != nil || !ok {
		t.Fatal("uniform profile should be Nash")
	}
	reg, _ := g.Regret([][]*big.Rat{rs("1", "0"), rs("1/2", "1/2")})
	wantRats(t, "regret", reg, rs("0", "1"))
	if _, err := g.ExpectedPayoffs([][]*big.Rat{rs("1/2", "1/3"), rs("1", "0")}); !errors.Is(err, ErrInvalidGame) {
		t.Fatalf("bad distribution accepted: %v", err)
	}
}

func TestMixedDominance(t *testing.T) {
	// Row 2 is beaten by the mixture (1/2, 1/2) but by no pure row.
	A := [][]string{{"3", "0"}, {"0", "3"}, {"1", "1"}}
	B := [][]string{{"0", "0"}, {"0", "0"}, {"0", "0"}}
	g := bm(t, A, B).Game()
	el, err := g.IterateDominance(StrictPure)
	if err != nil || len(el.Remaining[0]) != 3 {
		t.Fatalf("pure dominance removed %v %v", el, err)
	}
	el, err = g.IterateDominance(StrictMixed)
	if err != nil || len(el.Remaining[0]) != 2 || el.Removed[0].DominatedBy != -1 {
		t.Fatalf("mixed dominance: %+v %v", el, err)
	}
	// Weak dominance on a 3-player game keeps at least one strategy each.
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := 0; trial < 20; trial++ {
		h := randomGame(rng, []int{3, 3, 2}, 3, true)
		el, err := h.IterateDominance(WeakPure)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range el.Remaining {
			if len(r) == 0 {
				t.Fatalf("player %d lost every strategy", i)
			}
		}
		// Strict elimination never removes a pure equilibrium.
		el, _ = h.IterateDominance(StrictMixed)
		sub, _ := h.Restrict(el.Remaining)
		if len(sub.PureNash()) != len(h.PureNash()) {
			t.Fatalf("strict elimination changed the pure equilibria")
		}
	}
}

func TestMultiObjective(t *testing.T) {
	// 2×2, each player has (profit, reputation).
	m, err := NewMultiGame([]int{2, 2}, []int{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	set := func(p []int, a, b []string) {
		_ = m.Set(p, 0, rs(a...))
		_ = m.Set(p, 1, rs(b...))
	}
	set([]int{0, 0}, []string{"1", "5"}, []string{"1", "5"})
	set([]int{1, 0}, []string{"1", "0"}, []string{"0", "0"})
	set([]int{0, 1}, []string{"0", "0"}, []string{"1", "0"})
	set([]int{1, 1}, []string{"2", "0"}, []string{"2", "0"})
	lex := m.LexPureNash()
	if len(lex) != 2 {
		t.Fatalf("lexicographic equilibria %v", lex)
	}
	br, _ := m.LexBestResponses(0, []int{0, 0})
	if len(br) != 1 || br[0] != 0 {
		t.Fatalf("lex best response %v (profit ties, reputation decides)", br)
	}
	g, err := m.WeightedSum([][]*big.Rat{rs("1", "0"), rs("1", "0")})
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := g.Index([]int{0, 0})
	if g.Payoff(idx, 0).Cmp(r("1")) != 0 {
		t.Fatal("weighted sum")
	}
	br2, _ := g.PureBestResponses(0, []int{0, 0})
	if len(br2) != 2 {
		t.Fatalf("profit-only best responses %v", br2)
	}
	if _, err := m.WeightedSum([][]*big.Rat{rs("1")}); !errors.Is(err, ErrInvalidGame) {
		t.Fatal("bad weights accepted")
	}
}

func TestReplicator(t *testing.T) {
	// Hawk–Dove, V=2, C=4: the ESS plays hawk with probability V/C = 1/2.
	r, err := NewReplicator(2, []float64{-1, 2, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.1, 0.9}
	steps, ok, err := r.Run(x, 0.05, 100000, 1e-12)
	if err != nil || !ok {
		t.Fatalf("no convergence after %d steps: %v", steps, err)
	}
	if math.Abs(x[0]-0.5) > 1e-6 {
		t.Fatalf("hawk share %v, want 1/2", x[0])
	}
	// Prisoner's dilemma, two populations: defection takes over.
	r2, _ := NewReplicator2(2, 2, []float64{3, 0, 5, 1}, []float64{3, 5, 0, 1})
	s := []float64{0.9, 0.1, 0.9, 0.1}
	if _, _, err := r2.Run(s, 0.05, 20000, 1e-10); err != nil {
		t.Fatal(err)
	}
	if Selected(s[:2]) != 1 || Selected(s[2:]) != 1 || s[1] < 0.99 {
		t.Fatalf("PD dynamics ended at %v", s)
	}
	if _, err := NewReplicator(3, []float64{1}); !errors.Is(err, ErrInvalidGame) {
		t.Fatal("bad matrix accepted")
	}
}

func TestDecide(t *testing.T) {
	// Stag hunt: payoff dominance picks (stag, stag), risk dominance (hare,
	// hare) — Harsanyi & Selten's own example of the two rules disagreeing.
	A := [][]string{{"4", "0"}, {"3", "3"}}
	B := [][]string{{"4", "3"}, {"0", "3"}}
	g := bm(t, A, B).Game()
	d, err := Decide(g, PayoffDominance)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "payoff dominance row", d.Strategies[0], rs("1", "0"))
	d, err = Decide(g, RiskDominance)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "risk dominance row", d.Strategies[0], rs("0", "1"))
	wantRats(t, "risk dominance col", d.Strategies[1], rs("0", "1"))
	d, err = Decide(g, Maximin)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "maximin row", d.Strategies[0], rs("0", "1"))
	wantRats(t, "security", d.Security, rs("3", "3"))
	if _, err := ParseRule("nope"); !errors.Is(err, ErrParse) {
		t.Fatal("bad rule accepted")
	}
	// Three players: pure equilibria candidates.
	h, _ := NewGame([]int{2, 2, 2}, true)
	for idx := 0; idx < h.profiles; idx++ {
		p := h.Profile(idx, nil)
		if p[0] == p[1] && p[1] == p[2] {
			v := int64(1 + p[0])
			_ = h.SetPayoffs(p, ints(v, v, v))
		}
	}
	d, err = Decide(h, PayoffDominance)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "3-player payoff dominance", d.Payoffs, rs("2", "2", "2"))
	if _, err := Decide(h, RiskDominance); !errors.Is(err, ErrNotTwoPlayer) {
		t.Fatalf("risk dominance on 3 players: %v", err)
	}
}

func TestFloatGame(t *testing.T) {
	g, _ := NewGame([]int{2, 2}, false)
	_ = g.SetPayoffsFloat([]int{0, 0}, []float64{3, 2})
	_ = g.SetPayoffsFloat([]int{1, 1}, []float64{2, 3})
	res, err := Solve(g, SolveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Equilibria) != 3 || len(res.PureEquilibria) != 2 {
		t.Fatalf("float BoS: %+v", res)
	}
	if g.ToExact().Exact() != true || strings.Join(res.Equilibria[1].Strategies[0], ",") == "" {
		t.Fatal("exact conversion")
	}
	if _, err := NewGame([]int{2, 0}, true); !errors.Is(err, ErrInvalidGame) {
		t.Fatal("zero strategies accepted")
	}
	if _, err := NewGame([]int{1 << 13, 1 << 13}, false); !errors.Is(err, ErrTooLarge) {
		t.Fatal("huge game accepted")
	}
}

func TestDecidePayoffFallbackAndNoEquilibrium(t *testing.T) {
	// Battle of the sexes: (3,2) and (2,3) are undominated, neither
	// dominates the other; the rule falls back to the largest sum (a tie of
	// 5, so the first found) and says so.
	g := bm(t, [][]string{{"3", "0"}, {"0", "2"}}, [][]string{{"2", "0"}, {"0", "3"}}).Game()
	d, err := Decide(g, PayoffDominance)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Reason, "no equilibrium payoff-dominates") || d.Candidates != 3 {
		t.Fatalf("decision %+v", d)
	}
	sum := new(big.Rat).Add(d.Payoffs[0], d.Payoffs[1])
	if sum.Cmp(r("5")) != 0 {
		t.Fatalf("picked payoffs %v", RatStrings(d.Payoffs))
	}
	sp, err := g.StrategyPayoffs(1, [][]*big.Rat{rs("3/5", "2/5"), rs("1", "0")})
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "column indifference at x = (3/5, 2/5)", sp, rs("6/5", "6/5"))
	// A three-player game without pure equilibria: a cyclic matching game.
	h, _ := NewGame([]int{2, 2, 2}, true)
	for idx := 0; idx < h.NumProfiles(); idx++ {
		p := h.Profile(idx, nil)
		// Player 0 wants to match player 1, player 1 to mismatch player 2,
		// player 2 to match player 0.
		pay := ints(0, 0, 0)
		if p[0] == p[1] {
			pay[0].SetInt64(1)
		}
		if p[1] != p[2] {
			pay[1].SetInt64(1)
		}
		if p[2] == p[0] {
			pay[2].SetInt64(1)
		}
		_ = h.SetPayoffs(p, pay)
	}
	if len(h.PureNash()) != 0 {
		t.Fatalf("cyclic game has pure equilibria %v", h.PureNash())
	}
	if _, err := Decide(h, PayoffDominance); !errors.Is(err, ErrNoEquilibrium) {
		t.Fatalf("want ErrNoEquilibrium, got %v", err)
	}
	d, err = Decide(h, Maximin)
	if err != nil || len(d.Security) != 3 {
		t.Fatalf("maximin on 3 players: %+v %v", d, err)
	}
}
