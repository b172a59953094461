package game

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
)

// ParseGame reads a normal-form game from a Gambit .nfg file (payoff or
// outcome version, recognised by the leading "NFG") or from JSON: a bimatrix
// {"A": [[..]], "B": [[..]]} (B omitted means zero-sum, B = −A) or an
// n-player table {"num_strategies": [..], "payoffs": [{"profile": [..],
// "payoffs": [..]}, ..]} listing every profile exactly once. Numbers are JSON
// numbers or strings "p", "p/q", "0.25", read exactly. Errors name the place.
func ParseGame(data []byte) (*Game, error) {
	t := bytes.TrimSpace(data)
	if bytes.HasPrefix(t, []byte("NFG")) {
		return ParseNFG(t)
	}
	var doc struct {
		Title         string              `json:"title"`
		Players       []string            `json:"players"`
		A             [][]json.RawMessage `json:"A"`
		B             [][]json.RawMessage `json:"B"`
		NumStrategies []int               `json:"num_strategies"`
		Payoffs       []struct {
			Profile []int             `json:"profile"`
			Payoffs []json.RawMessage `json:"payoffs"`
		} `json:"payoffs"`
	}
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: game JSON: %v", ErrParse, err)
	}
	switch {
	case doc.A != nil && doc.NumStrategies != nil:
		return nil, fmt.Errorf("%w: game JSON has both \"A\" and \"num_strategies\"", ErrParse)
	case doc.A != nil:
		A, err := jsonMatrix(doc.A, "A")
		if err != nil {
			return nil, err
		}
		var B [][]*big.Rat
		if doc.B == nil {
			B = make([][]*big.Rat, len(A))
			for i, row := range A {
				for _, v := range row {
					B[i] = append(B[i], new(big.Rat).Neg(v))
				}
			}
		} else if B, err = jsonMatrix(doc.B, "B"); err != nil {
			return nil, err
		}
		b, err := NewBimatrix(A, B)
		if err != nil {
			return nil, err
		}
		g := b.Game()
		g.Title, g.PlayerNames = doc.Title, doc.Players
		return g, nil
	case doc.NumStrategies != nil:
		g, err := NewGame(doc.NumStrategies, true)
		if err != nil {
			return nil, fmt.Errorf("num_strategies: %w", err)
		}
		seen := make([]bool, g.profiles)
		for k, e := range doc.Payoffs {
			where := fmt.Sprintf("payoffs[%d]", k)
			idx, err := g.Index(e.Profile)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			if seen[idx] {
				return nil, fmt.Errorf("%w: %s: profile %v listed twice", ErrInvalidGame, where, e.Profile)
			}
			seen[idx] = true
			if len(e.Payoffs) != g.Players() {
				return nil, fmt.Errorf("%w: %s: %d payoffs for %d players", ErrInvalidGame, where, len(e.Payoffs), g.Players())
			}
			for i, raw := range e.Payoffs {
				v, err := jsonRat(raw, fmt.Sprintf("%s.payoffs[%d]", where, i))
				if err != nil {
					return nil, err
				}
				g.rat[idx*g.Players()+i].Set(v)
			}
		}
		for idx, ok := range seen {
			if !ok {
				return nil, fmt.Errorf("%w: payoffs: profile %v is missing (%d profiles expected)", ErrInvalidGame, g.Profile(idx, nil), g.profiles)
			}
		}
		g.Title, g.PlayerNames = doc.Title, doc.Players
		return g, nil
	}
	return nil, fmt.Errorf("%w: game JSON needs \"A\" (bimatrix) or \"num_strategies\" (n players)", ErrParse)
}

func jsonRat(raw json.RawMessage, where string) (*big.Rat, error) {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 0 && s[0] == '"' {
		u, err := strconv.Unquote(s)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: bad string %s", ErrParse, where, s)
		}
		s = u
	}
	v, err := ParseRat(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s is not a number or rational string", ErrParse, where, string(raw))
	}
	return v, nil
}

func jsonMatrix(M [][]json.RawMessage, name string) ([][]*big.Rat, error) {
	if len(M) == 0 {
		return nil, fmt.Errorf("%w: %s is empty", ErrInvalidGame, name)
	}
	out := make([][]*big.Rat, len(M))
	for i, row := range M {
		if len(row) != len(M[0]) {
			return nil, fmt.Errorf("%w: %s is ragged: row %d has %d entries, row 0 has %d", ErrInvalidGame, name, i, len(row), len(M[0]))
		}
		for j, raw := range row {
			v, err := jsonRat(raw, fmt.Sprintf("%s[%d][%d]", name, i, j))
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], v)
		}
	}
	return out, nil
}

// SolveOptions selects the two-player method: "vertex" (default: all extreme
// equilibria, exact degeneracy flag), "support" (all equilibria of a
// nondegenerate game) or "lemke-howson" (one equilibrium, from Label).
type SolveOptions struct {
	Method string
	Label  int
}

// EquilibriumJSON is one equilibrium on the wire: mixed strategies and
// expected payoffs as exact rational strings.
type EquilibriumJSON struct {
	Strategies [][]string `json:"strategies"`
	Payoffs    []string   `json:"payoffs"`
}

// SolveResult is what `alchemist game solve` prints.
type SolveResult struct {
	Method         string            `json:"method"`
	Equilibria     []EquilibriumJSON `json:"equilibria"`
	PureEquilibria [][]int           `json:"pure_equilibria"`
	ParetoOptimal  [][]int           `json:"pareto_optimal"`
	Degenerate     bool              `json:"degenerate"`
}

// maxDegeneracyCheck bounds the extra vertex enumeration run only for the
// degeneracy flag when another method was chosen.
const maxDegeneracyCheck = 10

// Solve computes equilibria, pure equilibria and Pareto-optimal profiles.
// For games with other than two players, equilibria are the pure ones (as
// unit mixed strategies) and Method must be empty. Degenerate is exact for
// two-player games solved by vertex enumeration or with min(m,n) ≤ 10.
func Solve(g *Game, opt SolveOptions) (*SolveResult, error) {
	res := &SolveResult{Method: opt.Method, Equilibria: []EquilibriumJSON{}}
	res.PureEquilibria = nonNil(g.PureNash())
	res.ParetoOptimal = nonNil(g.ParetoOptimal())
	if g.Players() != 2 {
		if opt.Method != "" {
			return nil, fmt.Errorf("%w: method %q applies to two-player games; this one has %d players", ErrNotTwoPlayer, opt.Method, g.Players())
		}
		res.Method = "pure"
		for _, p := range res.PureEquilibria {
			idx, _ := g.Index(p)
			e := EquilibriumJSON{}
			for i, m := range g.PureProfile(p) {
				e.Strategies = append(e.Strategies, RatStrings(m))
				e.Payoffs = append(e.Payoffs, g.Payoff(idx, i).RatString())
			}
			res.Equilibria = append(res.Equilibria, e)
		}
		return res, nil
	}
	b, err := g.Bimatrix()
	if err != nil {
		return nil, err
	}
	var eqs []Equilibrium
	switch opt.Method {
	case "", "vertex":
		res.Method = "vertex"
		vr, err := b.VertexEnumeration()
		if err != nil {
			return nil, err
		}
		eqs, res.Degenerate = vr.Equilibria, vr.Degenerate
	case "support":
		if eqs, err = b.SupportEnumeration(); err != nil {
			return nil, err
		}
	case "lemke-howson":
		e, err := b.LemkeHowson(opt.Label)
		if err != nil {
			return nil, err
		}
		eqs = []Equilibrium{e}
	default:
		return nil, fmt.Errorf("%w: unknown method %q (support, vertex, lemke-howson)", ErrParse, opt.Method)
	}
	if res.Method != "vertex" && min(b.M, b.N) <= maxDegeneracyCheck {
		vr, err := b.VertexEnumeration()
		if err != nil {
			return nil, err
		}
		res.Degenerate = vr.Degenerate
	}
	for _, e := range eqs {
		res.Equilibria = append(res.Equilibria, EquilibriumJSON{
			Strategies: [][]string{RatStrings(e.X), RatStrings(e.Y)},
			Payoffs:    []string{e.PayoffA.RatString(), e.PayoffB.RatString()},
		})
	}
	return res, nil
}

func nonNil(p [][]int) [][]int {
	if p == nil {
		return [][]int{}
	}
	return p
}

// CoopSpec is a parsed cooperative game file.
type CoopSpec struct {
	Game        TU   // as given (costs when Cost)
	Cost        bool // "convention": "cost"
	Allocations [][]*big.Rat
}

// ParseCoop reads {"n": N, "v": [{"coalition": [0,2], "value": "3/2"}, ..],
// "convention": "profit"|"cost", "allocations": [[..], ..]}; unlisted
// coalitions are worth 0.
func ParseCoop(data []byte) (*CoopSpec, error) {
	var doc struct {
		N int `json:"n"`
		V []struct {
			Coalition []int           `json:"coalition"`
			Value     json.RawMessage `json:"value"`
		} `json:"v"`
		Convention  string              `json:"convention"`
		Allocations [][]json.RawMessage `json:"allocations"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: coop JSON: %v", ErrParse, err)
	}
	n := doc.N
	if n < 1 || n > MaxTUPlayers {
		return nil, fmt.Errorf("%w: n = %d outside 1..%d", ErrInvalidGame, n, MaxTUPlayers)
	}
	spec := &CoopSpec{}
	switch doc.Convention {
	case "", "profit":
	case "cost":
		spec.Cost = true
	default:
		return nil, fmt.Errorf("%w: convention %q (want \"profit\" or \"cost\")", ErrParse, doc.Convention)
	}
	values := map[Coalition]*big.Rat{}
	for k, e := range doc.V {
		where := fmt.Sprintf("v[%d]", k)
		var c Coalition
		for _, p := range e.Coalition {
			if p < 0 || p >= n {
				return nil, fmt.Errorf("%w: %s.coalition: player %d outside 0..%d", ErrInvalidGame, where, p, n-1)
			}
			if c.Has(p) {
				return nil, fmt.Errorf("%w: %s.coalition: player %d listed twice", ErrInvalidGame, where, p)
			}
			c |= 1 << uint(p)
		}
		if c == 0 {
			return nil, fmt.Errorf("%w: %s: empty coalition (v(∅) is 0 by definition)", ErrInvalidGame, where)
		}
		if _, dup := values[c]; dup {
			return nil, fmt.Errorf("%w: %s: coalition %v listed twice", ErrInvalidGame, where, e.Coalition)
		}
		if e.Value == nil {
			return nil, fmt.Errorf("%w: %s: missing value", ErrParse, where)
		}
		v, err := jsonRat(e.Value, where+".value")
		if err != nil {
			return nil, err
		}
		values[c] = v
	}
	if n <= MaxTablePlayers {
		t, _ := NewTableGame(n)
		for c, v := range values {
			t.v[c].Set(v)
		}
		spec.Game = t
	} else {
		spec.Game = &SparseGame{N: n, V: values}
	}
	for k, row := range doc.Allocations {
		if len(row) != n {
			return nil, fmt.Errorf("%w: allocations[%d] has %d entries for %d players", ErrInvalidGame, k, len(row), n)
		}
		var x []*big.Rat
		for i, raw := range row {
			v, err := jsonRat(raw, fmt.Sprintf("allocations[%d][%d]", k, i))
			if err != nil {
				return nil, err
			}
			x = append(x, v)
		}
		spec.Allocations = append(spec.Allocations, x)
	}
	return spec, nil
}

// CoopOptions: Sample > 0 estimates the Shapley value from that many random
// orders (required above MaxExactShapley players), seeded by Seed, with a
// Confidence-level interval (default 0.95).
type CoopOptions struct {
	Sample     int
	Seed       uint64
	Confidence float64
}

// CoopResult is what `alchemist game coop` prints. Exact values are rational
// strings; sampled Shapley values are decimals with ShapleyCI half-widths.
type CoopResult struct {
	Convention string   `json:"convention"`
	Shapley    []string `json:"shapley"`
	ShapleyCI  []string `json:"shapley_ci,omitempty"`
	Sampled    bool     `json:"sampled,omitempty"`
	CoreEmpty  *bool    `json:"core_empty,omitempty"`
	CorePoint  []string `json:"core_point,omitempty"`
	InCore     []bool   `json:"in_core,omitempty"`
	Nucleolus  []string `json:"nucleolus,omitempty"`
	Notes      []string `json:"notes,omitempty"`
}

// SolveCoop computes the Shapley value, core emptiness (with a core point),
// membership of the given allocations and the nucleolus. Cost games are
// solved as the savings-free negation −c: the core {x(S) ≤ c(S), x(N) = c(N)}
// is −core(−c) and the cost nucleolus is −nucleolus(−c).
func SolveCoop(spec *CoopSpec, opt CoopOptions) (*CoopResult, error) {
	g := spec.Game
	n := g.Players()
	res := &CoopResult{Convention: "profit"}
	profit := g
	if spec.Cost {
		res.Convention = "cost"
		profit = Negate(g)
	}
	sign := func(v []*big.Rat) []string {
		out := make([]string, len(v))
		for i, x := range v {
			y := new(big.Rat).Set(x)
			if spec.Cost {
				y.Neg(y)
			}
			out[i] = y.RatString()
		}
		return out
	}
	if opt.Sample > 0 {
		conf := opt.Confidence
		if conf == 0 {
			conf = 0.95
		}
		est, err := ShapleySample(g, opt.Sample, conf, rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)))
		if err != nil {
			return nil, err
		}
		res.Sampled = true
		for i := range est.Mean {
			res.Shapley = append(res.Shapley, strconv.FormatFloat(est.Mean[i], 'g', -1, 64))
			res.ShapleyCI = append(res.ShapleyCI, strconv.FormatFloat(est.HalfWidth[i], 'g', -1, 64))
		}
		res.Notes = append(res.Notes, fmt.Sprintf("Shapley value sampled from %d orders, %g confidence half-widths in shapley_ci", opt.Sample, conf))
	} else {
		phi, err := Shapley(g)
		if err != nil {
			return nil, fmt.Errorf("%w (pass a sample count to estimate it)", err)
		}
		res.Shapley = RatStrings(phi)
	}
	if n > MaxLPPlayers {
		res.Notes = append(res.Notes, fmt.Sprintf("core and nucleolus skipped: exact LPs are limited to %d players", MaxLPPlayers))
		return res, nil
	}
	core, err := Core(profit)
	if err != nil {
		return nil, err
	}
	empty := core.Empty
	res.CoreEmpty = &empty
	if !empty {
		res.CorePoint = sign(core.Point)
	}
	for k, x := range spec.Allocations {
		px := x
		if spec.Cost {
			px = make([]*big.Rat, len(x))
			for i, v := range x {
				px[i] = new(big.Rat).Neg(v)
			}
		}
		in, _, err := InCore(profit, px)
		if err != nil {
			return nil, fmt.Errorf("allocations[%d]: %w", k, err)
		}
		res.InCore = append(res.InCore, in)
	}
	nu, err := Nucleolus(profit)
	if err != nil {
		res.Notes = append(res.Notes, "nucleolus: "+err.Error())
	} else {
		res.Nucleolus = sign(nu)
	}
	return res, nil
}
