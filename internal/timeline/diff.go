package timeline

import (
	"slices"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Change is what differs between two versions: ids present at To and not at From (added) and the
// reverse (removed), each sorted. A node removed and added again in between is in neither.
type Change struct {
	From, To                 uint64
	NodesAdded, NodesRemoved []string
	EdgesAdded, EdgesRemoved []string
}

// Diff compares versions a and b. With a > b the change reads backwards: what b has that a has not
// is "added".
func (h *History) Diff(a, b uint64) (Change, error) {
	ia, err := h.index(a)
	if err != nil {
		return Change{}, err
	}
	ib, err := h.index(b)
	if err != nil {
		return Change{}, err
	}
	lo, hi, back := ia, ib, false
	if lo > hi {
		lo, hi, back = hi, lo, true
	}
	g, err := h.restore(lo)
	if err != nil {
		return Change{}, err
	}
	// Only ids that an event in (lo, hi] names can differ; note whether each was there at lo.
	nodesBefore := map[string]bool{}
	edgesBefore := map[string]bool{}
	noteNode := func(id string) {
		if _, ok := nodesBefore[id]; !ok {
			nodesBefore[id] = g.HasNode(id)
		}
	}
	noteEdge := func(id string) {
		if _, ok := edgesBefore[id]; !ok {
			edgesBefore[id] = g.HasEdge(id)
		}
	}
	for i := lo; i < hi; i++ {
		ev := &h.events[i]
		switch p := ev.Data.(type) {
		case *graph.NodesAdded:
			for j := range p.Nodes {
				noteNode(p.Nodes[j].ID)
			}
		case *graph.NodeRemoved:
			noteNode(p.ID)
			// The event lists the incident edges, but Apply removes what the state has: take those.
			for _, e := range g.IncidentEdges(p.ID) {
				noteEdge(e.ID)
			}
		case *graph.EdgesAdded:
			for j := range p.Edges {
				noteEdge(p.Edges[j].ID)
			}
		case *graph.EdgeRemoved:
			noteEdge(p.ID)
		}
		g.Apply(ev)
	}
	c := Change{From: a, To: b}
	for id, was := range nodesBefore {
		switch is := g.HasNode(id); {
		case is && !was:
			c.NodesAdded = append(c.NodesAdded, id)
		case was && !is:
			c.NodesRemoved = append(c.NodesRemoved, id)
		}
	}
	for id, was := range edgesBefore {
		switch is := g.HasEdge(id); {
		case is && !was:
			c.EdgesAdded = append(c.EdgesAdded, id)
		case was && !is:
			c.EdgesRemoved = append(c.EdgesRemoved, id)
		}
	}
	if back {
		c.NodesAdded, c.NodesRemoved = c.NodesRemoved, c.NodesAdded
		c.EdgesAdded, c.EdgesRemoved = c.EdgesRemoved, c.EdgesAdded
	}
	slices.Sort(c.NodesAdded)
	slices.Sort(c.NodesRemoved)
	slices.Sort(c.EdgesAdded)
	slices.Sort(c.EdgesRemoved)
	return c, nil
}

// Marker is an event worth a tick on the scrubber.
type Marker struct {
	Version uint64
	Index   int // position in the history (Event(Index))
	Type    string
	Actor   string
}

// Markers lists the events whose type is one of types (e.g. "suggestion_accepted", "nodes_added"),
// in order.
func (h *History) Markers(types ...string) []Marker {
	var out []Marker
	for i := range h.events {
		ev := &h.events[i]
		t := eventType(ev)
		if slices.Contains(types, t) {
			out = append(out, Marker{Version: ev.Seq, Index: i, Type: t, Actor: ev.Actor})
		}
	}
	return out
}

// eventType is the envelope's type, or the payload's for an event built in memory.
func eventType(ev *graph.Event) string {
	if ev.Type != "" || ev.Data == nil {
		return ev.Type
	}
	return ev.Data.EventType()
}
