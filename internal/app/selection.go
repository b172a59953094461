package app

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/infoalchemist/alchemist/internal/platform"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/spatial"
	"github.com/infoalchemist/alchemist/internal/ui"
)

// selectionHighlight is the colour of the selected nodes.
var selectionHighlight = render.RGBA(255, 255, 255, 255)

// selection is what the user has picked: a set of node ids, the one the inspector describes, and the
// node under the pointer. Presentation state only: it never goes to NATS. The zero value with row -1
// is the empty selection (the frame loop resets it so when another graph opens).
type selection struct {
	id   string // the node the inspector describes (the last one picked), "" when none
	edge string // an edge of id the inspector describes instead of the node, "" when none
	row  int32  // the hovered node's scene row, -1 when none

	// ids are the selected nodes, in the order they were picked. Elements once visible are never
	// overwritten (removal copies, additions append), so callers of selectedIDs may keep the slice.
	ids []string
	set map[string]struct{} // the same ids, for membership
	gen uint64              // counts changes, so the highlight, rings and labels notice them

	hover  hoverState
	paint  paintState
	box    boxIndex
	labels labeler
	insp   inspectorState
}

// has reports whether a node is selected.
func (s *selection) has(id string) bool {
	_, ok := s.set[id]
	return ok
}

// clear empties the selection.
func (s *selection) clear() {
	s.ids, s.set, s.id, s.edge = nil, nil, "", "" // a new array: callers may hold the old one
	s.gen++
}

// add selects ids besides the ones already selected; the first new one becomes the inspected one.
func (s *selection) add(ids ...string) {
	if s.set == nil {
		s.set = make(map[string]struct{}, len(ids))
	}
	for _, id := range ids {
		if _, ok := s.set[id]; !ok {
			s.set[id] = struct{}{}
			s.ids = append(s.ids, id)
		}
	}
	if len(ids) > 0 {
		s.id, s.edge = ids[0], ""
	}
	s.gen++
}

// replace makes ids the selection.
func (s *selection) replace(ids ...string) {
	s.clear()
	s.add(ids...)
}

// toggle selects id, or unselects it when it is selected.
func (s *selection) toggle(id string) {
	if !s.has(id) {
		s.add(id)
		return
	}
	delete(s.set, id)
	if i := slices.Index(s.ids, id); i >= 0 {
		s.ids = slices.Concat(s.ids[:i], s.ids[i+1:]) // a copy: callers may hold the old slice
	}
	if s.id == id {
		s.id, s.edge = "", ""
		if n := len(s.ids); n > 0 {
			s.id = s.ids[n-1]
		}
	}
	s.gen++
}

// paintState remembers which scene rows carry the highlight, so that it is repainted only when the
// selection, the rows or the scene's columns change, never as a per-frame pass over the nodes.
type paintState struct {
	view    *graphView
	version uint64 // the scene's version right after the paint
	topo    uint64 // the world topology the rows were looked up in
	gen     uint64 // the selection painted
	rows    []int32
	colours []uint32 // the colours the highlight replaced, by rows
}

// paint keeps the selected nodes highlighted across scene changes (rows move, columns are replaced,
// the timeline swaps views). The work is proportional to the selection and done only on change.
func (l *frameLoop) paint() {
	p, s, v := &l.sel.paint, &l.sel, l.view
	if p.view == v && p.version == v.scene.Version && p.topo == v.world.Topology && p.gen == s.gen {
		return
	}
	l.unpaint()
	if len(s.ids) == 0 {
		p.view, p.version, p.topo, p.gen = v, v.scene.Version, v.world.Topology, s.gen
		return
	}
	colours := v.scene.Colors
	for _, id := range s.ids {
		row, ok := v.world.Nodes.Index(id)
		if !ok || int(row) >= len(colours) {
			continue
		}
		p.rows = append(p.rows, row)
		p.colours = append(p.colours, colours[row])
		colours[row] = selectionHighlight
	}
	if len(p.rows) > 0 {
		v.scene.Version++
	}
	p.view, p.version, p.topo, p.gen = v, v.scene.Version, v.world.Topology, s.gen
}

// unpaint gives the painted rows their colours back, when the scene still holds the painted columns
// (a scene whose columns were replaced since has lost the highlight already).
func (l *frameLoop) unpaint() {
	p := &l.sel.paint
	if p.view != nil && p.version == p.view.scene.Version && len(p.rows) > 0 {
		colours := p.view.scene.Colors
		for i, row := range p.rows {
			if int(row) < len(colours) {
				colours[row] = p.colours[i]
			}
		}
		p.view.scene.Version++
	}
	p.rows, p.colours, p.view = p.rows[:0], p.colours[:0], nil
}

// pick selects the node under a click (window coordinates) alone, or clears the selection.
func (l *frameLoop) pick(x, y float64) { l.pickWith(x, y, 0) }

// pickWith applies a click: alone it selects the node under the pointer (or clears the selection on
// empty space), with Shift it adds the node, with Ctrl it toggles it.
func (l *frameLoop) pickWith(x, y float64, mods platform.Mods) {
	row, ok := l.nodeAt(float32(x), float32(y))
	s := &l.sel
	switch {
	case !ok && mods&(platform.ModShift|platform.ModControl) == 0:
		if len(s.ids) > 0 || s.id != "" {
			s.clear()
			l.logger.Info("selection", "count", 0, "how", "click on empty space")
		}
		return
	case !ok:
		return
	}
	id := l.view.world.Nodes.ID[row]
	how := "click"
	switch {
	case mods&platform.ModControl != 0:
		s.toggle(id)
		how = "ctrl+click"
	case mods&platform.ModShift != 0:
		s.add(id)
		how = "shift+click"
	default:
		s.replace(id)
	}
	l.logger.Info("node selected", "graph", l.view.world.GraphID, "node", id, "how", how)
	l.logger.Info("selection", "count", len(s.ids), "how", how)
}

// nodeAt is the scene row of the node under a window point.
func (l *frameLoop) nodeAt(x, y float32) (int32, bool) {
	winW, winH := l.surface.WindowSize()
	s := &l.view.scene
	p := render.NewProjector(&l.camera, winW, winH)
	i, ok := p.Pick(x, y, s.Positions, s.Radii, l.radiusScale, pickMinRadius)
	if !ok || i >= l.view.world.Nodes.Len() {
		return -1, false
	}
	return int32(i), true
}

// pickMinRadius is the smallest target (window units) a node offers the pointer, however far away.
const pickMinRadius = 3

// selectBox applies a finished box selection: Shift adds the nodes whose centres are inside, Ctrl
// makes them the selection.
func (l *frameLoop) selectBox(r render.Rect, mods platform.Mods) {
	start := time.Now()
	winW, winH := l.surface.WindowSize()
	rows, path, share := l.sel.box.query(l.view, &l.camera, winW, winH, r, boxTreeShare, l.sel.box.found[:0])
	if path == "" {
		p := render.NewProjector(&l.camera, winW, winH)
		rows, path = p.InRect(r, l.view.scene.Positions, rows), "scan"
	}
	l.sel.box.found = rows
	ids := make([]string, 0, len(rows))
	n := l.view.world.Nodes.Len()
	for _, row := range rows {
		if int(row) < n {
			ids = append(ids, l.view.world.Nodes.ID[row])
		}
	}
	s := &l.sel
	if mods&platform.ModControl != 0 && mods&platform.ModShift == 0 {
		s.replace(ids...)
	} else {
		s.add(ids...)
	}
	l.logger.Info("selection", "count", len(s.ids), "how", "box", "boxed", len(ids), "path", path,
		"share", float32(share), "ms", float64(time.Since(start).Microseconds())/1000)
}

// selectedIDs returns the selected node ids in the order they were picked (the agent panel runs
// agents on them, the palette's commands act on them). Read-only, but safe to keep: later changes
// of the selection never write into it.
func (l *frameLoop) selectedIDs() []string {
	if len(l.sel.ids) == 0 && l.sel.id != "" {
		return []string{l.sel.id}
	}
	return l.sel.ids
}

// selectIDs replaces the selection (e.g. a node chosen in the palette); the first id is inspected.
func (l *frameLoop) selectIDs(ids []string) {
	l.sel.replace(ids...)
	l.logger.Info("selection", "count", len(l.sel.ids), "how", "command")
}

// focusSelection frames the selected nodes, or the whole graph when nothing is selected.
func (l *frameLoop) focusSelection() {
	fbW, fbH := l.surface.FramebufferSize()
	aspect := float32(fbW) / float32(max(fbH, 1))
	v := l.view
	pos, radii := v.scene.Positions, v.scene.Radii
	if len(l.sel.ids) == 0 {
		l.camera.FitPoints(pos, aspect)
		l.logger.Info("focus", "count", 0)
		return
	}
	buf := l.sel.box.focusBuf[:0]
	var largest float32
	for _, id := range l.sel.ids {
		row, ok := v.world.Nodes.Index(id)
		if !ok || 3*int(row)+2 >= len(pos) || int(row) >= len(radii) {
			continue
		}
		buf = append(buf, pos[3*row], pos[3*row+1], pos[3*row+2])
		largest = max(largest, radii[row])
	}
	l.sel.box.focusBuf = buf
	if len(buf) == 0 {
		return
	}
	l.camera.FitPoints(buf, aspect)
	// A lone node (or a tight cluster) should fill about a fifth of the view, not all of it.
	l.camera.Distance = max(l.camera.Distance, 10*largest*l.radiusScale)
	l.fitted = true // the camera now shows what the user asked for: stop following the layout
	l.logger.Info("focus", "count", len(buf)/3)
}

// resetView puts the camera back where a freshly opened graph starts: it follows the layout again.
func (l *frameLoop) resetView() {
	l.camera = render.NewCamera()
	l.fitted = false
	l.logger.Info("view reset")
}

// handlePointer turns this frame's clicks, drags and keys into selection changes and keeps the hover
// current (before the scene is drawn).
func (l *frameLoop) handlePointer() {
	c := &l.controls
	if c.clicked {
		c.clicked = false
		l.pickWith(c.clickX, c.clickY, c.clickMods)
	}
	if c.boxDone {
		c.boxDone = false
		l.selectBox(render.Rect{X0: float32(c.pressX), Y0: float32(c.pressY), X1: float32(c.boxX), Y1: float32(c.boxY)}, c.boxMods)
	}
	if c.boxStarted {
		c.boxStarted = false
		l.sel.box.sync(l.view) // in the background, while the user drags
	}
	if c.clearAsked {
		c.clearAsked = false
		if len(l.sel.ids) > 0 || l.sel.id != "" {
			l.sel.clear()
			l.logger.Info("selection", "count", 0, "how", "escape")
		}
	}
	if c.focusAsked {
		c.focusAsked = false
		l.focusSelection()
	}
	if c.resetAsked {
		c.resetAsked = false
		l.resetView()
	}
	l.updateHover(time.Now())
}

// selectionPanels draws what belongs to the selection in the UI frame: rings, labels, the box being
// dragged and the inspector.
func (l *frameLoop) selectionPanels(ctx context.Context) {
	c := &l.controls
	l.drawMarks(time.Now())
	if c.boxing {
		ui.DrawBox(float32(c.pressX), float32(c.pressY), float32(c.boxX), float32(c.boxY))
	}
	act := l.gui.Inspector(l.currentInspection(ctx), l.bottomInset())
	switch {
	case act.Closed:
		l.sel.clear()
		l.logger.Info("selection", "count", 0, "how", "inspector closed")
	case act.Node != "":
		l.sel.id, l.sel.edge = act.Node, ""
		l.sel.gen++
	case act.Edge != "":
		l.sel.edge = act.Edge
		l.logger.Info("edge inspected", "graph", l.view.world.GraphID, "edge", act.Edge)
	case act.Back:
		l.sel.edge = ""
	}
}

// boxIndex is the R-tree (internal/spatial, fat boxes) that box selection queries. The layout moves
// nodes every frame, so the tree is not kept in step per frame: a box selection syncs it when it
// starts, on a goroutine, from a copy of the positions, while the user is still dragging; the query
// at release then costs a few tree searches instead of a pass over every node. When the sync has not
// finished (or the rows changed meanwhile) the release falls back to the projector's linear scan.
type boxIndex struct {
	tree *boxTree   // the last sync, owned by its goroutine until tree.done is closed
	view *graphView // the view whose rows the tree holds
	topo uint64     // and the topology of those rows

	seen     []uint32 // per row: the query stamp that saw it last (a node can lie in two slabs)
	stamp    uint32
	ids      []int
	found    []int32
	focusBuf []float32
}

// boxTree is one sync's result. It lives apart from the selection, which the frame loop may reset
// while a sync is still running.
type boxTree struct {
	idx  *spatial.PositionIndex
	pos  []float32 // the positions the tree holds (the copy taken when the sync started)
	rad  []float32
	lo   [3]float32 // bounds of pos, grown by the largest radius
	hi   [3]float32
	err  error
	done chan struct{}
}

// boxSlabs is how many depth slabs a box query cuts the selection pyramid into: each is searched with
// its own bounding box, so the union hugs the pyramid even when it runs diagonally through the tree
// (one box around the whole pyramid would cover most of the graph).
const boxSlabs = 16

// boxTreeMinNodes is the graph size from which a box selection syncs the tree at all: below it the
// scan takes a fraction of a millisecond and the tree's background sync (154-206 ms of one core at
// 100K nodes, taken from the layout on a two-core machine) could never pay for itself.
const boxTreeMinNodes = 50_000

// sync brings the tree in step with the view's positions in the background; a sync already running
// is left to finish.
func (b *boxIndex) sync(v *graphView) {
	if len(v.scene.Radii) < boxTreeMinNodes {
		return
	}
	b.syncAlways(v)
}

func (b *boxIndex) syncAlways(v *graphView) {
	old := b.tree
	if old != nil && !closed(old.done) {
		return
	}
	if len(v.scene.Positions) != 3*len(v.scene.Radii) {
		return
	}
	t := &boxTree{done: make(chan struct{})}
	if old != nil && old.err == nil && b.view == v && b.topo == v.world.Topology && len(old.rad) == len(v.scene.Radii) {
		t.idx, t.pos, t.rad = old.idx, old.pos[:0], old.rad[:0] // the old sync is over: reuse it
	}
	t.pos = append(t.pos, v.scene.Positions...)
	t.rad = append(t.rad, v.scene.Radii...)
	b.tree, b.view, b.topo = t, v, v.world.Topology
	go func() {
		defer close(t.done)
		t.err = t.sync()
	}()
}

func closed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// sync builds the tree afresh, or moves the nodes that left their fat boxes when it continues an
// earlier tree of the same rows.
func (t *boxTree) sync() error {
	bounds := render.BoundsOf(t.pos)
	var largest float32
	for _, r := range t.rad {
		largest = max(largest, r)
	}
	for k := range 3 {
		t.lo[k], t.hi[k] = bounds.Min[k]-largest, bounds.Max[k]+largest
	}
	if t.idx != nil {
		return t.idx.SyncFlat(t.pos, t.rad)
	}
	// Nodes may drift by 2% of the graph's extent before the tree notices them.
	margin := 0.02 * float64(bounds.Max.Sub(bounds.Min).Len())
	idx, err := spatial.NewPositionIndex(max(margin, 1e-6))
	if err != nil {
		return err
	}
	ids := make([]int, len(t.rad))
	for i := range ids {
		ids[i] = i
	}
	if err := idx.Build(ids, t.pos, t.rad); err != nil {
		return err
	}
	t.idx = idx
	return nil
}

// ready returns the finished tree of view v's current rows, or nil.
func (b *boxIndex) ready(v *graphView) *boxTree {
	t := b.tree
	if t == nil || !closed(t.done) || t.err != nil || t.idx == nil {
		return nil
	}
	if b.view != v || b.topo != v.world.Topology || len(t.rad) != len(v.scene.Radii) {
		return nil
	}
	return t
}

// boxTreeShare is the largest share of the graph's bounding volume a box query may search in the
// tree; beyond it the linear scan is cheaper. Measured on the build machine at 100K nodes (see
// BenchmarkBoxSelect100K): rtreego costs about a microsecond per candidate against 10-20 ns per node
// for the projector's scan, so the two break even near 1% of the volume (slabs over 0.4%: tree
// 1.25 ms, scan 1.8 ms; over 6.4%: tree 4.4 ms, scan 2.1 ms). The tree pays for small boxes on a
// zoomed-in view of a big graph.
const boxTreeShare = 1.0 / 128

// query appends the rows whose centres (as of the sync) project into r, searching the tree slab by
// slab when the slabs cover at most maxShare of the graph's bounding volume. path is "rtree", or ""
// when the caller must scan (tree not ready, or a scan is cheaper); share is the slabs' share.
func (b *boxIndex) query(v *graphView, cam *render.Camera, winW, winH int, r render.Rect, maxShare float64, dst []int32) (_ []int32, path string, share float64) {
	t := b.ready(v)
	if t == nil {
		return dst, "", 0
	}
	r = r.Normalize()
	// The depth range the graph occupies along the view direction bounds the pyramid.
	eye, fwd := cam.Eye(), cam.Forward()
	near, far := float32(math.Inf(1)), float32(math.Inf(-1))
	for c := range 8 {
		x, y, z := pick3(c&1 != 0, t.lo[0], t.hi[0]), pick3(c&2 != 0, t.lo[1], t.hi[1]), pick3(c&4 != 0, t.lo[2], t.hi[2])
		d := (x-eye[0])*fwd[0] + (y-eye[1])*fwd[1] + (z-eye[2])*fwd[2]
		near, far = min(near, d), max(far, d)
	}
	near = max(near, cam.Distance*1e-3)
	if far <= near {
		return dst, "rtree", 0
	}
	var dirs [4][3]float32
	for i, px := range [4][2]float32{{r.X0, r.Y0}, {r.X1, r.Y0}, {r.X0, r.Y1}, {r.X1, r.Y1}} {
		_, d := cam.Ray(px[0], px[1], winW, winH)
		dirs[i] = d
	}
	var slabs [boxSlabs][2][3]float64
	step := (far - near) / boxSlabs
	volume, covered := 1.0, 0.0
	for k := range 3 {
		volume *= float64(t.hi[k] - t.lo[k])
	}
	for s := range boxSlabs {
		d0, d1 := near+float32(s)*step, near+float32(s+1)*step
		lo := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
		hi := [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
		for _, dir := range dirs {
			for _, d := range [2]float32{d0, d1} {
				for k := range 3 {
					c := float64(eye[k] + d*dir[k])
					lo[k], hi[k] = math.Min(lo[k], c), math.Max(hi[k], c)
				}
			}
		}
		part := 1.0
		for k := range 3 { // float32 corners: pad so that rounding never drops a node on the edge
			pad := 1e-4 * (hi[k] - lo[k] + float64(t.hi[k]-t.lo[k]))
			lo[k], hi[k] = lo[k]-pad, hi[k]+pad
			part *= max(0, math.Min(hi[k], float64(t.hi[k]))-math.Max(lo[k], float64(t.lo[k])))
		}
		covered += part
		slabs[s] = [2][3]float64{lo, hi}
	}
	share = math.Inf(1)
	if volume > 0 {
		share = covered / volume
	}
	if share > maxShare {
		return dst, "", share
	}
	p := render.NewProjector(cam, winW, winH)
	if len(b.seen) != len(t.rad) {
		b.seen, b.stamp = make([]uint32, len(t.rad)), 0
	}
	b.stamp++
	if b.stamp == 0 { // wrapped: forget every old stamp
		clear(b.seen)
		b.stamp = 1
	}
	for _, slab := range slabs {
		b.ids = t.idx.QueryBox(slab[0], slab[1], b.ids)
		for _, id := range b.ids {
			if id >= len(b.seen) || b.seen[id] == b.stamp {
				continue
			}
			b.seen[id] = b.stamp
			sx, sy, _, ok := p.Project(t.pos[3*id], t.pos[3*id+1], t.pos[3*id+2])
			if ok && r.Contains(sx, sy) {
				dst = append(dst, int32(id))
			}
		}
	}
	slices.Sort(dst)
	return dst, "rtree", share
}

func pick3(hi bool, a, b float32) float32 {
	if hi {
		return b
	}
	return a
}
