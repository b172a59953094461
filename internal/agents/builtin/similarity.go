package builtin

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/spatial"
)

var similarityAgent = analysis{
	description: "proposes edges between unconnected nodes that are near in conceptual space (kNN)",
	capabilities: agents.Capabilities{
		Analyses: []string{"knn", "similarity"},
		Suggests: []string{"add_edges"},
		Params:   []string{"space", "k", "max", "kind"},
	},
	maxNodes: 200_000,
	run:      runSimilarity,
}

// SimilarityParams are the similarity agent's parameters.
type SimilarityParams struct {
	Space string `json:"space"` // conceptual space id; "": the nodes' coords (or the first space)
	K     int    `json:"k"`     // neighbours per node; default 5
	Max   int    `json:"max"`   // suggestions at most, most similar first; default 200
	Kind  string `json:"kind"`  // kind of the proposed edges; default "similar"
}

// Pair is a proposed link between two near nodes.
type Pair struct {
	A, B       string
	Distance   float64
	Similarity float64
}

// SimilarPairs finds, for every node of the selection (all nodes when empty), its k nearest
// neighbours in the space, and returns the pairs not yet linked by an edge in either direction, each
// unordered pair once, most similar first. Similarity is exp(−d/d₀), Shepard's exponential law of
// generalisation ("Toward a universal law of generalization for psychological science", Science
// 1987) with d₀ the median neighbour distance, so that a typical neighbour scores 1/e.
func SimilarPairs(g *graph.Graph, sel []string, p SimilarityParams) ([]Pair, string, error) {
	k := p.K
	if k == 0 {
		k = 5
	}
	if k < 0 || k > 100 {
		return nil, "", agents.Errorf(agents.CodeInvalid, "k %d is not in 1..100", k)
	}
	ps, err := points(g, p.Space, nil)
	if err != nil {
		return nil, "", err
	}
	if len(ps.pts) < 2 {
		return nil, ps.where(), nil
	}
	query := selected(sel)
	var tree *spatial.KDTree
	if !ps.missing {
		if tree, err = spatial.NewKDTree(ps.pts, ps.space); err != nil {
			return nil, "", agents.Errorf(agents.CodeInternal, "k-d tree: %v", err)
		}
	}
	linked := map[[2]string]bool{}
	for e := range g.Edges() {
		linked[pairKey(e.Source, e.Target)] = true
	}
	found := map[[2]string]float64{}
	var nb []spatial.Neighbor
	var dists []float64
	for i, id := range ps.ids {
		if query != nil && !query[id] {
			continue
		}
		if tree != nil {
			nb = tree.KNN(ps.pts[i], k+1, nb)
		} else {
			// Missing coordinates break the tree's axis bounds: scan instead (the conceptual metric
			// handles missing values).
			nb = spatial.BruteKNN(ps.pts, ps.space, ps.pts[i], k+1)
		}
		taken := 0
		for _, n := range nb {
			if n.ID == i || taken == k {
				continue
			}
			taken++
			dists = append(dists, n.Dist)
			key := pairKey(id, ps.ids[n.ID])
			if !linked[key] {
				found[key] = n.Dist
			}
		}
	}
	d0 := median(dists)
	out := make([]Pair, 0, len(found))
	for key, d := range found {
		s := 1.0
		if d0 > 0 {
			s = math.Exp(-d / d0)
		}
		out = append(out, Pair{A: key[0], B: key[1], Distance: d, Similarity: s})
	}
	slices.SortFunc(out, func(a, b Pair) int {
		if a.Distance != b.Distance {
			if a.Distance < b.Distance {
				return -1
			}
			return 1
		}
		return strings.Compare(a.A+"\x00"+a.B, b.A+"\x00"+b.B)
	})
	return out, fmt.Sprintf("%s, k=%d, d₀=%.4g", ps.where(), k, d0), nil
}

func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := slices.Clone(x)
	slices.Sort(s)
	return s[len(s)/2]
}

func runSimilarity(ctx context.Context, g *graph.Graph, c *agents.Call) ([]agents.Suggestion, string, error) {
	var p SimilarityParams
	if err := c.Params(&p); err != nil {
		return nil, "", err
	}
	c.Progress(0, 2, "nearest neighbours")
	pairs, how, err := SimilarPairs(g, c.Selection, p)
	if err != nil {
		return nil, "", err
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	max := p.Max
	if max <= 0 {
		max = 200
	}
	kind := p.Kind
	if kind == "" {
		kind = "similar"
	}
	used := map[string]bool{}
	var out []agents.Suggestion
	for _, pr := range pairs[:min(len(pairs), max)] {
		w := pr.Similarity
		id := freeID(g.HasEdge, used, "sim-"+pr.A+"-"+pr.B)
		cmd, err := agents.Command("add_edges", graph.AddEdges{Edges: []graph.EdgeInput{{ID: id, Source: pr.A, Target: pr.B, Kind: kind, Weight: &w,
			Props: graph.Props{"similarity": num(pr.Similarity), "distance": num(pr.Distance)}}}})
		if err != nil {
			continue
		}
		out = append(out, agents.Suggestion{
			Title:      fmt.Sprintf("Link %s and %s (similarity %.2f)", pr.A, pr.B, pr.Similarity),
			Confidence: clamp01(pr.Similarity), Commands: []agents.CommandSpec{cmd},
			Reasoning: fmt.Sprintf("One of %s and %s is among the other's nearest neighbours in %s (distance %.4g), and no edge links them.",
				pr.A, pr.B, how, pr.Distance),
		})
	}
	c.Progress(2, 2, "done")
	return out, fmt.Sprintf("%d unlinked near pairs (%s); %d proposed", len(pairs), how, len(out)), nil
}
