package graph

import (
	"iter"
	"slices"
	"time"
)

// nodeSlot is one node and the head of its incidence list. A free slot has an empty ID.
//
// Incidence is an intrusive linked list threaded through the edges (each edge links to the next
// edge of its source and of its target), as in the "linked list of relationships" record layout of
// property-graph stores: adding an edge allocates nothing and a node costs 8 bytes of adjacency
// instead of a slice header plus a backing array. Removing an edge walks its endpoints' lists,
// O(degree), like a slice scan would.
type nodeSlot struct {
	Node
	first int32     // first incident edge slot, -1 when none
	deg   int32     // incident edges (a self-loop once)
	comp  *nodeComp // game components, nil when none
}

// edgeSlot refers to its endpoints by node slot, not id: 8 bytes instead of 32 and no map lookups
// when walking. A free slot has src < 0.
type edgeSlot struct {
	id               string
	kind             string
	src, dst         int32
	nextSrc, nextDst int32 // next edge in src's and dst's incidence lists (a self-loop uses nextSrc only)
	weight           float64
	props            Props
}

// nextAt is the edge after e in node u's incidence list.
func (e *edgeSlot) nextAt(u int32) int32 {
	if e.src == u {
		return e.nextSrc
	}
	return e.nextDst
}

type subgraph struct {
	name    string
	members map[string]struct{}
}

// Graph is the aggregate's state. The zero value is not usable; call [New]. A Graph is not safe for
// concurrent use: the owner serialises Apply and reads.
type Graph struct {
	id       string
	name     string
	tags     []string
	created  time.Time
	updated  time.Time
	exists   bool
	deleted  bool
	version  uint64 // store sequence of the last applied event
	applied  uint64 // number of events applied
	nodes    []nodeSlot
	freeNode []int32
	nodeIdx  idIndex
	edges    []edgeSlot
	freeEdge []int32
	edgeIdx  idIndex
	subs     map[string]*subgraph
	kinds    map[string]string // interned kind strings: thousands of edges share a handful of kinds
	recent   recentCommands

	spaces     map[string]*space     // conceptual spaces by id
	coalitions map[string]*coalition // coalitions by id

	frozen bool // forked from (Fork): its id indexes are shared and must not change
}

// New returns the empty state of graph id (before graph_created).
func New(id string) *Graph {
	return &Graph{
		id:      id,
		nodeIdx: newIDIndex(0),
		edgeIdx: newIDIndex(0),
		subs:    make(map[string]*subgraph),
		kinds:   make(map[string]string),

		spaces:     make(map[string]*space),
		coalitions: make(map[string]*coalition),
	}
}

// Reserve grows the tables for about n more nodes and m more edges, so a bulk load does not rehash.
func (g *Graph) Reserve(n, m int) {
	if n > 0 {
		g.nodes = slices.Grow(g.nodes, n)
		if g.nodeIdx.len() == 0 {
			g.nodeIdx = newIDIndex(n)
		}
	}
	if m > 0 {
		g.edges = slices.Grow(g.edges, m)
		if g.edgeIdx.len() == 0 {
			g.edgeIdx = newIDIndex(m)
		}
	}
}

func (g *Graph) ID() string             { return g.id }
func (g *Graph) Name() string           { return g.name }
func (g *Graph) Tags() []string         { return slices.Clone(g.tags) }
func (g *Graph) Created() time.Time     { return g.created }
func (g *Graph) Updated() time.Time     { return g.updated }
func (g *Graph) Exists() bool           { return g.exists }
func (g *Graph) Deleted() bool          { return g.deleted }
func (g *Graph) NodeCount() int         { return g.nodeIdx.len() }
func (g *Graph) EdgeCount() int         { return g.edgeIdx.len() }
func (g *Graph) HasNode(id string) bool { _, ok := g.nodeIdx.get(id); return ok }
func (g *Graph) HasEdge(id string) bool { _, ok := g.edgeIdx.get(id); return ok }

// Version is the store sequence of the last applied event (0: nothing stored yet). Appends expect it.
func (g *Graph) Version() uint64 { return g.version }

// EventCount is the number of events applied, which decides when a snapshot is due.
func (g *Graph) EventCount() uint64 { return g.applied }

// SetVersion records the store position after events were applied without one (bulk paths).
func (g *Graph) SetVersion(v uint64) { g.version = v }

// Node returns a node by id.
func (g *Graph) Node(id string) (Node, bool) {
	i, ok := g.nodeIdx.get(id)
	if !ok {
		return Node{}, false
	}
	return g.nodes[i].Node, true
}

// Edge returns an edge by id.
func (g *Graph) Edge(id string) (Edge, bool) {
	i, ok := g.edgeIdx.get(id)
	if !ok {
		return Edge{}, false
	}
	return g.edgeAt(i), true
}

func (g *Graph) edgeAt(i int32) Edge {
	e := &g.edges[i]
	return Edge{ID: e.id, Source: g.nodes[e.src].ID, Target: g.nodes[e.dst].ID, Kind: e.kind, Weight: e.weight, Props: e.props}
}

// Nodes iterates the nodes in storage order (deterministic for a given history).
func (g *Graph) Nodes() iter.Seq[Node] {
	return func(yield func(Node) bool) {
		for i := range g.nodes {
			if g.nodes[i].ID != "" && !yield(g.nodes[i].Node) {
				return
			}
		}
	}
}

// Edges iterates the edges in storage order.
// SlotEdge is an edge whose ends are node slots (see NodesBySlot) rather than ids.
type SlotEdge struct {
	ID, Kind string
	Src, Dst int32
	Weight   float64
}

// NodeSlots bounds the slot numbers NodesBySlot yields.
func (g *Graph) NodeSlots() int { return len(g.nodes) }

// NodesBySlot yields every node with its slot, a number below NodeSlots that stays the node's until
// it is removed. With EdgesBySlot it lets a projection join edges to nodes through an array instead
// of id lookups.
func (g *Graph) NodesBySlot() iter.Seq2[int32, Node] {
	return func(yield func(int32, Node) bool) {
		for i := range g.nodes {
			if g.nodes[i].ID != "" && !yield(int32(i), g.nodes[i].Node) {
				return
			}
		}
	}
}

// EdgesBySlot yields every edge with its ends as node slots; the order is that of Edges.
func (g *Graph) EdgesBySlot() iter.Seq[SlotEdge] {
	return func(yield func(SlotEdge) bool) {
		for i := range g.edges {
			e := &g.edges[i]
			if e.src >= 0 && !yield(SlotEdge{ID: e.id, Kind: e.kind, Src: e.src, Dst: e.dst, Weight: e.weight}) {
				return
			}
		}
	}
}

func (g *Graph) Edges() iter.Seq[Edge] {
	return func(yield func(Edge) bool) {
		for i := range g.edges {
			if g.edges[i].src >= 0 && !yield(g.edgeAt(int32(i))) {
				return
			}
		}
	}
}

// IncidentEdges returns the edges into and out of a node.
func (g *Graph) IncidentEdges(nodeID string) []Edge {
	i, ok := g.nodeIdx.get(nodeID)
	if !ok {
		return nil
	}
	// Sorted by slot: the order then does not depend on whether the state was replayed or restored
	// from a snapshot (which rebuilds the lists in another order).
	adj := make([]int32, 0, g.nodes[i].deg)
	for e := g.nodes[i].first; e >= 0; e = g.edges[e].nextAt(i) {
		adj = append(adj, e)
	}
	slices.Sort(adj)
	out := make([]Edge, 0, len(adj))
	for _, e := range adj {
		out = append(out, g.edgeAt(e))
	}
	return out
}

// Degree is the number of edges incident to a node (a self-loop counts once).
func (g *Graph) Degree(nodeID string) int {
	if i, ok := g.nodeIdx.get(nodeID); ok {
		return int(g.nodes[i].deg)
	}
	return 0
}

// Subgraph returns a subgraph with its members sorted.
func (g *Graph) Subgraph(id string) (Subgraph, bool) {
	s, ok := g.subs[id]
	if !ok {
		return Subgraph{}, false
	}
	return s.export(id), true
}

// Subgraphs lists the subgraphs sorted by id.
func (g *Graph) Subgraphs() []Subgraph {
	out := make([]Subgraph, 0, len(g.subs))
	for id, s := range g.subs {
		out = append(out, s.export(id))
	}
	slices.SortFunc(out, func(a, b Subgraph) int { return compareStrings(a.ID, b.ID) })
	return out
}

func (s *subgraph) export(id string) Subgraph {
	m := make([]string, 0, len(s.members))
	for n := range s.members {
		m = append(m, n)
	}
	slices.Sort(m)
	return Subgraph{ID: id, Name: s.name, Nodes: m}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CommandVersion reports whether a command (by its id, the events' correlation id) is among the
// last RecentCommands applied, and the version its last event got. The command service uses it to
// apply a retried command once.
func (g *Graph) CommandVersion(commandID string) (uint64, bool) {
	v, ok := g.recent.seen[commandID]
	return v, ok
}

func (g *Graph) intern(s string) string {
	if s == "" {
		return ""
	}
	if c, ok := g.kinds[s]; ok {
		return c
	}
	g.kinds[s] = s
	return s
}
