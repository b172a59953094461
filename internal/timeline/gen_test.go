package timeline

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// genSpec shapes a random history: percentages of event kinds (they sum to 100) and the batch size.
type genSpec struct {
	events, batch                                int
	batchNodes, singleNode, batchEdges           int
	singleEdge, nodeUpd, edgeUpd, edgeRm, nodeRm int
	gaps                                         bool // leave holes in Seq, as a stream shared by graphs does
}

// genHistory writes a seeded random history that starts with graph_created: node and edge additions
// (single and batched), updates and removals, and a rename now and then.
func genHistory(seed uint64, s genSpec) []graph.Event {
	rng := rand.New(rand.NewPCG(seed, 99))
	evs := make([]graph.Event, 0, s.events)
	var nodes, edges []string
	nid, eid := 0, 0
	seq := uint64(0)
	push := func(p graph.Payload) {
		seq++
		if s.gaps && rng.IntN(4) == 0 {
			seq += uint64(1 + rng.IntN(3))
		}
		evs = append(evs, graph.Event{Envelope: graph.Envelope{Actor: "gen"}, Seq: seq, Data: p})
	}
	newNode := func() graph.Node {
		nid++
		id := fmt.Sprintf("n%d", nid)
		nodes = append(nodes, id)
		return graph.Node{ID: id, Label: "node " + id, Kind: []string{"a", "b", "c"}[rng.IntN(3)]}
	}
	newEdge := func() (graph.Edge, bool) {
		if len(nodes) == 0 {
			return graph.Edge{}, false
		}
		eid++
		id := fmt.Sprintf("e%d", eid)
		edges = append(edges, id)
		return graph.Edge{ID: id, Source: nodes[rng.IntN(len(nodes))], Target: nodes[rng.IntN(len(nodes))], Kind: "rel", Weight: rng.Float64()}, true
	}
	push(&graph.GraphCreated{Name: "gen"})
	for len(evs) < s.events {
		r := rng.IntN(100)
		switch {
		case r < s.batchNodes:
			ns := make([]graph.Node, s.batch)
			for i := range ns {
				ns[i] = newNode()
			}
			push(&graph.NodesAdded{Nodes: ns})
		case r < s.batchNodes+s.singleNode:
			push(&graph.NodesAdded{Nodes: []graph.Node{newNode()}})
		case r < s.batchNodes+s.singleNode+s.batchEdges:
			var es []graph.Edge
			for range s.batch {
				if e, ok := newEdge(); ok {
					es = append(es, e)
				}
			}
			if len(es) > 0 {
				push(&graph.EdgesAdded{Edges: es})
			}
		case r < s.batchNodes+s.singleNode+s.batchEdges+s.singleEdge:
			if e, ok := newEdge(); ok {
				push(&graph.EdgesAdded{Edges: []graph.Edge{e}})
			}
		case r < s.batchNodes+s.singleNode+s.batchEdges+s.singleEdge+s.nodeUpd:
			if len(nodes) > 0 {
				l := fmt.Sprintf("label %d", rng.IntN(1000))
				push(&graph.NodeUpdated{ID: nodes[rng.IntN(len(nodes))], Label: &l,
					SetProps: graph.Props{"w": json.RawMessage(fmt.Sprint(rng.IntN(100)))}})
			}
		case r < s.batchNodes+s.singleNode+s.batchEdges+s.singleEdge+s.nodeUpd+s.edgeUpd:
			if len(edges) > 0 {
				w := rng.Float64()
				push(&graph.EdgeUpdated{ID: edges[rng.IntN(len(edges))], Weight: &w})
			}
		case r < s.batchNodes+s.singleNode+s.batchEdges+s.singleEdge+s.nodeUpd+s.edgeUpd+s.edgeRm:
			if len(edges) > 0 {
				i := rng.IntN(len(edges))
				push(&graph.EdgeRemoved{ID: edges[i]})
				edges[i] = edges[len(edges)-1]
				edges = edges[:len(edges)-1]
			}
		case r < 99:
			if len(nodes) > 0 {
				// Edges of a removed node stay in the generator's list: later updates and removals of
				// them are references to missing edges, which Apply skips, as it must.
				i := rng.IntN(len(nodes))
				push(&graph.NodeRemoved{ID: nodes[i]})
				nodes[i] = nodes[len(nodes)-1]
				nodes = nodes[:len(nodes)-1]
			}
		default:
			push(&graph.GraphRenamed{Name: fmt.Sprintf("gen %d", len(evs))})
		}
	}
	return evs
}

// smallSpec is the tests' history: a few thousand events, every kind frequent.
var smallSpec = genSpec{events: 3000, batch: 6, batchNodes: 8, singleNode: 20, batchEdges: 8, singleEdge: 30,
	nodeUpd: 10, edgeUpd: 8, edgeRm: 7, nodeRm: 8, gaps: true}

// replay is the brute force: a fresh aggregate with every event up to version v applied.
func replay(evs []graph.Event, v uint64) *graph.Graph {
	g := graph.New("g")
	for i := range evs {
		if evs[i].Seq > v {
			break
		}
		g.Apply(&evs[i])
	}
	return g
}

func nodeIDs(g *graph.Graph) []string {
	var ids []string
	for n := range g.Nodes() {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	return ids
}

func edgeIDs(g *graph.Graph) []string {
	var ids []string
	for e := range g.Edges() {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	return ids
}
