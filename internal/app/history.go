package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/timeline"
	"github.com/infoalchemist/alchemist/internal/world"
)

// historyWorker owns one graph's timeline.History on its own goroutine: the history is not safe for
// concurrent use, and restoring a version (tens of milliseconds at 100K events) or projecting it into
// a world (hundreds at 100K nodes) must never stall a frame. The frame thread hands it events and
// jobs; it hands back closures for the frame thread to run.
type historyWorker struct {
	cancel context.CancelFunc

	mu      sync.Mutex
	pending []graph.Event // events seen live, not yet in the history

	jobs    chan func(h *timeline.History)
	results chan func(l *frameLoop)

	// wantIndex is the scrubber position the user wants on screen; a seek job reads it when it runs,
	// so a burst of drags costs one rebuild, not one per frame.
	wantIndex  atomic.Int64
	seekQueued atomic.Bool
	working    atomic.Bool
}

// eventInfo is what the scrubber shows about an event, kept on the frame thread.
type eventInfo struct {
	id    string
	corr  string
	seq   uint64
	typ   string
	actor string
	at    time.Time
	mark  string // marker kind, or ""
}

func infoOf(ev *graph.Event) eventInfo {
	in := eventInfo{id: ev.ID, corr: ev.CorrelationID, seq: ev.Seq, typ: ev.Type, actor: ev.Actor, at: ev.Time}
	switch {
	case ev.Type == agents.EventSuggestionAccepted:
		in.mark = "accepted"
	case ev.Type == agents.EventSuggestionRejected:
		in.mark = "rejected"
	case strings.HasPrefix(ev.CorrelationID, undoPrefix):
		in.mark = "undo"
	}
	return in
}

// startHistory reads the graph's events from the store into a history on a new goroutine and then
// serves jobs until ctx ends. The history's events become available to the frame thread through
// the loaded callback.
func startHistory(ctx context.Context, l *frameLoop, graphID string, loaded func(l *frameLoop, infos []eventInfo)) *historyWorker {
	life, cancel := context.WithCancel(ctx) // the worker's: it outlives the loading task
	w := &historyWorker{cancel: cancel, jobs: make(chan func(*timeline.History), 64),
		results: make(chan func(*frameLoop), 64)}
	store := l.ws.repo.Store()
	l.tasks.start(life, "loading history of "+graphID, func(ctx context.Context, t *task) (string, error) {
		start := time.Now()
		total, err := store.LastVersion(ctx, graphID)
		if err != nil {
			return "", err
		}
		h, err := timeline.New(graph.New(graphID), timeline.Options{Budget: int64(l.opts.Config.Timeline.MemoryMB) << 20})
		if err != nil {
			return "", err
		}
		var infos []eventInfo
		err = store.Load(ctx, graphID, 0, func(rec eventstore.Record) error {
			ev, err := rec.Event()
			if err != nil {
				return nil // a malformed event is skipped by every projection; the bridge logs it
			}
			infos = append(infos, infoOf(&ev))
			if len(infos)%4096 == 0 {
				t.Progress(int(ev.Seq), int(total))
			}
			return h.Append(ev)
		})
		if err != nil {
			return "", fmt.Errorf("history of %s: %w", graphID, err)
		}
		took := time.Since(start)
		l.logger.Info("timeline history loaded", "graph", graphID, "events", h.Len(), "ms", took.Milliseconds())
		w.post(life, func(l *frameLoop) { loaded(l, infos) })
		// One restore of the largest state up front, handed back at once: the user's first jump then
		// copies into memory the process already has rather than faulting in fresh pages.
		w.do(func(h *timeline.History) {
			if g, err := h.At(h.Last()); err == nil {
				h.Recycle(g)
			}
		})
		go w.serve(life, h)
		return "", nil
	})
	return w
}

// serve runs jobs on the history until ctx ends.
func (w *historyWorker) serve(ctx context.Context, h *timeline.History) {
	for {
		select {
		case <-ctx.Done():
			return
		case job := <-w.jobs:
			w.working.Store(true)
			w.catchUp(h)
			job(h)
			w.working.Store(false)
		}
	}
}

// catchUp appends the events seen live since the last job.
func (w *historyWorker) catchUp(h *timeline.History) {
	w.mu.Lock()
	evs := w.pending
	w.pending = nil
	w.mu.Unlock()
	for i := range evs {
		if evs[i].Seq > h.Last() {
			_ = h.Append(evs[i]) // in order by construction; an out-of-order event is already there
		}
	}
}

// observe queues a live event for the history (frame thread).
func (w *historyWorker) observe(ev *graph.Event) {
	w.mu.Lock()
	w.pending = append(w.pending, *ev)
	w.mu.Unlock()
}

// do queues a job; false when the queue is full (the user is clicking faster than it works).
func (w *historyWorker) do(job func(h *timeline.History)) bool {
	select {
	case w.jobs <- job:
		return true
	default:
		return false
	}
}

// post hands a closure to the frame thread.
func (w *historyWorker) post(ctx context.Context, fn func(l *frameLoop)) {
	select {
	case w.results <- fn:
	case <-ctx.Done():
	}
}

// busy reports a job running or a seek waiting.
func (w *historyWorker) busy() bool { return w.working.Load() || w.seekQueued.Load() }

// pastState is a past version rebuilt by the worker, ready for a view.
type pastState struct {
	index   int
	version uint64
	g       *graph.Graph
	world   *world.World
	took    time.Duration
	change  *timeline.Change // set in compare mode
	from    uint64
}

// rebuild restores the state after the first index events (or, comparing with compareFrom > 0, the
// union of both versions) and projects it into a world.
func rebuild(h *timeline.History, graphID string, index, compareFrom int) (*pastState, error) {
	start := time.Now()
	version := versionAt(h, index)
	st := &pastState{index: index, version: version}
	if compareFrom <= 0 || compareFrom == index {
		g, err := h.At(version)
		if err != nil {
			return nil, err
		}
		st.g = g
	} else {
		from := versionAt(h, compareFrom)
		lo, hi := min(from, version), max(from, version)
		change, err := h.Diff(lo, hi)
		if err != nil {
			return nil, err
		}
		later, err := h.At(hi)
		if err != nil {
			return nil, err
		}
		earlier, err := h.At(lo)
		if err != nil {
			return nil, err
		}
		st.g, st.change, st.from = union(later, earlier, &change), &change, from
		h.Recycle(earlier)
	}
	w := world.New(graphID)
	w.Load(st.g)
	if st.change == nil {
		w.Edges.BuildIndex() // the view may be fed forward: removals must not build it in a frame
	}
	st.world, st.took = w, time.Since(start)
	return st, nil
}

// versionAt is the version after the first index events (the base version for 0).
func versionAt(h *timeline.History, index int) uint64 {
	if index <= 0 || h.Len() == 0 {
		return h.First()
	}
	return h.Event(min(index, h.Len()) - 1).Seq
}

// union adds to later (which it takes over) the nodes and edges that change says were removed since
// earlier, so the compare view can show both what arrived and what went.
func union(later, earlier *graph.Graph, change *timeline.Change) *graph.Graph {
	var nodes []graph.Node
	for _, id := range change.NodesRemoved {
		if n, ok := earlier.Node(id); ok {
			nodes = append(nodes, n)
		}
	}
	later.Apply(&graph.Event{Data: &graph.NodesAdded{Nodes: nodes}})
	var edges []graph.Edge
	for _, id := range change.EdgesRemoved {
		if e, ok := earlier.Edge(id); ok && later.HasNode(e.Source) && later.HasNode(e.Target) {
			edges = append(edges, e)
		}
	}
	later.Apply(&graph.Event{Data: &graph.EdgesAdded{Edges: edges}})
	return later
}
