package app

import (
	"fmt"
	"strconv"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/world"
)

// demoWorld is a seeded scale-free graph (Barabási–Albert, two links per new node) shown until real
// graphs load. It is built locally, through the same events a stored graph would produce. A node's
// kind is the family of the early hub it first attached to, so colour shows where regions grew from.
func demoWorld(nodes int, seed uint64) (*world.World, error) {
	payloads, err := demoPayloads(nodes, seed)
	if err != nil {
		return nil, err
	}
	w := world.New("demo")
	w.Reserve(nodes, 2*nodes)
	for _, p := range payloads {
		if err := w.Apply(&graph.Event{Data: p}); err != nil {
			return nil, fmt.Errorf("demo graph: %w", err)
		}
	}
	return w, nil
}

// demoPayloads are the events of the demo graph: created, its nodes, its edges.
func demoPayloads(nodes int, seed uint64) ([]graph.Payload, error) {
	m := 2
	if nodes <= m {
		m = max(nodes-1, 1)
	}
	src, dst, err := layout.BarabasiAlbert(nodes, m, seed)
	if err != nil {
		return nil, fmt.Errorf("demo graph: %w", err)
	}
	families := len(render.Palette)
	family := make([]int32, nodes)
	for i := range family {
		family[i] = -1
	}
	for i := range min(nodes, families) {
		family[i] = int32(i)
	}
	for i := range src {
		if n := src[i]; family[n] < 0 {
			family[n] = family[dst[i]]
		}
	}
	added := &graph.NodesAdded{Nodes: make([]graph.Node, nodes)}
	for i := range added.Nodes {
		added.Nodes[i] = graph.Node{ID: strconv.Itoa(i), Kind: "family " + strconv.Itoa(int(max(family[i], 0)))}
	}
	edges := &graph.EdgesAdded{Edges: make([]graph.Edge, len(src))}
	for i := range src {
		edges.Edges[i] = graph.Edge{ID: "e" + strconv.Itoa(i), Source: strconv.Itoa(int(src[i])), Target: strconv.Itoa(int(dst[i])), Weight: 1}
	}
	return []graph.Payload{&graph.GraphCreated{Name: fmt.Sprintf("demo: %d-node scale-free graph", nodes)}, added, edges}, nil
}
