package graph

import (
	"maps"
	"slices"
)

// Apply folds one event into the state. It never validates: a stored event is a fact. It is total
// all the same: a reference to a missing node or edge (impossible in a history written through
// [Decide]) is skipped rather than trusted, so no input can corrupt the tables or panic. Events of
// types it does not know (registered by later components) only advance the version. The component
// events (spaces, coordinates, strategies, coalitions) are folded in components_apply.go.
func (g *Graph) Apply(ev *Event) {
	if g.frozen {
		panic("graph: Apply on a state that was forked (a checkpoint): clone it first")
	}
	g.applied++
	if ev.Seq > 0 {
		g.version = ev.Seq
	}
	if !ev.Time.IsZero() {
		g.updated = ev.Time
	}
	if ev.CorrelationID != "" {
		g.recent.record(ev.CorrelationID, g.version)
	}
	switch p := ev.Data.(type) {
	case *GraphCreated:
		g.exists = true
		g.name = p.Name
		g.tags = appendTags(g.tags[:0], p.Tags)
		g.created = ev.Time
	case *GraphRenamed:
		g.name = p.Name
	case *GraphTagged:
		g.tags = slices.DeleteFunc(g.tags, func(t string) bool { return slices.Contains(p.Removed, t) })
		g.tags = appendTags(g.tags, p.Added)
	case *GraphDeleted:
		g.deleted = true
	case *NodesAdded:
		if free := cap(g.nodes) - len(g.nodes) + len(g.freeNode); free < len(p.Nodes) {
			// Double rather than let append grow by 1.25×: bulk loads copy the table far less.
			g.nodes = slices.Grow(g.nodes, max(len(p.Nodes), len(g.nodes)))
		}
		for i := range p.Nodes {
			g.addNode(&p.Nodes[i])
		}
	case *NodeUpdated:
		g.updateNode(p)
	case *NodeRemoved:
		g.removeNode(p.ID)
	case *NodePinned:
		if i, ok := g.nodeIdx.get(p.ID); ok {
			if p.Position == nil {
				g.nodes[i].Pin = nil
			} else {
				pos := *p.Position
				g.nodes[i].Pin = &pos
			}
		}
	case *EdgesAdded:
		if free := cap(g.edges) - len(g.edges) + len(g.freeEdge); free < len(p.Edges) {
			g.edges = slices.Grow(g.edges, max(len(p.Edges), len(g.edges)))
		}
		for i := range p.Edges {
			g.addEdge(&p.Edges[i])
		}
	case *EdgeUpdated:
		g.updateEdge(p)
	case *EdgeRemoved:
		if i, ok := g.edgeIdx.get(p.ID); ok {
			g.removeEdge(i)
		}
	case *SubgraphCreated:
		s := &subgraph{name: p.Name, members: make(map[string]struct{}, len(p.Nodes))}
		for _, n := range p.Nodes {
			if g.HasNode(n) {
				s.members[n] = struct{}{}
			}
		}
		g.subs[p.ID] = s
	case *SubgraphChanged:
		s, ok := g.subs[p.ID]
		if !ok {
			return
		}
		if p.Name != nil {
			s.name = *p.Name
		}
		for _, n := range p.Removed {
			delete(s.members, n)
		}
		for _, n := range p.Added {
			if g.HasNode(n) {
				s.members[n] = struct{}{}
			}
		}
	default:
		g.applyComponent(ev.Data)
	}
}

func appendTags(dst, add []string) []string {
	for _, t := range add {
		if !slices.Contains(dst, t) {
			dst = append(dst, t)
		}
	}
	return dst
}

func (g *Graph) addNode(n *Node) {
	if n.ID == "" {
		return
	}
	if _, dup := g.nodeIdx.get(n.ID); dup {
		return
	}
	var i int32
	if k := len(g.freeNode); k > 0 {
		i = g.freeNode[k-1]
		g.freeNode = g.freeNode[:k-1]
	} else {
		i = int32(len(g.nodes))
		g.nodes = append(g.nodes, nodeSlot{})
	}
	s := &g.nodes[i]
	s.Node = *n
	s.Kind = g.intern(n.Kind)
	if n.Pin != nil {
		pos := *n.Pin
		s.Pin = &pos
	}
	s.first, s.deg, s.comp = -1, 0, nil
	g.nodeIdx.set(n.ID, i)
}

func (g *Graph) updateNode(p *NodeUpdated) {
	i, ok := g.nodeIdx.get(p.ID)
	if !ok {
		return
	}
	n := &g.nodes[i].Node
	if p.Label != nil {
		n.Label = *p.Label
	}
	if p.Kind != nil {
		n.Kind = g.intern(*p.Kind)
	}
	n.Props = mergeProps(n.Props, p.SetProps, p.RemoveProps)
	if p.ClearCoords {
		n.Coords = nil
	}
	if p.Coords != nil {
		n.Coords = slices.Clone(p.Coords)
	}
	if p.CID != nil {
		n.CID = *p.CID
	}
}

// mergeProps returns a new map when anything changes, so Node values handed out earlier keep showing
// the properties they were read with.
func mergeProps(cur, set Props, remove []string) Props {
	if len(set) == 0 && len(remove) == 0 {
		return cur
	}
	out := make(Props, len(cur)+len(set))
	maps.Copy(out, cur)
	for _, k := range remove {
		delete(out, k)
	}
	maps.Copy(out, set)
	if len(out) == 0 {
		return nil
	}
	return out
}

func (g *Graph) removeNode(id string) {
	i, ok := g.nodeIdx.get(id)
	if !ok {
		return
	}
	for g.nodes[i].first >= 0 {
		g.removeEdge(g.nodes[i].first)
	}
	for _, s := range g.subs {
		delete(s.members, id)
	}
	g.dropComponents(i)
	g.nodeIdx.del(id)
	g.nodes[i] = nodeSlot{}
	g.freeNode = append(g.freeNode, i)
}

func (g *Graph) addEdge(e *Edge) {
	if e.ID == "" {
		return
	}
	if _, dup := g.edgeIdx.get(e.ID); dup {
		return
	}
	src, ok1 := g.nodeIdx.get(e.Source)
	dst, ok2 := g.nodeIdx.get(e.Target)
	if !ok1 || !ok2 {
		return
	}
	var i int32
	if k := len(g.freeEdge); k > 0 {
		i = g.freeEdge[k-1]
		g.freeEdge = g.freeEdge[:k-1]
	} else {
		i = int32(len(g.edges))
		g.edges = append(g.edges, edgeSlot{})
	}
	g.edges[i] = edgeSlot{id: e.ID, kind: g.intern(e.Kind), src: src, dst: dst, weight: e.Weight, props: e.Props}
	g.edgeIdx.set(e.ID, i)
	g.link(i)
}

// link puts edge i at the head of its endpoints' incidence lists.
func (g *Graph) link(i int32) {
	e := &g.edges[i]
	s := &g.nodes[e.src]
	e.nextSrc, s.first = s.first, i
	s.deg++
	e.nextDst = -1
	if e.dst != e.src {
		d := &g.nodes[e.dst]
		e.nextDst, d.first = d.first, i
		d.deg++
	}
}

// unlink removes edge i from node u's incidence list.
func (g *Graph) unlink(u, i int32) {
	n := &g.nodes[u]
	next := g.edges[i].nextAt(u)
	if n.first == i {
		n.first = next
	} else {
		for p := n.first; p >= 0; {
			pe := &g.edges[p]
			q := pe.nextAt(u)
			if q == i {
				if pe.src == u {
					pe.nextSrc = next
				} else {
					pe.nextDst = next
				}
				break
			}
			p = q
		}
	}
	n.deg--
}

func (g *Graph) updateEdge(p *EdgeUpdated) {
	i, ok := g.edgeIdx.get(p.ID)
	if !ok {
		return
	}
	e := &g.edges[i]
	if p.Kind != nil {
		e.kind = g.intern(*p.Kind)
	}
	if p.Weight != nil {
		e.weight = *p.Weight
	}
	e.props = mergeProps(e.props, p.SetProps, p.RemoveProps)
}

func (g *Graph) removeEdge(i int32) {
	e := &g.edges[i]
	g.unlink(e.src, i)
	if e.dst != e.src {
		g.unlink(e.dst, i)
	}
	g.edgeIdx.del(e.id)
	*e = edgeSlot{src: -1, dst: -1}
	g.freeEdge = append(g.freeEdge, i)
}
