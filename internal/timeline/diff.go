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
//
// Only ids that an event between the two versions names can differ, and the edges a node removal
// takes with it. For a short span Diff restores the earlier version and replays the span, noting each
// id's presence before its first change; for a long one — where the replay would cost more than a
// second restore — it restores both versions and looks the named ids up in each, reading the span's
// payloads without applying them.
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
	c := Change{From: a, To: b}
	if lo == hi {
		return c, nil
	}
	var nodes, edges map[string]presence
	if h.replayCost(lo, hi) <= h.restoreCost(h.checkpointFor(hi), hi) {
		nodes, edges, err = h.diffReplay(lo, hi)
	} else {
		nodes, edges, err = h.diffRestore(lo, hi)
	}
	if err != nil {
		return Change{}, err
	}
	c.NodesAdded, c.NodesRemoved = changed(nodes)
	c.EdgesAdded, c.EdgesRemoved = changed(edges)
	if back {
		c.NodesAdded, c.NodesRemoved = c.NodesRemoved, c.NodesAdded
		c.EdgesAdded, c.EdgesRemoved = c.EdgesRemoved, c.EdgesAdded
	}
	return c, nil
}

// presence is whether an id exists at the earlier (was) and the later (is) version.
type presence struct{ was, is bool }

// changed splits the ids whose presence differs into added and removed, sorted.
func changed(ids map[string]presence) (added, removed []string) {
	for id, p := range ids {
		switch {
		case p.is && !p.was:
			added = append(added, id)
		case p.was && !p.is:
			removed = append(removed, id)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	return added, removed
}

// diffReplay restores the state after lo events and replays to hi, noting each named id's presence
// before the first event that names it.
func (h *History) diffReplay(lo, hi int) (nodes, edges map[string]presence, err error) {
	g, err := h.restore(lo)
	if err != nil {
		return nil, nil, err
	}
	nodes, edges = map[string]presence{}, map[string]presence{}
	noteNode := func(id string) {
		if _, ok := nodes[id]; !ok {
			nodes[id] = presence{was: g.HasNode(id)}
		}
	}
	noteEdge := func(id string) {
		if _, ok := edges[id]; !ok {
			edges[id] = presence{was: g.HasEdge(id)}
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
	for id, p := range nodes {
		p.is = g.HasNode(id)
		nodes[id] = p
	}
	for id, p := range edges {
		p.is = g.HasEdge(id)
		edges[id] = p
	}
	h.Recycle(g)
	return nodes, edges, nil
}

// diffRestore restores both states and looks up the ids the span's payloads name. An edge a node
// removal takes with it either existed at lo — then it is among that node's edges there — or was
// added inside the span, where its EdgesAdded names it.
func (h *History) diffRestore(lo, hi int) (nodes, edges map[string]presence, err error) {
	before, err := h.restore(lo)
	if err != nil {
		return nil, nil, err
	}
	nodes, edges = map[string]presence{}, map[string]presence{}
	removed := map[string]bool{} // nodes whose edges at lo are noted
	for i := lo; i < hi; i++ {
		switch p := h.events[i].Data.(type) {
		case *graph.NodesAdded:
			for j := range p.Nodes {
				nodes[p.Nodes[j].ID] = presence{}
			}
		case *graph.NodeRemoved:
			if !removed[p.ID] {
				removed[p.ID] = true
				for _, e := range before.IncidentEdges(p.ID) {
					edges[e.ID] = presence{}
				}
			}
			nodes[p.ID] = presence{}
		case *graph.EdgesAdded:
			for j := range p.Edges {
				edges[p.Edges[j].ID] = presence{}
			}
		case *graph.EdgeRemoved:
			edges[p.ID] = presence{}
		}
	}
	for id := range nodes {
		nodes[id] = presence{was: before.HasNode(id)}
	}
	for id := range edges {
		edges[id] = presence{was: before.HasEdge(id)}
	}
	h.Recycle(before)
	after, err := h.restore(hi)
	if err != nil {
		return nil, nil, err
	}
	for id, p := range nodes {
		p.is = after.HasNode(id)
		nodes[id] = p
	}
	for id, p := range edges {
		p.is = after.HasEdge(id)
		edges[id] = p
	}
	h.Recycle(after)
	return nodes, edges, nil
}
