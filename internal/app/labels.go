package app

import (
	"slices"
	"time"

	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/ui"
)

// What is drawn over the nodes each frame: the hover ring, the rings of the selected nodes and the
// labels. None of it walks every node per frame: hover picks at most every hoverEvery, labels choose
// among the hovered, the first selected and the largest nodes (kept as a top-K list rebuilt when the
// topology changes), and the choice is redone only when the camera, the selection or the hover
// changed, or every labelEvery while the layout moves nodes.
const (
	hoverEvery    = 40 * time.Millisecond  // at most one pick per this while the pointer moves
	hoverRecheck  = 200 * time.Millisecond // the pointer rests but the layout moves nodes under it
	labelEvery    = 250 * time.Millisecond
	topEvery      = 500 * time.Millisecond // the top-K list follows a streaming import at this pace
	topK          = 256                    // the largest nodes considered for labels
	maxLabels     = 50
	maxRings      = 256 // selected nodes ringed; the white highlight marks them all
	labelSelected = 64  // selected nodes considered for labels
	minLabelPx    = 3   // on-screen radius (window units) below which a node gets no label
	labelCell     = 8   // the placement grid's cell, window units
	labelChars    = 40  // longer labels are cut
)

// hoverState is the node under the pointer and when it was picked.
type hoverState struct {
	id    string
	x, y  float64 // the pointer at the last pick
	at    time.Time
	cam   render.Camera
	view  *graphView
	picks int // picks done, for the benchmark and the log
}

// updateHover keeps the hovered node current: it picks again only when the pointer or the camera
// moved, or the layout may have moved nodes, and never more often than hoverEvery.
func (l *frameLoop) updateHover(now time.Time) {
	c, s := &l.controls, &l.sel
	h := &s.hover
	if !c.pointerSeen || c.overUI || c.isDragging {
		h.id, s.row, h.view = "", -1, nil
		return
	}
	moved := c.lastX != h.x || c.lastY != h.y || l.camera != h.cam || h.view != l.view
	if (moved && now.Sub(h.at) >= hoverEvery) || now.Sub(h.at) >= hoverRecheck {
		h.x, h.y, h.at, h.cam, h.view = c.lastX, c.lastY, now, l.camera, l.view
		h.picks++
		if row, ok := l.nodeAt(float32(c.lastX), float32(c.lastY)); ok {
			h.id = l.view.world.Nodes.ID[row]
		} else {
			h.id = ""
		}
	}
	s.row = -1
	if h.id != "" {
		if row, ok := l.view.world.Nodes.Index(h.id); ok && int(row) < len(l.view.scene.Radii) {
			s.row = row
		}
	}
}

// labeler caches which nodes carry labels.
type labeler struct {
	top     []int32 // rows of the largest nodes, largest first
	topView *graphView
	topAt   [2]uint64 // world topology and style the list was built at
	topTime time.Time
	topHeap rowHeap

	key    labelKey
	at     time.Time
	chosen []labelCand
	cands  []labelCand
	grid   []bool
	out    []ui.Label
	rings  []ui.Ring
}

// labelKey is what a label choice depends on besides node positions.
type labelKey struct {
	cam        render.Camera
	winW, winH int
	gen        uint64
	hover      string
	view       *graphView
	topo       uint64
}

// labelCand is a node that may get a label, projected.
type labelCand struct {
	id, text string
	x, y, r  float32 // projected centre and on-screen radius
	w, h     float32 // text size
	prio     float32 // placed in decreasing order
	strong   bool    // hovered or selected
	always   bool    // placed even over others (the hovered node)
}

// drawMarks draws the rings and labels of this frame (in the UI frame: ImGui's background list).
func (l *frameLoop) drawMarks(now time.Time) {
	winW, winH := l.surface.WindowSize()
	p := render.NewProjector(&l.camera, winW, winH)
	lb := &l.sel.labels
	lb.rings = l.rings(&p, lb.rings[:0])
	ui.DrawRings(lb.rings)
	if x0, y0, x1, y1, ok := l.inspectedEdge(&p); ok {
		ui.DrawSegment(x0, y0, x1, y1)
	}
	lb.refreshTop(l.view, now)
	key := labelKey{cam: l.camera, winW: winW, winH: winH, gen: l.sel.gen, hover: l.sel.hover.id, view: l.view, topo: l.view.world.Topology}
	if key != lb.key || now.Sub(lb.at) >= labelEvery {
		lb.key, lb.at = key, now
		lb.cands = l.labelCandidates(&p, lb.cands[:0])
		lb.chosen = placeLabels(lb.cands, maxLabels, float32(winW), float32(winH), &lb.grid, ui.TextSize, lb.chosen[:0])
	}
	lb.out = l.followLabels(&p, lb.chosen, lb.out[:0])
	ui.DrawLabels(lb.out)
}

// rings circles the hovered node and the first maxRings selected ones.
func (l *frameLoop) rings(p *render.Projector, dst []ui.Ring) []ui.Ring {
	v := l.view
	ring := func(row int32, hover bool) {
		if 3*int(row)+2 >= len(v.scene.Positions) || int(row) >= len(v.scene.Radii) {
			return
		}
		pos := v.scene.Positions[3*row:]
		x, y, depth, ok := p.Project(pos[0], pos[1], pos[2])
		if !ok {
			return
		}
		r := max(p.Radius(v.scene.Radii[row]*l.radiusScale, depth), pickMinRadius) + 3
		dst = append(dst, ui.Ring{X: x, Y: y, R: r, Hover: hover})
	}
	for i, id := range l.sel.ids {
		if i == maxRings {
			break
		}
		if row, ok := v.world.Nodes.Index(id); ok {
			ring(row, false)
		}
	}
	if l.sel.row >= 0 {
		ring(l.sel.row, true)
	}
	return dst
}

// inspectedEdge is the window segment of the edge the inspector shows, if both ends are in front of
// the camera.
func (l *frameLoop) inspectedEdge(p *render.Projector) (x0, y0, x1, y1 float32, ok bool) {
	v := l.view
	if l.sel.edge == "" || v.agg == nil {
		return 0, 0, 0, 0, false
	}
	e, found := v.agg.Edge(l.sel.edge)
	if !found {
		return 0, 0, 0, 0, false
	}
	end := func(id string) (float32, float32, bool) {
		row, ok := v.world.Nodes.Index(id)
		if !ok || 3*int(row)+2 >= len(v.scene.Positions) {
			return 0, 0, false
		}
		pos := v.scene.Positions[3*row:]
		x, y, _, ok := p.Project(pos[0], pos[1], pos[2])
		return x, y, ok
	}
	x0, y0, ok0 := end(e.Source)
	x1, y1, ok1 := end(e.Target)
	return x0, y0, x1, y1, ok0 && ok1
}

// labelCandidates projects the hovered node, the first selected ones and the largest ones.
func (l *frameLoop) labelCandidates(p *render.Projector, dst []labelCand) []labelCand {
	v, s := l.view, &l.sel
	add := func(id string, prio float32, strong, always bool) {
		row, ok := v.world.Nodes.Index(id)
		if !ok || 3*int(row)+2 >= len(v.scene.Positions) || int(row) >= len(v.scene.Radii) {
			return
		}
		pos := v.scene.Positions[3*row:]
		x, y, depth, ok := p.Project(pos[0], pos[1], pos[2])
		if !ok {
			return
		}
		r := max(p.Radius(v.scene.Radii[row]*l.radiusScale, depth), pickMinRadius)
		if !strong && r < minLabelPx {
			return
		}
		text := v.world.Nodes.Label[row]
		if text == "" {
			text = id
		}
		dst = append(dst, labelCand{id: id, text: shorten(text, labelChars), x: x, y: y, r: r, prio: prio + r, strong: strong, always: always})
	}
	if s.hover.id != "" {
		add(s.hover.id, 2e9, true, true)
	}
	for i, id := range s.ids {
		if i == labelSelected {
			break
		}
		if id != s.hover.id {
			add(id, 1e9, true, false)
		}
	}
	for _, row := range s.labels.top {
		if int(row) >= v.world.Nodes.Len() {
			continue
		}
		id := v.world.Nodes.ID[row]
		if id != s.hover.id && !s.has(id) {
			add(id, 0, false, false)
		}
	}
	return dst
}

// followLabels places the chosen labels beside their nodes' current positions: the choice is cached,
// the positions are this frame's.
func (l *frameLoop) followLabels(p *render.Projector, chosen []labelCand, dst []ui.Label) []ui.Label {
	v := l.view
	for _, c := range chosen {
		row, ok := v.world.Nodes.Index(c.id)
		if !ok || 3*int(row)+2 >= len(v.scene.Positions) || int(row) >= len(v.scene.Radii) {
			continue
		}
		pos := v.scene.Positions[3*row:]
		x, y, depth, ok := p.Project(pos[0], pos[1], pos[2])
		if !ok {
			continue
		}
		r := max(p.Radius(v.scene.Radii[row]*l.radiusScale, depth), pickMinRadius)
		dst = append(dst, ui.Label{X: x + r + 4, Y: y, Text: c.text, Strong: c.strong})
	}
	return dst
}

// refreshTop rebuilds the list of the largest nodes when the rows or their sizes changed, at most
// every topEvery (a streaming import changes the topology every frame).
func (lb *labeler) refreshTop(v *graphView, now time.Time) {
	at := [2]uint64{v.world.Topology, v.world.Style}
	if lb.topView == v && (lb.topAt == at || now.Sub(lb.topTime) < topEvery) {
		return
	}
	lb.topView, lb.topAt, lb.topTime = v, at, now
	lb.top = largestRows(v.world.Nodes.Radius, topK, &lb.topHeap, lb.top[:0])
}

// largestRows appends the rows of the k largest radii to dst, largest first (ties: lower row first).
// A min-heap of k rows makes it O(n log k): 100K nodes, k 256 in about a millisecond, and it runs
// only when the topology changes. The heap's memory is h's, reused.
func largestRows(radius []float32, k int, h *rowHeap, dst []int32) []int32 {
	h.radius, h.rows = radius, h.rows[:0]
	for i := range radius {
		row := int32(i)
		switch {
		case len(h.rows) < k:
			h.rows = append(h.rows, row)
			h.up(len(h.rows) - 1)
		case k > 0 && h.less(h.rows[0], row):
			h.rows[0] = row
			h.down(0)
		}
	}
	n := len(h.rows)
	dst = slices.Grow(dst, n)[:len(dst)+n]
	out := dst[len(dst)-n:]
	for i := n - 1; i >= 0; i-- {
		out[i] = h.rows[0]
		last := len(h.rows) - 1
		h.rows[0] = h.rows[last]
		h.rows = h.rows[:last]
		h.down(0)
	}
	h.radius = nil
	return dst
}

// rowHeap is a binary min-heap of rows by radius (then by descending row, so lower rows win ties).
type rowHeap struct {
	radius []float32
	rows   []int32
}

func (h *rowHeap) less(a, b int32) bool {
	if h.radius[a] != h.radius[b] {
		return h.radius[a] < h.radius[b]
	}
	return a > b
}

func (h *rowHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(h.rows[i], h.rows[parent]) {
			return
		}
		h.rows[i], h.rows[parent] = h.rows[parent], h.rows[i]
		i = parent
	}
}

func (h *rowHeap) down(i int) {
	n := len(h.rows)
	for {
		least, l, r := i, 2*i+1, 2*i+2
		if l < n && h.less(h.rows[l], h.rows[least]) {
			least = l
		}
		if r < n && h.less(h.rows[r], h.rows[least]) {
			least = r
		}
		if least == i {
			return
		}
		h.rows[i], h.rows[least] = h.rows[least], h.rows[i]
		i = least
	}
}

// placeLabels chooses up to limit labels greedily in decreasing priority, each beside its node and
// clear of those placed before it (an occupancy grid of labelCell cells over the w×h window); the
// candidate marked always is placed regardless. measure gives a text's size.
func placeLabels(cands []labelCand, limit int, w, h float32, grid *[]bool, measure func(string) (float32, float32), dst []labelCand) []labelCand {
	sortByPriority(cands)
	cols, rows := int(w)/labelCell+1, int(h)/labelCell+1
	if cap(*grid) < cols*rows {
		*grid = make([]bool, cols*rows)
	}
	g := (*grid)[:cols*rows]
	clear(g)
	for _, c := range cands {
		if len(dst) == limit {
			break
		}
		c.w, c.h = measure(c.text)
		x0, y0 := c.x+c.r+1, c.y-c.h/2-1
		x1, y1 := x0+c.w+6, y0+c.h+2
		if x1 < 0 || y1 < 0 || x0 >= w || y0 >= h {
			continue
		}
		cx0, cy0 := max(int(x0)/labelCell, 0), max(int(y0)/labelCell, 0)
		cx1, cy1 := min(int(x1)/labelCell, cols-1), min(int(y1)/labelCell, rows-1)
		free := true
		for cy := cy0; cy <= cy1 && free && !c.always; cy++ {
			for cx := cx0; cx <= cx1; cx++ {
				if g[cy*cols+cx] {
					free = false
					break
				}
			}
		}
		if !free {
			continue
		}
		for cy := cy0; cy <= cy1; cy++ {
			for cx := cx0; cx <= cx1; cx++ {
				g[cy*cols+cx] = true
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// sortByPriority orders candidates by decreasing priority, ties by id (stable across frames, so
// labels do not flicker between equals).
func sortByPriority(c []labelCand) {
	slices.SortFunc(c, func(a, b labelCand) int {
		switch {
		case a.prio > b.prio:
			return -1
		case a.prio < b.prio:
			return 1
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
}
