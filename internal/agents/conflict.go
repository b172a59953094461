package agents

import (
	"fmt"
	"sort"
	"strings"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Conflict detection for a suggestion made against an older version, in the manner of optimistic
// offline locking (Fowler, "Patterns of Enterprise Application Architecture", 2002) at the
// granularity of graph entities: a suggestion conflicts with the changes since its base version
// when it writes an entity that was changed since, or refers to one that was removed since. Layout
// pins are presentation, not content, and never conflict.
//
// Entities are keys: "node:<id>", "edge:<id>", "subgraph:<id>", "graph.name", "graph.tags",
// "space:<id>", "coords:<space>:<node>", "prototype:<space>:<name>", "strategy:<node>",
// "utility:<node>", "coalition:<id>", "member:<node>" (a node's coalition membership).

type keyset map[string]struct{}

func (k keyset) add(keys ...string) {
	for _, s := range keys {
		k[s] = struct{}{}
	}
}

// footprint is what a suggestion's commands read and write.
type footprint struct{ reads, writes keyset }

func newFootprint(cmds []graph.Command) footprint {
	f := footprint{reads: keyset{}, writes: keyset{}}
	for _, c := range cmds {
		f.addCommand(c)
	}
	return f
}

func node(id string) string { return "node:" + id }

func (f footprint) addCommand(c graph.Command) {
	w, r := f.writes.add, f.reads.add
	switch c := c.(type) {
	case *graph.RenameGraph:
		w("graph.name")
	case *graph.TagGraph:
		w("graph.tags")
	case *graph.AddNodes:
		for _, n := range c.Nodes {
			w(node(n.ID))
		}
	case *graph.UpdateNode:
		w(node(c.ID))
	case *graph.RemoveNode:
		w(node(c.ID))
	case *graph.PinNode:
		r(node(c.ID))
	case *graph.AddEdges:
		for _, e := range c.Edges {
			w("edge:" + e.ID)
			r(node(e.Source), node(e.Target))
		}
	case *graph.UpdateEdge:
		w("edge:" + c.ID)
	case *graph.RemoveEdge:
		w("edge:" + c.ID)
	case *graph.CreateSubgraph:
		w("subgraph:" + c.ID)
		for _, n := range c.Nodes {
			r(node(n))
		}
	case *graph.ChangeSubgraph:
		w("subgraph:" + c.ID)
		for _, n := range c.Added {
			r(node(n))
		}
	case *graph.DefineSpace:
		w("space:" + c.ID)
	case *graph.SetCoordinates:
		r("space:" + c.Space)
		for _, p := range c.Points {
			w("coords:" + c.Space + ":" + p.ID)
			r(node(p.ID))
		}
	case *graph.AddPrototype:
		r("space:" + c.Space)
		w("prototype:" + c.Space + ":" + c.Name)
	case *graph.RemovePrototype:
		w("prototype:" + c.Space + ":" + c.Name)
	case *graph.SetStrategy:
		w("strategy:" + c.ID)
		r(node(c.ID))
	case *graph.SetUtility:
		w("utility:" + c.ID)
		r(node(c.ID))
	case *graph.FormCoalition:
		w("coalition:" + c.ID)
		for _, m := range c.Members {
			w("member:" + m)
			r(node(m))
		}
	case *graph.DissolveCoalition:
		w("coalition:" + c.ID)
	}
}

// effects records what events changed and removed.
type effects struct {
	changed, removed keyset
	at               map[string]uint64 // key → version of the (last) change, for the message
}

func newEffects() *effects {
	return &effects{changed: keyset{}, removed: keyset{}, at: map[string]uint64{}}
}

func (e *effects) change(v uint64, keys ...string) {
	for _, k := range keys {
		e.changed[k] = struct{}{}
		e.at[k] = v
	}
}

func (e *effects) remove(v uint64, keys ...string) {
	e.change(v, keys...)
	e.removed.add(keys...)
}

func (e *effects) addEvent(ev *graph.Event) {
	v := ev.Seq
	switch p := ev.Data.(type) {
	case *graph.GraphRenamed:
		e.change(v, "graph.name")
	case *graph.GraphTagged:
		e.change(v, "graph.tags")
	case *graph.NodesAdded:
		for _, n := range p.Nodes {
			e.change(v, node(n.ID))
		}
	case *graph.NodeUpdated:
		e.change(v, node(p.ID))
	case *graph.NodeRemoved:
		e.remove(v, node(p.ID), "strategy:"+p.ID, "utility:"+p.ID, "member:"+p.ID)
		for _, ed := range p.Edges {
			e.remove(v, "edge:"+ed.ID)
		}
		for _, sp := range p.Points {
			e.remove(v, "coords:"+sp.Space+":"+p.ID)
		}
	case *graph.EdgesAdded:
		for _, ed := range p.Edges {
			e.change(v, "edge:"+ed.ID)
		}
	case *graph.EdgeUpdated:
		e.change(v, "edge:"+p.ID)
	case *graph.EdgeRemoved:
		e.remove(v, "edge:"+p.ID)
	case *graph.SubgraphCreated:
		e.change(v, "subgraph:"+p.ID)
	case *graph.SubgraphChanged:
		e.change(v, "subgraph:"+p.ID)
	case *graph.SpaceDefined:
		e.change(v, "space:"+p.ID)
	case *graph.CoordinatesSet:
		for _, pt := range p.Points {
			e.change(v, "coords:"+p.Space+":"+pt.ID)
		}
	case *graph.PrototypeAdded:
		e.change(v, "prototype:"+p.Space+":"+p.Name)
	case *graph.PrototypeRemoved:
		e.remove(v, "prototype:"+p.Space+":"+p.Name)
	case *graph.StrategySet:
		e.change(v, "strategy:"+p.ID)
	case *graph.UtilitySet:
		e.change(v, "utility:"+p.ID)
	case *graph.CoalitionFormed:
		e.change(v, "coalition:"+p.ID)
		for _, m := range p.Members {
			e.change(v, "member:"+m)
		}
	case *graph.CoalitionDissolved:
		e.remove(v, "coalition:"+p.ID)
		for _, m := range p.Members {
			e.change(v, "member:"+m)
		}
	}
}

// conflicts lists, sorted, the entities of f that e makes conflicting, each with the version that
// changed it.
func (e *effects) conflicts(f footprint) []string {
	var out []string
	for k := range f.writes {
		if _, ok := e.changed[k]; ok {
			out = append(out, fmt.Sprintf("%s (changed at version %d)", k, e.at[k]))
		}
	}
	for k := range f.reads {
		if _, ok := e.removed[k]; ok {
			if _, also := f.writes[k]; !also {
				out = append(out, fmt.Sprintf("%s (removed at version %d)", k, e.at[k]))
			}
		}
	}
	sort.Strings(out)
	return out
}

// conflictError names up to ten conflicting entities.
func conflictError(id string, base uint64, list []string) *Error {
	more := ""
	if len(list) > 10 {
		more = fmt.Sprintf(" and %d more", len(list)-10)
		list = list[:10]
	}
	return Errorf(CodeConflict, "suggestion %s (made at version %d) conflicts with later changes: %s%s",
		id, base, strings.Join(list, ", "), more)
}
