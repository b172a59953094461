package app

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/ui"
)

// The inspector describes the selection: the inspected node's fields, properties, conceptual
// coordinates, strategy, coalition, content (lazily, by CID) and incident edges, or one of those
// edges; a summary when several nodes are selected; and the provenance of the inspected item (see
// provenance.go), loaded in the background.

const (
	inspectEvery   = 250 * time.Millisecond // rows follow a changing graph at this pace
	summaryIDs     = 8                      // selected ids listed in the summary
	inspectorEdges = 200                    // incident edges listed
)

// inspectorState keeps the inspector's rows between frames.
type inspectorState struct {
	shown     *ui.Inspection
	key       inspectKey
	graphAt   [2]uint64 // world Seq and Topology the rows were built at
	builtAt   time.Time
	contentOK bool // shown.Content is final (not waiting for the loader)
	prov      provenanceCache
	provShown provShown // the provenance last shown complete, for the log
}

type provShown struct {
	key  provKey
	rows int
}

// inspectKey is what, when it changes, rebuilds the rows at once.
type inspectKey struct {
	view     *graphView
	id, edge string
	gen      uint64
}

// currentInspection is the inspection, kept between frames: it is rebuilt at once when the selection
// changes, at most every inspectEvery while the graph changes or content is arriving; provenance is
// looked up every frame (a cache read).
func (l *frameLoop) currentInspection(ctx context.Context) *ui.Inspection {
	s, st := &l.sel, &l.sel.insp
	if s.id == "" && len(s.ids) == 0 {
		st.shown = nil
		return nil
	}
	w := l.view.world
	key := inspectKey{view: l.view, id: s.id, edge: s.edge, gen: s.gen}
	at := [2]uint64{w.Seq, w.Topology}
	now := time.Now()
	if st.shown == nil || st.key != key || ((st.graphAt != at || !st.contentOK) && now.Sub(st.builtAt) >= inspectEvery) {
		st.key, st.graphAt, st.builtAt = key, at, now
		st.shown = l.inspection(ctx)
		st.contentOK = st.shown == nil || !strings.HasPrefix(st.shown.Content, "loading ")
	}
	in := st.shown
	if in != nil && l.view.agg != nil && l.ws != nil && w.GraphID != "" {
		item, edge := s.id, false
		if s.edge != "" {
			item, edge = s.edge, true
		}
		if item != "" {
			key := provKey{graph: w.GraphID, item: item, edge: edge}
			in.ProvenanceShown = true
			in.Provenance, in.ProvenanceNote = st.prov.lookup(ctx, l.ws.repo.Store(), l.logger, key, w.Seq)
			if shown := (provShown{key, len(in.Provenance)}); in.ProvenanceNote == "" && shown != st.provShown {
				st.provShown = shown
				l.logger.Info("inspector provenance", "graph", key.graph, "item", key.item, "edge", key.edge, "events", shown.rows)
			}
		}
	}
	return in
}

// inspection describes the selection from the aggregate (stored graphs) or the world (demo): the
// inspected edge, or the inspected node, with a summary when several nodes are selected.
func (l *frameLoop) inspection(ctx context.Context) *ui.Inspection {
	s := &l.sel
	var in *ui.Inspection
	switch {
	case s.edge != "" && l.view.agg != nil:
		in = l.edgeInspection(s.edge)
	case s.id != "":
		in = l.nodeInspection(ctx, s.id)
	}
	if len(s.ids) > 1 {
		if in == nil {
			in = &ui.Inspection{}
		}
		in.SelectedTotal = len(s.ids)
		in.Selected = s.ids[:min(len(s.ids), summaryIDs)]
		if in.Title == "" {
			in.Title = fmt.Sprintf("%d nodes selected", len(s.ids))
		} else {
			in.Title = fmt.Sprintf("%d selected: %s", len(s.ids), in.Title)
		}
	}
	return in
}

// nodeInspection describes one node; nil when it is not in the view.
func (l *frameLoop) nodeInspection(ctx context.Context, id string) *ui.Inspection {
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
	if n.Pin != nil {
		in.Rows = append(in.Rows, [2]string{"pinned at", fmt.Sprintf("%.3g, %.3g, %.3g", n.Pin[0], n.Pin[1], n.Pin[2])})
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
	if u, ok := g.NodeUtility(id); ok {
		raw, _ := json.Marshal(u)
		in.Rows = append(in.Rows, [2]string{"utility", shorten(string(raw), 120)})
	}
	if c, ok := g.NodeCoalition(id); ok {
		in.Rows = append(in.Rows, [2]string{"coalition", c})
	}
	in.Content = l.contentPreview(ctx, n)
	edges := g.IncidentEdges(id)
	in.EdgesTotal = len(edges)
	for _, e := range edges[:min(len(edges), inspectorEdges)] {
		in.Edges = append(in.Edges, ui.EdgeRow{ID: e.ID, Text: edgeText(id, e)})
	}
	return in
}

// edgeText is an incident edge seen from node id: direction, the other end, kind and weight.
func edgeText(id string, e graph.Edge) string {
	var b strings.Builder
	switch {
	case e.Source == id && e.Target == id:
		b.WriteString("loop")
	case e.Source == id:
		b.WriteString("-> " + e.Target)
	default:
		b.WriteString("<- " + e.Source)
	}
	if e.Kind != "" {
		b.WriteString("  " + e.Kind)
	}
	fmt.Fprintf(&b, "  w %.3g  (%s)", e.Weight, e.ID)
	return b.String()
}

// edgeInspection describes one edge; nil when the aggregate has no such edge.
func (l *frameLoop) edgeInspection(id string) *ui.Inspection {
	e, ok := l.view.agg.Edge(id)
	if !ok {
		return nil
	}
	in := &ui.Inspection{Title: "edge " + id, BackTo: l.sel.id}
	in.Rows = append(in.Rows, [2]string{"source", e.Source}, [2]string{"target", e.Target})
	if e.Kind != "" {
		in.Rows = append(in.Rows, [2]string{"kind", e.Kind})
	}
	in.Rows = append(in.Rows, [2]string{"weight", strconv.FormatFloat(e.Weight, 'g', 6, 64)})
	for _, k := range slices.Sorted(maps.Keys(e.Props)) {
		in.Rows = append(in.Rows, [2]string{k, shorten(string(e.Props[k]), 120)})
	}
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
