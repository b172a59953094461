package game

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const selten = `NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
`

const seltenOutcomes = `NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}
""

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
`

func TestParseNFGBothVersions(t *testing.T) {
	a, err := ParseGame([]byte(selten))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseGame([]byte(seltenOutcomes))
	if err != nil {
		t.Fatal(err)
	}
	if a.Players() != 2 || a.NumStrategies(0) != 3 || a.NumStrategies(1) != 2 {
		t.Fatalf("shape %v", a.Shape())
	}
	for k := range a.rat {
		if a.rat[k].Cmp(&b.rat[k]) != 0 {
			t.Fatalf("payoff %d differs: %v vs %v", k, a.rat[k].RatString(), b.rat[k].RatString())
		}
	}
	// Profile (row 2, column 1) — 0-based (1, 0) — pays (0, 2).
	idx, _ := a.Index([]int{1, 0})
	if a.Payoff(idx, 0).Sign() != 0 || a.Payoff(idx, 1).Cmp(r("2")) != 0 {
		t.Fatal("profile order")
	}
	if b.StrategyNames[0][2] != "3" || a.Title == "" {
		t.Fatal("names")
	}
	// Outcome 0 is the null outcome; rationals are exact.
	c, err := ParseNFG([]byte(`NFG 1 R "x" { "a" "b" } { { "u" "d" } { "l" } } { { "o" 1/2 -3/4 } } 0 1`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Payoff(0, 0).Sign() != 0 || c.Payoff(1, 1).Cmp(r("-3/4")) != 0 {
		t.Fatal("null outcome or rational payoff")
	}
}

func TestParseErrorsNamePlace(t *testing.T) {
	for _, c := range []struct {
		in, want string
		sentinel error
	}{
		{`NFG 1 R "t" { "a" "b" } { 2 2 }` + "\n1 2 3", "line 2: payoff list ends after 3 of 8", ErrParse},
		{`NFG 1 R "t" { "a" "b" } { 2 2 } 1 2 x 4 5 6 7 8`, `payoff 3: "x" is not a number`, ErrParse},
		{`NFG 1 R "t" { "a" } { { "u" } } { { "" 1 2 } } 1`, "outcome 1 has 2 payoffs for 1 players", ErrParse},
		{`NFG 1 R "t" { "a" } { { "u" } } { { "" 1 } } 2`, "outcome index 2 outside 0..1", ErrParse},
		{`NFG 1 R "t" { "a" } { 2 } 1 2 3`, "unexpected trailing", ErrParse},
		{`NFG 2 R "t"`, "version", ErrParse},
		{`{"A": [[1, 2], [3]], "B": [[1, 2], [3, 4]]}`, "A is ragged: row 1 has 1 entries", ErrInvalidGame},
		{`{"A": [[1, 2]], "B": [[1, "zz"]]}`, `B[0][1]: "zz" is not a number`, ErrParse},
		{`{"A": [[1, 2]], "B": [[1, 2], [3, 4]]}`, "A has 1 rows, B has 2", ErrInvalidGame},
		{`{"num_strategies": [2, 1], "payoffs": [{"profile": [0, 0], "payoffs": [1, 2, 3]}]}`, "payoffs[0]: 3 payoffs for 2 players", ErrInvalidGame},
		{`{"num_strategies": [2, 1], "payoffs": [{"profile": [0, 0], "payoffs": [1, 2]}]}`, "profile [1 0] is missing", ErrInvalidGame},
		{`{"num_strategies": [2, 1], "payoffs": [{"profile": [2, 0], "payoffs": [1, 2]}]}`, "strategy 2 of player 0 out of range", ErrInvalidGame},
		{`{"A": [[1]], "oops": 1}`, "unknown field", ErrParse},
	} {
		_, err := ParseGame([]byte(c.in))
		if err == nil || !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("input %q: error %v, want %v containing %q", c.in, err, c.sentinel, c.want)
		}
	}
}

func TestSolveJSON(t *testing.T) {
	g, err := ParseGame([]byte(`{"A": [[3, 0], [0, 2]], "B": [["2", 0], [0, "3"]]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"", "vertex", "support"} {
		res, err := Solve(g, SolveOptions{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(res)
		if !strings.Contains(string(out), `{"strategies":[["3/5","2/5"],["2/5","3/5"]],"payoffs":["6/5","6/5"]}`) ||
			!strings.Contains(string(out), `"pure_equilibria":[[0,0],[1,1]]`) || !strings.Contains(string(out), `"degenerate":false`) {
			t.Fatalf("method %q: %s", m, out)
		}
	}
	res, err := Solve(g, SolveOptions{Method: "lemke-howson", Label: 2})
	if err != nil || len(res.Equilibria) != 1 {
		t.Fatal(res, err)
	}
	if _, err := Solve(g, SolveOptions{Method: "lemke-howson", Label: 9}); !errors.Is(err, ErrInvalidGame) {
		t.Fatalf("bad label: %v", err)
	}
	if _, err := Solve(g, SolveOptions{Method: "magic"}); !errors.Is(err, ErrParse) {
		t.Fatalf("bad method: %v", err)
	}
	// Zero-sum shorthand and three players.
	g, _ = ParseGame([]byte(`{"A": [[1, -1], [-1, 1]]}`))
	res, _ = Solve(g, SolveOptions{})
	if len(res.Equilibria) != 1 || res.Equilibria[0].Payoffs[1] != "0" {
		t.Fatalf("pennies %+v", res)
	}
	three := `{"num_strategies": [2, 1, 1], "payoffs": [
	  {"profile": [0, 0, 0], "payoffs": [1, "1/2", 0]},
	  {"profile": [1, 0, 0], "payoffs": [2, 0, 0.25]}]}`
	g, err = ParseGame([]byte(three))
	if err != nil {
		t.Fatal(err)
	}
	res, err = Solve(g, SolveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(res)
	if !strings.Contains(string(out), `"equilibria":[{"strategies":[["0","1"],["1"],["1"]],"payoffs":["2","0","1/4"]}]`) {
		t.Fatalf("3 players: %s", out)
	}
	if _, err := Solve(g, SolveOptions{Method: "vertex"}); !errors.Is(err, ErrNotTwoPlayer) {
		t.Fatal("method on 3 players accepted")
	}
}

func TestCoopJSON(t *testing.T) {
	glove := `{"n": 3, "v": [{"coalition": [0, 1], "value": 1}, {"coalition": [0, 2], "value": "1"},
	  {"coalition": [0, 1, 2], "value": 1}], "convention": "profit", "allocations": [[1, 0, 0], ["1/2", "1/2", 0]]}`
	spec, err := ParseCoop([]byte(glove))
	if err != nil {
		t.Fatal(err)
	}
	res, err := SolveCoop(spec, CoopOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(res)
	want := `{"convention":"profit","shapley":["2/3","1/6","1/6"],"core_empty":false,"core_point":["1","0","0"],"in_core":[true,false],"nucleolus":["1","0","0"]}`
	if string(out) != want {
		t.Fatalf("got  %s\nwant %s", out, want)
	}
	// Airport cost game: core = {x(S) ≤ c(S)}, Shapley = sequential split.
	airport := `{"n": 2, "convention": "cost", "v": [{"coalition": [0], "value": 1}, {"coalition": [1], "value": 3},
	  {"coalition": [0, 1], "value": 3}], "allocations": [["1/2", "5/2"], [2, 1]]}`
	spec, _ = ParseCoop([]byte(airport))
	res, err = SolveCoop(spec, CoopOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Shapley, ",") != "1/2,5/2" || *res.CoreEmpty || res.InCore[0] != true || res.InCore[1] != false || strings.Join(res.Nucleolus, ",") != "1/2,5/2" {
		t.Fatalf("airport %+v", res)
	}
	// Too many players for exact Shapley without sampling.
	big := `{"n": 25, "v": [{"coalition": [0, 1], "value": 1}]}`
	spec, _ = ParseCoop([]byte(big))
	if _, err := SolveCoop(spec, CoopOptions{}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "sample") {
		t.Fatalf("want ErrTooLarge mentioning sampling, got %v", err)
	}
	res, err = SolveCoop(spec, CoopOptions{Sample: 2000, Seed: 1})
	if err != nil || !res.Sampled || len(res.ShapleyCI) != 25 || res.CoreEmpty != nil {
		t.Fatalf("sampled: %+v %v", res, err)
	}
	for _, c := range []struct{ in, want string }{
		{`{"n": 2, "v": [{"coalition": [0, 2], "value": 1}]}`, "v[0].coalition: player 2 outside 0..1"},
		{`{"n": 2, "v": [{"coalition": [0], "value": "x"}]}`, `v[0].value: "x" is not a number`},
		{`{"n": 2, "v": [{"coalition": [0], "value": 1}, {"coalition": [0], "value": 2}]}`, "v[1]: coalition [0] listed twice"},
		{`{"n": 2, "v": [], "convention": "loss"}`, `convention "loss"`},
		{`{"n": 2, "v": [], "allocations": [[1]]}`, "allocations[0] has 1 entries for 2 players"},
		{`{"n": 0, "v": []}`, "n = 0"},
	} {
		if _, err := ParseCoop([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.in, err, c.want)
		}
	}
}
