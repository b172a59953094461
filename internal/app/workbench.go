package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-gl/mathgl/mgl32"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/ui"
)

// noteLevel orders notifications by how much attention they need.
type noteLevel = ui.NoteLevel

const (
	noteInfo  = ui.NoteInfo
	noteWarn  = ui.NoteWarn
	noteError = ui.NoteError
)

// noteLife is how long an informational notification stays; warnings and errors stay until dismissed.
const noteLife = 6 * time.Second

// tasks runs the workbench's long operations (imports, exports, commands, agent runs) off the frame
// thread and keeps the notifications they leave. Safe for concurrent use: tasks report from their
// goroutines, the frame thread reads.
type tasks struct {
	mu      sync.Mutex
	running []*task
	notes   []ui.Note
	nextID  uint64
}

// task is one long operation; fn reports progress through it.
type task struct {
	id     uint64
	name   string
	cancel context.CancelFunc
	done   atomic.Int64
	total  atomic.Int64
	status atomic.Pointer[string]
}

// Progress records how far the task has got; total 0 means unknown.
func (t *task) Progress(done, total int) {
	t.done.Store(int64(done))
	t.total.Store(int64(total))
}

// Status sets the line shown beside the task's progress bar.
func (t *task) Status(s string) { t.status.Store(&s) }

// start runs fn on a goroutine. Its error becomes an error notification; a non-empty result message
// an informational one.
func (ts *tasks) start(ctx context.Context, name string, fn func(ctx context.Context, t *task) (string, error)) {
	ctx, cancel := context.WithCancel(ctx)
	ts.mu.Lock()
	ts.nextID++
	t := &task{id: ts.nextID, name: name, cancel: cancel}
	ts.running = append(ts.running, t)
	ts.mu.Unlock()
	go func() {
		defer cancel()
		msg, err := fn(ctx, t)
		ts.mu.Lock()
		for i, r := range ts.running {
			if r == t {
				ts.running = append(ts.running[:i], ts.running[i+1:]...)
				break
			}
		}
		ts.mu.Unlock()
		switch {
		case err != nil && ctx.Err() != nil:
			ts.notify(noteWarn, "%s: cancelled", name)
		case err != nil:
			ts.notify(noteError, "%s: %v", name, err)
		case msg != "":
			ts.notify(noteInfo, "%s", msg)
		}
	}()
}

// notify adds a notification.
func (ts *tasks) notify(level noteLevel, format string, args ...any) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.nextID++
	ts.notes = append(ts.notes, ui.Note{ID: ts.nextID, Level: level, Text: fmt.Sprintf(format, args...), At: time.Now()})
	if len(ts.notes) > 8 { // a burst of failures must not fill the screen
		ts.notes = ts.notes[len(ts.notes)-8:]
	}
}

// view returns the current notifications (expired informational ones removed) and running tasks.
func (ts *tasks) view(now time.Time, notes []ui.Note, running []ui.Task) ([]ui.Note, []ui.Task) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	kept := ts.notes[:0]
	for _, n := range ts.notes {
		if n.Level == noteInfo && now.Sub(n.At) > noteLife {
			continue
		}
		kept = append(kept, n)
	}
	ts.notes = kept
	notes = append(notes[:0], ts.notes...)
	running = running[:0]
	for _, t := range ts.running {
		rt := ui.Task{ID: t.id, Name: t.name, Done: int(t.done.Load()), Total: int(t.total.Load())}
		if s := t.status.Load(); s != nil {
			rt.Status = *s
		}
		running = append(running, rt)
	}
	return notes, running
}

// dismiss removes a notification, or cancels a running task, by id.
func (ts *tasks) dismiss(id uint64) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for i, n := range ts.notes {
		if n.ID == id {
			ts.notes = append(ts.notes[:i], ts.notes[i+1:]...)
			return
		}
	}
	for _, t := range ts.running {
		if t.id == id {
			t.cancel()
		}
	}
}

// notify adds a notification from the frame thread.
func (l *frameLoop) notify(level noteLevel, format string, args ...any) {
	l.tasks.notify(level, format, args...)
}

// execute sends a command to the open graph as the user ("ui") in the background; the follower
// brings the resulting events back into the view like anyone else's. done, when set, runs on the
// task's goroutine with the result.
func (l *frameLoop) execute(ctx context.Context, what string, cmd graph.Command, done func(eventstore.Result)) {
	live := l.liveView()
	id := live.world.GraphID
	if id == "" || live.agg == nil {
		l.notify(noteWarn, "%s: open a stored graph first", what)
		return
	}
	l.executeOn(ctx, id, what, cmd, done)
}

// executeOn is execute for any graph id (create, rename, delete from the palette).
func (l *frameLoop) executeOn(ctx context.Context, graphID, what string, cmd graph.Command, done func(eventstore.Result)) {
	l.tasks.start(ctx, what, func(ctx context.Context, t *task) (string, error) {
		cmdID, err := graph.NewEventID()
		if err != nil {
			return "", err
		}
		res, err := l.ws.repo.Execute(ctx, graphID, cmd, graph.Meta{Actor: "ui", CommandID: "ui-" + cmdID}, eventstore.ExecOptions{})
		if err != nil {
			return "", err
		}
		if done != nil {
			done(res)
		}
		return fmt.Sprintf("%s: graph %s at version %d", what, graphID, res.Version), nil
	})
}

// screenshotPatience is how many frames past --frames a screenshot waits for running tasks (an
// agent run, an import) and a graph being opened to finish.
const screenshotPatience = 3000

// quiet reports that nothing is still arriving: no task running, no graph being opened.
func (l *frameLoop) quiet() bool {
	l.tasks.mu.Lock()
	n := len(l.tasks.running)
	l.tasks.mu.Unlock()
	return n == 0 && !l.ws.opening.Load() && !l.timeline.busy()
}

// eventRate measures the events applied to the live view per second, over the last second or so.
// (Not from versions: they are stream positions, which other graphs' events advance too.)
type eventRate struct {
	since  time.Time
	start  uint64
	perSec float32
}

func (r *eventRate) update(now time.Time, applied uint64) float32 {
	switch {
	case r.since.IsZero() || applied < r.start:
		r.since, r.start = now, applied
	case now.Sub(r.since) >= time.Second:
		r.perSec = float32(float64(applied-r.start) / now.Sub(r.since).Seconds())
		r.since, r.start = now, applied
	}
	return r.perSec
}

// liveView is the graph as it is now, whatever the window shows.
func (l *frameLoop) liveView() *graphView {
	if l.live != nil {
		return l.live
	}
	return l.view
}

// statusBar draws the bottom bar and the notifications above it.
func (l *frameLoop) statusBar(now time.Time, frameMs float32) {
	live := l.liveView()
	rs := live.runner.Stats()
	layoutState := "running"
	switch {
	case live.runner.Paused():
		layoutState = "paused"
	case rs.Settled:
		layoutState = "settled"
	}
	l.notes, l.running = l.tasks.view(now, l.notes, l.running)
	state := l.link.State.State()
	s := ui.Status{
		NATS: l.link.Mode + " · " + state.String(), NATSHealthy: state == natsx.StateConnected,
		Graph: live.world.Name, Version: live.world.Seq, Live: l.live == nil, ShownVersion: l.view.world.Seq,
		EventsPerSec: l.rate.update(now, live.applied), Layout: layoutState, FPS: 1000 / max(frameMs, 0.01),
		Selected: len(l.selectedIDs()), Tasks: l.running,
	}
	if s.Graph == "" {
		s.Graph = live.world.GraphID
	}
	if id := l.gui.StatusBar(s); id != 0 {
		l.tasks.dismiss(id)
	}
	if id := l.gui.Notifications(l.notes); id != 0 {
		l.tasks.dismiss(id)
	}
}

// setLook switches theme and font scale.
func (l *frameLoop) setLook(theme ui.Theme, fontScale float32) {
	l.look = theme
	l.gui.SetLook(theme, fontScale)
}

// showAtStart opens the panels Options.Show names, and runs Options.RunAgent.
func (l *frameLoop) showAtStart(ctx context.Context) {
	for _, name := range l.opts.Show {
		switch name {
		case "palette":
			l.palette.open(l.opts.PaletteQuery)
		case "agents":
			l.agentUI.shown = true
		case "timeline":
			l.timeline.toggle(l)
		}
	}
	if l.opts.At > 0 {
		l.timeline.shown, l.timeline.pendingJump, l.timeline.pendingCompare = true, l.opts.At, l.opts.CompareFrom
	}
	if l.opts.RunAgent != "" {
		l.agentUI.shown = true
		l.agentUI.run(ctx, l, l.opts.RunAgent, nil)
	}
}

// ParsePanels reads --show: a comma-separated list of palette, agents, timeline.
func ParsePanels(list string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		switch name {
		case "":
		case "palette", "agents", "timeline":
			out = append(out, name)
		default:
			return nil, fmt.Errorf("%w: --show %q: panels are palette, agents, timeline", ErrUsage, name)
		}
	}
	return out, nil
}

// Screen regions, in window units, so the panels do not cover each other: the stats overlay and the
// agent panel on the left, the graph list and the inspector on the right, the timeline and the
// status bar along the bottom, the palette centred over everything.

// bottomInset is the height taken along the bottom by the status bar and, when shown, the timeline.
func (l *frameLoop) bottomInset() float32 {
	h := ui.StatusBarHeight()
	if l.timeline.shown {
		h += ui.TimelineHeight()
	}
	return h
}

// projectToWindow maps a world position to window coordinates (where ImGui draws), for labels and the
// agents' ghost preview. ok is false behind the camera.
func (l *frameLoop) projectToWindow(x, y, z float32) (wx, wy float32, ok bool) {
	winW, winH := l.surface.WindowSize()
	return l.camera.Project(mgl32.Vec3{x, y, z}, winW, winH)
}
