package graph

import (
	"maps"
	"slices"
)

// Clone returns an independent copy of the state: applying events to either never shows in the
// other. It copies the tables (slots, indexes, member sets) and shares only what Apply never changes
// in place — property maps (replaced on every change, see mergeProps), coordinate slices, pins,
// strategy and utility values, space definitions — which makes it several times cheaper than an
// encode/decode round trip (the timeline's checkpoints are clones).
func (g *Graph) Clone() *Graph {
	c := *g
	c.tags = slices.Clone(g.tags)
	// Headroom, because a clone is usually replayed forward (timeline): growing a 300K-edge table on the
	// first added edge would copy it all again.
	c.nodes = append(make([]nodeSlot, 0, len(g.nodes)+max(1024, len(g.nodes)/8)), g.nodes...)
	for i := range c.nodes {
		if comp := c.nodes[i].comp; comp != nil {
			cp := *comp
			c.nodes[i].comp = &cp
		}
	}
	c.freeNode = slices.Clone(g.freeNode)
	c.nodeIdx = maps.Clone(g.nodeIdx)
	c.edges = append(make([]edgeSlot, 0, len(g.edges)+max(1024, len(g.edges)/8)), g.edges...)
	c.freeEdge = slices.Clone(g.freeEdge)
	c.edgeIdx = maps.Clone(g.edgeIdx)
	c.kinds = maps.Clone(g.kinds)
	c.subs = make(map[string]*subgraph, len(g.subs))
	for id, s := range g.subs {
		c.subs[id] = &subgraph{name: s.name, members: maps.Clone(s.members)}
	}
	c.recent = recentCommands{ring: slices.Clone(g.recent.ring), next: g.recent.next, seen: maps.Clone(g.recent.seen)}
	c.spaces = make(map[string]*space, len(g.spaces))
	for id, s := range g.spaces {
		cs := *s
		cs.pts = slices.Clone(s.pts)
		cs.protos = slices.Clone(s.protos)
		c.spaces[id] = &cs
	}
	c.coalitions = make(map[string]*coalition, len(g.coalitions))
	for id, co := range g.coalitions {
		c.coalitions[id] = &coalition{name: co.name, value: co.value, members: maps.Clone(co.members)}
	}
	return &c
}
