package world

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/render"
)

// World projects one graph's events into tables. Apply runs on the frame thread; nothing here locks.
type World struct {
	GraphID string
	Name    string
	Deleted bool
	Nodes   Nodes
	Edges   Edges
	Kinds   []string // interned node and edge kinds; 0 is ""

	// Seq is the store position of the last applied event: the bridge resumes after it.
	Seq uint64
	// Topology counts changes of rows (nodes or edges added or removed); Style counts changes of
	// colours and radii. Systems compare them with what they last saw.
	Topology uint64
	Style    uint64

	kindIndex map[string]int32
	remap     []int32
}

// New returns an empty world for a graph.
func New(graphID string) *World {
	w := &World{GraphID: graphID, kindIndex: map[string]int32{"": 0}, Kinds: []string{""}}
	w.Nodes.index = map[string]int32{}
	w.Edges.index = map[string]int32{}
	return w
}

// Reserve grows the tables for nodes and edges more rows, so that opening a graph of known size (from
// its snapshot) does not regrow every column and map on the way.
func (w *World) Reserve(nodes, edges int) {
	n, e := &w.Nodes, &w.Edges
	if len(n.index) == 0 && len(e.index) == 0 {
		n.index = make(map[string]int32, nodes)
		if e.index != nil {
			e.index = make(map[string]int32, edges)
		}
	}
	n.ID, n.Label, n.Kind, n.Degree = grow(n.ID, nodes), grow(n.Label, nodes), grow(n.Kind, nodes), grow(n.Degree, nodes)
	n.Pinned, n.PinPos, n.Color, n.Radius = grow(n.Pinned, nodes), grow(n.PinPos, nodes), grow(n.Color, nodes), grow(n.Radius, nodes)
	n.origin, n.dead = grow(n.origin, nodes), grow(n.dead, nodes)
	e.ID, e.Src, e.Dst, e.Weight, e.Kind = grow(e.ID, edges), grow(e.Src, edges), grow(e.Dst, edges), grow(e.Weight, edges), grow(e.Kind, edges)
}

func grow[T any](s []T, more int) []T {
	if cap(s)-len(s) >= more {
		return s
	}
	out := make([]T, len(s), len(s)+more)
	copy(out, s)
	return out
}

func (w *World) kind(k string) int32 {
	if i, ok := w.kindIndex[k]; ok {
		return i
	}
	i := int32(len(w.Kinds))
	w.Kinds = append(w.Kinds, k)
	w.kindIndex[k] = i
	return i
}

// Apply projects one event. Events are trusted (the aggregate decided them), but a projection never
// crashes on a surprise: an inconsistent event is reported and the rest of it skipped.
func (w *World) Apply(ev *graph.Event) error {
	if ev.Seq != 0 {
		w.Seq = ev.Seq
	}
	switch p := ev.Data.(type) {
	case *graph.GraphCreated:
		w.Name = p.Name
	case *graph.GraphRenamed:
		w.Name = p.Name
	case *graph.GraphDeleted:
		w.Deleted = true
	case *graph.NodesAdded:
		for i := range p.Nodes {
			n := &p.Nodes[i]
			if _, dup := w.Nodes.index[n.ID]; dup {
				return fmt.Errorf("event %d: node %q already exists", ev.Seq, n.ID)
			}
			row := w.Nodes.add(n.ID, n.Label, w.kind(n.Kind))
			if n.Pin != nil {
				w.pin(row, n.Pin)
			}
		}
		w.Topology++
	case *graph.NodeUpdated:
		row, ok := w.Nodes.index[p.ID]
		if !ok {
			return fmt.Errorf("event %d: update of unknown node %q", ev.Seq, p.ID)
		}
		if p.Label != nil {
			w.Nodes.Label[row] = *p.Label
		}
		if p.Kind != nil {
			k := w.kind(*p.Kind)
			w.Nodes.Kind[row] = k
			w.Nodes.Color[row] = render.Palette[int(k)%len(render.Palette)]
			w.Style++
		}
	case *graph.NodePinned:
		row, ok := w.Nodes.index[p.ID]
		if !ok {
			return fmt.Errorf("event %d: pin of unknown node %q", ev.Seq, p.ID)
		}
		if p.Position == nil {
			w.Nodes.Pinned[row] = false
		} else {
			w.pin(row, p.Position)
		}
		w.Topology++
	case *graph.NodeRemoved:
		for i := range p.Edges {
			w.removeEdge(p.Edges[i].ID)
		}
		row, ok := w.Nodes.index[p.ID]
		if !ok {
			return fmt.Errorf("event %d: removal of unknown node %q", ev.Seq, p.ID)
		}
		w.Nodes.kill(row)
		w.Topology++
	case *graph.EdgesAdded:
		for i := range p.Edges {
			e := &p.Edges[i]
			src, ok1 := w.Nodes.index[e.Source]
			dst, ok2 := w.Nodes.index[e.Target]
			if !ok1 || !ok2 {
				return fmt.Errorf("event %d: edge %q joins unknown nodes %q → %q", ev.Seq, e.ID, e.Source, e.Target)
			}
			w.Edges.add(e.ID, src, dst, float32(e.Weight), w.kind(e.Kind))
			w.degree(src, 1)
			w.degree(dst, 1)
		}
		w.Topology++
	case *graph.EdgeUpdated:
		row, ok := w.Edges.Index(p.ID)
		if !ok {
			return fmt.Errorf("event %d: update of unknown edge %q", ev.Seq, p.ID)
		}
		if p.Weight != nil {
			w.Edges.Weight[row] = float32(*p.Weight)
			w.Topology++
		}
		if p.Kind != nil {
			w.Edges.Kind[row] = w.kind(*p.Kind)
		}
	case *graph.EdgeRemoved:
		w.removeEdge(p.ID)
		w.Topology++
	}
	return nil
}

func (w *World) pin(row int32, p *graph.Vec3) {
	w.Nodes.Pinned[row] = true
	w.Nodes.PinPos[row] = [3]float32{float32(p[0]), float32(p[1]), float32(p[2])}
}

func (w *World) degree(row int32, delta int32) {
	w.Nodes.Degree[row] += delta
	w.Nodes.Radius[row] = radiusForDegree(w.Nodes.Degree[row])
	w.Style++
}

func (w *World) removeEdge(id string) {
	row, ok := w.Edges.Index(id)
	if !ok {
		return
	}
	w.degree(w.Edges.Src[row], -1)
	w.degree(w.Edges.Dst[row], -1)
	w.Edges.remove(row)
}

// Drain applies queued events until the queue is empty or the frame's budget is spent, so a burst of
// events is spread over frames instead of stalling one. It returns how many it applied.
// observe, when set, sees every event after the world applied it (the GUI keeps its aggregate in step).
func (w *World) Drain(queue <-chan *graph.Event, budget time.Duration, log *slog.Logger, observe func(*graph.Event)) int {
	deadline := time.Now().Add(budget)
	n := 0
	for {
		select {
		case ev := <-queue:
			if err := w.Apply(ev); err != nil && log != nil {
				log.Warn("event skipped", "graph", w.GraphID, "seq", ev.Seq, "type", ev.Type, "err", err)
			}
			if observe != nil {
				observe(ev)
			}
			n++
			// Checking the clock every event would cost more than most events.
			if n%256 == 0 && time.Now().After(deadline) {
				return n
			}
		default:
			return n
		}
	}
}

// Sync compacts removed rows; call it once per frame after Drain, before systems read the tables.
func (w *World) Sync() {
	remap := w.Nodes.compact(w.remap)
	if remap == nil {
		return
	}
	w.remap = remap
	for i := range w.Edges.Src {
		w.Edges.Src[i] = remap[w.Edges.Src[i]]
		w.Edges.Dst[i] = remap[w.Edges.Dst[i]]
	}
}

// Rows maps node ids to rows. It is the world's own index: read it, never change it, and do not keep
// it across Sync.
func (w *World) Rows() map[string]int32 { return w.Nodes.index }

// LayoutGraph is the topology for the layout runner, with Prev mapping rows to their index at the
// previous call so that surviving nodes keep their positions. It copies: the runner owns the result.
func (w *World) LayoutGraph() layout.Graph {
	n := w.Nodes.Len()
	g := layout.Graph{
		N:      n,
		Src:    append([]int32(nil), w.Edges.Src...),
		Dst:    append([]int32(nil), w.Edges.Dst...),
		Weight: append([]float32(nil), w.Edges.Weight...),
		Prev:   append([]int32(nil), w.Nodes.origin...),
	}
	for i := range w.Nodes.origin {
		w.Nodes.origin[i] = int32(i)
	}
	return g
}

// FillScene copies the style columns and the edge index list into the scene (copies, because the
// scene keeps showing them until the layout has caught up with a newer topology). Positions come
// from the layout every frame.
func (w *World) FillScene(s *render.Scene) {
	s.Radii = append(s.Radii[:0], w.Nodes.Radius...)
	s.Colors = append(s.Colors[:0], w.Nodes.Color...)
	s.Edges = s.Edges[:0]
	for i := range w.Edges.Src {
		s.Edges = append(s.Edges, uint32(w.Edges.Src[i]), uint32(w.Edges.Dst[i]))
	}
	s.Version++
}

// Load replaces the tables with the state of an aggregate (a snapshot plus tail, as opened by the
// repository), which is far cheaper than replaying its history. Seq becomes the aggregate's version.
func (w *World) Load(g *graph.Graph) {
	fresh := New(g.ID())
	fresh.Name, fresh.Deleted, fresh.Seq = g.Name(), g.Deleted(), g.Version()
	fresh.Edges.index = nil // built on first use
	fresh.Reserve(g.NodeCount(), g.EdgeCount())
	// Edges name their ends by node slot: a slot → row array replaces two id lookups per edge.
	rowOf := make([]int32, g.NodeSlots())
	for slot, n := range g.NodesBySlot() {
		row := fresh.Nodes.add(n.ID, n.Label, fresh.kind(n.Kind))
		rowOf[slot] = row
		if n.Pin != nil {
			fresh.pin(row, n.Pin)
		}
	}
	for e := range g.EdgesBySlot() {
		src, dst := rowOf[e.Src], rowOf[e.Dst]
		fresh.Edges.add(e.ID, src, dst, float32(e.Weight), fresh.kind(e.Kind))
		fresh.Nodes.Degree[src]++
		fresh.Nodes.Degree[dst]++
	}
	for i, d := range fresh.Nodes.Degree {
		fresh.Nodes.Radius[i] = radiusForDegree(d)
	}
	fresh.Topology, fresh.Style = w.Topology+1, w.Style+1
	*w = *fresh
}
