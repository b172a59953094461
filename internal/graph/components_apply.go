package graph

import (
	"bytes"
	"maps"
	"math"
	"slices"
)

// applyComponent folds the component events. Like Apply it is total: references to missing nodes,
// spaces or coalitions and names that are not dimensions are skipped, so no input corrupts state.
func (g *Graph) applyComponent(data Payload) {
	switch p := data.(type) {
	case *SpaceDefined:
		if _, dup := g.spaces[p.ID]; !dup {
			g.spaces[p.ID] = newSpace(p.Name, bytes.Clone(p.Definition))
		}
	case *CoordinatesSet:
		s, ok := g.spaces[p.Space]
		if !ok {
			return
		}
		for i := range p.Points {
			if slot, ok := g.nodeIdx.get(p.Points[i].ID); ok {
				s.setPoint(slot, p.Points[i].Coordinates)
			}
		}
	case *PrototypeAdded:
		if s, ok := g.spaces[p.Space]; ok && s.prototype(p.Name) < 0 {
			s.protos = append(s.protos, Prototype{Name: p.Name, Point: cloneCoords(p.Point), Source: p.Source})
		}
	case *PrototypeRemoved:
		if s, ok := g.spaces[p.Space]; ok {
			if k := s.prototype(p.Name); k >= 0 {
				s.protos = slices.Delete(s.protos, k, k+1)
			}
		}
	case *StrategySet:
		if i, ok := g.nodeIdx.get(p.ID); ok {
			var st *Strategy
			if p.Strategy != nil {
				c := cloneStrategy(*p.Strategy)
				st = &c
			}
			g.comp(i, true).strategy = st
			g.tidyComp(i)
		}
	case *UtilitySet:
		if i, ok := g.nodeIdx.get(p.ID); ok {
			var u *Utility
			if p.Utility != nil {
				c := cloneUtility(*p.Utility)
				u = &c
			}
			g.comp(i, true).utility = u
			g.tidyComp(i)
		}
	case *CoalitionFormed:
		g.formCoalition(p)
	case *CoalitionDissolved:
		if c, ok := g.coalitions[p.ID]; ok {
			for m := range c.members {
				i := g.nodeIdx.slot(m)
				g.nodes[i].comp.coalition = ""
				g.tidyComp(i)
			}
			delete(g.coalitions, p.ID)
		}
	}
}

func (g *Graph) tidyComp(i int32) {
	if c := g.nodes[i].comp; c != nil && c.empty() {
		g.nodes[i].comp = nil
	}
}

func (g *Graph) formCoalition(p *CoalitionFormed) {
	if _, dup := g.coalitions[p.ID]; dup || p.ID == "" { // "" is a node's "no coalition"
		return
	}
	c := &coalition{name: p.Name, value: p.Value, members: make(map[string]struct{}, len(p.Members))}
	for _, m := range p.Members {
		// A node stays in the coalition it joined first: coalitions are disjoint.
		if i, ok := g.nodeIdx.get(m); ok {
			if cp := g.nodes[i].comp; cp == nil || cp.coalition == "" {
				c.members[m] = struct{}{}
			}
		}
	}
	if len(c.members) == 0 {
		return
	}
	for m := range c.members {
		g.comp(g.nodeIdx.slot(m), true).coalition = p.ID
	}
	g.coalitions[p.ID] = c
}

// setPoint replaces node slot i's point; a point with no known dimension clears it. The vector is
// new rather than overwritten, because readers may still hold the old one.
func (s *space) setPoint(i int32, c Coordinates) {
	var v []float64
	for name, x := range c {
		k, ok := s.dimIdx[name]
		if !ok {
			continue
		}
		if v == nil {
			v = make([]float64, len(s.dims))
			for j := range v {
				v[j] = math.NaN()
			}
		}
		v[k] = x
	}
	s.put(i, v)
}

// put stores v (nil: none) as node slot i's point.
func (s *space) put(i int32, v []float64) {
	if int(i) >= len(s.pts) {
		if v == nil {
			return
		}
		n := int(i) + 1
		// The capacity past len was never written (points are cleared, never truncated), so it is nil.
		s.pts = slices.Grow(s.pts, n-len(s.pts))[:n]
	}
	switch {
	case s.pts[i] == nil && v != nil:
		s.npts++
	case s.pts[i] != nil && v == nil:
		s.npts--
	}
	s.pts[i] = v
}

// dropComponents removes node slot i from every space and from its coalition (ending the coalition
// when it was the last member); its strategy and utility go with the slot.
func (g *Graph) dropComponents(i int32) {
	for _, s := range g.spaces {
		if int(i) < len(s.pts) {
			s.put(i, nil)
		}
	}
	c := g.nodes[i].comp
	if c == nil || c.coalition == "" {
		return
	}
	if co, ok := g.coalitions[c.coalition]; ok {
		delete(co.members, g.nodes[i].ID)
		if len(co.members) == 0 {
			delete(g.coalitions, c.coalition)
		}
	}
}

func cloneCoords(c Coordinates) Coordinates {
	if len(c) == 0 {
		return nil
	}
	return maps.Clone(c)
}
