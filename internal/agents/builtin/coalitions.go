package builtin

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/game"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// MaxCoalitionPlayers bounds the players of one analysis: the game is tabulated (2ⁿ coalitions)
// and the optimal structure searched (3ⁿ) exactly.
const MaxCoalitionPlayers = game.MaxOptimalStructurePlayers

var coalitionsAgent = analysis{
	description: "Shapley values and stable coalitions of the player nodes (induced-subgraph game)",
	capabilities: agents.Capabilities{
		Analyses: []string{"shapley", "merge-and-split", "core"},
		Suggests: []string{"form_coalition", "update_node"},
		Params:   []string{"worth", "rule"},
	},
	maxNodes: 200_000,
	run:      runCoalitions,
}

// CoalitionParams are the coalitions agent's parameters.
type CoalitionParams struct {
	// Worth is the node property holding a player's stand-alone worth; default "worth".
	Worth string `json:"worth"`
	// Rule is the merge-and-split preference: "utilitarian" (default) or "pareto".
	Rule string `json:"rule"`
}

// CoalitionReport is the cooperative analysis of the player nodes.
type CoalitionReport struct {
	Players   []string
	Game      *game.TableGame
	Shapley   []*big.Rat
	Structure *game.StructureReport
}

// AnalyzeCoalitions derives a TU game from the graph and analyses it. The players are the nodes
// with a strategy or utility component that are in no coalition yet (restricted to the selection,
// when there is one). The game is the induced-subgraph game of Deng & Papadimitriou ("On the
// complexity of cooperative solution concepts", Math. Oper. Res. 1994): a coalition is worth its
// members' stand-alone worth (a node property) plus the weights of the edges among them, so
// positive edges reward being together and negative ones (rivalry) punish it. Its Shapley value
// has the closed form φᵢ = worthᵢ + ½ Σ_{edges e ∋ i among players} w_e. The coalition structure
// is found by merge-and-split from singletons (Apt & Witzel 2009) and checked for efficiency,
// merge/split stability and a non-empty core of the structure (Aumann & Drèze 1974).
func AnalyzeCoalitions(g *graph.Graph, sel []string, p CoalitionParams) (*CoalitionReport, error) {
	worthKey := p.Worth
	if worthKey == "" {
		worthKey = "worth"
	}
	rule := game.Utilitarian
	switch p.Rule {
	case "", "utilitarian":
	case "pareto":
		rule = game.ParetoEqualShare
	default:
		return nil, agents.Errorf(agents.CodeInvalid, "rule %q: want utilitarian or pareto", p.Rule)
	}
	in := selected(sel)
	set := map[string]bool{}
	for id := range g.Strategies() {
		set[id] = true
	}
	for id := range g.Utilities() {
		set[id] = true
	}
	var players []string
	for id := range set {
		if _, taken := g.NodeCoalition(id); !taken && (in == nil || in[id]) {
			players = append(players, id)
		}
	}
	slices.Sort(players)
	switch {
	case len(players) < 2:
		return nil, agents.Errorf(agents.CodeInvalid, "%d player node(s) (with a strategy or utility, in no coalition): need at least 2", len(players))
	case len(players) > MaxCoalitionPlayers:
		return nil, agents.Errorf(agents.CodeTooLarge, "%d player nodes, at most %d per analysis: select fewer", len(players), MaxCoalitionPlayers)
	}
	idx := make(map[string]int, len(players))
	for i, id := range players {
		idx[id] = i
	}
	n := len(players)
	worth := make([]*big.Rat, n)
	for i, id := range players {
		nd, _ := g.Node(id)
		r, err := ratProp(nd.Props[worthKey])
		if err != nil {
			return nil, agents.Errorf(agents.CodeInvalid, "node %s: property %s: %v", id, worthKey, err)
		}
		worth[i] = r
	}
	// pair[i][j]: total weight of the edges between players i and j, either direction.
	pair := make([][]*big.Rat, n)
	for i := range pair {
		pair[i] = make([]*big.Rat, n)
	}
	for e := range g.Edges() {
		a, ok1 := idx[e.Source]
		b, ok2 := idx[e.Target]
		if !ok1 || !ok2 || a == b {
			continue
		}
		w, err := ratFloat(e.Weight)
		if err != nil {
			return nil, agents.Errorf(agents.CodeInvalid, "edge %s: %v", e.ID, err)
		}
		for _, ij := range [2][2]int{{a, b}, {b, a}} {
			if pair[ij[0]][ij[1]] == nil {
				pair[ij[0]][ij[1]] = new(big.Rat)
			}
			pair[ij[0]][ij[1]].Add(pair[ij[0]][ij[1]], w)
		}
	}
	t, err := game.NewTableGame(n)
	if err != nil {
		return nil, agents.Errorf(agents.CodeTooLarge, "%v", err)
	}
	// v(S) = v(S∖{i}) + worthᵢ + Σ_{j∈S∖{i}} w_ij with i the lowest member: one pass over 2ⁿ.
	var v, tmp big.Rat
	for s := game.Coalition(1); s < game.Coalition(1)<<uint(n); s++ {
		low := 0
		for !s.Has(low) {
			low++
		}
		rest := s &^ (1 << uint(low))
		t.Value(&v, rest)
		v.Add(&v, worth[low])
		for j := range n {
			if rest.Has(j) && pair[low][j] != nil {
				v.Add(&v, pair[low][j])
			}
		}
		if err := t.Set(s, tmp.Set(&v)); err != nil {
			return nil, agents.Errorf(agents.CodeInternal, "%v", err)
		}
	}
	phi, err := game.Shapley(t)
	if err != nil {
		return nil, agents.Errorf(agents.CodeInternal, "shapley: %v", err)
	}
	singletons := make(game.Partition, n)
	for i := range singletons {
		singletons[i] = game.CoalitionOf(i)
	}
	part, err := game.MergeAndSplit(t, singletons, rule)
	if err != nil {
		return nil, agents.Errorf(agents.CodeInternal, "merge and split: %v", err)
	}
	st, err := game.AnalyzeStructure(t, part, rule)
	if err != nil {
		return nil, agents.Errorf(agents.CodeInternal, "stability: %v", err)
	}
	return &CoalitionReport{Players: players, Game: t, Shapley: phi, Structure: st}, nil
}

// ratProp reads a numeric property as an exact rational (its decimal text); absent means 0.
func ratProp(raw json.RawMessage) (*big.Rat, error) {
	if len(raw) == 0 {
		return new(big.Rat), nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("not a number: %s", raw)
	}
	return ratFloat(f)
}

// ratFloat is the rational of x's shortest decimal form (0.1 → 1/10, not the binary double).
func ratFloat(x float64) (*big.Rat, error) {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		return nil, fmt.Errorf("%v is not a finite number", x)
	}
	return r, nil
}

func runCoalitions(ctx context.Context, g *graph.Graph, c *agents.Call) ([]agents.Suggestion, string, error) {
	var p CoalitionParams
	if err := c.Params(&p); err != nil {
		return nil, "", err
	}
	c.Progress(0, 2, "Shapley value and merge-and-split")
	rep, err := AnalyzeCoalitions(g, c.Selection, p)
	if err != nil {
		return nil, "", err
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sugs := CoalitionSuggestions(g, rep)
	c.Progress(2, 2, "done")
	st := rep.Structure
	return sugs, fmt.Sprintf("%d players, %d coalitions worth %s in total (merge-stable %v, split-stable %v, efficient %v)",
		len(rep.Players), len(st.Partition), st.Value.RatString(), st.MergeStable, st.SplitStable, st.Efficient), nil
}

// CoalitionSuggestions proposes each coalition of two or more players of the stable structure, and
// the Shapley values as node properties.
func CoalitionSuggestions(g *graph.Graph, rep *CoalitionReport) []agents.Suggestion {
	st := rep.Structure
	stability := []string{}
	conf := 0.5
	if st.MergeStable && st.SplitStable {
		stability = append(stability, "no two coalitions gain by merging and none gains by splitting in two (merge-and-split, "+st.Rule.String()+" rule)")
		conf = 0.8
		if !st.CSCoreEmpty {
			conf = 1
		}
	}
	if st.Efficient {
		stability = append(stability, "the structure's total worth "+st.Value.RatString()+" is the best any structure reaches")
	} else if st.OptimalValue != nil {
		stability = append(stability, "the best structure would reach "+st.OptimalValue.RatString()+" against "+st.Value.RatString())
	}
	if !st.CSCoreEmpty {
		var x []string
		for i, v := range st.CSCorePoint {
			x = append(x, rep.Players[i]+"="+v.RatString())
		}
		stability = append(stability, "the core of the structure is not empty: paying "+strings.Join(x, ", ")+
			" leaves no group of players able to do better on its own")
	} else {
		stability = append(stability, "the core of the structure is empty: some group could do better on its own")
	}
	var out []agents.Suggestion
	used := map[string]bool{}
	taken := func(id string) bool { _, ok := g.Coalition(id); return ok }
	var v big.Rat
	for k, co := range st.Partition {
		if co.Size() < 2 {
			continue
		}
		var members, shares []string
		for _, i := range co.Members() {
			members = append(members, rep.Players[i])
			shares = append(shares, rep.Players[i]+" "+rep.Shapley[i].RatString())
		}
		rep.Game.Value(&v, co)
		id := freeID(taken, used, fmt.Sprintf("coalition-%d", k))
		cmd, err := agents.Command("form_coalition", graph.FormCoalition{ID: id, Name: "Coalition of " + strings.Join(members, ", "),
			Value: v.RatString(), Members: members})
		if err != nil {
			continue
		}
		out = append(out, agents.Suggestion{
			Title: fmt.Sprintf("Coalition %s (worth %s)", strings.Join(members, ", "), v.RatString()), Confidence: conf,
			Commands: []agents.CommandSpec{cmd},
			Reasoning: "Induced-subgraph game (worth of members plus the weights of the edges among them). " +
				"This coalition is stable because " + strings.Join(stability, "; ") + ". Shapley values: " + strings.Join(shares, ", ") + ".",
		})
	}
	var props []agents.CommandSpec
	for i, id := range rep.Players {
		f, _ := rep.Shapley[i].Float64()
		if c, ok := updateNode(g, id, graph.Props{"shapley": num(f), "shapley_exact": str(rep.Shapley[i].RatString())}); ok {
			props = append(props, c)
		}
	}
	if len(props) > 0 {
		out = append(out, agents.Suggestion{Title: "Shapley values as node properties", Confidence: 1, Commands: props,
			Reasoning: "Exact Shapley values of the induced-subgraph game over the " + strconv.Itoa(len(rep.Players)) + " players."})
	}
	return out
}
