package builtin

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/agents/structure"
	"github.com/infoalchemist/alchemist/internal/graph"
)

var structureAgent = analysis{
	description: "classic graph analysis: Louvain communities, PageRank, betweenness, bridges",
	capabilities: agents.Capabilities{
		Analyses: []string{"communities", "pagerank", "betweenness", "bridges"},
		Suggests: []string{"create_subgraph", "update_node", "update_edge"},
		Params:   []string{"resolution", "min_size", "seed", "damping", "samples"},
	},
	maxNodes: 200_000,
	run:      runStructure,
}

// StructureParams are the structure agent's parameters.
type StructureParams struct {
	Resolution float64 `json:"resolution"` // modularity resolution γ; default 1
	MinSize    int     `json:"min_size"`   // smallest community proposed as a subgraph; default 3
	Seed       uint64  `json:"seed"`
	Damping    float64 `json:"damping"` // PageRank damping; default 0.85
	// Samples bounds the betweenness sources (Brandes–Pich estimate); 0: exact up to 5,000 nodes,
	// 256 sources above.
	Samples int `json:"samples"`
}

// StructureReport is the structure analysis of a graph (or of the subgraph its selection induces).
type StructureReport struct {
	IDs         []string // node ids, index = position in the arrays below
	Communities structure.Communities
	PageRank    []float64
	Betweenness []float64
	Exact       bool     // betweenness from every source
	Bridges     []string // edge ids of cut edges
	Brokers     []string // nodes that join communities and carry the most shortest paths
	csr         *structure.Graph
	edgeIDs     []string
}

// AnalyzeStructure runs the analyses. Edges with a non-positive weight count with weight 0 (left
// out): modularity and PageRank need positive weights.
func AnalyzeStructure(g *graph.Graph, sel []string, p StructureParams) (*StructureReport, error) {
	in := selected(sel)
	rep := &StructureReport{}
	index := map[string]int32{}
	for n := range g.Nodes() {
		if in == nil || in[n.ID] {
			index[n.ID] = int32(len(rep.IDs))
			rep.IDs = append(rep.IDs, n.ID)
		}
	}
	var edges []structure.Edge
	for e := range g.Edges() {
		s, ok1 := index[e.Source]
		t, ok2 := index[e.Target]
		if !ok1 || !ok2 || !(e.Weight > 0) || math.IsInf(e.Weight, 0) {
			continue
		}
		edges = append(edges, structure.Edge{From: s, To: t, Weight: e.Weight})
		rep.edgeIDs = append(rep.edgeIDs, e.ID)
	}
	csr, err := structure.Build(len(rep.IDs), edges)
	if err != nil {
		return nil, agents.Errorf(agents.CodeInvalid, "%v", err)
	}
	rep.csr = csr
	rep.Communities = structure.Louvain(csr, structure.LouvainOptions{Resolution: p.Resolution, Seed: p.Seed})
	damp := p.Damping
	if damp == 0 {
		damp = 0.85
	}
	if damp <= 0 || damp >= 1 {
		return nil, agents.Errorf(agents.CodeInvalid, "damping %v is not in (0, 1)", damp)
	}
	rep.PageRank = structure.PageRank(csr, damp, 1e-10, 200)
	samples := p.Samples
	if samples == 0 && csr.N > 5000 {
		samples = 256
	}
	rep.Exact = samples <= 0 || samples >= csr.N
	rep.Betweenness = structure.Betweenness(csr, samples, p.Seed)
	for _, id := range structure.Bridges(csr) {
		rep.Bridges = append(rep.Bridges, rep.edgeIDs[id])
	}
	slices.Sort(rep.Bridges)
	rep.Brokers = brokers(csr, rep.Communities.Label, rep.Betweenness, rep.IDs)
	return rep, nil
}

// brokers are the nodes adjacent to another community whose betweenness is in the top 5% (at least
// one): the bridges between communities that the structure agent highlights.
func brokers(g *structure.Graph, label []int32, bc []float64, ids []string) []string {
	if g.N == 0 {
		return nil
	}
	sorted := slices.Clone(bc)
	slices.Sort(sorted)
	cut := sorted[len(sorted)-1-len(sorted)/20]
	var out []string
	for u := range g.N {
		if bc[u] <= 0 || bc[u] < cut {
			continue
		}
		for e := g.Off[u]; e < g.Off[u+1]; e++ {
			if label[g.Adj[e]] != label[u] {
				out = append(out, ids[u])
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

func runStructure(ctx context.Context, g *graph.Graph, c *agents.Call) ([]agents.Suggestion, string, error) {
	var p StructureParams
	if err := c.Params(&p); err != nil {
		return nil, "", err
	}
	c.Progress(0, 3, "communities, PageRank, betweenness")
	rep, err := AnalyzeStructure(g, c.Selection, p)
	if err != nil {
		return nil, "", err
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	c.Progress(1, 3, fmt.Sprintf("%d communities, modularity %.3f", rep.Communities.Count, rep.Communities.Modularity))
	sugs := StructureSuggestions(g, rep, p)
	c.Progress(3, 3, "done")
	return sugs, fmt.Sprintf("%d nodes: %d communities (modularity %.3f), %d bridges, %d brokers",
		len(rep.IDs), rep.Communities.Count, rep.Communities.Modularity, len(rep.Bridges), len(rep.Brokers)), nil
}

// StructureSuggestions turns a report into suggestions: one per community (a subgraph and a
// community property on its members), the centralities as node properties, and the bridges.
func StructureSuggestions(g *graph.Graph, rep *StructureReport, p StructureParams) []agents.Suggestion {
	minSize := p.MinSize
	if minSize <= 0 {
		minSize = 3
	}
	cm := rep.Communities
	members := make([][]int, cm.Count)
	for u, l := range cm.Label {
		members[l] = append(members[l], u)
	}
	vol := make([]float64, cm.Count)
	cut := make([]float64, cm.Count)
	total := 0.0
	csr := rep.csr
	for u := range csr.N {
		d := csr.Degree(u)
		vol[cm.Label[u]] += d
		total += d
		for e := csr.Off[u]; e < csr.Off[u+1]; e++ {
			if cm.Label[csr.Adj[e]] != cm.Label[u] {
				cut[cm.Label[u]] += csr.W[e]
			}
		}
	}
	var out []agents.Suggestion
	used := map[string]bool{}
	taken := func(id string) bool { _, ok := g.Subgraph(id); return ok }
	for k, ms := range members {
		if len(ms) < minSize {
			continue
		}
		// Conductance φ = cut / min(vol, 2m − vol) (Kannan, Vempala & Vetta, JACM 2004): low for a
		// well-separated community; the confidence is 1 − φ.
		den := min(vol[k], total-vol[k])
		phi := 1.0
		if den > 0 {
			phi = cut[k] / den
		}
		sgID := freeID(taken, used, fmt.Sprintf("community-%d", k))
		nodes := make([]string, len(ms))
		for i, u := range ms {
			nodes[i] = rep.IDs[u]
		}
		create, err := agents.Command("create_subgraph", graph.CreateSubgraph{ID: sgID, Name: fmt.Sprintf("Community %d", k), Nodes: nodes})
		if err != nil {
			continue
		}
		cmds := []agents.CommandSpec{create}
		for _, id := range nodes {
			if c, ok := updateNode(g, id, graph.Props{"community": num(float64(k))}); ok {
				cmds = append(cmds, c)
			}
		}
		reason := fmt.Sprintf("Louvain modularity communities (γ=%g): this one has %d nodes, internal weight %.3g, "+
			"boundary weight %.3g, conductance %.3f; the partition's modularity is %.3f.",
			orOne(p.Resolution), len(ms), (vol[k]-cut[k])/2, cut[k], phi, cm.Modularity)
		out = append(out, chunks(cmds, func(part, parts int, cs []agents.CommandSpec) agents.Suggestion {
			title := fmt.Sprintf("Community %d (%d nodes)", k, len(ms))
			if parts > 1 {
				title += fmt.Sprintf(", part %d of %d", part, parts)
			}
			return agents.Suggestion{Title: title, Confidence: clamp01(1 - phi), Reasoning: reason, Commands: cs}
		})...)
	}
	var cent []agents.CommandSpec
	for u, id := range rep.IDs {
		if c, ok := updateNode(g, id, graph.Props{"pagerank": num(rep.PageRank[u]), "betweenness": num(rep.Betweenness[u])}); ok {
			cent = append(cent, c)
		}
	}
	conf, how := 1.0, "exact (Brandes)"
	if !rep.Exact {
		conf, how = 0.8, "estimated from sampled sources (Brandes–Pich)"
	}
	out = append(out, chunks(cent, func(part, parts int, cs []agents.CommandSpec) agents.Suggestion {
		return agents.Suggestion{Title: fmt.Sprintf("PageRank and betweenness as node properties (%d/%d)", part, parts),
			Confidence: conf, Commands: cs,
			Reasoning: "PageRank: weighted, damping " + fmt.Sprint(orDamp(p.Damping)) + ". Betweenness: shortest paths by hops, " + how + "."}
	})...)
	var br []agents.CommandSpec
	for _, id := range rep.Bridges {
		if c, ok := updateEdge(g, id, graph.Props{"bridge": []byte("true")}); ok {
			br = append(br, c)
		}
	}
	for _, id := range rep.Brokers {
		if c, ok := updateNode(g, id, graph.Props{"broker": []byte("true")}); ok {
			br = append(br, c)
		}
	}
	out = append(out, chunks(br, func(part, parts int, cs []agents.CommandSpec) agents.Suggestion {
		return agents.Suggestion{Title: fmt.Sprintf("Bridges: %d cut edges, %d broker nodes", len(rep.Bridges), len(rep.Brokers)),
			Confidence: 1, Commands: cs,
			Reasoning: "Cut edges disconnect the graph when removed (Tarjan). Brokers touch another community and are in " +
				"the top 5% by betweenness: they carry the shortest paths between communities."}
	})...)
	return out
}

func orOne(x float64) float64 {
	if x == 0 {
		return 1
	}
	return x
}

func orDamp(x float64) float64 {
	if x == 0 {
		return 0.85
	}
	return x
}
