package app

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/ui"
)

// selectionHighlight is the colour of the selected node.
var selectionHighlight = render.RGBA(255, 255, 255, 255)

// selection is the one selected node: presentation state, never sent to NATS.
type selection struct {
	id      string
	row     int32 // the scene row painted with the highlight, -1 when none
	colour  uint32
	version uint64 // scene version when it was painted

	shown     *ui.Inspection // the inspector's rows, rebuilt only when the graph changes
	shownAt   [2]uint64      // world Seq and Topology they were built at
	contentOK bool           // shown.Content is final (not waiting for the loader)
}

// currentInspection is inspection, kept between frames: the rows change only with the graph, and
// only content still arriving by CID is looked at again.
func (l *frameLoop) currentInspection(ctx context.Context) *ui.Inspection {
	w := l.view.world
	at := [2]uint64{w.Seq, w.Topology}
	if l.sel.shown == nil || l.sel.shownAt != at || !l.sel.contentOK {
		l.sel.shown, l.sel.shownAt = l.inspection(ctx), at
		l.sel.contentOK = l.sel.shown == nil || !strings.HasPrefix(l.sel.shown.Content, "loading ")
	}
	return l.sel.shown
}

// pick selects the node under a click (window coordinates), or clears the selection.
func (l *frameLoop) pick(x, y float64) {
	fbW, fbH := l.surface.FramebufferSize()
	winW, winH := l.surface.WindowSize()
	sx, sy := float32(x)*float32(fbW)/float32(max(winW, 1)), float32(y)*float32(fbH)/float32(max(winH, 1))
	s := &l.view.scene
	i, ok := render.Pick(&l.camera, fbW, fbH, sx, sy, s.Positions, s.Radii, l.radiusScale, 1.5)
	l.unpaint()
	l.sel = selection{row: -1}
	if ok && int(i) < l.view.world.Nodes.Len() {
		l.sel.id = l.view.world.Nodes.ID[i]
		l.logger.Info("node selected", "graph", l.view.world.GraphID, "node", l.sel.id)
	}
}

// paint keeps the selected node highlighted across scene changes (rows move, columns are replaced).
func (l *frameLoop) paint() {
	s := &l.view.scene
	if l.sel.id == "" {
		return
	}
	row, ok := l.view.world.Nodes.Index(l.sel.id)
	if !ok || int(row) >= len(s.Colors) {
		l.unpaint()
		return
	}
	if l.sel.row == row && l.sel.version == s.Version {
		return
	}
	l.unpaint()
	l.sel.row, l.sel.colour = row, s.Colors[row]
	s.Colors[row] = selectionHighlight
	s.Version++
	l.sel.version = s.Version
}

func (l *frameLoop) unpaint() {
	s := &l.view.scene
	if l.sel.row >= 0 && int(l.sel.row) < len(s.Colors) && l.sel.version == s.Version {
		s.Colors[l.sel.row] = l.sel.colour
		s.Version++
	}
	l.sel.row = -1
}

// inspection describes the selected node from the aggregate (stored graphs) or the world (demo).
func (l *frameLoop) inspection(ctx context.Context) *ui.Inspection {
	id := l.sel.id
	if id == "" {
		return nil
	}
	w := l.view.world
	row, ok := w.Nodes.Index(id)
	if !ok {
		return nil
	}
	in := &ui.Inspection{Title: "node " + id}
	in.Rows = append(in.Rows, [2]string{"degree", strconv.Itoa(int(w.Nodes.Degree[row]))})
	g := l.view.agg
	if g == nil {
		in.Rows = append(in.Rows, [2]string{"kind", w.Kinds[w.Nodes.Kind[row]]})
		return in
	}
	n, ok := g.Node(id)
	if !ok {
		return in
	}
	if n.Label != "" {
		in.Rows = append(in.Rows, [2]string{"label", n.Label})
	}
	if n.Kind != "" {
		in.Rows = append(in.Rows, [2]string{"kind", n.Kind})
	}
	for _, k := range slices.Sorted(maps.Keys(n.Props)) {
		if k == "content" || k == "content_encoding" {
			continue
		}
		in.Rows = append(in.Rows, [2]string{k, shorten(string(n.Props[k]), 120)})
	}
	for _, sp := range g.Spaces() {
		if c, ok := g.NodeCoordinates(sp.ID, id); ok {
			raw, _ := json.Marshal(c)
			in.Rows = append(in.Rows, [2]string{"space " + sp.ID, shorten(string(raw), 120)})
		}
	}
	if st, ok := g.NodeStrategy(id); ok {
		raw, _ := json.Marshal(st)
		in.Rows = append(in.Rows, [2]string{"strategy", shorten(string(raw), 120)})
	}
	if c, ok := g.NodeCoalition(id); ok {
		in.Rows = append(in.Rows, [2]string{"coalition", c})
	}
	in.Content = l.contentPreview(ctx, n)
	return in
}

// contentPreview shows inline content at once and content by CID once the loader has it.
func (l *frameLoop) contentPreview(ctx context.Context, n graph.Node) string {
	if raw, ok := n.Props["content"]; ok {
		data, err := inlineContent(n.Props)
		if err != nil {
			return shorten(string(raw), 400)
		}
		return preview(data)
	}
	if n.CID == "" {
		return ""
	}
	loader := l.ws.contentLoader(ctx)
	if loader == nil {
		return "content " + n.CID + " (object store unavailable)"
	}
	data, ready, err := loader.Get(ctx, n.CID)
	switch {
	case !ready:
		return "loading content " + n.CID + " ..."
	case err != nil:
		return "content " + n.CID + ": " + err.Error()
	}
	return preview(data)
}

func preview(data []byte) string {
	if !utf8.Valid(data) {
		return fmt.Sprintf("%d bytes of binary content", len(data))
	}
	return shorten(string(data), 400)
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// selectedIDs returns the selected node ids (the agent panel runs agents on them, the palette's
// commands act on them).
func (l *frameLoop) selectedIDs() []string {
	if l.sel.id == "" {
		return nil
	}
	return []string{l.sel.id}
}

// selectIDs replaces the selection (e.g. a node chosen in the palette).
func (l *frameLoop) selectIDs(ids []string) {
	l.unpaint()
	l.sel = selection{row: -1}
	if len(ids) > 0 {
		l.sel.id = ids[0]
	}
}

// focusSelection frames the selected nodes, or the whole graph when nothing is selected.
func (l *frameLoop) focusSelection() { l.controls.fitAsked = true }

// resetView puts the camera back where a freshly opened graph starts.
func (l *frameLoop) resetView() {
	l.camera = render.NewCamera()
	l.fitted = false
}

// handlePointer turns this frame's clicks and keys into selection changes (before the scene is drawn).
func (l *frameLoop) handlePointer() {
	if l.controls.clicked {
		l.controls.clicked = false
		l.pick(l.controls.clickX, l.controls.clickY)
	}
	if l.controls.clearAsked {
		l.controls.clearAsked = false
		l.unpaint()
		l.sel = selection{row: -1}
	}
}

// selectionPanels draws what belongs to the selection in the UI frame: the inspector.
func (l *frameLoop) selectionPanels(ctx context.Context) {
	if l.gui.Inspector(l.currentInspection(ctx)) {
		l.unpaint()
		l.sel = selection{row: -1}
	}
}
