package graph

import (
	"slices"
	"time"
)

// Data is a whole graph as plain values in node-link form: the body of a graph.queries.v1.get reply
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
}

// Data returns the graph as plain values.
func (g *Graph) Data() Data {
	return Data{
		ID: g.id, Name: g.name, Tags: slices.Clone(g.tags), Version: g.version,
		Created: g.created, Updated: g.updated, Deleted: g.deleted,
		Nodes:     slices.AppendSeq(make([]Node, 0, g.NodeCount()), g.Nodes()),
		Edges:     slices.AppendSeq(make([]Edge, 0, g.EdgeCount()), g.Edges()),
		Subgraphs: g.Subgraphs(),
	}
}
