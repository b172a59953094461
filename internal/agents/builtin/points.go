package builtin

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/conceptual"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// pointSet is the nodes placed in a conceptual space, with the space's metric.
type pointSet struct {
	spaceID string // "" for the nodes' plain coords
	space   *conceptual.Space
	ids     []string
	pts     [][]float64
	missing bool // some coordinate is missing (NaN)
}

// points collects the nodes' points: in conceptual space spaceID when given; otherwise the nodes'
// coords (those of the most common dimension), or, when no node has coords, the graph's first
// space. Plain coords get a space of one domain of continuous dimensions: a Euclidean metric.
func points(g *graph.Graph, spaceID string, sel []string) (*pointSet, error) {
	in := selected(sel)
	if spaceID == "" {
		if ps := coordPoints(g, in); ps != nil {
			return ps, nil
		}
		spaces := g.Spaces()
		if len(spaces) == 0 {
			return nil, agents.Errorf(agents.CodeInvalid, "graph %s has no conceptual space and no node has coords", g.ID())
		}
		spaceID = spaces[0].ID
	}
	sp, ok := g.Space(spaceID)
	if !ok {
		return nil, agents.Errorf(agents.CodeInvalid, "graph %s has no conceptual space %q", g.ID(), spaceID)
	}
	var def conceptual.SpaceDefinition
	if err := json.Unmarshal(sp.Definition, &def); err != nil {
		return nil, agents.Errorf(agents.CodeInvalid, "space %s: %v", spaceID, err)
	}
	s, err := conceptual.Compile(def)
	if err != nil {
		return nil, agents.Errorf(agents.CodeInvalid, "space %s: %v", spaceID, err)
	}
	ps := &pointSet{spaceID: spaceID, space: s}
	for id, v := range g.SpacePoints(spaceID) {
		if in != nil && !in[id] {
			continue
		}
		if len(v) != s.Dims() {
			return nil, agents.Errorf(agents.CodeInternal, "space %s: %d dimensions recorded, %d compiled", spaceID, len(v), s.Dims())
		}
		ps.ids = append(ps.ids, id)
		ps.pts = append(ps.pts, slices.Clone(v))
		ps.missing = ps.missing || slices.ContainsFunc(v, math.IsNaN)
	}
	return ps, nil
}

func coordPoints(g *graph.Graph, in map[string]bool) *pointSet {
	count := map[int]int{}
	for n := range g.Nodes() {
		if len(n.Coords) > 0 && (in == nil || in[n.ID]) {
			count[len(n.Coords)]++
		}
	}
	dim, best := 0, 0
	for d, c := range count {
		if c > best || (c == best && d < dim) {
			dim, best = d, c
		}
	}
	if dim == 0 {
		return nil
	}
	def := conceptual.SpaceDefinition{Domains: []conceptual.DomainDef{{Name: "coords", Weight: 1}}}
	for k := range dim {
		def.Domains[0].Dimensions = append(def.Domains[0].Dimensions,
			conceptual.DimensionDef{Name: fmt.Sprintf("x%d", k), Weight: 1, Kind: conceptual.Continuous})
	}
	s, err := conceptual.Compile(def)
	if err != nil {
		return nil
	}
	ps := &pointSet{space: s}
	for n := range g.Nodes() {
		if len(n.Coords) == dim && (in == nil || in[n.ID]) {
			ps.ids = append(ps.ids, n.ID)
			ps.pts = append(ps.pts, slices.Clone(n.Coords))
		}
	}
	return ps
}

// where names the points' origin for reasoning texts.
func (ps *pointSet) where() string {
	if ps.spaceID == "" {
		return "the nodes' coordinates (Euclidean, dimensions weighted equally)"
	}
	return "conceptual space " + ps.spaceID
}
