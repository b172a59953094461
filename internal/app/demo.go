package app

import (
	"math"

	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/render"
)

// demoGraph is a seeded scale-free graph (Barabási–Albert, two links per new node) shown until real
// graphs load: hubs are larger, and colour follows the hub a node first attached to.
func demoGraph(nodes int, seed uint64) (layout.Graph, *render.Scene, error) {
	m := 2
	if nodes <= m {
		m = max(nodes-1, 1)
	}
	src, dst, err := layout.BarabasiAlbert(nodes, m, seed)
	if err != nil {
		return layout.Graph{}, nil, err
	}
	degree := make([]int32, nodes)
	for i := range src {
		degree[src[i]]++
		degree[dst[i]]++
	}
	// A node inherits the colour of the node it first attached to; the first len(Palette) nodes found
	// the families, so colour shows which early hub a region grew from.
	family := make([]int32, nodes)
	for i := range family {
		family[i] = -1
	}
	for i := range min(nodes, len(render.Palette)) {
		family[i] = int32(i)
	}
	for i := range src {
		if n := src[i]; family[n] < 0 {
			family[n] = family[dst[i]]
		}
	}
	scene := &render.Scene{
		Positions: make([]float32, 3*nodes),
		Radii:     make([]float32, nodes),
		Colors:    make([]uint32, nodes),
		Edges:     make([]uint32, 2*len(src)),
		Version:   1,
	}
	for i := range nodes {
		scene.Radii[i] = 0.5 + 0.35*float32(math.Log2(float64(1+degree[i])))
		scene.Colors[i] = render.Palette[max(family[i], 0)]
	}
	for i := range src {
		scene.Edges[2*i], scene.Edges[2*i+1] = uint32(src[i]), uint32(dst[i])
	}
	return layout.Graph{N: nodes, Src: src, Dst: dst}, scene, nil
}
