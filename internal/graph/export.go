package graph

import (
	"slices"
	"time"
)

// Data is a whole graph as plain values in node-link form, components included: the body of a graph.queries.v1.get reply
// and the input of exporters. Nodes and edges are in storage order; Props and Coords are shared with
// the state, so treat them as read-only or marshal them before the next Apply.
type Data struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Tags      []string   `json:"tags,omitempty"`
	Version   uint64     `json:"version"`
	Created   time.Time  `json:"created"`
	Updated   time.Time  `json:"updated"`
	Deleted   bool       `json:"deleted,omitempty"`
	Nodes     []Node     `json:"nodes"`
	Edges     []Edge     `json:"edges"`
	Subgraphs []Subgraph `json:"subgraphs,omitempty"`
	// Spaces are the conceptual spaces with their prototypes; the points are in Components.
	Spaces     []Space          `json:"spaces,omitempty"`
	Components []NodeComponents `json:"components,omitempty"`
	Coalitions []Coalition      `json:"coalitions,omitempty"`
}

// NodeComponents is one node's components as plain values.
type NodeComponents struct {
	ID          string                 `json:"id"`
	Coordinates map[string]Coordinates `json:"coordinates,omitempty"` // by space id
	Strategy    *Strategy              `json:"strategy,omitempty"`
	Utility     *Utility               `json:"utility,omitempty"`
	Coalition   string                 `json:"coalition,omitempty"`
}

// NodeComponents lists the nodes that carry any component, in storage order.
func (g *Graph) NodeComponents() []NodeComponents {
	var out []NodeComponents
	for i := range g.nodes {
		s := &g.nodes[i]
		if s.ID == "" {
			continue
		}
		nc := NodeComponents{ID: s.ID}
		for sid, sp := range g.spaces {
			if i < len(sp.pts) && sp.pts[i] != nil {
				if nc.Coordinates == nil {
					nc.Coordinates = map[string]Coordinates{}
				}
				nc.Coordinates[sid] = sp.named(sp.pts[i])
			}
		}
		if c := s.comp; c != nil {
			if c.strategy != nil {
				st := cloneStrategy(*c.strategy)
				nc.Strategy = &st
			}
			if c.utility != nil {
				u := cloneUtility(*c.utility)
				nc.Utility = &u
			}
			nc.Coalition = c.coalition
		}
		if nc.Coordinates != nil || s.comp != nil {
			out = append(out, nc)
		}
	}
	return out
}

// Data returns the graph as plain values.
func (g *Graph) Data() Data {
	return Data{
		ID: g.id, Name: g.name, Tags: slices.Clone(g.tags), Version: g.version,
		Created: g.created, Updated: g.updated, Deleted: g.deleted,
		Nodes:     slices.AppendSeq(make([]Node, 0, g.NodeCount()), g.Nodes()),
		Edges:     slices.AppendSeq(make([]Edge, 0, g.EdgeCount()), g.Edges()),
		Subgraphs: g.Subgraphs(),
		Spaces:    g.Spaces(), Components: g.NodeComponents(), Coalitions: g.Coalitions(),
	}
}
