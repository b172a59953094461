package graph

import (
	"encoding/json"
	"iter"
	"maps"
	"slices"
)

// Components: conceptual spaces with node coordinates and prototypes (issue 5), and the game-theory
// components strategy, utility and coalition (issue 6). The value types mirror
// conceptual.Coordinates, conceptual.Prototype, game.Strategy and game.Utility field for field and
// JSON key for key (the graph package may not import those engines; internal/components converts
// and its tests hold the mirrors equal).

// Coordinates is a point of a conceptual space by dimension name; an absent dimension is a missing
// value.
type Coordinates map[string]float64

// Prototype is a named point of a space: the centre of a category.
type Prototype struct {
	Name   string      `json:"name"`
	Point  Coordinates `json:"point"`
	Source string      `json:"source,omitempty"` // e.g. "kmeans", "dbscan", "user"
}

// Space is a conceptual space defined on the graph. Definition is the conceptual.SpaceDefinition
// JSON as recorded; Dimensions are its dimension names in flat order (domain by domain, as
// conceptual.Compile lays them out), the order of the vectors [Graph.SpacePoints] yields.
type Space struct {
	ID         string          `json:"id"`
	Name       string          `json:"name,omitempty"`
	Definition json.RawMessage `json:"definition"`
	Dimensions []string        `json:"dimensions"`
	Prototypes []Prototype     `json:"prototypes,omitempty"`
	Points     int             `json:"points"` // nodes with coordinates in this space
}

// Strategy is a node's strategy component: which player the node is, its named pure strategies and
// its current mixed strategy (probabilities as exact rational strings; empty when undecided).
type Strategy struct {
	Player int      `json:"player"`
	Names  []string `json:"names,omitempty"`
	Mixed  []string `json:"mixed,omitempty"`
}

// Utility is a player node's utility component: named objectives combined by a weighted sum
// (Weights as exact rational strings) or, when Lexicographic, by priority in the listed order.
type Utility struct {
	Objectives    []string `json:"objectives,omitempty"`
	Weights       []string `json:"weights,omitempty"`
	Lexicographic bool     `json:"lexicographic,omitempty"`
}

// Coalition is a set of nodes that act together. A node is in at most one coalition, so the
// coalitions and the singletons of the remaining nodes form a coalition structure (a partition).
type Coalition struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Value   string   `json:"value,omitempty"` // the coalition's worth v(S), an exact rational "p" or "p/q"
	Members []string `json:"members"`         // sorted
}

// SpacePoint is a node's point in one space (what node_removed records).
type SpacePoint struct {
	Space       string      `json:"space"`
	Coordinates Coordinates `json:"coordinates"`
}

// space is the state of one conceptual space. Points are flat vectors in dims order indexed by node
// slot (NaN: missing dimension), so a reader walks them without maps; a space costs 24 bytes per
// node slot, which is small next to the node itself.
type space struct {
	name   string
	def    json.RawMessage
	dims   []string
	dimIdx map[string]int32
	pts    [][]float64 // by node slot; nil: the node has no point here
	npts   int
	protos []Prototype
}

type coalition struct {
	name    string
	value   string
	members map[string]struct{}
}

// nodeComp holds a node's game components; a node without any has a nil pointer, so players cost
// nothing to the many nodes that are not.
type nodeComp struct {
	strategy  *Strategy
	utility   *Utility
	coalition string
}

func (c *nodeComp) empty() bool {
	return c.strategy == nil && c.utility == nil && c.coalition == ""
}

// comp returns node slot i's components, creating them when create is set.
func (g *Graph) comp(i int32, create bool) *nodeComp {
	s := &g.nodes[i]
	if s.comp == nil && create {
		s.comp = new(nodeComp)
	}
	return s.comp
}

// Spaces lists the conceptual spaces sorted by id.
func (g *Graph) Spaces() []Space {
	out := make([]Space, 0, len(g.spaces))
	for _, id := range slices.Sorted(maps.Keys(g.spaces)) {
		out = append(out, g.spaces[id].export(id))
	}
	return out
}

// Space returns a conceptual space by id.
func (g *Graph) Space(id string) (Space, bool) {
	s, ok := g.spaces[id]
	if !ok {
		return Space{}, false
	}
	return s.export(id), true
}

func (s *space) export(id string) Space {
	return Space{ID: id, Name: s.name, Definition: s.def, Dimensions: slices.Clone(s.dims),
		Prototypes: slices.Clone(s.protos), Points: s.npts}
}

// SpaceDimensions returns a space's dimension names in flat order without copying (read-only).
func (g *Graph) SpaceDimensions(id string) ([]string, bool) {
	s, ok := g.spaces[id]
	if !ok {
		return nil, false
	}
	return s.dims, true
}

// SpaceDefinition returns a space's definition as recorded, without copying (read-only).
func (g *Graph) SpaceDefinition(id string) (json.RawMessage, bool) {
	s, ok := g.spaces[id]
	if !ok {
		return nil, false
	}
	return s.def, true
}

// Prototypes lists a space's prototypes in the order they were added (ties between equally near
// prototypes go to the earlier one). Points are shared with the state: treat them as read-only.
func (g *Graph) Prototypes(spaceID string) []Prototype {
	if s, ok := g.spaces[spaceID]; ok {
		return slices.Clone(s.protos)
	}
	return nil
}

// NodeCoordinates returns a node's point in a space by dimension name.
func (g *Graph) NodeCoordinates(spaceID, nodeID string) (Coordinates, bool) {
	s, ok := g.spaces[spaceID]
	if !ok {
		return nil, false
	}
	i, ok := g.nodeIdx.get(nodeID)
	if !ok || int(i) >= len(s.pts) || s.pts[i] == nil {
		return nil, false
	}
	return s.named(s.pts[i]), true
}

func (s *space) named(v []float64) Coordinates {
	c := make(Coordinates, len(v))
	for k, x := range v {
		if x == x { // NaN marks a missing dimension
			c[s.dims[k]] = x
		}
	}
	return c
}

// SpacePoints iterates the nodes that have a point in a space, in storage order, with their flat
// vectors in the order of [Space.Dimensions] (NaN: missing). The vectors are shared with the state:
// read them before the next Apply and do not modify them.
func (g *Graph) SpacePoints(spaceID string) iter.Seq2[string, []float64] {
	return func(yield func(string, []float64) bool) {
		s, ok := g.spaces[spaceID]
		if !ok {
			return
		}
		for i, v := range s.pts {
			if v != nil && !yield(g.nodes[i].ID, v) {
				return
			}
		}
	}
}

// NodeStrategy returns a node's strategy component (slices shared with the state: read-only).
func (g *Graph) NodeStrategy(nodeID string) (Strategy, bool) {
	if c := g.nodeComp(nodeID); c != nil && c.strategy != nil {
		return *c.strategy, true
	}
	return Strategy{}, false
}

// NodeUtility returns a node's utility component (slices shared with the state: read-only).
func (g *Graph) NodeUtility(nodeID string) (Utility, bool) {
	if c := g.nodeComp(nodeID); c != nil && c.utility != nil {
		return *c.utility, true
	}
	return Utility{}, false
}

// NodeCoalition returns the id of the coalition a node belongs to.
func (g *Graph) NodeCoalition(nodeID string) (string, bool) {
	if c := g.nodeComp(nodeID); c != nil && c.coalition != "" {
		return c.coalition, true
	}
	return "", false
}

func (g *Graph) nodeComp(id string) *nodeComp {
	if i, ok := g.nodeIdx.get(id); ok {
		return g.nodes[i].comp
	}
	return nil
}

// Strategies iterates the nodes with a strategy component in storage order.
func (g *Graph) Strategies() iter.Seq2[string, Strategy] {
	return func(yield func(string, Strategy) bool) {
		for i := range g.nodes {
			if c := g.nodes[i].comp; c != nil && c.strategy != nil && !yield(g.nodes[i].ID, *c.strategy) {
				return
			}
		}
	}
}

// Utilities iterates the nodes with a utility component in storage order.
func (g *Graph) Utilities() iter.Seq2[string, Utility] {
	return func(yield func(string, Utility) bool) {
		for i := range g.nodes {
			if c := g.nodes[i].comp; c != nil && c.utility != nil && !yield(g.nodes[i].ID, *c.utility) {
				return
			}
		}
	}
}

// Coalitions lists the coalitions sorted by id, members sorted.
func (g *Graph) Coalitions() []Coalition {
	out := make([]Coalition, 0, len(g.coalitions))
	for _, id := range slices.Sorted(maps.Keys(g.coalitions)) {
		out = append(out, g.coalitions[id].export(id))
	}
	return out
}

// Coalition returns a coalition by id.
func (g *Graph) Coalition(id string) (Coalition, bool) {
	c, ok := g.coalitions[id]
	if !ok {
		return Coalition{}, false
	}
	return c.export(id), true
}

func (c *coalition) export(id string) Coalition {
	return Coalition{ID: id, Name: c.name, Value: c.value, Members: slices.Sorted(maps.Keys(c.members))}
}

// spaceDims reads the flat dimension names of a conceptual.SpaceDefinition: the names of
// domains[].dimensions[] in order. Only the names are read here; the conceptual engine, through
// [ComponentRules], validates the rest. A definition that does not parse has no dimensions, so
// Apply stays total on any input.
func spaceDims(def json.RawMessage) ([]string, error) {
	var d struct {
		Domains []struct {
			Dimensions []struct {
				Name string `json:"name"`
			} `json:"dimensions"`
		} `json:"domains"`
	}
	if err := json.Unmarshal(def, &d); err != nil {
		return nil, err
	}
	var dims []string
	for _, dom := range d.Domains {
		for _, dim := range dom.Dimensions {
			dims = append(dims, dim.Name)
		}
	}
	return dims, nil
}

func newSpace(name string, def json.RawMessage) *space {
	s := &space{name: name, def: def, dimIdx: map[string]int32{}}
	dims, _ := spaceDims(def)
	for _, d := range dims {
		// Apply is total: repeats and names past the limit (refused by Decide) are ignored.
		if _, dup := s.dimIdx[d]; dup || len(s.dims) >= MaxCoordDim {
			continue
		}
		s.dimIdx[d] = int32(len(s.dims))
		s.dims = append(s.dims, d)
	}
	return s
}
