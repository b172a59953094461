package builtin

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/agents/structure"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/infoalchemist/alchemist/internal/spatial"
)

// build runs commands on a fresh in-memory graph, as the repository would.
func build(t testing.TB, cmds ...graph.Command) *graph.Graph {
	t.Helper()
	g := graph.New("g")
	seq := uint64(0)
	for _, c := range append([]graph.Command{&graph.CreateGraph{Name: "g"}}, cmds...) {
		evs, err := graph.Decide(g, c, graph.Meta{})
		if err != nil {
			t.Fatalf("%s: %v", c.Op(), err)
		}
		for i := range evs {
			seq++
			evs[i].Seq = seq
			g.Apply(&evs[i])
		}
	}
	return g
}

// applies checks that every suggestion's commands apply to g, in order, and applies them to a copy.
func applies(t *testing.T, g *graph.Graph, sugs []agents.Suggestion) {
	t.Helper()
	snap, _ := g.MarshalBinary()
	work, _ := graph.DecodeSnapshot(snap)
	for _, s := range sugs {
		if !(s.Confidence >= 0 && s.Confidence <= 1) || s.Reasoning == "" || s.Title == "" {
			t.Errorf("suggestion %q: confidence %v, reasoning %q", s.Title, s.Confidence, s.Reasoning)
		}
		cmds, err := agents.DecodeCommands(s.Commands)
		if err != nil {
			t.Fatalf("%s: %v", s.Title, err)
		}
		for _, c := range cmds {
			evs, err := graph.Decide(work, c, graph.Meta{})
			if err != nil {
				t.Fatalf("%s: %s: %v", s.Title, c.Op(), err)
			}
			for i := range evs {
				work.Apply(&evs[i])
			}
		}
	}
}

func w(x float64) *float64 { return &x }

func TestStructureFindsPlantedCommunitiesAndBridges(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const k, s = 4, 30
	var nodes []graph.Node
	truth := map[string]int32{}
	for i := range k * s {
		id := fmt.Sprintf("n%03d", i)
		nodes = append(nodes, graph.Node{ID: id})
		truth[id] = int32(i / s)
	}
	var edges []graph.EdgeInput
	for i := range k * s {
		for j := i + 1; j < k*s; j++ {
			p := 0.01
			if i/s == j/s {
				p = 0.3
			}
			if rng.Float64() < p {
				edges = append(edges, graph.EdgeInput{ID: fmt.Sprintf("e%d-%d", i, j), Source: nodes[i].ID, Target: nodes[j].ID})
			}
		}
	}
	// A pendant node: its edge is a bridge.
	nodes = append(nodes, graph.Node{ID: "tail"})
	edges = append(edges, graph.EdgeInput{ID: "tail-edge", Source: "n000", Target: "tail", Weight: w(1)})
	g := build(t, &graph.AddNodes{Nodes: nodes}, &graph.AddEdges{Edges: edges})

	rep, err := AnalyzeStructure(g, nil, StructureParams{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []int32
	for i, id := range rep.IDs {
		if id != "tail" {
			got = append(got, rep.Communities.Label[i])
			want = append(want, truth[id])
		}
	}
	if nmi := structure.NMI(got, want); nmi < 0.9 {
		t.Fatalf("NMI %.3f", nmi)
	}
	if !slices.Contains(rep.Bridges, "tail-edge") {
		t.Errorf("bridges %v", rep.Bridges)
	}
	sugs := StructureSuggestions(g, rep, StructureParams{})
	communities := 0
	for _, s := range sugs {
		if strings.HasPrefix(s.Title, "Community") {
			communities++
			if s.Commands[0].Op != "create_subgraph" || s.Confidence < 0.5 {
				t.Errorf("%s: %v %v", s.Title, s.Commands[0].Op, s.Confidence)
			}
		}
	}
	if communities != k {
		t.Errorf("%d community suggestions", communities)
	}
	applies(t, g, sugs)
}

func TestSimilarityProposesTheTrueKNN(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n, k = 80, 3
	var nodes []graph.Node
	pts := make([][]float64, n)
	for i := range n {
		pts[i] = []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		nodes = append(nodes, graph.Node{ID: fmt.Sprintf("p%02d", i), Coords: pts[i]})
	}
	// Some nearest pairs are linked already: they must not be proposed.
	linked := map[[2]string]bool{}
	var edges []graph.EdgeInput
	for i := 0; i < n; i += 7 {
		nb := spatial.BruteKNN(pts, spatial.Euclidean{}, pts[i], 2)[1]
		a, b := nodes[i].ID, nodes[nb.ID].ID
		edges = append(edges, graph.EdgeInput{ID: "l" + a, Source: b, Target: a})
		linked[pairKey(a, b)] = true
	}
	g := build(t, &graph.AddNodes{Nodes: nodes}, &graph.AddEdges{Edges: edges})
	pairs, _, err := SimilarPairs(g, nil, SimilarityParams{K: k})
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]string]bool{}
	for i := range n {
		for _, nb := range spatial.BruteKNN(pts, spatial.Euclidean{}, pts[i], k+1)[1:] {
			if key := pairKey(nodes[i].ID, nodes[nb.ID].ID); !linked[key] {
				want[key] = true
			}
		}
	}
	got := map[[2]string]bool{}
	for i, p := range pairs {
		got[pairKey(p.A, p.B)] = true
		if i > 0 && p.Distance < pairs[i-1].Distance {
			t.Fatal("not sorted by distance")
		}
		d := math.Sqrt(sqd(pts[idx(p.A)], pts[idx(p.B)]))
		if !(p.Similarity > 0 && p.Similarity <= 1) || p.Distance <= 0 || math.Abs(p.Distance/d-pairs[0].Distance/math.Sqrt(sqd(pts[idx(pairs[0].A)], pts[idx(pairs[0].B)]))) > 1e-9 {
			t.Fatalf("pair %+v: euclidean %v", p, d)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d pairs proposed, %d true unlinked kNN pairs", len(got), len(want))
	}
	for key := range want {
		if !got[key] {
			t.Fatalf("missing kNN pair %v", key)
		}
	}
	// Through the agent's suggestions: one add_edges per pair, confidence the similarity.
	sugs := suggestionsOf(t, g, runSimilarity, map[string]any{"k": k, "max": 1000})
	if len(sugs) != len(want) {
		t.Fatalf("%d suggestions", len(sugs))
	}
	applies(t, g, sugs)
}

func idx(id string) int {
	var i int
	fmt.Sscanf(id, "p%d", &i)
	return i
}

func sqd(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return s
}

// suggestionsOf runs an agent's analysis as its handler would, without NATS.
func suggestionsOf(t *testing.T, g *graph.Graph, run func(context.Context, *graph.Graph, *agents.Call) ([]agents.Suggestion, string, error), params any) []agents.Suggestion {
	t.Helper()
	raw, _ := json.Marshal(params)
	c := agents.NewCall(agents.Request{RequestID: "r", GraphID: g.ID(), Params: raw})
	sugs, _, err := run(context.Background(), g, c)
	if err != nil {
		t.Fatal(err)
	}
	return sugs
}

func TestCategoriesInAConceptualSpace(t *testing.T) {
	def := json.RawMessage(`{"domains":[{"name":"colour","dimensions":[{"name":"hue","kind":"continuous"},{"name":"light","kind":"continuous"}]}]}`)
	rng := rand.New(rand.NewPCG(7, 7))
	centres := [][2]float64{{0, 0}, {10, 0}, {5, 9}}
	var nodes []graph.Node
	var pts []graph.NodePoint
	truth := map[string]int32{}
	for c, ctr := range centres {
		for i := range 20 {
			id := fmt.Sprintf("c%d-%02d", c, i)
			nodes = append(nodes, graph.Node{ID: id})
			pts = append(pts, graph.NodePoint{ID: id, Coordinates: graph.Coordinates{
				"hue": ctr[0] + rng.NormFloat64(), "light": ctr[1] + rng.NormFloat64()}})
			truth[id] = int32(c)
		}
	}
	g := build(t, &graph.AddNodes{Nodes: nodes}, &graph.DefineSpace{ID: "colours", Definition: def},
		&graph.SetCoordinates{Space: "colours", Points: pts})
	cat, err := FindCategories(g, nil, CategoriesParams{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []int32
	for i, id := range cat.IDs {
		got = append(got, int32(cat.Clustering.Labels[i]))
		want = append(want, truth[id])
	}
	if cat.Clustering.K() != 3 || structure.NMI(got, want) < 0.999 {
		t.Fatalf("k=%d NMI %.3f", cat.Clustering.K(), structure.NMI(got, want))
	}
	sugs := CategorySuggestions(g, cat)
	if len(sugs) != 3 {
		t.Fatalf("%d suggestions", len(sugs))
	}
	for _, s := range sugs {
		ops := []string{}
		for _, c := range s.Commands {
			ops = append(ops, c.Op)
		}
		if ops[0] != "create_subgraph" || ops[len(ops)-1] != "add_prototype" || len(ops) != 22 || s.Confidence < 0.75 {
			t.Errorf("%s: %v confidence %.2f", s.Title, ops, s.Confidence)
		}
	}
	applies(t, g, sugs)
	// DBSCAN finds the same three blobs.
	db, err := FindCategories(g, nil, CategoriesParams{Method: "dbscan", Eps: 2.5, MinPoints: 4})
	if err != nil {
		t.Fatal(err)
	}
	if db.Clustering.K() != 3 {
		t.Errorf("dbscan: %d clusters", db.Clustering.K())
	}
}

func TestCoalitionsOfRivalTriangles(t *testing.T) {
	// Two friendly triangles (edges +2), rivals across (edges −3): each triangle is a coalition.
	players := []string{"a", "b", "c", "x", "y", "z"}
	var nodes []graph.Node
	var cmds []graph.Command
	for i, id := range players {
		nodes = append(nodes, graph.Node{ID: id, Props: graph.Props{"worth": json.RawMessage(fmt.Sprint(i + 1))}})
	}
	nodes = append(nodes, graph.Node{ID: "bystander"}) // no strategy: not a player
	cmds = append(cmds, &graph.AddNodes{Nodes: nodes})
	for i, id := range players {
		cmds = append(cmds, &graph.SetStrategy{ID: id, Strategy: &graph.Strategy{Player: i, Names: []string{"cooperate", "defect"}}})
	}
	var edges []graph.EdgeInput
	friends := [][2]string{{"a", "b"}, {"b", "c"}, {"c", "a"}, {"x", "y"}, {"y", "z"}, {"z", "x"}}
	for _, f := range friends {
		edges = append(edges, graph.EdgeInput{ID: f[0] + f[1], Source: f[0], Target: f[1], Weight: w(2)})
	}
	for _, r := range [][2]string{{"a", "x"}, {"b", "y"}, {"c", "z"}} {
		edges = append(edges, graph.EdgeInput{ID: r[0] + r[1], Source: r[0], Target: r[1], Weight: w(-3)})
	}
	edges = append(edges, graph.EdgeInput{ID: "side", Source: "a", Target: "bystander", Weight: w(100)})
	cmds = append(cmds, &graph.AddEdges{Edges: edges})
	g := build(t, cmds...)

	rep, err := AnalyzeCoalitions(g, nil, CoalitionParams{})
	if err != nil {
		t.Fatal(err)
	}
	// Closed form of the induced-subgraph game: φᵢ = worthᵢ + ½ Σ incident weights among players.
	for i, id := range rep.Players {
		want := new(big.Rat).SetInt64(int64(slices.Index(players, id) + 1))
		for _, e := range edges {
			if (e.Source == id || e.Target == id) && e.ID != "side" {
				want.Add(want, new(big.Rat).SetFrac64(int64(*e.Weight), 2))
			}
		}
		if rep.Shapley[i].Cmp(want) != 0 {
			t.Errorf("φ(%s) = %s, want %s", id, rep.Shapley[i].RatString(), want.RatString())
		}
	}
	st := rep.Structure
	if len(st.Partition) != 2 || !st.MergeStable || !st.SplitStable || !st.Efficient {
		t.Fatalf("structure %+v", st)
	}
	sugs := CoalitionSuggestions(g, rep)
	var formed []string
	for _, s := range sugs {
		if s.Commands[0].Op == "form_coalition" {
			var fc graph.FormCoalition
			json.Unmarshal(s.Commands[0].Args, &fc)
			formed = append(formed, strings.Join(fc.Members, ",")+"="+fc.Value)
			if !strings.Contains(s.Reasoning, "no two coalitions gain by merging") || s.Confidence < 0.8 {
				t.Errorf("reasoning %q confidence %v", s.Reasoning, s.Confidence)
			}
		}
	}
	slices.Sort(formed)
	// worth a+b+c = 6 plus three +2 edges; x+y+z = 15 plus 6.
	if strings.Join(formed, " ") != "a,b,c=12 x,y,z=21" {
		t.Errorf("coalitions %v", formed)
	}
	applies(t, g, sugs)
}

func TestBuiltinAgentsOverNATS(t *testing.T) {
	emb, nc := natstest.Start(t)
	ctx := context.Background()
	repo, _, err := esjs.OpenRepository(ctx, nc, esjs.RepoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	anc, _ := emb.Connect()
	defer anc.Close()
	for _, name := range Names() {
		in, err := Start(anc, repo, name, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Stop()
	}
	infos, _ := agents.Discover(ctx, nc, 300*time.Millisecond)
	if len(infos) != 4 {
		t.Fatalf("discovered %+v", infos)
	}
	exec := func(c graph.Command) uint64 {
		r, err := repo.Execute(ctx, "g", c, graph.Meta{}, eventstoreOpts)
		if err != nil {
			t.Fatal(err)
		}
		return r.Version
	}
	exec(&graph.CreateGraph{Name: "g"})
	var nodes []graph.Node
	for i := range 12 {
		nodes = append(nodes, graph.Node{ID: fmt.Sprintf("n%d", i), Coords: []float64{float64(i % 3), float64(i / 3)}})
	}
	exec(&graph.AddNodes{Nodes: nodes})
	var edges []graph.EdgeInput
	for i := range 12 {
		for j := i + 1; j < 12; j++ {
			if i/4 == j/4 {
				edges = append(edges, graph.EdgeInput{ID: fmt.Sprintf("e%d-%d", i, j), Source: nodes[i].ID, Target: nodes[j].ID})
			}
		}
	}
	edges = append(edges, graph.EdgeInput{ID: "x1", Source: "n0", Target: "n4"}, graph.EdgeInput{ID: "x2", Source: "n4", Target: "n8"})
	v := exec(&graph.AddEdges{Edges: edges})

	client := agents.NewClient(nc)
	sg := agents.NewSuggestions(repo)
	for _, name := range []string{"structure", "similarity", "categories"} {
		progress := 0
		res, err := client.Ask(ctx, name, agents.Request{GraphID: "g", Version: v}, func(agents.Progress) { progress++ })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(res.Suggestions) == 0 || progress == 0 || res.Summary == "" {
			t.Fatalf("%s: %+v (%d progress)", name, res, progress)
		}
		id, err := sg.Propose(ctx, "g", res.Suggestions[0], "test")
		if err != nil {
			t.Fatalf("%s: propose: %v", name, err)
		}
		if _, err := sg.Accept(ctx, "g", id, "test"); err != nil {
			t.Fatalf("%s: accept %q: %v", name, res.Suggestions[0].Title, err)
		}
		v, _ = repo.Store().LastVersion(ctx, "g")
	}
	// No player nodes: a clear error from the coalitions agent.
	if _, err := client.Ask(ctx, "coalitions", agents.Request{GraphID: "g"}, nil); !strings.Contains(fmt.Sprint(err), "need at least 2") {
		t.Errorf("coalitions without players: %v", err)
	}
}

var eventstoreOpts = eventstore.ExecOptions{}
