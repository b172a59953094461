package graph

import "encoding/json"

// Props holds user properties; each value is one JSON value kept as written (a GraphML double stays a
// number, a string stays a string), so importers and exporters round-trip types without a schema here.
type Props map[string]json.RawMessage

// Vec3 is a position in layout space.
type Vec3 [3]float64

// Node is a vertex. Values returned by [Graph] share Props and Coords with the state: treat them as
// read-only.
type Node struct {
	ID    string `json:"id"`
	Label string `json:"label,omitempty"`
	Kind  string `json:"kind,omitempty"`
	Props Props  `json:"props,omitempty"`
	// Coords are the node's coordinates in a conceptual space (quality dimensions), if any.
	Coords []float64 `json:"coords,omitempty"`
	// Pin fixes the node's layout position; nil means free.
	Pin *Vec3 `json:"pin,omitempty"`
	// CID addresses the node's content in the object store, if any.
	CID string `json:"cid,omitempty"`
}

// Edge is a directed edge from Source to Target.
type Edge struct {
	ID     string  `json:"id"`
	Source string  `json:"source"`
	Target string  `json:"target"`
	Kind   string  `json:"kind,omitempty"`
	Weight float64 `json:"weight"`
	Props  Props   `json:"props,omitempty"`
}

// Subgraph is a named set of nodes.
type Subgraph struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Nodes []string `json:"nodes"`
}
