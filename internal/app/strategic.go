package app

import (
	"math"
	"slices"
	"sync/atomic"

	"github.com/infoalchemist/alchemist/internal/components"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/spatial"
	"github.com/infoalchemist/alchemist/internal/world"
)

// similarityNeighbours is how many conceptual neighbours attract each node.
const similarityNeighbours = 5

// componentEvents change what the strategic and conceptual forces see.
var componentEvents = map[string]bool{
	"space_defined": true, "coordinates_set": true, "prototype_added": true, "prototype_removed": true,
	"strategy_set": true, "utility_set": true, "coalition_formed": true, "coalition_dissolved": true,
	graph.EventNodeRemoved: true, graph.EventNodesAdded: true,
}

// strategicInputs turns the aggregate's components into the layout's extra force inputs: coalition
// membership, the nearest prototype's category and similarity pairs from the k nearest neighbours in
// the graph's first conceptual space. The cheap parts run on the frame thread when components change;
// the neighbour search runs on its own goroutine over copies, and its result is handed to the layout
// only if the topology has not moved on meanwhile.
type strategicInputs struct {
	dirty   bool
	busy    atomic.Bool
	results chan strategicResult
}

type strategicResult struct {
	topology uint64
	inputs   layout.Inputs
}

func newStrategicInputs() *strategicInputs {
	return &strategicInputs{dirty: true, results: make(chan strategicResult, 1)}
}

// observe marks the inputs stale when an event changes components.
func (s *strategicInputs) observe(ev *graph.Event) {
	if componentEvents[ev.Type] {
		s.dirty = true
	}
}

// update runs on the frame thread after the world's Sync.
func (s *strategicInputs) update(g *graph.Graph, w *world.World, runner *layout.Runner, topology uint64) {
	select {
	case r := <-s.results:
		if r.topology == topology {
			runner.SetInputs(r.inputs)
		} else {
			s.dirty = true
		}
	default:
	}
	if !s.dirty || s.busy.Load() {
		return
	}
	s.dirty = false
	n := w.Nodes.Len()
	rows := w.Rows()
	in := layout.Inputs{}
	coalition, ids := components.Membership(g, rows, n, nil)
	if len(ids) > 0 {
		in.Coalition = coalition
	}
	spaces := g.Spaces()
	if len(spaces) == 0 {
		s.results <- strategicResult{topology, in}
		return
	}
	spaceID := spaces[0].ID
	space, err := components.Space(g, spaceID)
	if err != nil {
		s.results <- strategicResult{topology, in}
		return
	}
	points, dims, err := components.Points(g, spaceID, rows, n, nil)
	if err != nil || dims == 0 {
		s.results <- strategicResult{topology, in}
		return
	}
	if cat, err := components.Categorizer(g, spaceID); err == nil && cat != nil {
		in.Category = make([]int32, n)
		for i := range n {
			p := points[i*dims : (i+1)*dims]
			in.Category[i] = -1
			if complete(p) {
				k, _ := cat.Nearest(p)
				in.Category[i] = int32(k)
			}
		}
	}
	s.busy.Store(true)
	go func() {
		defer s.busy.Store(false)
		in.SimA, in.SimB, in.SimW = similarityPairs(space, points, dims, similarityNeighbours)
		s.results <- strategicResult{topology, in}
	}()
}

// similarityPairs links every node with a complete point to its k nearest neighbours in the space,
// weighted by similarity.
func similarityPairs(space interface {
	spatial.Metric
	Similarity(x, y []float64, c float64) float64
}, points []float64, dims, k int) (a, b []int32, w []float32) {
	var rows []int32
	var pts [][]float64
	for i := 0; i*dims < len(points); i++ {
		if p := points[i*dims : (i+1)*dims]; complete(p) {
			rows = append(rows, int32(i))
			pts = append(pts, p)
		}
	}
	if len(pts) < 2 {
		return nil, nil, nil
	}
	tree, err := spatial.NewKDTree(pts, space)
	if err != nil {
		return nil, nil, nil
	}
	var nb []spatial.Neighbor
	for i, p := range pts {
		nb = tree.KNN(p, k+1, nb)
		for _, n := range nb {
			if n.ID == i {
				continue
			}
			a, b = append(a, rows[i]), append(b, rows[n.ID])
			w = append(w, float32(space.Similarity(p, pts[n.ID], 1)))
		}
	}
	return a, b, w
}

func complete(p []float64) bool {
	return !slices.ContainsFunc(p, math.IsNaN)
}
