package game

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatExamples parses every documented example under testdata and
// checks the JSON the CLI would print.
func TestFormatExamples(t *testing.T) {
	solve := func(name string, opt SolveOptions) string {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		g, err := ParseGame(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := Solve(g, opt)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, _ := json.Marshal(res)
		return string(out)
	}
	coop := func(name string) string {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		spec, err := ParseCoop(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := SolveCoop(spec, CoopOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, _ := json.Marshal(res)
		return string(out)
	}
	for _, c := range []struct{ got, want string }{
		{solve("bos.json", SolveOptions{}), `{"method":"vertex","equilibria":[{"strategies":[["1","0"],["1","0"]],"payoffs":["3","2"]},{"strategies":[["3/5","2/5"],["2/5","3/5"]],"payoffs":["6/5","6/5"]},{"strategies":[["0","1"],["0","1"]],"payoffs":["2","3"]}],"pure_equilibria":[[0,0],[1,1]],"pareto_optimal":[[0,0],[1,1]],"degenerate":false}`},
		{solve("bos.json", SolveOptions{Method: "lemke-howson", Label: 0}), `{"method":"lemke-howson","equilibria":[{"strategies":[["1","0"],["1","0"]],"payoffs":["3","2"]}],"pure_equilibria":[[0,0],[1,1]],"pareto_optimal":[[0,0],[1,1]],"degenerate":false}`},
		{solve("selten.nfg", SolveOptions{}), solve("selten-outcomes.nfg", SolveOptions{})},
		{solve("three-player.json", SolveOptions{}), `{"method":"pure","equilibria":[{"strategies":[["1","0"],["1","0"],["1","0"]],"payoffs":["1","1","1"]},{"strategies":[["0","1"],["0","1"],["0","1"]],"payoffs":["3/2","3/2","3/2"]}],"pure_equilibria":[[0,0,0],[1,1,1]],"pareto_optimal":[[1,1,1]],"degenerate":false}`},
		{coop("glove.json"), `{"convention":"profit","shapley":["2/3","1/6","1/6"],"core_empty":false,"core_point":["1","0","0"],"in_core":[true,false],"nucleolus":["1","0","0"]}`},
		{coop("talmud.json"), `{"convention":"profit","shapley":["100/3","250/3","250/3"],"core_empty":false,"core_point":`},
	} {
		if !strings.HasPrefix(c.got, c.want) {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}
	if got := coop("talmud.json"); !strings.Contains(got, `"nucleolus":["50","75","75"]`) {
		t.Errorf("Talmud nucleolus: %s", got)
	}
	t.Log(solve("selten.nfg", SolveOptions{}))
}
