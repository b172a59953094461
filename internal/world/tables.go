// Package world is the ECS-style projection the workbench draws: graph entities as dense rows of
// component columns (structure of arrays), updated by applying graph events, read by the systems that
// feed the layout and the renderer. It imports neither GL nor NATS and starts no goroutines.
package world

import (
	"math"

	"github.com/infoalchemist/alchemist/internal/render"
)

// Nodes is the node table: row i of every column is node i. Rows are dense; removing a row moves the
// last row into its place (swap-remove), so indices are not stable across removals — ids are.
type Nodes struct {
	ID     []string
	Label  []string
	Kind   []int32 // interned kind, index into World.Kinds
	Degree []int32
	Pinned []bool
	PinPos [][3]float32
	Color  []uint32  // RGBA8, render.Scene layout
	Radius []float32 // world units
	// origin is the row's index at the last layout sync, or -1 for a row added since.
	origin    []int32
	dead      []bool
	deadCount int
	index     map[string]int32
}

// Edges is the edge table.
type Edges struct {
	ID     []string
	Src    []int32 // node rows
	Dst    []int32
	Weight []float32
	Kind   []int32
	// index is built on first use (nil until then): a world loaded from a snapshot is mostly drawn,
	// and 300K map inserts are half the cost of loading it.
	index map[string]int32
}

// Len is the number of rows, removed ones included until the next compaction (World.Sync).
func (n *Nodes) Len() int { return len(n.ID) }

// Index is the row of a node id.
func (n *Nodes) Index(id string) (int32, bool) {
	i, ok := n.index[id]
	return i, ok
}

// Len is the number of edges.
func (e *Edges) Len() int { return len(e.ID) }

// Index is the row of an edge id.
func (e *Edges) Index(id string) (int32, bool) {
	i, ok := e.indexed()[id]
	return i, ok
}

// BuildIndex builds the edge-id index now rather than on first use: a world that will be followed
// builds it on the goroutine that loads it, not in the middle of a frame.
func (e *Edges) BuildIndex() { e.indexed() }

// indexed returns the id index, building it from the rows when it was left out.
func (e *Edges) indexed() map[string]int32 {
	if e.index == nil {
		e.index = make(map[string]int32, len(e.ID))
		for i, id := range e.ID {
			e.index[id] = int32(i)
		}
	}
	return e.index
}

func (n *Nodes) add(id, label string, kind int32) int32 {
	row := int32(len(n.ID))
	n.ID = append(n.ID, id)
	n.Label = append(n.Label, label)
	n.Kind = append(n.Kind, kind)
	n.Degree = append(n.Degree, 0)
	n.Pinned = append(n.Pinned, false)
	n.PinPos = append(n.PinPos, [3]float32{})
	n.Color = append(n.Color, render.Palette[int(kind)%len(render.Palette)])
	n.Radius = append(n.Radius, radiusForDegree(0))
	n.origin = append(n.origin, -1)
	n.dead = append(n.dead, false)
	n.index[id] = row
	return row
}

// kill marks row i removed; compact drops it later, so that removing many nodes costs one pass.
func (n *Nodes) kill(i int32) {
	delete(n.index, n.ID[i])
	n.dead[i] = true
	n.deadCount++
}

// compact drops the dead rows, keeping order, and returns old row → new row (-1 for dead rows), or
// nil when nothing was dead.
func (n *Nodes) compact(remap []int32) []int32 {
	if n.deadCount == 0 {
		return nil
	}
	remap = remap[:0]
	w := int32(0)
	for r := range n.ID {
		if n.dead[r] {
			remap = append(remap, -1)
			continue
		}
		remap = append(remap, w)
		n.ID[w], n.Label[w], n.Kind[w], n.Degree[w] = n.ID[r], n.Label[r], n.Kind[r], n.Degree[r]
		n.Pinned[w], n.PinPos[w], n.Color[w], n.Radius[w] = n.Pinned[r], n.PinPos[r], n.Color[r], n.Radius[r]
		n.origin[w], n.dead[w] = n.origin[r], false
		n.index[n.ID[w]] = w
		w++
	}
	clear(n.ID[w:]) // let the strings go
	clear(n.Label[w:])
	n.ID, n.Label, n.Kind, n.Degree = n.ID[:w], n.Label[:w], n.Kind[:w], n.Degree[:w]
	n.Pinned, n.PinPos, n.Color, n.Radius = n.Pinned[:w], n.PinPos[:w], n.Color[:w], n.Radius[:w]
	n.origin, n.dead = n.origin[:w], n.dead[:w]
	n.deadCount = 0
	return remap
}

func (e *Edges) add(id string, src, dst int32, weight float32, kind int32) {
	if e.index != nil {
		e.index[id] = int32(len(e.ID))
	}
	e.ID = append(e.ID, id)
	e.Src = append(e.Src, src)
	e.Dst = append(e.Dst, dst)
	e.Weight = append(e.Weight, weight)
	e.Kind = append(e.Kind, kind)
}

func (e *Edges) remove(i int32) {
	last := int32(len(e.ID) - 1)
	index := e.indexed()
	delete(index, e.ID[i])
	if i != last {
		e.ID[i], e.Src[i], e.Dst[i], e.Weight[i], e.Kind[i] = e.ID[last], e.Src[last], e.Dst[last], e.Weight[last], e.Kind[last]
		index[e.ID[i]] = i
	}
	e.ID, e.Src, e.Dst, e.Weight, e.Kind = e.ID[:last], e.Src[:last], e.Dst[:last], e.Weight[:last], e.Kind[:last]
}

// radiusForDegree makes hubs visibly larger without letting them swallow the view.
func radiusForDegree(d int32) float32 {
	return 0.5 + 0.35*float32(math.Log2(float64(1+d)))
}
