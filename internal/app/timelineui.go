package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/timeline"
	"github.com/infoalchemist/alchemist/internal/ui"
	"github.com/infoalchemist/alchemist/internal/world"
)

// timelineUI is the event timeline: a scrubber over the open graph's history with markers, play,
// compare and a way back to live. Presentation state only; the history itself lives on a
// historyWorker.
type timelineUI struct {
	shown   bool
	hw      *historyWorker
	graphID string
	loaded  bool
	ctx     context.Context

	infos      []eventInfo // one per event, in order: position i is infos[i-1]
	early      []eventInfo // seen live while the history loads
	markers    []ui.TimelineMarker
	lastImport string // correlation id of the last import seen, for markers

	index       int // position on screen; 0 while live
	playing     bool
	playFrom    time.Time
	playStart   int
	compareFrom int
	compareText string
	rectsLogged bool
	gen         uint64 // bumped when the screen goes back to live: late rebuilds are dropped

	past       *graphView // the past view on screen, fed forward through its local queue
	pastIndex  int        // the position the past view has (or will have, once its queue drains)
	rebuilding bool       // a rebuild is queued or running
	announce   int        // a forward move to log once its events are applied
	inflight   int        // events of forward moves not yet in the past view's queue

	pendingJump    uint64 // a version to show once the history has loaded (--at)
	pendingCompare uint64 // a version to compare it with (--compare-from)

	undo undoState
}

// historyFor makes sure the history of the live graph is loaded or loading; nil for the demo.
func (t *timelineUI) historyFor(ctx context.Context, l *frameLoop) *historyWorker {
	live := l.liveView()
	id := live.world.GraphID
	if live.agg == nil || id == "" {
		return nil
	}
	if t.hw != nil && t.graphID == id {
		return t.hw
	}
	t.reset(l)
	t.graphID = id
	t.hw = startHistory(ctx, l, id, func(l *frameLoop, infos []eventInfo) {
		t.infos = t.infos[:0]
		t.markers = t.markers[:0]
		for _, in := range infos {
			t.add(in)
		}
		last := uint64(0)
		if len(t.infos) > 0 {
			last = t.infos[len(t.infos)-1].seq
		}
		for _, in := range t.early {
			if in.seq > last {
				t.add(in)
			}
		}
		t.early, t.loaded = nil, true
	})
	hw := t.hw
	live.tap = func(ev *graph.Event) {
		hw.observe(ev)
		t.undo.observe(ev)
		switch {
		case t.loaded && len(t.infos) > 0 && ev.Seq <= t.infos[len(t.infos)-1].seq:
			// The history read the store after the follower's position: it has this event already.
		case t.loaded:
			t.add(infoOf(ev))
		default:
			t.early = append(t.early, infoOf(ev))
		}
	}
	return t.hw
}

// add records an event's scrubber information and its marker.
func (t *timelineUI) add(in eventInfo) {
	t.infos = append(t.infos, in)
	if strings.HasPrefix(in.corr, "import-") && in.corr != t.lastImport {
		in.mark, t.lastImport = "import", in.corr // an import's first event
	}
	if in.mark != "" {
		t.markers = append(t.markers, ui.TimelineMarker{Index: len(t.infos), Kind: in.mark})
	}
}

// update runs before the view's frame: it takes finished work from the history worker (a rebuilt
// past version, a loaded history, undo commands) and moves the playhead.
func (t *timelineUI) update(ctx context.Context, l *frameLoop) {
	t.ctx = ctx
	if t.hw == nil {
		return
	}
results:
	for range 4 {
		select {
		case fn := <-t.hw.results:
			fn(l)
		default:
			break results
		}
	}
	t.announceForward(l)
	if t.pendingJump > 0 && t.loaded {
		v := t.pendingJump
		t.pendingJump = 0
		if t.pendingCompare > 0 {
			t.compareFrom = max(1, t.indexOf(t.pendingCompare))
			t.pendingCompare = 0
		}
		t.jump(ctx, l, v)
	}
	if t.playing && t.loaded {
		rate := max(5, float64(len(t.infos))/20) // a whole history plays in about 20 s
		at := t.playStart + int(time.Since(t.playFrom).Seconds()*rate)
		if at >= len(t.infos) {
			t.playing = false
			t.goLive(l)
			return
		}
		if at != t.index && !t.hw.busy() {
			t.seek(l, at)
		}
	}
}

// seek asks the worker for the state after the first index events; the newest request wins.
func (t *timelineUI) seek(l *frameLoop, index int) {
	if !t.loaded || len(t.infos) == 0 {
		return
	}
	index = min(max(index, 1), len(t.infos))
	if index == len(t.infos) && t.compareFrom == 0 {
		t.goLive(l)
		return
	}
	t.index = index
	hw := t.hw
	hw.wantIndex.Store(int64(index))
	if t.forward(l, index) {
		return
	}
	if hw.seekQueued.Swap(true) {
		return // the queued seek will read the newest position
	}
	t.rebuilding = true
	compareFrom, id, gen := t.compareFrom, t.graphID, t.gen
	ctx := t.ctx
	if !hw.do(func(h *timeline.History) {
		hw.seekQueued.Store(false)
		want := int(hw.wantIndex.Load())
		st, err := rebuild(h, id, want, compareFrom)
		hw.post(ctx, func(l *frameLoop) {
			t.rebuilding = false
			switch {
			case gen != t.gen:
			case err != nil:
				l.notify(noteError, "timeline: %v", err)
			default:
				t.show(l, st)
			}
		})
	}) {
		hw.seekQueued.Store(false)
		t.rebuilding = false
	}
}

// forward moves the past view on screen forward by feeding it the events in between, like a
// follower: the cost is those events, not a rebuild of the whole graph. It reports whether it could.
func (t *timelineUI) forward(l *frameLoop, index int) bool {
	v := t.past
	if v == nil || l.view != v || t.rebuilding || t.compareFrom > 0 || index <= t.pastIndex ||
		t.inflight+index-t.pastIndex > cap(v.local)-len(v.local) {
		return false
	}
	from, gen, hw, ctx := t.pastIndex, t.gen, t.hw, t.ctx
	t.pastIndex = index
	t.inflight += index - from
	ok := hw.do(func(h *timeline.History) {
		evs := make([]graph.Event, index-from)
		for i := range evs {
			evs[i] = *h.Event(from + i)
		}
		hw.post(ctx, func(l *frameLoop) {
			if gen != t.gen || t.past != v || l.view != v {
				return
			}
			t.inflight -= len(evs)
			for i := range evs {
				v.local <- &evs[i]
			}
			t.announce = index
		})
	})
	if !ok {
		t.pastIndex, t.inflight = from, t.inflight-(index-from)
	}
	return ok
}

// announceForward logs a forward move once the past view has applied its events.
func (t *timelineUI) announceForward(l *frameLoop) {
	v := t.past
	if t.announce == 0 || v == nil || l.view != v || len(v.local) > 0 {
		return
	}
	l.logger.Info("timeline showing", "graph", t.graphID, "index", t.announce, "version", v.world.Seq,
		"nodes", v.world.Nodes.Len(), "edges", v.world.Edges.Len(), "ms", 0)
	t.announce = 0
}

// show puts a rebuilt past version on screen, laid out where the live graph has its nodes.
func (t *timelineUI) show(l *frameLoop, st *pastState) {
	v, err := newGraphView(st.world, nil, l.params, l.seed, l.logger)
	if err != nil {
		l.notify(noteError, "timeline: %v", err)
		return
	}
	v.agg = st.g
	if st.change == nil {
		v.local = make(chan *graph.Event, pastQueue)
	} else {
		v.recolor = compareColours(st.change)
		c := st.change
		t.compareText = fmt.Sprintf("v%d -> v%d: +%d -%d nodes, +%d -%d edges", min(st.from, st.version), max(st.from, st.version),
			len(c.NodesAdded), len(c.NodesRemoved), len(c.EdgesAdded), len(c.EdgesRemoved))
	}
	v.frame() // hands the topology to the layout so the positions below apply to it
	live := l.liveView()
	seedPositions(v, live)
	if err := v.runner.Start(t.ctx); err != nil {
		v.close()
		l.notify(noteError, "timeline: %v", err)
		return
	}
	if l.live == nil {
		l.live = l.view
	} else {
		l.unpaint()
		t.retire(l.view)
	}
	l.view = v
	t.past, t.pastIndex, t.announce, t.inflight = v, st.index, 0, 0
	l.logger.Info("timeline showing", "graph", t.graphID, "index", st.index, "version", st.version,
		"nodes", st.world.Nodes.Len(), "edges", st.world.Edges.Len(), "ms", st.took.Milliseconds())
}

// pastQueue bounds a forward move fed as events; a longer jump rebuilds instead.
const pastQueue = 1 << 15

// seedPositions starts a past view where the live graph has its nodes, on screen from its first
// frame: the nodes both have take their live positions (in the scene and in the layout), a node the
// live graph no longer has starts beside a neighbour that has one, and the layout takes it from there.
// Without this the view stays empty until the layout's first steps (seconds at 100K nodes).
func seedPositions(past, live *graphView) {
	lp := live.scene.Positions
	n := past.world.Nodes.Len()
	pos := make([]float32, 3*n)
	known := make([]bool, n)
	for row, id := range past.world.Nodes.ID {
		lr, ok := live.world.Nodes.Index(id)
		if !ok || int(lr)*3+2 >= len(lp) {
			continue
		}
		copy(pos[3*row:3*row+3], lp[3*lr:3*lr+3])
		known[row] = true
		past.runner.SetPosition(row, lp[lr*3], lp[lr*3+1], lp[lr*3+2])
	}
	e := &past.world.Edges
	for i := range e.Src {
		a, b := e.Src[i], e.Dst[i]
		if known[a] == known[b] {
			continue
		}
		if known[a] {
			a, b = b, a // a is the unknown end
		}
		copy(pos[3*a:3*a+3], pos[3*b:3*b+3])
		pos[3*a] += 1 // beside, not on top of, its neighbour
		known[a] = true
	}
	if len(past.staged.Radii) == n { // the first frame filled the staged columns
		past.scene.Positions = pos
		past.install()
	}
}

var (
	addedColour   = render.RGBA(80, 230, 110, 255)
	removedColour = render.RGBA(240, 80, 80, 255)
)

// compareColours highlights added nodes green and removed ones red and dims the rest.
func compareColours(c *timeline.Change) func(w *world.World, colors []uint32) {
	return func(w *world.World, colors []uint32) {
		for i := range colors {
			col := colors[i]
			r, g, b := col&0xff, (col>>8)&0xff, (col>>16)&0xff
			colors[i] = render.RGBA(uint8(r/3), uint8(g/3), uint8(b/3), 255)
		}
		for _, id := range c.NodesAdded {
			if row, ok := w.Nodes.Index(id); ok && int(row) < len(colors) {
				colors[row] = addedColour
			}
		}
		for _, id := range c.NodesRemoved {
			if row, ok := w.Nodes.Index(id); ok && int(row) < len(colors) {
				colors[row] = removedColour
			}
		}
	}
}

// frame draws the timeline panel when shown.
func (t *timelineUI) frame(ctx context.Context, l *frameLoop) {
	if !t.shown {
		return
	}
	view := ui.TimelineView{Live: l.live == nil, Playing: t.playing, Markers: t.markers, Pending: t.hw != nil && t.hw.busy()}
	switch hw := t.historyFor(ctx, l); {
	case hw == nil:
	case !t.loaded:
		view.Loading = "loading the history of " + t.graphID + " ..."
	default:
		view.Count, view.Index = len(t.infos), t.index
		if view.Live {
			view.Index = len(t.infos)
		}
		view.Describe = t.describe
		view.CompareFrom, view.CompareText = t.compareFrom, t.compareText
	}
	act := l.gui.Timeline(view)
	if !t.rectsLogged && view.Count > 0 {
		t.rectsLogged = true
		l.logger.Info("timeline layout", "slider_x0", int(act.SliderMin[0]), "slider_x1", int(act.SliderMax[0]),
			"slider_y", int(act.SliderMin[1]), "live_x", int(act.LiveButton[0]), "live_y", int(act.LiveButton[1]),
			"events", view.Count)
	}
	switch {
	case act.Closed:
		t.shown = false
	case act.Seek > 0:
		t.playing = false
		t.seek(l, act.Seek)
	case act.Live:
		t.goLive(l)
	case act.PlayToggle:
		t.togglePlay(l)
	case act.StepBack:
		t.seek(l, view.Index-1)
	case act.StepForward:
		t.seek(l, view.Index+1)
	case act.Compare:
		t.toggleCompare(l, view.Index)
	}
}

func (t *timelineUI) togglePlay(l *frameLoop) {
	if t.playing {
		t.playing = false
		return
	}
	start := t.index
	if l.live == nil || start <= 0 {
		start = 1
	}
	t.playing, t.playFrom, t.playStart = true, time.Now(), start
	t.seek(l, start)
}

func (t *timelineUI) toggleCompare(l *frameLoop, at int) {
	if t.compareFrom > 0 {
		t.compareFrom, t.compareText = 0, ""
		t.goLive(l)
		return
	}
	t.compareFrom = at
	t.compareText = "drag to the version to compare with"
}

// describe is one line about the event at a scrubber position.
func (t *timelineUI) describe(index int) string {
	if index < 1 || index > len(t.infos) {
		return ""
	}
	in := t.infos[index-1]
	actor := in.actor
	if actor == "" {
		actor = "unknown"
	}
	return fmt.Sprintf("v%d  %s by %s at %s", in.seq, in.typ, actor, in.at.Local().Format("2006-01-02 15:04:05"))
}

// toggle shows or hides the timeline.
func (t *timelineUI) toggle(l *frameLoop) {
	t.shown = !t.shown
	if !t.shown {
		t.playing = false
	}
}

// jump shows the graph as it was at version v (the last event at or before it).
func (t *timelineUI) jump(ctx context.Context, l *frameLoop, v uint64) {
	t.shown = true
	if t.historyFor(ctx, l) == nil {
		l.notify(noteWarn, "jump to version: open a stored graph first")
		return
	}
	if !t.loaded {
		l.notify(noteWarn, "jump to version: the history is still loading, try again in a moment")
		return
	}
	index := t.indexOf(v)
	if index == 0 {
		l.notify(noteWarn, "jump to version %d: the graph starts at version %d", v, t.infos[0].seq)
		return
	}
	t.seek(l, index)
}

// indexOf is the scrubber position of version v: the number of events at or before it.
func (t *timelineUI) indexOf(v uint64) int {
	return sort.Search(len(t.infos), func(i int) bool { return t.infos[i].seq > v })
}

// goLive returns to the live graph.
func (t *timelineUI) goLive(l *frameLoop) {
	t.index, t.playing, t.past = 0, false, nil
	t.gen++
	if t.compareFrom > 0 {
		t.compareFrom, t.compareText = 0, ""
	}
	if l.live == nil {
		return
	}
	l.unpaint()
	t.retire(l.view)
	l.view, l.live = l.live, nil
	l.logger.Info("timeline live", "graph", t.graphID, "version", l.view.world.Seq, "nodes", l.view.world.Nodes.Len())
}

// retire closes a past view and hands its state back to the history, whose next restore copies into
// its tables rather than into fresh memory.
func (t *timelineUI) retire(v *graphView) {
	v.close()
	if g, hw := v.agg, t.hw; g != nil && hw != nil {
		hw.do(func(h *timeline.History) { h.Recycle(g) })
	}
}

// busy reports that a past version is being rebuilt.
func (t *timelineUI) busy() bool {
	return t.pendingJump > 0 || t.rebuilding || (t.hw != nil && (t.hw.busy() || !t.loaded))
}

// reset forgets the history when another graph replaces the live one; a past view is closed.
func (t *timelineUI) reset(l *frameLoop) {
	t.goLive(l)
	if t.hw != nil {
		t.hw.cancel()
	}
	l.view.tap = nil
	*t = timelineUI{shown: t.shown, ctx: t.ctx, gen: t.gen + 1, pendingJump: t.pendingJump, pendingCompare: t.pendingCompare}
}
