package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
)

// Limits of the component commands.
const (
	MaxDefinitionBytes = 64 << 10 // a space definition's JSON
	MaxPrototypes      = 4096     // prototypes per space
	MaxStrategies      = 4096     // pure strategies of a player, objectives of a utility
	MaxPlayers         = 1 << 16  // player indices are 0..MaxPlayers-1
	MaxRatLen          = 256      // bytes of an exact rational string ("p/q")
)

// DefineSpace adds a conceptual space: {"id", "name", "definition": {"domains": [...]}}.
type DefineSpace SpaceDefined

// SetCoordinates places nodes in a space (empty coordinates clear a node's point there).
type SetCoordinates CoordinatesSet

// AddPrototype adds a named prototype to a space: {"space", "name", "point", "source"}.
type AddPrototype PrototypeAdded

// RemovePrototype removes a prototype of a space by name.
type RemovePrototype struct {
	Space string `json:"space"`
	Name  string `json:"name"`
}

// SetStrategy sets a node's strategy component, or removes it when Strategy is nil.
type SetStrategy StrategySet

// SetUtility sets a node's utility component, or removes it when Utility is nil.
type SetUtility UtilitySet

// FormCoalition groups nodes that are in no coalition yet.
type FormCoalition Coalition

// DissolveCoalition ends a coalition; its members become free.
type DissolveCoalition struct {
	ID string `json:"id"`
}

func (*DefineSpace) Op() string       { return "define_space" }
func (*SetCoordinates) Op() string    { return "set_coordinates" }
func (*AddPrototype) Op() string      { return "add_prototype" }
func (*RemovePrototype) Op() string   { return "remove_prototype" }
func (*SetStrategy) Op() string       { return "set_strategy" }
func (*SetUtility) Op() string        { return "set_utility" }
func (*FormCoalition) Op() string     { return "form_coalition" }
func (*DissolveCoalition) Op() string { return "dissolve_coalition" }

// componentOps are the protocol operations of the component commands, in [Ops] order.
var componentOps = []string{"define_space", "set_coordinates", "add_prototype", "remove_prototype",
	"set_strategy", "set_utility", "form_coalition", "dissolve_coalition"}

func newComponentCommand(op string) Command {
	switch op {
	case "define_space":
		return new(DefineSpace)
	case "set_coordinates":
		return new(SetCoordinates)
	case "add_prototype":
		return new(AddPrototype)
	case "remove_prototype":
		return new(RemovePrototype)
	case "set_strategy":
		return new(SetStrategy)
	case "set_utility":
		return new(SetUtility)
	case "form_coalition":
		return new(FormCoalition)
	case "dissolve_coalition":
		return new(DissolveCoalition)
	}
	return nil
}

func (c *DefineSpace) Decide(g *Graph) ([]Payload, error) {
	const op = "define_space"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	if _, dup := g.spaces[c.ID]; dup {
		return nil, cmdErr(op, ErrDuplicate, c.ID, "space id already used")
	}
	if err := checkName(op, "name", c.Name, false); err != nil {
		return nil, err
	}
	def, err := checkDefinition(op, c.Definition)
	if err != nil {
		return nil, err
	}
	if r := CurrentComponentRules(); r != nil {
		canon, _, err := r.Space(def)
		if err != nil {
			return nil, ruleErr(op, "definition", err)
		}
		if canon != nil {
			// The canonical form must still pass the structural check, so Apply's reading of it agrees.
			if def, err = checkDefinition(op, canon); err != nil {
				return nil, err
			}
		}
	}
	return one(&SpaceDefined{ID: c.ID, Name: c.Name, Definition: def})
}

// checkDefinition checks what the aggregate itself reads of a definition (a JSON object with
// domains of uniquely named dimensions) and returns it compacted.
func checkDefinition(op string, def json.RawMessage) (json.RawMessage, error) {
	const f = "definition"
	if len(def) == 0 || string(def) == "null" {
		return nil, cmdErr(op, ErrInvalid, f, "missing")
	}
	if len(def) > MaxDefinitionBytes {
		return nil, cmdErr(op, ErrInvalid, f, "%d bytes, at most %d", len(def), MaxDefinitionBytes)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, def); err != nil {
		return nil, cmdErr(op, ErrInvalid, f, "not JSON: %v", err)
	}
	var d struct {
		Domains []struct {
			Dimensions []struct {
				Name string `json:"name"`
			} `json:"dimensions"`
		} `json:"domains"`
	}
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
		return nil, cmdErr(op, ErrInvalid, f, "want {\"domains\": [...]}: %v", err)
	}
	if len(d.Domains) == 0 {
		return nil, cmdErr(op, ErrInvalid, f+".domains", "no domains")
	}
	seen := map[string]bool{}
	for i, dom := range d.Domains {
		if len(dom.Dimensions) == 0 {
			return nil, cmdErr(op, ErrInvalid, fmt.Sprintf("%s.domains[%d].dimensions", f, i), "no dimensions")
		}
		for k, dim := range dom.Dimensions {
			fk := fmt.Sprintf("%s.domains[%d].dimensions[%d].name", f, i, k)
			if err := checkID(op, fk, dim.Name); err != nil {
				return nil, err
			}
			if seen[dim.Name] {
				return nil, cmdErr(op, ErrDuplicate, fk, "dimension %q defined twice", dim.Name)
			}
			seen[dim.Name] = true
		}
	}
	if len(seen) > MaxCoordDim {
		return nil, cmdErr(op, ErrInvalid, f, "%d dimensions, at most %d", len(seen), MaxCoordDim)
	}
	return buf.Bytes(), nil
}

// lookupSpace finds the space a command names, with the point rules for it when rules are set.
func lookupSpace(op string, g *Graph, id string) (*space, PointRules, error) {
	if err := checkID(op, "space", id); err != nil {
		return nil, nil, err
	}
	s, ok := g.spaces[id]
	if !ok {
		return nil, nil, cmdErr(op, ErrNotFound, id, "no such space")
	}
	r := CurrentComponentRules()
	if r == nil {
		return s, nil, nil
	}
	_, pr, err := r.Space(s.def)
	if err != nil {
		// A recorded definition the installed rules refuse: the rules changed since it was defined.
		return nil, nil, ruleErr(op, "space "+id, err)
	}
	return s, pr, nil
}

// checkPoint validates named coordinates in s (field names the point) and returns the canonical
// copy the event records.
func checkPoint(op, field string, s *space, pr PointRules, c Coordinates) (Coordinates, error) {
	if len(c) == 0 {
		return nil, cmdErr(op, ErrInvalid, field, "no coordinates")
	}
	check := func(c Coordinates) error {
		bad := func(name string, x float64) bool {
			_, ok := s.dimIdx[name]
			return !ok || math.IsNaN(x) || math.IsInf(x, 0)
		}
		for name, x := range c {
			if !bad(name, x) {
				continue
			}
			// Report the first bad name in sorted order, so the error does not depend on map order.
			for _, name := range slices.Sorted(maps.Keys(c)) {
				if _, ok := s.dimIdx[name]; !ok {
					return cmdErr(op, ErrInvalid, joinField(field, name), "not a dimension of the space")
				}
				if err := checkFinite(op, joinField(field, name), c[name]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := check(c); err != nil {
		return nil, err
	}
	if pr == nil {
		return maps.Clone(c), nil
	}
	out, err := pr.Point(c)
	if err != nil {
		return nil, ruleErr(op, field, err)
	}
	if len(out) == 0 {
		return nil, cmdErr(op, ErrInvalid, field, "no coordinates")
	}
	if err := check(out); err != nil {
		return nil, err
	}
	return maps.Clone(out), nil
}

func (c *SetCoordinates) Decide(g *Graph) ([]Payload, error) {
	const op = "set_coordinates"
	s, pr, err := lookupSpace(op, g, c.Space)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(op, len(c.Points)); err != nil {
		return nil, err
	}
	seen := make(map[string]struct{}, len(c.Points))
	out := make([]NodePoint, 0, len(c.Points))
	for i := range c.Points {
		p := &c.Points[i]
		if err := checkID(op, fmt.Sprintf("points[%d].id", i), p.ID); err != nil {
			return nil, err
		}
		slot, ok := g.nodeIdx.get(p.ID)
		if !ok {
			return nil, cmdErr(op, ErrNotFound, p.ID, "no such node")
		}
		if _, dup := seen[p.ID]; dup {
			return nil, cmdErr(op, ErrDuplicate, p.ID, "node given twice")
		}
		seen[p.ID] = struct{}{}
		if len(p.Coordinates) == 0 {
			if int(slot) < len(s.pts) && s.pts[slot] != nil {
				out = append(out, NodePoint{ID: p.ID})
			}
			continue
		}
		coords, err := checkPoint(op, p.ID+".coordinates", s, pr, p.Coordinates)
		if err != nil {
			return nil, err
		}
		out = append(out, NodePoint{ID: p.ID, Coordinates: coords})
	}
	if len(out) == 0 {
		return nil, cmdErr(op, ErrInvalid, c.Space, "no change: the nodes have no coordinates to clear")
	}
	return one(&CoordinatesSet{Space: c.Space, Points: out})
}

func (c *AddPrototype) Decide(g *Graph) ([]Payload, error) {
	const op = "add_prototype"
	s, pr, err := lookupSpace(op, g, c.Space)
	if err != nil {
		return nil, err
	}
	if err := checkID(op, "name", c.Name); err != nil {
		return nil, err
	}
	if s.prototype(c.Name) >= 0 {
		return nil, cmdErr(op, ErrDuplicate, c.Name, "space %q already has this prototype", c.Space)
	}
	if len(s.protos) >= MaxPrototypes {
		return nil, cmdErr(op, ErrInvalid, c.Space, "space has %d prototypes, the most allowed", MaxPrototypes)
	}
	if err := checkName(op, "source", c.Source, false); err != nil {
		return nil, err
	}
	pt, err := checkPoint(op, "point", s, pr, c.Point)
	if err != nil {
		return nil, err
	}
	return one(&PrototypeAdded{Space: c.Space, Prototype: Prototype{Name: c.Name, Point: pt, Source: c.Source}})
}

func (s *space) prototype(name string) int {
	return slices.IndexFunc(s.protos, func(p Prototype) bool { return p.Name == name })
}

func (c *RemovePrototype) Decide(g *Graph) ([]Payload, error) {
	const op = "remove_prototype"
	if err := checkID(op, "space", c.Space); err != nil {
		return nil, err
	}
	s, ok := g.spaces[c.Space]
	if !ok {
		return nil, cmdErr(op, ErrNotFound, c.Space, "no such space")
	}
	if err := checkID(op, "name", c.Name); err != nil {
		return nil, err
	}
	k := s.prototype(c.Name)
	if k < 0 {
		return nil, cmdErr(op, ErrNotFound, c.Name, "space %q has no such prototype", c.Space)
	}
	return one(&PrototypeRemoved{Space: c.Space, Name: c.Name, Point: maps.Clone(s.protos[k].Point)})
}

// lookupNode checks a command's node id and returns the node's slot.
func lookupNode(op string, g *Graph, id string) (int32, error) {
	if err := checkID(op, "id", id); err != nil {
		return 0, err
	}
	i, ok := g.nodeIdx.get(id)
	if !ok {
		return 0, cmdErr(op, ErrNotFound, id, "no such node")
	}
	return i, nil
}

func (c *SetStrategy) Decide(g *Graph) ([]Payload, error) {
	const op = "set_strategy"
	i, err := lookupNode(op, g, c.ID)
	if err != nil {
		return nil, err
	}
	if c.Strategy == nil {
		if cp := g.nodes[i].comp; cp == nil || cp.strategy == nil {
			return nil, cmdErr(op, ErrInvalid, c.ID, "node has no strategy to remove")
		}
		return one(&StrategySet{ID: c.ID})
	}
	st := cloneStrategy(*c.Strategy)
	if err := checkStrategy(op, st); err != nil {
		return nil, err
	}
	if r := CurrentComponentRules(); r != nil {
		if st, err = r.Strategy(st); err != nil {
			return nil, ruleErr(op, "strategy", err)
		}
		st = cloneStrategy(st)
		if err := checkStrategy(op, st); err != nil {
			return nil, err
		}
	}
	return one(&StrategySet{ID: c.ID, Strategy: &st})
}

func checkStrategy(op string, s Strategy) error {
	if s.Player < 0 || s.Player >= MaxPlayers {
		return cmdErr(op, ErrInvalid, "strategy.player", "%d not in 0..%d", s.Player, MaxPlayers-1)
	}
	if err := checkLabels(op, "strategy.names", s.Names); err != nil {
		return err
	}
	if len(s.Names) > 0 && len(s.Mixed) > 0 && len(s.Mixed) != len(s.Names) {
		return cmdErr(op, ErrInvalid, "strategy.mixed", "%d probabilities for %d strategies", len(s.Mixed), len(s.Names))
	}
	return checkRats(op, "strategy.mixed", s.Mixed)
}

func (c *SetUtility) Decide(g *Graph) ([]Payload, error) {
	const op = "set_utility"
	i, err := lookupNode(op, g, c.ID)
	if err != nil {
		return nil, err
	}
	if c.Utility == nil {
		if cp := g.nodes[i].comp; cp == nil || cp.utility == nil {
			return nil, cmdErr(op, ErrInvalid, c.ID, "node has no utility to remove")
		}
		return one(&UtilitySet{ID: c.ID})
	}
	u := cloneUtility(*c.Utility)
	if err := checkUtility(op, u); err != nil {
		return nil, err
	}
	if r := CurrentComponentRules(); r != nil {
		if u, err = r.Utility(u); err != nil {
			return nil, ruleErr(op, "utility", err)
		}
		u = cloneUtility(u)
		if err := checkUtility(op, u); err != nil {
			return nil, err
		}
	}
	return one(&UtilitySet{ID: c.ID, Utility: &u})
}

func checkUtility(op string, u Utility) error {
	if err := checkLabels(op, "utility.objectives", u.Objectives); err != nil {
		return err
	}
	if len(u.Weights) > 0 {
		if u.Lexicographic {
			return cmdErr(op, ErrInvalid, "utility.weights", "a lexicographic utility ranks its objectives and has no weights")
		}
		if len(u.Weights) != len(u.Objectives) {
			return cmdErr(op, ErrInvalid, "utility.weights", "%d weights for %d objectives", len(u.Weights), len(u.Objectives))
		}
	}
	return checkRats(op, "utility.weights", u.Weights)
}

// checkLabels checks a list of unique non-empty names.
func checkLabels(op, field string, names []string) error {
	if len(names) > MaxStrategies {
		return cmdErr(op, ErrInvalid, field, "%d names, at most %d", len(names), MaxStrategies)
	}
	for i, n := range names {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := checkName(op, f, n, true); err != nil {
			return err
		}
		if slices.Contains(names[:i], n) {
			return cmdErr(op, ErrDuplicate, f, "%q given twice", n)
		}
	}
	return nil
}

// checkRats checks the shape of exact rational strings; their values are the rules' business.
func checkRats(op, field string, rats []string) error {
	if len(rats) > MaxStrategies {
		return cmdErr(op, ErrInvalid, field, "%d numbers, at most %d", len(rats), MaxStrategies)
	}
	for i, r := range rats {
		if err := checkRat(op, fmt.Sprintf("%s[%d]", field, i), r); err != nil {
			return err
		}
	}
	return nil
}

func checkRat(op, field, r string) error {
	if r == "" {
		return cmdErr(op, ErrInvalid, field, "empty number")
	}
	if len(r) > MaxRatLen {
		return cmdErr(op, ErrInvalid, field, "number longer than %d bytes", MaxRatLen)
	}
	return checkText(op, field, r)
}

func (c *FormCoalition) Decide(g *Graph) ([]Payload, error) {
	const op = "form_coalition"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	if _, dup := g.coalitions[c.ID]; dup {
		return nil, cmdErr(op, ErrDuplicate, c.ID, "coalition id already used")
	}
	if err := checkName(op, "name", c.Name, false); err != nil {
		return nil, err
	}
	if c.Value != "" {
		if err := checkRat(op, "value", c.Value); err != nil {
			return nil, err
		}
	}
	if len(c.Members) == 0 {
		return nil, cmdErr(op, ErrInvalid, "members", "a coalition needs at least one member")
	}
	members, err := checkMembers(op, g, c.Members, nil)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if other, in := g.NodeCoalition(m); in {
			return nil, cmdErr(op, ErrInvalid, m, "node is already in coalition %q", other)
		}
	}
	slices.Sort(members)
	co := Coalition{ID: c.ID, Name: c.Name, Value: c.Value, Members: members}
	if r := CurrentComponentRules(); r != nil {
		out, err := r.Coalition(g, co)
		if err != nil {
			return nil, ruleErr(op, "", err)
		}
		// Rules canonicalise the value only; who is in the coalition is the command's to say.
		if out.Value != "" {
			if err := checkRat(op, "value", out.Value); err != nil {
				return nil, err
			}
		}
		co.Value = out.Value
	}
	p := CoalitionFormed(co)
	return one(&p)
}

func (c *DissolveCoalition) Decide(g *Graph) ([]Payload, error) {
	const op = "dissolve_coalition"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	co, ok := g.Coalition(c.ID)
	if !ok {
		return nil, cmdErr(op, ErrNotFound, c.ID, "no such coalition")
	}
	return one(&CoalitionDissolved{ID: c.ID, Members: co.Members})
}

// nodeRemoved records what removing node id takes with it: incident edges and components.
func (g *Graph) nodeRemoved(id string) *NodeRemoved {
	p := &NodeRemoved{ID: id, Edges: g.IncidentEdges(id)}
	i := g.nodeIdx.slot(id)
	for _, sid := range slices.Sorted(maps.Keys(g.spaces)) {
		s := g.spaces[sid]
		if int(i) < len(s.pts) && s.pts[i] != nil {
			p.Points = append(p.Points, SpacePoint{Space: sid, Coordinates: s.named(s.pts[i])})
		}
	}
	if c := g.nodes[i].comp; c != nil {
		if c.strategy != nil {
			st := cloneStrategy(*c.strategy)
			p.Strategy = &st
		}
		if c.utility != nil {
			u := cloneUtility(*c.utility)
			p.Utility = &u
		}
		if c.coalition != "" {
			p.Coalition = c.coalition
			p.CoalitionDissolved = len(g.coalitions[c.coalition].members) == 1
		}
	}
	return p
}

// cloneStrategy copies the slices, keeping nil for empty so that replayed and restored states
// compare equal.
func cloneStrategy(s Strategy) Strategy {
	s.Names, s.Mixed = cloneStrs(s.Names), cloneStrs(s.Mixed)
	return s
}

func cloneUtility(u Utility) Utility {
	u.Objectives, u.Weights = cloneStrs(u.Objectives), cloneStrs(u.Weights)
	return u
}

func cloneStrs(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}
