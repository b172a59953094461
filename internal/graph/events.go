package graph

import "encoding/json"

// Event names double as the last token of the event subject (ARCHITECTURE §3).
const (
	EventGraphCreated    = "graph_created"
	EventGraphRenamed    = "graph_renamed"
	EventGraphTagged     = "graph_tagged"
	EventGraphDeleted    = "graph_deleted"
	EventNodesAdded      = "nodes_added"
	EventNodeUpdated     = "node_updated"
	EventNodeRemoved     = "node_removed"
	EventNodePinned      = "node_pinned"
	EventEdgesAdded      = "edges_added"
	EventEdgeUpdated     = "edge_updated"
	EventEdgeRemoved     = "edge_removed"
	EventSubgraphCreated = "subgraph_created"
	EventSubgraphChanged = "subgraph_changed"
)

// Payload is the typed body of an event.
type Payload interface {
	// EventType is the event's name, e.g. "nodes_added".
	EventType() string
}

// GraphCreated starts a graph's history.
type GraphCreated struct {
	Name string   `json:"name"`
	Tags []string `json:"tags,omitempty"`
}

// GraphRenamed changes the display name.
type GraphRenamed struct {
	Name string `json:"name"`
}

// GraphTagged adds and removes tags.
type GraphTagged struct {
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// GraphDeleted ends a graph's history: no event may follow it.
type GraphDeleted struct {
	Reason string `json:"reason,omitempty"`
}

// NodesAdded adds new nodes (one event per command, however many nodes).
type NodesAdded struct {
	Nodes []Node `json:"nodes"`
}

// NodeUpdated changes some fields of a node; nil fields are unchanged.
type NodeUpdated struct {
	ID          string    `json:"id"`
	Label       *string   `json:"label,omitempty"`
	Kind        *string   `json:"kind,omitempty"`
	SetProps    Props     `json:"set_props,omitempty"`
	RemoveProps []string  `json:"remove_props,omitempty"`
	Coords      []float64 `json:"coords,omitempty"`
	ClearCoords bool      `json:"clear_coords,omitempty"`
	CID         *string   `json:"cid,omitempty"`
}

// NodeRemoved removes a node; Edges records the incident edges removed with it and the other fields
// the components it carried, so the event alone says what vanished (projections need no lookup,
// undo has what it needs). The component fields joined schema v1 without a bump: they are optional,
// and an event written before components existed removed a node that had none.
type NodeRemoved struct {
	ID        string       `json:"id"`
	Edges     []Edge       `json:"edges,omitempty"`
	Points    []SpacePoint `json:"points,omitempty"` // the node's coordinates, by space id
	Strategy  *Strategy    `json:"strategy,omitempty"`
	Utility   *Utility     `json:"utility,omitempty"`
	Coalition string       `json:"coalition,omitempty"` // the coalition the node left
	// CoalitionDissolved: the node was the coalition's last member, so the coalition ended with it.
	CoalitionDissolved bool `json:"coalition_dissolved,omitempty"`
}

// NodePinned fixes a node's layout position, or frees it when Position is nil (schema v2; v1 carried
// x, y, z and a pinned flag).
type NodePinned struct {
	ID       string `json:"id"`
	Position *Vec3  `json:"position,omitempty"`
}

// EdgesAdded adds new edges (schema v2: source/target and an explicit weight; v1 had from/to and an
// optional weight defaulting to 1).
type EdgesAdded struct {
	Edges []Edge `json:"edges"`
}

// EdgeUpdated changes some fields of an edge; nil fields are unchanged.
type EdgeUpdated struct {
	ID          string   `json:"id"`
	Kind        *string  `json:"kind,omitempty"`
	Weight      *float64 `json:"weight,omitempty"`
	SetProps    Props    `json:"set_props,omitempty"`
	RemoveProps []string `json:"remove_props,omitempty"`
}

// EdgeRemoved removes one edge.
type EdgeRemoved struct {
	ID string `json:"id"`
}

// SubgraphCreated names a new set of nodes.
type SubgraphCreated struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Nodes []string `json:"nodes,omitempty"`
}

// SubgraphChanged renames a subgraph and/or changes its members.
type SubgraphChanged struct {
	ID      string   `json:"id"`
	Name    *string  `json:"name,omitempty"`
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

func (*GraphCreated) EventType() string    { return EventGraphCreated }
func (*GraphRenamed) EventType() string    { return EventGraphRenamed }
func (*GraphTagged) EventType() string     { return EventGraphTagged }
func (*GraphDeleted) EventType() string    { return EventGraphDeleted }
func (*NodesAdded) EventType() string      { return EventNodesAdded }
func (*NodeUpdated) EventType() string     { return EventNodeUpdated }
func (*NodeRemoved) EventType() string     { return EventNodeRemoved }
func (*NodePinned) EventType() string      { return EventNodePinned }
func (*EdgesAdded) EventType() string      { return EventEdgesAdded }
func (*EdgeUpdated) EventType() string     { return EventEdgeUpdated }
func (*EdgeRemoved) EventType() string     { return EventEdgeRemoved }
func (*SubgraphCreated) EventType() string { return EventSubgraphCreated }
func (*SubgraphChanged) EventType() string { return EventSubgraphChanged }

func init() {
	reg := func(name string, version int, newFn func() Payload, up map[int]Upcaster) {
		MustRegister(EventType{Name: name, Version: version, New: newFn, Upcasters: up})
	}
	reg(EventGraphCreated, 1, func() Payload { return new(GraphCreated) }, nil)
	reg(EventGraphRenamed, 1, func() Payload { return new(GraphRenamed) }, nil)
	reg(EventGraphTagged, 1, func() Payload { return new(GraphTagged) }, nil)
	reg(EventGraphDeleted, 1, func() Payload { return new(GraphDeleted) }, nil)
	reg(EventNodesAdded, 1, func() Payload { return new(NodesAdded) }, nil)
	reg(EventNodeUpdated, 1, func() Payload { return new(NodeUpdated) }, nil)
	reg(EventNodeRemoved, 1, func() Payload { return new(NodeRemoved) }, nil)
	reg(EventNodePinned, 2, func() Payload { return new(NodePinned) }, map[int]Upcaster{1: upcastNodePinnedV1})
	reg(EventEdgesAdded, 2, func() Payload { return new(EdgesAdded) }, map[int]Upcaster{1: upcastEdgesAddedV1})
	reg(EventEdgeUpdated, 1, func() Payload { return new(EdgeUpdated) }, nil)
	reg(EventEdgeRemoved, 1, func() Payload { return new(EdgeRemoved) }, nil)
	reg(EventSubgraphCreated, 1, func() Payload { return new(SubgraphCreated) }, nil)
	reg(EventSubgraphChanged, 1, func() Payload { return new(SubgraphChanged) }, nil)
}

// upcastNodePinnedV1 turns {"node_id","x","y","z","pinned"} into {"id","position"}.
func upcastNodePinnedV1(raw json.RawMessage) (json.RawMessage, error) {
	var v1 struct {
		NodeID string  `json:"node_id"`
		X      float64 `json:"x"`
		Y      float64 `json:"y"`
		Z      float64 `json:"z"`
		Pinned bool    `json:"pinned"`
	}
	if err := json.Unmarshal(raw, &v1); err != nil {
		return nil, err
	}
	v2 := NodePinned{ID: v1.NodeID}
	if v1.Pinned {
		v2.Position = &Vec3{v1.X, v1.Y, v1.Z}
	}
	return json.Marshal(&v2)
}

// upcastEdgesAddedV1 renames from/to to source/target and makes the default weight 1 explicit.
func upcastEdgesAddedV1(raw json.RawMessage) (json.RawMessage, error) {
	var v1 struct {
		Edges []struct {
			ID     string   `json:"id"`
			From   string   `json:"from"`
			To     string   `json:"to"`
			Kind   string   `json:"kind"`
			Weight *float64 `json:"weight"`
			Props  Props    `json:"props"`
		} `json:"edges"`
	}
	if err := json.Unmarshal(raw, &v1); err != nil {
		return nil, err
	}
	v2 := EdgesAdded{Edges: make([]Edge, len(v1.Edges))}
	for i, e := range v1.Edges {
		w := 1.0
		if e.Weight != nil {
			w = *e.Weight
		}
		v2.Edges[i] = Edge{ID: e.ID, Source: e.From, Target: e.To, Kind: e.Kind, Weight: w, Props: e.Props}
	}
	return json.Marshal(&v2)
}
