package game

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestSimplexSmall(t *testing.T) {
	// min −x−y s.t. x+2y+s1 = 4, 3x+y+s2 = 6  → x = 8/5, y = 6/5, obj −14/5.
	p := newRatLP(2, 4)
	for _, e := range []struct {
		i, j int
		v    int64
	}{{0, 0, 1}, {0, 1, 2}, {0, 2, 1}, {1, 0, 3}, {1, 1, 1}, {1, 3, 1}} {
		p.at(e.i, e.j).SetInt64(e.v)
	}
	p.b[0].SetInt64(4)
	p.b[1].SetInt64(6)
	p.c[0].SetInt64(-1)
	p.c[1].SetInt64(-1)
	sol, err := p.solve()
	if err != nil || sol.status != lpOptimal {
		t.Fatal(err, sol)
	}
	if sol.x[0].Cmp(r("8/5")) != 0 || sol.x[1].Cmp(r("6/5")) != 0 || sol.obj.Cmp(r("-14/5")) != 0 {
		t.Fatalf("x=%v %v obj=%v", sol.x[0].RatString(), sol.x[1].RatString(), sol.obj.RatString())
	}
	// Strong duality: b·y = obj.
	var by big.Rat
	by.Mul(&sol.y[0], &p.b[0])
	by.Add(&by, new(big.Rat).Mul(&sol.y[1], &p.b[1]))
	if by.Cmp(&sol.obj) != 0 {
		t.Fatalf("b·y = %v, obj %v", by.RatString(), sol.obj.RatString())
	}
	// Infeasible: x = −1.
	q := newRatLP(1, 1)
	q.at(0, 0).SetInt64(1)
	q.b[0].SetInt64(-1)
	if s, err := q.solve(); err != nil || s.status != lpInfeasible {
		t.Fatalf("want infeasible, got %v %v", s, err)
	}
	// Unbounded: min −x s.t. x − s = 1.
	u := newRatLP(1, 2)
	u.at(0, 0).SetInt64(1)
	u.at(0, 1).SetInt64(-1)
	u.b[0].SetInt64(1)
	u.c[0].SetInt64(-1)
	if s, err := u.solve(); err != nil || s.status != lpUnbounded {
		t.Fatalf("want unbounded, got %v %v", s, err)
	}
}

func TestShapleyGlove(t *testing.T) {
	g := GloveGame{N: 3, Left: CoalitionOf(0), Right: CoalitionOf(1, 2)}
	phi, err := Shapley(g)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "glove Shapley", phi, rs("2/3", "1/6", "1/6"))
	nu, err := Nucleolus(g)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "glove nucleolus", nu, rs("1", "0", "0"))
	core, err := Core(g)
	if err != nil || core.Empty {
		t.Fatalf("glove core: %v %v", core, err)
	}
	wantRats(t, "glove core point", core.Point, rs("1", "0", "0"))
}

func TestShapleyAirport(t *testing.T) {
	// Littlechild & Owen: φᵢ = Σ_{k≤i} (c_k − c_{k−1})/(n−k+1) for sorted costs.
	costs := ints(1, 3, 3, 7, 12)
	phi, err := Shapley(AirportGame{Costs: costs})
	if err != nil {
		t.Fatal(err)
	}
	n := len(costs)
	want := newRats(n)
	prev := new(big.Rat)
	acc := new(big.Rat)
	for k := 0; k < n; k++ {
		d := new(big.Rat).Sub(costs[k], prev)
		acc.Add(acc, d.Quo(d, big.NewRat(int64(n-k), 1)))
		want[k].Set(acc)
		prev = costs[k]
	}
	wantRats(t, "airport Shapley", phi, want)
}

func TestMajorityEmptyCore(t *testing.T) {
	g := WeightedMajority{Quota: 2, Weights: []int64{1, 1, 1}}
	core, err := Core(g)
	if err != nil {
		t.Fatal(err)
	}
	if !core.Empty || core.BalancedMax.Cmp(r("3/2")) != 0 {
		t.Fatalf("majority core: empty=%v balancedMax=%v", core.Empty, core.BalancedMax.RatString())
	}
	empty, bm, err := CoreFloat(g, 1e-9)
	if err != nil || !empty || bm < 1.4999 || bm > 1.5001 {
		t.Fatalf("CoreFloat: %v %v %v", empty, bm, err)
	}
	phi, _ := Shapley(g)
	wantRats(t, "majority Shapley", phi, rs("1/3", "1/3", "1/3"))
	in, viol, err := InCore(g, rs("1/3", "1/3", "1/3"))
	if err != nil || in || viol == nil || viol.Excess.Cmp(r("1/3")) != 0 {
		t.Fatalf("InCore: %v %+v %v", in, viol, err)
	}
	// [3; 2,1,1]: player 0 is a veto player, the core is {(1,0,0)}.
	core, _ = Core(WeightedMajority{Quota: 3, Weights: []int64{2, 1, 1}})
	if core.Empty {
		t.Fatal("veto game has a non-empty core")
	}
	wantRats(t, "veto core point", core.Point, rs("1", "0", "0"))
}

func TestNucleolusBankruptcyTalmud(t *testing.T) {
	// Aumann & Maschler (1985): the Talmud's divisions are the nucleoli.
	claims := ints(100, 200, 300)
	for _, c := range []struct {
		estate string
		want   []string
	}{
		{"100", []string{"100/3", "100/3", "100/3"}},
		{"200", []string{"50", "75", "75"}},
		{"300", []string{"50", "100", "150"}},
	} {
		g := BankruptcyGame{Estate: r(c.estate), Claims: claims}
		nu, err := Nucleolus(g)
		if err != nil {
			t.Fatal(err)
		}
		wantRats(t, "Talmud E="+c.estate, nu, rs(c.want...))
		pre, err := Prenucleolus(g)
		if err != nil {
			t.Fatal(err)
		}
		wantRats(t, "prenucleolus E="+c.estate, pre, rs(c.want...))
	}
}

func TestNucleolusKnown3Player(t *testing.T) {
	// v(12)=v(13)=v(23)... a symmetric game: nucleolus is equal split.
	tg, _ := NewTableGame(3)
	for s, v := range map[Coalition]string{3: "60", 5: "60", 6: "60", 7: "72"} {
		_ = tg.Set(s, r(v))
	}
	nu, err := Nucleolus(tg)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "symmetric nucleolus", nu, rs("24", "24", "24"))
	// Maschler, Peleg & Shapley's example style game: v(12)=4? classic
	// v(1)=v(2)=v(3)=0, v(12)=0, v(13)=1, v(23)=1, v(123)=1 (player 3 vetoish).
	tg2, _ := NewTableGame(3)
	_ = tg2.Set(CoalitionOf(0, 2), r("1"))
	_ = tg2.Set(CoalitionOf(1, 2), r("1"))
	_ = tg2.Set(CoalitionOf(0, 1, 2), r("1"))
	nu, err = Nucleolus(tg2)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "two-sided market nucleolus", nu, rs("0", "0", "1"))
	// Empty imputation set.
	tg3, _ := NewTableGame(2)
	_ = tg3.Set(1, r("2"))
	_ = tg3.Set(3, r("1"))
	if _, err := Nucleolus(tg3); !errors.Is(err, ErrInfeasible) {
		t.Fatalf("want ErrInfeasible, got %v", err)
	}
}

func randomTable(rng *rand.Rand, n int, maxV int64, den int64) *TableGame {
	tg, _ := NewTableGame(n)
	for s := 1; s < 1<<uint(n); s++ {
		tg.v[s].SetFrac64(rng.Int64N(maxV+1), 1+rng.Int64N(den))
	}
	return tg
}

func TestShapleyBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		n := 1 + trial%6
		g := randomTable(rng, n, 50, 4)
		phi, err := Shapley(g)
		if err != nil {
			t.Fatal(err)
		}
		// Average of marginal contributions over all n! orders.
		want := newRats(n)
		perm := make([]int, n)
		for i := range perm {
			perm[i] = i
		}
		count := 0
		var permute func(k int)
		permute = func(k int) {
			if k == n {
				var s Coalition
				for _, p := range perm {
					prev := &g.v[s]
					s |= 1 << uint(p)
					want[p].Add(want[p], new(big.Rat).Sub(&g.v[s], prev))
				}
				count++
				return
			}
			for i := k; i < n; i++ {
				perm[k], perm[i] = perm[i], perm[k]
				permute(k + 1)
				perm[k], perm[i] = perm[i], perm[k]
			}
		}
		permute(0)
		for i := range want {
			want[i].Quo(want[i], big.NewRat(int64(count), 1))
		}
		wantRats(t, "Shapley vs permutations", phi, want)
	}
	// Large integers take the big.Int path.
	tg, _ := NewTableGame(3)
	_ = tg.Set(7, new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 100)))
	phi, _ := Shapley(tg)
	third := new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 100), big.NewInt(3))
	wantRats(t, "huge Shapley", phi, []*big.Rat{third, third, third})
	if _, err := Shapley(&SparseGame{N: 21}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("want ErrTooLarge, got %v", err)
	}
}

func TestShapleySampleCovers(t *testing.T) {
	g := GloveGame{N: 7, Left: CoalitionOf(0, 1, 2), Right: CoalitionOf(3, 4, 5, 6)}
	exact, _ := Shapley(g)
	est, err := ShapleySample(g, 20000, 0.99, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range exact {
		e := ratFloat(exact[i])
		if d := est.Mean[i] - e; d > est.HalfWidth[i] || -d > est.HalfWidth[i] {
			t.Errorf("player %d: estimate %v ± %v misses %v", i, est.Mean[i], est.HalfWidth[i], e)
		}
	}
	// Efficiency holds per sample, so it holds for the means.
	sum := 0.0
	for _, m := range est.Mean {
		sum += m
	}
	if sum < 2.999999 || sum > 3.000001 {
		t.Fatalf("sampled values sum to %v, want 3", sum)
	}
	big := GloveGame{N: 40, Left: CoalitionOf(0), Right: GrandCoalition(40) &^ 1}
	if _, err := ShapleySample(big, 100, 0.95, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
}

// balancedPositive decides whether collection D is balanced with strictly
// positive weights: max t s.t. Σ_{S∈D} (t+μ_S)·1_S = 1_N, t, μ ≥ 0.
func balancedPositive(n int, D []Coalition) bool {
	p := newRatLP(n, 1+len(D))
	for i := 0; i < n; i++ {
		cnt := int64(0)
		for j, s := range D {
			if s.Has(i) {
				p.at(i, 1+j).SetInt64(1)
				cnt++
			}
		}
		p.at(i, 0).SetInt64(cnt)
		p.b[i].SetInt64(1)
	}
	p.c[0].SetInt64(-1)
	sol, err := p.solve()
	if err != nil || sol.status != lpOptimal {
		return false
	}
	return sol.x[0].Sign() > 0
}

func TestPrenucleolusKohlberg(t *testing.T) {
	// Kohlberg (1971): x is the prenucleolus iff every non-empty
	// D(α) = {S : e(S,x) ≥ α} is balanced.
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 25; trial++ {
		n := 2 + trial%4
		g := randomTable(rng, n, 30, 3)
		x, err := Prenucleolus(g)
		if err != nil {
			t.Fatal(err)
		}
		full := GrandCoalition(n)
		exc := make(map[Coalition]*big.Rat)
		var levels []*big.Rat
		var sum big.Rat
		for _, xi := range x {
			sum.Add(&sum, xi)
		}
		if sum.Cmp(&g.v[full]) != 0 {
			t.Fatalf("not efficient: %v", RatStrings(x))
		}
		for s := Coalition(1); s < full; s++ {
			e := new(big.Rat).Set(&g.v[s])
			for _, i := range s.Members() {
				e.Sub(e, x[i])
			}
			exc[s] = e
			levels = append(levels, e)
		}
		for _, a := range levels {
			var D []Coalition
			for s, e := range exc {
				if e.Cmp(a) >= 0 {
					D = append(D, s)
				}
			}
			if !balancedPositive(n, D) {
				t.Fatalf("trial %d: x=%v fails Kohlberg at α=%v", trial, RatStrings(x), a.RatString())
			}
		}
		// When the core is non-empty the nucleolus lies in it and equals the
		// prenucleolus.
		core, err := Core(g)
		if err != nil {
			t.Fatal(err)
		}
		in, _, _ := InCore(g, x)
		if in == core.Empty {
			t.Fatalf("trial %d: prenucleolus in core = %v but core empty = %v", trial, in, core.Empty)
		}
		if !core.Empty {
			if ok, v, _ := InCore(g, core.Point); !ok {
				t.Fatalf("core point %v violated by %v", RatStrings(core.Point), v)
			}
			nu, err := Nucleolus(g)
			if err != nil {
				t.Fatal(err)
			}
			wantRats(t, "nucleolus = prenucleolus", nu, x)
		}
	}
}

func TestMergeAndSplit(t *testing.T) {
	// Two disjoint synergistic pairs: {0,1} and {2,3} gain together, the
	// grand coalition is worth less than the pairs.
	tg, _ := NewTableGame(4)
	_ = tg.Set(CoalitionOf(0, 1), r("10"))
	_ = tg.Set(CoalitionOf(2, 3), r("8"))
	_ = tg.Set(GrandCoalition(4), r("12"))
	for _, rule := range []StabilityRule{Utilitarian, ParetoEqualShare} {
		singletons := Partition{1, 2, 4, 8}
		p, err := MergeAndSplit(tg, singletons, rule)
		if err != nil {
			t.Fatal(err)
		}
		want := Partition{CoalitionOf(0, 1), CoalitionOf(2, 3)}
		if len(p) != 2 || p[0] != want[0] || p[1] != want[1] {
			t.Fatalf("%v: got %v", rule, p)
		}
		p, _ = MergeAndSplit(tg, Partition{GrandCoalition(4)}, rule)
		if len(p) != 2 || p[0] != want[0] || p[1] != want[1] {
			t.Fatalf("%v from grand coalition: got %v", rule, p)
		}
		rep, err := AnalyzeStructure(tg, p, rule)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.MergeStable || !rep.SplitStable || !rep.Efficient || rep.Value.Cmp(r("18")) != 0 {
			t.Fatalf("report %+v", rep)
		}
		if rep.CSCoreEmpty {
			t.Fatalf("CS-core of the optimal pair structure should be non-empty")
		}
	}
	rep, _ := AnalyzeStructure(tg, Partition{GrandCoalition(4)}, Utilitarian)
	if rep.SplitStable || rep.Efficient || !rep.CSCoreEmpty {
		t.Fatalf("grand coalition report %+v", rep)
	}
	if err := (Partition{3, 6}).Validate(3); !errors.Is(err, ErrInvalidGame) {
		t.Fatalf("overlap not caught: %v", err)
	}
	x, err := Allocate(tg, Partition{CoalitionOf(0, 1), CoalitionOf(2, 3)}, ShapleyAllocation)
	if err != nil {
		t.Fatal(err)
	}
	wantRats(t, "allocation", x, rs("5", "5", "4", "4"))
	x, _ = Allocate(tg, Partition{CoalitionOf(0, 1), CoalitionOf(2, 3)}, NucleolusAllocation)
	wantRats(t, "nucleolus allocation", x, rs("5", "5", "4", "4"))
}

func TestOptimalStructureBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := 0; trial < 10; trial++ {
		n := 1 + trial%5
		g := randomTable(rng, n, 20, 1)
		best, p := optimalStructure(g)
		if err := p.Validate(n); err != nil {
			t.Fatal(err)
		}
		var sum big.Rat
		for _, c := range p {
			sum.Add(&sum, &g.v[c])
		}
		if sum.Cmp(best) != 0 {
			t.Fatal("structure worth mismatch")
		}
		// Brute force over all set partitions.
		var bestB *big.Rat
		var rec func(rest Coalition, acc *big.Rat)
		rec = func(rest Coalition, acc *big.Rat) {
			if rest == 0 {
				if bestB == nil || acc.Cmp(bestB) > 0 {
					bestB = new(big.Rat).Set(acc)
				}
				return
			}
			low := rest & -rest
			others := rest &^ low
			for sub := others; ; sub = (sub - 1) & others {
				T := low | sub
				rec(rest&^T, new(big.Rat).Add(acc, &g.v[T]))
				if sub == 0 {
					break
				}
			}
		}
		rec(GrandCoalition(n), new(big.Rat))
		if bestB.Cmp(best) != 0 {
			t.Fatalf("DP %v, brute %v", best.RatString(), bestB.RatString())
		}
	}
}
