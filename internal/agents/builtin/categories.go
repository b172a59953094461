package builtin

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/conceptual"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/spatial"
)

var categoriesAgent = analysis{
	description: "detects categories by clustering in conceptual space and proposes subgraphs, tags and prototypes",
	capabilities: agents.Capabilities{
		Analyses: []string{"kmeans", "dbscan", "silhouette"},
		Suggests: []string{"create_subgraph", "update_node", "add_prototype"},
		Params:   []string{"space", "method", "k", "k_max", "eps", "min_points", "seed"},
	},
	maxNodes: 50_000,
	run:      runCategories,
}

// CategoriesParams are the categories agent's parameters.
type CategoriesParams struct {
	Space     string  `json:"space"`
	Method    string  `json:"method"` // "kmeans" (default) or "dbscan"
	K         int     `json:"k"`      // k-means clusters; 0: chosen by silhouette in 2..k_max
	KMax      int     `json:"k_max"`  // default 8
	Eps       float64 `json:"eps"`    // DBSCAN radius
	MinPoints int     `json:"min_points"`
	Seed      uint64  `json:"seed"`
}

// Categories is a clustering of the nodes that have points.
type Categories struct {
	IDs        []string
	Clustering *conceptual.Clustering
	Silhouette []float64 // mean silhouette per cluster
	Overall    float64
	How        string
	points     *pointSet
}

// FindCategories clusters the nodes' points: k-means with k-means++ seeding (k chosen by the mean
// silhouette, Rousseeuw 1987, when not given) or DBSCAN, under the conceptual metric.
func FindCategories(g *graph.Graph, sel []string, p CategoriesParams) (*Categories, error) {
	ps, err := points(g, p.Space, sel)
	if err != nil {
		return nil, err
	}
	if len(ps.pts) < 3 {
		return nil, agents.Errorf(agents.CodeInvalid, "%d nodes have points in %s: too few to find categories", len(ps.pts), ps.where())
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x5851f42d4c957f2d))
	out := &Categories{IDs: ps.ids, points: ps}
	switch p.Method {
	case "", "kmeans":
		if p.K > 0 {
			if out.Clustering, err = ps.space.KMeans(ps.pts, conceptual.KMeansOptions{K: p.K, Rand: rng}); err != nil {
				return nil, agents.Errorf(agents.CodeInvalid, "k-means: %v", err)
			}
			out.How = fmt.Sprintf("k-means, k=%d, in %s", p.K, ps.where())
		} else {
			kMax := p.KMax
			if kMax == 0 {
				kMax = 8
			}
			auto, err := ps.space.AutoK(ps.pts, 2, kMax, rng)
			if err != nil {
				return nil, agents.Errorf(agents.CodeInvalid, "k-means: %v", err)
			}
			out.Clustering = auto.Best
			out.How = fmt.Sprintf("k-means in %s, k=%d chosen by silhouette among 2..%d", ps.where(), auto.K, kMax)
		}
	case "dbscan":
		if !(p.Eps > 0) || p.MinPoints <= 0 {
			return nil, agents.Errorf(agents.CodeInvalid, "dbscan needs eps > 0 and min_points > 0")
		}
		opt := conceptual.DBSCANOptions{Eps: p.Eps, MinPts: p.MinPoints}
		if !ps.missing {
			tree, err := spatial.NewKDTree(ps.pts, ps.space)
			if err == nil {
				var nb []spatial.Neighbor
				opt.Neighbors = func(i int, dst []int) []int {
					nb = tree.Radius(ps.pts[i], p.Eps, nb)
					for _, n := range nb {
						dst = append(dst, n.ID)
					}
					return dst
				}
			}
		}
		if out.Clustering, err = ps.space.DBSCAN(ps.pts, opt); err != nil {
			return nil, agents.Errorf(agents.CodeInvalid, "dbscan: %v", err)
		}
		out.How = fmt.Sprintf("DBSCAN, eps=%g, min_points=%d, in %s", p.Eps, p.MinPoints, ps.where())
	default:
		return nil, agents.Errorf(agents.CodeInvalid, "method %q: want kmeans or dbscan", p.Method)
	}
	out.Silhouette, out.Overall = clusterSilhouettes(ps, out.Clustering.Labels, out.Clustering.K())
	return out, nil
}

// clusterSilhouettes is the mean silhouette of each cluster and overall (noise left out).
func clusterSilhouettes(ps *pointSet, labels []int, k int) ([]float64, float64) {
	sum := make([]float64, k)
	cnt := make([]int, k)
	total, n := 0.0, 0
	dist := make([]float64, k)
	size := make([]int, k)
	for _, l := range labels {
		if l >= 0 {
			size[l]++
		}
	}
	for i, li := range labels {
		if li < 0 {
			continue
		}
		clear(dist)
		for j, lj := range labels {
			if j != i && lj >= 0 {
				dist[lj] += ps.space.Distance(ps.pts[i], ps.pts[j])
			}
		}
		s := 0.0
		if size[li] > 1 {
			a := dist[li] / float64(size[li]-1)
			b := -1.0
			for c := range k {
				if c != li && size[c] > 0 {
					if m := dist[c] / float64(size[c]); b < 0 || m < b {
						b = m
					}
				}
			}
			if b >= 0 && max(a, b) > 0 {
				s = (b - a) / max(a, b)
			}
		}
		sum[li] += s
		cnt[li]++
		total += s
		n++
	}
	for c := range sum {
		if cnt[c] > 0 {
			sum[c] /= float64(cnt[c])
		}
	}
	if n > 0 {
		total /= float64(n)
	}
	return sum, total
}

func runCategories(ctx context.Context, g *graph.Graph, c *agents.Call) ([]agents.Suggestion, string, error) {
	var p CategoriesParams
	if err := c.Params(&p); err != nil {
		return nil, "", err
	}
	c.Progress(0, 2, "clustering")
	cat, err := FindCategories(g, c.Selection, p)
	if err != nil {
		return nil, "", err
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sugs := CategorySuggestions(g, cat)
	c.Progress(2, 2, "done")
	return sugs, fmt.Sprintf("%d categories by %s, mean silhouette %.3f", cat.Clustering.K(), cat.How, cat.Overall), nil
}

// CategorySuggestions proposes one suggestion per category: a subgraph of its members, a category
// property on them and, in a conceptual space, the category's centre as a prototype. Confidence is
// the category's mean silhouette mapped from [−1, 1] to [0, 1].
func CategorySuggestions(g *graph.Graph, cat *Categories) []agents.Suggestion {
	k := cat.Clustering.K()
	members := make([][]string, k)
	for i, l := range cat.Clustering.Labels {
		if l >= 0 {
			members[l] = append(members[l], cat.IDs[i])
		}
	}
	used := map[string]bool{}
	taken := func(id string) bool { _, ok := g.Subgraph(id); return ok }
	var out []agents.Suggestion
	for c, ms := range members {
		if len(ms) == 0 {
			continue
		}
		sgID := freeID(taken, used, fmt.Sprintf("category-%d", c))
		create, err := agents.Command("create_subgraph", graph.CreateSubgraph{ID: sgID, Name: fmt.Sprintf("Category %d", c), Nodes: ms})
		if err != nil {
			continue
		}
		cmds := []agents.CommandSpec{create}
		for _, id := range ms {
			if cmd, ok := updateNode(g, id, graph.Props{"category": str(sgID)}); ok {
				cmds = append(cmds, cmd)
			}
		}
		if ps := cat.points; ps.spaceID != "" && hasNoPrototype(g, ps.spaceID, sgID) {
			proto := graph.AddPrototype{Space: ps.spaceID, Prototype: graph.Prototype{Name: sgID,
				Point: graph.Coordinates(ps.space.Coordinates(cat.Clustering.Centers[c])), Source: "categories"}}
			if cmd, err := agents.Command("add_prototype", proto); err == nil {
				cmds = append(cmds, cmd)
			}
		}
		reason := fmt.Sprintf("%s: %d nodes; mean silhouette %.3f (1: well inside its category, 0: on a border).",
			cat.How, len(ms), cat.Silhouette[c])
		out = append(out, chunks(cmds, func(part, parts int, cs []agents.CommandSpec) agents.Suggestion {
			title := fmt.Sprintf("Category %d (%d nodes)", c, len(ms))
			if parts > 1 {
				title += fmt.Sprintf(", part %d of %d", part, parts)
			}
			return agents.Suggestion{Title: title, Confidence: clamp01((cat.Silhouette[c] + 1) / 2), Reasoning: reason, Commands: cs}
		})...)
	}
	return out
}

func hasNoPrototype(g *graph.Graph, space, name string) bool {
	for _, p := range g.Prototypes(space) {
		if p.Name == name {
			return false
		}
	}
	return true
}
