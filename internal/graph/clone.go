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
func (g *Graph) Clone() *Graph { return g.clone(nil, false) }

// Freeze marks a state that will never change again (a timeline checkpoint), so that it can be
// forked: applying an event to it afterwards panics.
func (g *Graph) Freeze() { g.frozen = true }

// Fork copies a state for a restore. The node and edge tables are written into those of spare, a
// state the caller has finished with (nil: none), when they are large enough: spare must not be used
// afterwards. Restoring a large state into fresh memory costs a page fault per 4 KiB on first touch —
// on a virtual machine as much as the copy itself — while a spare's tables are memory the process
// already has. When g is frozen, the copy also reads g's id indexes instead of copying them and
// records only its own changes, so restoring allocates no index; a state that is not frozen gets its
// own indexes. Fork only reads g: several goroutines may fork the same state at once.
func (g *Graph) Fork(spare *Graph) *Graph {
	return g.clone(spare, g.frozen)
}

func (g *Graph) clone(spare *Graph, share bool) *Graph {
	c := *g
	c.frozen = false
	c.tags = slices.Clone(g.tags)
	// Headroom, because a clone is usually replayed forward (timeline): growing a 300K-edge table on the
	// first added edge would copy it all again.
	var nodeBuf []nodeSlot
	var edgeBuf []edgeSlot
	if spare != nil && spare != g {
		nodeBuf, edgeBuf = reuse(spare.nodes, len(g.nodes)), reuse(spare.edges, len(g.edges))
	}
	if nodeBuf == nil {
		nodeBuf = make([]nodeSlot, 0, len(g.nodes)+max(1024, len(g.nodes)/8))
	}
	if edgeBuf == nil {
		edgeBuf = make([]edgeSlot, 0, len(g.edges)+max(1024, len(g.edges)/8))
	}
	c.nodes = append(nodeBuf, g.nodes...)
	for i := range c.nodes {
		if comp := c.nodes[i].comp; comp != nil {
			cp := *comp
			c.nodes[i].comp = &cp
		}
	}
	c.freeNode = slices.Clone(g.freeNode)
	if share {
		c.nodeIdx = g.nodeIdx.fork()
	} else {
		c.nodeIdx = g.nodeIdx.clone()
	}
	c.edges = append(edgeBuf, g.edges...)
	c.freeEdge = slices.Clone(g.freeEdge)
	if share {
		c.edgeIdx = g.edgeIdx.fork()
	} else {
		c.edgeIdx = g.edgeIdx.clone()
	}
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

// reuse returns buf emptied for n elements plus headroom, or nil when it is too small. The slots past
// n are cleared so the old state's strings and maps can be collected.
func reuse[T any](buf []T, n int) []T {
	if cap(buf) < n+max(1024, n/16) {
		return nil
	}
	clear(buf[n:cap(buf)])
	return buf[:0]
}
