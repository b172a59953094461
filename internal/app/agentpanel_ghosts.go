package app

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/go-gl/mathgl/mgl32"
	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/ui"
	"github.com/infoalchemist/alchemist/internal/world"
)

// ghost is what a suggestion would change, as node ids, ready to be placed in the 3D view: edges it
// adds, nodes it adds (placed at their pin or among the nodes they are linked to), and existing
// nodes it changes (ringed).
type ghost struct {
	edges   [][2]string
	nodes   []ghostNode
	touched []string
}

type ghostNode struct {
	id      string
	pin     *graph.Vec3
	anchors []string // existing nodes the suggestion links it to
}

// ghostLimit bounds the ids one suggestion contributes to the preview: a suggestion that creates a
// community of 50,000 nodes is previewed by its first members, not by 50,000 rings a frame.
const ghostLimit = 500

// ghostOf reads a suggestion's commands; commands it cannot decode preview nothing (the service
// checked them when they were proposed).
func ghostOf(specs []agents.CommandSpec) ghost {
	var g ghost
	cmds, err := agents.DecodeCommands(specs)
	if err != nil {
		return g
	}
	touch := func(ids ...string) {
		for _, id := range ids {
			if len(g.touched) < ghostLimit {
				g.touched = append(g.touched, id)
			}
		}
	}
	added := map[string]int{} // proposed node id → index in g.nodes
	for _, c := range cmds {
		switch c := c.(type) {
		case *graph.AddNodes:
			for _, n := range c.Nodes {
				if len(g.nodes) < ghostLimit {
					added[n.ID] = len(g.nodes)
					g.nodes = append(g.nodes, ghostNode{id: n.ID, pin: n.Pin})
				}
			}
		case *graph.AddEdges:
			for _, e := range c.Edges {
				if len(g.edges) < ghostLimit {
					g.edges = append(g.edges, [2]string{e.Source, e.Target})
				}
			}
		case *graph.UpdateNode:
			touch(c.ID)
		case *graph.PinNode:
			touch(c.ID)
		case *graph.RemoveNode:
			touch(c.ID)
		case *graph.CreateSubgraph:
			touch(c.Nodes...)
		case *graph.ChangeSubgraph:
			touch(c.Added...)
			touch(c.Removed...)
		case *graph.FormCoalition:
			touch(c.Members...)
		}
	}
	for _, e := range g.edges {
		for k := 0; k < 2; k++ {
			if i, ok := added[e[k]]; ok {
				if _, other := added[e[1-k]]; !other {
					g.nodes[i].anchors = append(g.nodes[i].anchors, e[1-k])
				}
			}
		}
	}
	return g
}

// summariseCommands describes a suggestion's commands, a line each, the tail counted.
func summariseCommands(specs []agents.CommandSpec) []string {
	const shown = 4
	cmds, err := agents.DecodeCommands(specs)
	if err != nil {
		return []string{"commands not readable: " + err.Error()}
	}
	out := make([]string, 0, min(len(cmds), shown+1))
	for i, c := range cmds {
		if i == shown {
			out = append(out, fmt.Sprintf("... and %d more commands", len(cmds)-shown))
			break
		}
		out = append(out, summariseCommand(c, specs[i]))
	}
	return out
}

func summariseCommand(c graph.Command, spec agents.CommandSpec) string {
	switch c := c.(type) {
	case *graph.AddEdges:
		if len(c.Edges) == 1 {
			e := c.Edges[0]
			s := fmt.Sprintf("add edge %s -> %s", e.Source, e.Target)
			if e.Kind != "" {
				s += " (" + e.Kind + ")"
			}
			if e.Weight != nil {
				s += fmt.Sprintf(" weight %.3g", *e.Weight)
			}
			return s
		}
		return fmt.Sprintf("add %d edges", len(c.Edges))
	case *graph.AddNodes:
		if len(c.Nodes) == 1 {
			return "add node " + c.Nodes[0].ID
		}
		return fmt.Sprintf("add %d nodes", len(c.Nodes))
	case *graph.UpdateNode:
		var what []string
		if c.Label != nil {
			what = append(what, "label")
		}
		if c.Kind != nil {
			what = append(what, "kind")
		}
		what = append(what, slices.Sorted(maps.Keys(c.SetProps))...)
		if len(c.RemoveProps) > 0 {
			what = append(what, "remove "+strings.Join(c.RemoveProps, ", "))
		}
		return fmt.Sprintf("update node %s: %s", c.ID, clipText(strings.Join(what, ", "), 80))
	case *graph.UpdateEdge:
		return fmt.Sprintf("update edge %s: %s", c.ID, clipText(strings.Join(slices.Sorted(maps.Keys(c.SetProps)), ", "), 80))
	case *graph.CreateSubgraph:
		return fmt.Sprintf("create subgraph %q of %d nodes", c.Name, len(c.Nodes))
	case *graph.FormCoalition:
		return fmt.Sprintf("form coalition %s of %s", c.ID, clipText(strings.Join(c.Members, ", "), 80))
	case *graph.RemoveNode:
		return "remove node " + c.ID
	case *graph.RemoveEdge:
		return "remove edge " + c.ID
	}
	return spec.Op + " " + clipText(string(spec.Args), 80)
}

// ghostPainter places the pending suggestions' ghosts in the window each frame, reusing its slices:
// no allocation in steady state (BenchmarkGhostPlace).
type ghostPainter struct {
	lines   []ui.GhostLine
	circles []ui.GhostCircle
	labels  []ui.GhostLabel
	pos     []float32 // scratch: one proposed node's anchor positions

	cam        *render.Camera
	winW, winH int
	vp         mgl32.Mat4 // cam's projection × view for this frame
}

// maxGhostLines bounds the preview drawn each frame.
const maxGhostLines = 4000

// paint projects the ghosts of snap onto the view and draws them; highlight names the suggestion
// drawn brighter, with its title.
func (gp *ghostPainter) paint(l *frameLoop, snap *suggestionSnapshot, highlight string) {
	if snap == nil || snap.graph != l.view.world.GraphID {
		return
	}
	gp.cam = &l.camera
	gp.winW, gp.winH = l.surface.WindowSize()
	gp.place(&l.view.world.Nodes, l.view.scene.Positions, snap, highlight)
	l.gui.DrawGhosts(gp.lines, gp.circles, gp.labels)
}

// place fills lines, circles and labels from the nodes' scene positions.
func (gp *ghostPainter) place(nodes *world.Nodes, positions []float32, snap *suggestionSnapshot, highlight string) {
	gp.lines, gp.circles, gp.labels = gp.lines[:0], gp.circles[:0], gp.labels[:0]
	gp.vp = gp.cam.Projection(float32(gp.winW) / float32(max(gp.winH, 1))).Mul4(gp.cam.View())
	at := func(id string) (x, y, z float32, ok bool) {
		row, ok := nodes.Index(id)
		if !ok || int(row)*3+2 >= len(positions) {
			return 0, 0, 0, false
		}
		p := positions[row*3 : row*3+3]
		return p[0], p[1], p[2], true
	}
	for i := range snap.ghosts {
		g := &snap.ghosts[i]
		hi := snap.pending[i].ID == highlight
		if !hi && len(gp.lines) >= maxGhostLines {
			continue
		}
		var labelAt [2]float32
		labelled := false
		for _, e := range g.edges {
			ax, ay, az, okA := at(e[0])
			bx, by, bz, okB := at(e[1])
			if !okA || !okB {
				continue // an end is a proposed node: drawn with the node
			}
			wa, okA := gp.project(ax, ay, az)
			wb, okB := gp.project(bx, by, bz)
			if !okA || !okB {
				continue
			}
			gp.lines = append(gp.lines, ui.GhostLine{A: wa, B: wb, Highlight: hi})
			if !labelled {
				labelAt, labelled = [2]float32{(wa[0] + wb[0]) / 2, (wa[1] + wb[1]) / 2}, true
			}
		}
		for _, n := range g.nodes {
			var cx, cy, cz float32
			switch {
			case n.pin != nil:
				cx, cy, cz = float32(n.pin[0]), float32(n.pin[1]), float32(n.pin[2])
			case len(n.anchors) > 0:
				gp.pos = gp.pos[:0]
				for _, a := range n.anchors {
					if x, y, z, ok := at(a); ok {
						gp.pos = append(gp.pos, x, y, z)
					}
				}
				if len(gp.pos) == 0 {
					continue
				}
				cx, cy, cz = centroid(gp.pos)
				if len(gp.pos) == 3 { // one anchor: beside it, not on it
					cx += 1.5
					cy += 1.5
				}
			default:
				continue // nowhere to put it
			}
			wc, ok := gp.project(cx, cy, cz)
			if !ok {
				continue
			}
			gp.circles = append(gp.circles, ui.GhostCircle{C: wc, Filled: true, Highlight: hi})
			for _, a := range n.anchors {
				if x, y, z, ok := at(a); ok {
					if wa, ok := gp.project(x, y, z); ok {
						gp.lines = append(gp.lines, ui.GhostLine{A: wc, B: wa, Highlight: hi})
					}
				}
			}
			if !labelled {
				labelAt, labelled = wc, true
			}
		}
		for _, id := range g.touched {
			if x, y, z, ok := at(id); ok {
				if wc, ok := gp.project(x, y, z); ok {
					gp.circles = append(gp.circles, ui.GhostCircle{C: wc, Radius: 9, Highlight: hi})
					if !labelled {
						labelAt, labelled = wc, true
					}
				}
			}
		}
		if hi && labelled {
			gp.labels = append(gp.labels, ui.GhostLabel{At: labelAt, Text: snap.pending[i].Title})
		}
	}
}

// project maps a world position to window coordinates as render.Camera.Project does, with the
// frame's matrix computed once instead of per point.
func (gp *ghostPainter) project(x, y, z float32) ([2]float32, bool) {
	clip := gp.vp.Mul4x1(mgl32.Vec4{x, y, z, 1})
	if clip[3] <= 0 {
		return [2]float32{}, false
	}
	w, h := float32(gp.winW), float32(gp.winH)
	return [2]float32{(clip[0]/clip[3] + 1) / 2 * w, (1 - clip[1]/clip[3]) / 2 * h}, true
}

func centroid(p []float32) (x, y, z float32) {
	n := float32(len(p) / 3)
	for i := 0; i+2 < len(p); i += 3 {
		x, y, z = x+p[i], y+p[i+1], z+p[i+2]
	}
	return x / n, y / n, z / n
}

// fontSafe replaces the characters agents like to write that the UI's default font lacks (it
// covers Latin-1) with ASCII look-alikes; ImGui would draw them as "?".
var fontSafe = strings.NewReplacer("₀", "0", "₁", "1", "₂", "2", "₃", "3", "₄", "4", "₅", "5", "₆", "6",
	"₇", "7", "₈", "8", "₉", "9", "…", "...", "−", "-", "–", "-", "—", " - ", "→", "->", "←", "<-",
	"≥", ">=", "≤", "<=", "≈", "~", "’", "'", "‘", "'", "“", "\"", "”", "\"")

// clipText cuts s to about n bytes on a rune boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
