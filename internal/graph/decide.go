package graph

import (
	"slices"
)

// CreateGraph starts a graph. The graph id comes from the aggregate the command is decided against.
type CreateGraph struct {
	Name string   `json:"name"`
	Tags []string `json:"tags,omitempty"`
}

// RenameGraph sets a new name.
type RenameGraph struct {
	Name string `json:"name"`
}

// TagGraph adds and removes tags.
type TagGraph struct {
	Add    []string `json:"add,omitempty"`
	Remove []string `json:"remove,omitempty"`
}

// DeleteGraph ends the graph; its history stays.
type DeleteGraph struct {
	Reason string `json:"reason,omitempty"`
}

// AddNodes adds nodes with new ids.
type AddNodes struct {
	Nodes []Node `json:"nodes"`
}

// UpdateNode changes fields of a node (nil: unchanged).
type UpdateNode NodeUpdated

// RemoveNode removes a node, its incident edges and its components (coordinates, strategy, utility,
// coalition membership).
type RemoveNode struct {
	ID string `json:"id"`
}

// PinNode fixes a node at Position, or frees it when Position is nil.
type PinNode NodePinned

// EdgeInput is an edge in an add_edges command; a missing weight means 1.
type EdgeInput struct {
	ID     string   `json:"id"`
	Source string   `json:"source"`
	Target string   `json:"target"`
	Kind   string   `json:"kind,omitempty"`
	Weight *float64 `json:"weight,omitempty"`
	Props  Props    `json:"props,omitempty"`
}

// AddEdges adds edges between existing nodes.
type AddEdges struct {
	Edges []EdgeInput `json:"edges"`
}

// UpdateEdge changes fields of an edge (nil: unchanged).
type UpdateEdge EdgeUpdated

// RemoveEdge removes one edge.
type RemoveEdge struct {
	ID string `json:"id"`
}

// CreateSubgraph names a set of existing nodes.
type CreateSubgraph SubgraphCreated

// ChangeSubgraph renames a subgraph and/or adds and removes members.
type ChangeSubgraph SubgraphChanged

func (*CreateGraph) Op() string    { return "create_graph" }
func (*RenameGraph) Op() string    { return "rename_graph" }
func (*TagGraph) Op() string       { return "tag_graph" }
func (*DeleteGraph) Op() string    { return "delete_graph" }
func (*AddNodes) Op() string       { return "add_nodes" }
func (*UpdateNode) Op() string     { return "update_node" }
func (*RemoveNode) Op() string     { return "remove_node" }
func (*PinNode) Op() string        { return "pin_node" }
func (*AddEdges) Op() string       { return "add_edges" }
func (*UpdateEdge) Op() string     { return "update_edge" }
func (*RemoveEdge) Op() string     { return "remove_edge" }
func (*CreateSubgraph) Op() string { return "create_subgraph" }
func (*ChangeSubgraph) Op() string { return "change_subgraph" }

func one(p Payload) ([]Payload, error) { return []Payload{p}, nil }

func (c *CreateGraph) Decide(g *Graph) ([]Payload, error) {
	const op = "create_graph"
	if g.exists {
		return nil, cmdErr(op, ErrExists, g.id, "graph already exists")
	}
	if err := checkID(op, "graph_id", g.id); err != nil {
		return nil, err
	}
	if err := checkName(op, "name", c.Name, true); err != nil {
		return nil, err
	}
	if err := checkTags(op, c.Tags); err != nil {
		return nil, err
	}
	return one(&GraphCreated{Name: c.Name, Tags: slices.Clone(c.Tags)})
}

func (c *RenameGraph) Decide(g *Graph) ([]Payload, error) {
	const op = "rename_graph"
	if err := checkName(op, "name", c.Name, true); err != nil {
		return nil, err
	}
	if c.Name == g.name {
		return nil, cmdErr(op, ErrInvalid, "name", "graph already has this name")
	}
	return one(&GraphRenamed{Name: c.Name})
}

func (c *TagGraph) Decide(g *Graph) ([]Payload, error) {
	const op = "tag_graph"
	if err := checkTags(op, c.Add); err != nil {
		return nil, err
	}
	if err := checkTags(op, c.Remove); err != nil {
		return nil, err
	}
	var p GraphTagged
	for _, t := range c.Add {
		if slices.Contains(c.Remove, t) {
			return nil, cmdErr(op, ErrInvalid, "tags", "tag %q both added and removed", t)
		}
		if !slices.Contains(g.tags, t) {
			p.Added = append(p.Added, t)
		}
	}
	for _, t := range c.Remove {
		if slices.Contains(g.tags, t) {
			p.Removed = append(p.Removed, t)
		}
	}
	if len(p.Added) == 0 && len(p.Removed) == 0 {
		return nil, cmdErr(op, ErrInvalid, "tags", "no change")
	}
	return one(&p)
}

func (c *DeleteGraph) Decide(g *Graph) ([]Payload, error) {
	if err := checkName("delete_graph", "reason", c.Reason, false); err != nil {
		return nil, err
	}
	return one(&GraphDeleted{Reason: c.Reason})
}

func (c *AddNodes) Decide(g *Graph) ([]Payload, error) {
	const op = "add_nodes"
	if err := checkBatch(op, len(c.Nodes)); err != nil {
		return nil, err
	}
	seen := make(map[string]struct{}, len(c.Nodes))
	out := make([]Node, len(c.Nodes))
	for i := range c.Nodes {
		n := &c.Nodes[i]
		if err := checkNode(op, n); err != nil {
			return nil, err
		}
		if _, dup := seen[n.ID]; dup || g.HasNode(n.ID) {
			return nil, cmdErr(op, ErrDuplicate, n.ID, "node id already used")
		}
		seen[n.ID] = struct{}{}
		out[i] = *n
	}
	return one(&NodesAdded{Nodes: out})
}

func checkNode(op string, n *Node) error {
	if err := checkID(op, "node id", n.ID); err != nil {
		return err
	}
	if err := checkName(op, n.ID+".label", n.Label, false); err != nil {
		return err
	}
	if err := checkName(op, n.ID+".kind", n.Kind, false); err != nil {
		return err
	}
	if err := checkProps(op, n.ID, n.Props); err != nil {
		return err
	}
	if err := checkCoords(op, n.ID+".coords", n.Coords); err != nil {
		return err
	}
	if n.Pin != nil {
		if err := checkFinite(op, n.ID+".pin", n.Pin[:]...); err != nil {
			return err
		}
	}
	return checkName(op, n.ID+".cid", n.CID, false)
}

func (c *UpdateNode) Decide(g *Graph) ([]Payload, error) {
	const op = "update_node"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	if !g.HasNode(c.ID) {
		return nil, cmdErr(op, ErrNotFound, c.ID, "no such node")
	}
	if c.Label != nil {
		if err := checkName(op, "label", *c.Label, false); err != nil {
			return nil, err
		}
	}
	if c.Kind != nil {
		if err := checkName(op, "kind", *c.Kind, false); err != nil {
			return nil, err
		}
	}
	if c.CID != nil {
		if err := checkName(op, "cid", *c.CID, false); err != nil {
			return nil, err
		}
	}
	if err := checkProps(op, c.ID, c.SetProps); err != nil {
		return nil, err
	}
	if err := checkCoords(op, "coords", c.Coords); err != nil {
		return nil, err
	}
	if c.ClearCoords && c.Coords != nil {
		return nil, cmdErr(op, ErrInvalid, "coords", "both set and cleared")
	}
	if c.Label == nil && c.Kind == nil && c.CID == nil && len(c.SetProps) == 0 && len(c.RemoveProps) == 0 &&
		c.Coords == nil && !c.ClearCoords {
		return nil, cmdErr(op, ErrInvalid, c.ID, "no change")
	}
	p := NodeUpdated(*c)
	return one(&p)
}

func (c *RemoveNode) Decide(g *Graph) ([]Payload, error) {
	const op = "remove_node"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	if !g.HasNode(c.ID) {
		return nil, cmdErr(op, ErrNotFound, c.ID, "no such node")
	}
	return one(g.nodeRemoved(c.ID))
}

func (c *PinNode) Decide(g *Graph) ([]Payload, error) {
	const op = "pin_node"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	n, ok := g.Node(c.ID)
	if !ok {
		return nil, cmdErr(op, ErrNotFound, c.ID, "no such node")
	}
	if c.Position != nil {
		if err := checkFinite(op, "position", c.Position[:]...); err != nil {
			return nil, err
		}
	} else if n.Pin == nil {
		return nil, cmdErr(op, ErrInvalid, c.ID, "node is not pinned")
	}
	p := NodePinned(*c)
	if c.Position != nil {
		pos := *c.Position
		p.Position = &pos
	}
	return one(&p)
}

func (c *AddEdges) Decide(g *Graph) ([]Payload, error) {
	const op = "add_edges"
	if err := checkBatch(op, len(c.Edges)); err != nil {
		return nil, err
	}
	seen := make(map[string]struct{}, len(c.Edges))
	out := make([]Edge, len(c.Edges))
	for i := range c.Edges {
		e := &c.Edges[i]
		if err := checkID(op, "edge id", e.ID); err != nil {
			return nil, err
		}
		if _, dup := seen[e.ID]; dup || g.HasEdge(e.ID) {
			return nil, cmdErr(op, ErrDuplicate, e.ID, "edge id already used")
		}
		seen[e.ID] = struct{}{}
		if !g.HasNode(e.Source) {
			return nil, cmdErr(op, ErrDangling, e.ID, "source %q is not a node", e.Source)
		}
		if !g.HasNode(e.Target) {
			return nil, cmdErr(op, ErrDangling, e.ID, "target %q is not a node", e.Target)
		}
		if err := checkName(op, e.ID+".kind", e.Kind, false); err != nil {
			return nil, err
		}
		if err := checkProps(op, e.ID, e.Props); err != nil {
			return nil, err
		}
		w := 1.0
		if e.Weight != nil {
			w = *e.Weight
		}
		if err := checkFinite(op, e.ID+".weight", w); err != nil {
			return nil, err
		}
		out[i] = Edge{ID: e.ID, Source: e.Source, Target: e.Target, Kind: e.Kind, Weight: w, Props: e.Props}
	}
	return one(&EdgesAdded{Edges: out})
}

func (c *UpdateEdge) Decide(g *Graph) ([]Payload, error) {
	const op = "update_edge"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	if !g.HasEdge(c.ID) {
		return nil, cmdErr(op, ErrNotFound, c.ID, "no such edge")
	}
	if c.Kind != nil {
		if err := checkName(op, "kind", *c.Kind, false); err != nil {
			return nil, err
		}
	}
	if c.Weight != nil {
		if err := checkFinite(op, "weight", *c.Weight); err != nil {
			return nil, err
		}
	}
	if err := checkProps(op, c.ID, c.SetProps); err != nil {
		return nil, err
	}
	if c.Kind == nil && c.Weight == nil && len(c.SetProps) == 0 && len(c.RemoveProps) == 0 {
		return nil, cmdErr(op, ErrInvalid, c.ID, "no change")
	}
	p := EdgeUpdated(*c)
	return one(&p)
}

func (c *RemoveEdge) Decide(g *Graph) ([]Payload, error) {
	const op = "remove_edge"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	if !g.HasEdge(c.ID) {
		return nil, cmdErr(op, ErrNotFound, c.ID, "no such edge")
	}
	return one(&EdgeRemoved{ID: c.ID})
}

func (c *CreateSubgraph) Decide(g *Graph) ([]Payload, error) {
	const op = "create_subgraph"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	if _, dup := g.subs[c.ID]; dup {
		return nil, cmdErr(op, ErrDuplicate, c.ID, "subgraph id already used")
	}
	if err := checkName(op, "name", c.Name, true); err != nil {
		return nil, err
	}
	members, err := checkMembers(op, g, c.Nodes, nil)
	if err != nil {
		return nil, err
	}
	return one(&SubgraphCreated{ID: c.ID, Name: c.Name, Nodes: members})
}

func (c *ChangeSubgraph) Decide(g *Graph) ([]Payload, error) {
	const op = "change_subgraph"
	if err := checkID(op, "id", c.ID); err != nil {
		return nil, err
	}
	s, ok := g.subs[c.ID]
	if !ok {
		return nil, cmdErr(op, ErrNotFound, c.ID, "no such subgraph")
	}
	var p SubgraphChanged
	p.ID = c.ID
	if c.Name != nil {
		if err := checkName(op, "name", *c.Name, true); err != nil {
			return nil, err
		}
		if *c.Name != s.name {
			name := *c.Name
			p.Name = &name
		}
	}
	added, err := checkMembers(op, g, c.Added, s.members)
	if err != nil {
		return nil, err
	}
	p.Added = added
	for _, n := range c.Removed {
		if slices.Contains(c.Added, n) {
			return nil, cmdErr(op, ErrInvalid, n, "node both added and removed")
		}
		if _, member := s.members[n]; member && !slices.Contains(p.Removed, n) {
			p.Removed = append(p.Removed, n)
		}
	}
	if p.Name == nil && len(p.Added) == 0 && len(p.Removed) == 0 {
		return nil, cmdErr(op, ErrInvalid, c.ID, "no change")
	}
	return one(&p)
}

// checkMembers returns the nodes not yet in have, in order, without repeats; every one must exist.
func checkMembers(op string, g *Graph, nodes []string, have map[string]struct{}) ([]string, error) {
	if len(nodes) > MaxBatch {
		return nil, cmdErr(op, ErrInvalid, "nodes", "%d members, at most %d per command", len(nodes), MaxBatch)
	}
	var out []string
	seen := make(map[string]struct{}, len(nodes))
	for _, n := range nodes {
		if !g.HasNode(n) {
			return nil, cmdErr(op, ErrDangling, n, "not a node of the graph")
		}
		if _, dup := seen[n]; dup {
			continue
		}
		seen[n] = struct{}{}
		if _, member := have[n]; !member {
			out = append(out, n)
		}
	}
	return out, nil
}
