package game

import (
	"math/big"
	"math/rand/v2"
	"sort"
	"testing"
)

func bm(t *testing.T, A, B [][]string) *Bimatrix {
	t.Helper()
	conv := func(M [][]string) [][]*big.Rat {
		out := make([][]*big.Rat, len(M))
		for i, row := range M {
			out[i] = rs(row...)
		}
		return out
	}
	b, err := NewBimatrix(conv(A), conv(B))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func neg(M [][]string) [][]string {
	out := make([][]string, len(M))
	for i, row := range M {
		for _, v := range row {
			out[i] = append(out[i], new(big.Rat).Neg(r(v)).RatString())
		}
	}
	return out
}

type eqWant struct {
	x, y   []string
	pa, pb string
}

func keysOf(es []Equilibrium) []string {
	var out []string
	for _, e := range es {
		out = append(out, eqKey(e))
	}
	sort.Strings(out)
	return out
}

func checkAll(t *testing.T, name string, b *Bimatrix, es []Equilibrium, want []eqWant) {
	t.Helper()
	for _, e := range es {
		if !b.IsNash(e.X, e.Y) {
			t.Fatalf("%s: %v %v is not a Nash equilibrium", name, RatStrings(e.X), RatStrings(e.Y))
		}
	}
	if want == nil {
		return
	}
	var wk []string
	for _, w := range want {
		e := Equilibrium{X: rs(w.x...), Y: rs(w.y...)}
		wk = append(wk, eqKey(e))
	}
	sort.Strings(wk)
	got := keysOf(es)
	if len(got) != len(wk) {
		t.Fatalf("%s: got %v, want %v", name, got, wk)
	}
	for i := range got {
		if got[i] != wk[i] {
			t.Fatalf("%s: got %v, want %v", name, got, wk)
		}
	}
	for _, e := range es {
		for _, w := range want {
			if eqKey(e) == eqKey(Equilibrium{X: rs(w.x...), Y: rs(w.y...)}) {
				if e.PayoffA.Cmp(r(w.pa)) != 0 || e.PayoffB.Cmp(r(w.pb)) != 0 {
					t.Fatalf("%s: payoffs %v,%v want %v,%v", name, e.PayoffA, e.PayoffB, w.pa, w.pb)
				}
			}
		}
	}
}

// allMethods runs the three methods and checks each against want; LH must
// return a subset of it.
func allMethods(t *testing.T, name string, b *Bimatrix, want []eqWant, degenerate bool) {
	t.Helper()
	vr, err := b.VertexEnumeration()
	if err != nil {
		t.Fatal(err)
	}
	if vr.Degenerate != degenerate {
		t.Fatalf("%s: degenerate = %v, want %v", name, vr.Degenerate, degenerate)
	}
	checkAll(t, name+"/vertex", b, vr.Equilibria, want)
	se, err := b.SupportEnumeration()
	if err != nil {
		t.Fatal(err)
	}
	if degenerate {
		checkAll(t, name+"/support", b, se, nil)
	} else {
		checkAll(t, name+"/support", b, se, want)
	}
	all := map[string]bool{}
	for _, e := range vr.Equilibria {
		all[eqKey(e)] = true
	}
	for l := 0; l < b.M+b.N; l++ {
		e, err := b.LemkeHowson(l)
		if err != nil {
			t.Fatal(err)
		}
		checkAll(t, name+"/lemke-howson", b, []Equilibrium{e}, nil)
		if !degenerate && !all[eqKey(e)] {
			t.Fatalf("%s: LH label %d found %s outside the vertex set", name, l, eqKey(e))
		}
	}
}

func TestPrisonersDilemma(t *testing.T) {
	A := [][]string{{"3", "0"}, {"5", "1"}}
	B := [][]string{{"3", "5"}, {"0", "1"}}
	b := bm(t, A, B)
	allMethods(t, "PD", b, []eqWant{{[]string{"0", "1"}, []string{"0", "1"}, "1", "1"}}, false)
	g := b.Game()
	if pn := g.PureNash(); len(pn) != 1 || pn[0][0] != 1 || pn[0][1] != 1 {
		t.Fatalf("PD pure Nash %v", pn)
	}
	po := g.ParetoOptimal()
	if len(po) != 3 {
		t.Fatalf("PD Pareto %v", po)
	}
	for _, p := range po {
		if p[0] == 1 && p[1] == 1 {
			t.Fatal("mutual defection is Pareto optimal?")
		}
	}
	if w := g.WeaklyParetoOptimal(); len(w) != 3 {
		t.Fatalf("PD weak Pareto %v", w)
	}
	el, err := g.IterateDominance(StrictPure)
	if err != nil || len(el.Remaining[0]) != 1 || el.Remaining[0][0] != 1 || el.Remaining[1][0] != 1 {
		t.Fatalf("PD dominance %+v %v", el, err)
	}
}

func TestBattleOfTheSexes(t *testing.T) {
	A := [][]string{{"3", "0"}, {"0", "2"}}
	B := [][]string{{"2", "0"}, {"0", "3"}}
	b := bm(t, A, B)
	allMethods(t, "BoS", b, []eqWant{
		{[]string{"1", "0"}, []string{"1", "0"}, "3", "2"},
		{[]string{"0", "1"}, []string{"0", "1"}, "2", "3"},
		{[]string{"3/5", "2/5"}, []string{"2/5", "3/5"}, "6/5", "6/5"},
	}, false)
}

func TestMatchingPenniesAndRPS(t *testing.T) {
	A := [][]string{{"1", "-1"}, {"-1", "1"}}
	b := bm(t, A, neg(A))
	allMethods(t, "pennies", b, []eqWant{{[]string{"1/2", "1/2"}, []string{"1/2", "1/2"}, "0", "0"}}, false)
	R := [][]string{{"0", "-1", "1"}, {"1", "0", "-1"}, {"-1", "1", "0"}}
	b = bm(t, R, neg(R))
	third := []string{"1/3", "1/3", "1/3"}
	allMethods(t, "RPS", b, []eqWant{{third, third, "0", "0"}}, false)
	// Zero-sum: maximin is the minimax strategy, value 0.
	sec, err := b.Game().Maximin(0)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "RPS maximin", sec.Strategy, rs(third...))
	if sec.Level.Sign() != 0 {
		t.Fatalf("RPS value %v", sec.Level)
	}
}

func TestThreeByThreeThreeEquilibria(t *testing.T) {
	// Battle of the sexes with a strictly dominated third strategy each.
	A := [][]string{{"3", "0", "1"}, {"0", "2", "0"}, {"-1", "-1", "-1"}}
	B := [][]string{{"2", "0", "-1"}, {"0", "3", "-1"}, {"1", "2", "-1"}}
	b := bm(t, A, B)
	allMethods(t, "3x3", b, []eqWant{
		{[]string{"1", "0", "0"}, []string{"1", "0", "0"}, "3", "2"},
		{[]string{"0", "1", "0"}, []string{"0", "1", "0"}, "2", "3"},
		{[]string{"3/5", "2/5", "0"}, []string{"2/5", "3/5", "0"}, "6/5", "6/5"},
	}, false)
	el, _ := b.Game().IterateDominance(StrictPure)
	if len(el.Remaining[0]) != 2 || len(el.Remaining[1]) != 2 {
		t.Fatalf("3x3 dominance left %v", el.Remaining)
	}
}

func TestVonStengelLemkeHowson(t *testing.T) {
	// von Stengel (2007), AGT ch. 3, the 3×2 example: three equilibria, the
	// middle one of negative index is never reached from the artificial one.
	A := [][]string{{"3", "3"}, {"2", "5"}, {"0", "6"}}
	B := [][]string{{"3", "2"}, {"2", "6"}, {"3", "1"}}
	b := bm(t, A, B)
	want := []eqWant{
		{[]string{"1", "0", "0"}, []string{"1", "0"}, "3", "3"},
		{[]string{"4/5", "1/5", "0"}, []string{"2/3", "1/3"}, "3", "14/5"},
		{[]string{"0", "1/3", "2/3"}, []string{"1/3", "2/3"}, "4", "8/3"},
	}
	allMethods(t, "vonStengel", b, want, false)
	middle := eqKey(Equilibrium{X: rs("4/5", "1/5", "0"), Y: rs("2/3", "1/3")})
	first := eqKey(Equilibrium{X: rs("1", "0", "0"), Y: rs("1", "0")})
	for l := 0; l < 5; l++ {
		e, _ := b.LemkeHowson(l)
		if eqKey(e) == middle {
			t.Fatalf("label %d reached the negative-index equilibrium", l)
		}
	}
	// Label 0 (row strategy 0): x₀ enters P, s₀ leaves; y₀ enters Q, r₀
	// (label 0) leaves — one step each, ending at ((1,0,0),(1,0)).
	if e, _ := b.LemkeHowson(0); eqKey(e) != first {
		t.Fatalf("label 0 gave %s", eqKey(e))
	}
	if _, err := b.LemkeHowson(5); err == nil {
		t.Fatal("label 5 accepted for a 3×2 game")
	}
}

func TestDegenerateGames(t *testing.T) {
	// nashpy docs, "degenerate games": the row player is indifferent over a
	// segment; extreme equilibria are its two ends.
	A := [][]string{{"0", "-1", "1"}, {"-1", "0", "1"}, {"-1", "0", "1"}}
	b := bm(t, A, neg(A))
	allMethods(t, "nashpy degenerate", b, []eqWant{
		{[]string{"1/2", "1/2", "0"}, []string{"1/2", "1/2", "0"}, "-1/2", "1/2"},
		{[]string{"1/2", "0", "1/2"}, []string{"1/2", "1/2", "0"}, "-1/2", "1/2"},
	}, true)
	// von Stengel's degenerate 3×2 (lrsnash's documented example).
	A2 := [][]string{{"3", "3"}, {"2", "5"}, {"0", "6"}}
	B2 := [][]string{{"3", "3"}, {"2", "6"}, {"3", "1"}}
	allMethods(t, "lrs degenerate", bm(t, A2, B2), []eqWant{
		{[]string{"1", "0", "0"}, []string{"1", "0"}, "3", "3"},
		{[]string{"1", "0", "0"}, []string{"2/3", "1/3"}, "3", "3"},
		{[]string{"0", "1/3", "2/3"}, []string{"1/3", "2/3"}, "4", "8/3"},
	}, true)
}

func randomBimatrix(rng *rand.Rand, m, n int, span int64) *Bimatrix {
	b := &Bimatrix{M: m, N: n, A: make([]big.Rat, m*n), B: make([]big.Rat, m*n)}
	for k := range b.A {
		b.A[k].SetInt64(rng.Int64N(span) - span/2)
		b.B[k].SetInt64(rng.Int64N(span) - span/2)
	}
	return b
}

func TestMethodsAgreeOnRandomGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 6))
	tested := 0
	for trial := 0; trial < 60; trial++ {
		m, n := 2+trial%4, 2+(trial/4)%4
		b := randomBimatrix(rng, m, n, 1000)
		vr, err := b.VertexEnumeration()
		if err != nil {
			t.Fatal(err)
		}
		if vr.Degenerate {
			continue
		}
		tested++
		se, err := b.SupportEnumeration()
		if err != nil {
			t.Fatal(err)
		}
		vk, sk := keysOf(vr.Equilibria), keysOf(se)
		if len(vk) != len(sk) || len(vk)%2 != 1 {
			t.Fatalf("trial %d (%dx%d): vertex %d eq, support %d (nondegenerate games have an odd number)", trial, m, n, len(vk), len(sk))
		}
		for i := range vk {
			if vk[i] != sk[i] {
				t.Fatalf("trial %d: vertex %v vs support %v", trial, vk, sk)
			}
		}
		checkAll(t, "random", b, vr.Equilibria, nil)
		set := map[string]bool{}
		for _, k := range vk {
			set[k] = true
		}
		lh, err := b.LemkeHowsonAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range lh {
			if !b.IsNash(e.X, e.Y) || !set[eqKey(e)] {
				t.Fatalf("trial %d: LH equilibrium %s not in the enumerated set", trial, eqKey(e))
			}
		}
		// Every pure equilibrium appears among the mixed ones.
		for _, p := range b.Game().PureNash() {
			x, y := newRats(m), newRats(n)
			x[p[0]].SetInt64(1)
			y[p[1]].SetInt64(1)
			if !set[eqKey(Equilibrium{X: x, Y: y})] {
				t.Fatalf("trial %d: pure equilibrium %v missing", trial, p)
			}
		}
	}
	if tested < 40 {
		t.Fatalf("only %d nondegenerate games tested", tested)
	}
}

func TestDegenerateRandomVertexIsNash(t *testing.T) {
	// Small payoff ranges make degenerate games common; every extreme
	// equilibrium must still satisfy the Nash condition and LH must succeed.
	rng := rand.New(rand.NewPCG(5, 5))
	degenerate := 0
	for trial := 0; trial < 60; trial++ {
		b := randomBimatrix(rng, 2+trial%3, 2+trial%4, 3)
		vr, err := b.VertexEnumeration()
		if err != nil {
			t.Fatal(err)
		}
		if vr.Degenerate {
			degenerate++
		}
		if len(vr.Equilibria) == 0 {
			t.Fatalf("trial %d: no equilibrium", trial)
		}
		checkAll(t, "degenerate random", b, vr.Equilibria, nil)
		lh, err := b.LemkeHowsonAll()
		if err != nil {
			t.Fatal(err)
		}
		checkAll(t, "degenerate LH", b, lh, nil)
	}
	if degenerate == 0 {
		t.Fatal("no degenerate game generated")
	}
}
