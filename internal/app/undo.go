package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/timeline"
)

// Undo and redo never rewrite history: an undo appends compensating commands (the inverse of the
// user's last change, decided against the state before it), a redo appends the inverse of the undo.
// Both are ordinary events in the stream, with the undone event as causation, so every other
// client, the timeline and the agents see them like any change.
const (
	undoPrefix = "undo:"
	redoPrefix = "redo:"
)

// ErrCannotUndo: the event has no compensating command (a graph deletion, a space definition).
var ErrCannotUndo = errors.New("cannot undo")

// undoState is the workbench's undo/redo stacks for the open graph (frame thread only).
type undoState struct {
	undone map[string]bool // ids of the user's events that an undo compensated
	redo   []redoEntry
	busy   bool
}

// redoEntry is one undo that redo can reverse: the compensating events it appended.
type redoEntry struct {
	original string
	events   []graph.Event
}

// observe clears the redo stack when the user makes a new change (not an undo or a redo).
func (u *undoState) observe(ev *graph.Event) {
	if ev.Actor == "ui" && !strings.HasPrefix(ev.CorrelationID, undoPrefix) && !strings.HasPrefix(ev.CorrelationID, redoPrefix) {
		u.redo = u.redo[:0]
	}
}

// compensate returns the commands that undo ev, given the state before it.
func compensate(before *graph.Graph, ev *graph.Event) ([]graph.Command, error) {
	switch p := ev.Data.(type) {
	case *graph.NodesAdded:
		cmds := make([]graph.Command, 0, len(p.Nodes))
		for _, n := range p.Nodes {
			cmds = append(cmds, &graph.RemoveNode{ID: n.ID})
		}
		return cmds, nil
	case *graph.EdgesAdded:
		cmds := make([]graph.Command, 0, len(p.Edges))
		for _, e := range p.Edges {
			cmds = append(cmds, &graph.RemoveEdge{ID: e.ID})
		}
		return cmds, nil
	case *graph.NodeRemoved:
		n, ok := before.Node(p.ID)
		if !ok {
			return nil, fmt.Errorf("%w %s: node %s was not there before it", ErrCannotUndo, ev.Type, p.ID)
		}
		cmds := []graph.Command{&graph.AddNodes{Nodes: []graph.Node{n}}}
		if edges := before.IncidentEdges(p.ID); len(edges) > 0 {
			cmds = append(cmds, &graph.AddEdges{Edges: edgeInputs(edges)})
		}
		return append(cmds, restoreComponents(before, p)...), nil
	case *graph.EdgeRemoved:
		e, ok := before.Edge(p.ID)
		if !ok {
			return nil, fmt.Errorf("%w %s: edge %s was not there before it", ErrCannotUndo, ev.Type, p.ID)
		}
		return []graph.Command{&graph.AddEdges{Edges: edgeInputs([]graph.Edge{e})}}, nil
	case *graph.NodeUpdated:
		return undoNodeUpdate(before, p)
	case *graph.EdgeUpdated:
		return undoEdgeUpdate(before, p)
	case *graph.NodePinned:
		n, ok := before.Node(p.ID)
		if !ok {
			return nil, fmt.Errorf("%w %s: node %s was not there before it", ErrCannotUndo, ev.Type, p.ID)
		}
		return []graph.Command{&graph.PinNode{ID: p.ID, Position: n.Pin}}, nil
	case *graph.GraphRenamed:
		return []graph.Command{&graph.RenameGraph{Name: before.Name()}}, nil
	case *graph.GraphTagged:
		return []graph.Command{&graph.TagGraph{Add: p.Removed, Remove: p.Added}}, nil
	case *graph.CoordinatesSet:
		back := &graph.SetCoordinates{Space: p.Space, Points: make([]graph.NodePoint, len(p.Points))}
		for i, pt := range p.Points {
			c, _ := before.NodeCoordinates(p.Space, pt.ID) // none: empty coordinates clear the point
			back.Points[i] = graph.NodePoint{ID: pt.ID, Coordinates: c}
		}
		return []graph.Command{back}, nil
	case *graph.PrototypeAdded:
		return []graph.Command{&graph.RemovePrototype{Space: p.Space, Name: p.Name}}, nil
	case *graph.PrototypeRemoved:
		for _, proto := range before.Prototypes(p.Space) {
			if proto.Name == p.Name {
				return []graph.Command{&graph.AddPrototype{Space: p.Space, Prototype: proto}}, nil
			}
		}
		return nil, fmt.Errorf("%w %s: prototype %s was not in space %s before it", ErrCannotUndo, ev.Type, p.Name, p.Space)
	case *graph.StrategySet:
		back := &graph.SetStrategy{ID: p.ID}
		if st, ok := before.NodeStrategy(p.ID); ok {
			back.Strategy = &st
		}
		return []graph.Command{back}, nil
	case *graph.UtilitySet:
		back := &graph.SetUtility{ID: p.ID}
		if u, ok := before.NodeUtility(p.ID); ok {
			back.Utility = &u
		}
		return []graph.Command{back}, nil
	case *graph.CoalitionFormed:
		return []graph.Command{&graph.DissolveCoalition{ID: p.ID}}, nil
	case *graph.CoalitionDissolved:
		c, ok := before.Coalition(p.ID)
		if !ok {
			return nil, fmt.Errorf("%w %s: coalition %s was not there before it", ErrCannotUndo, ev.Type, p.ID)
		}
		back := graph.FormCoalition(c)
		return []graph.Command{&back}, nil
	}
	return nil, fmt.Errorf("%w %s", ErrCannotUndo, ev.Type)
}

// restoreComponents gives a removed node back the components it carried: its points, strategy and
// utility, and its coalition when the removal dissolved it. (A coalition that lives on cannot take
// a member back: there is no command to join one.)
func restoreComponents(before *graph.Graph, p *graph.NodeRemoved) []graph.Command {
	var cmds []graph.Command
	for _, sp := range before.Spaces() {
		if c, ok := before.NodeCoordinates(sp.ID, p.ID); ok {
			cmds = append(cmds, &graph.SetCoordinates{Space: sp.ID, Points: []graph.NodePoint{{ID: p.ID, Coordinates: c}}})
		}
	}
	if st, ok := before.NodeStrategy(p.ID); ok {
		cmds = append(cmds, &graph.SetStrategy{ID: p.ID, Strategy: &st})
	}
	if u, ok := before.NodeUtility(p.ID); ok {
		cmds = append(cmds, &graph.SetUtility{ID: p.ID, Utility: &u})
	}
	if p.CoalitionDissolved {
		if c, ok := before.Coalition(p.Coalition); ok {
			back := graph.FormCoalition(c)
			cmds = append(cmds, &back)
		}
	}
	return cmds
}

func edgeInputs(edges []graph.Edge) []graph.EdgeInput {
	out := make([]graph.EdgeInput, len(edges))
	for i, e := range edges {
		w := e.Weight
		out[i] = graph.EdgeInput{ID: e.ID, Source: e.Source, Target: e.Target, Kind: e.Kind, Weight: &w, Props: e.Props}
	}
	return out
}

// restoreProps returns the props to set and remove so that the keys an update touched have their
// old values again.
func restoreProps(old graph.Props, set graph.Props, removed []string) (graph.Props, []string) {
	var back graph.Props
	var drop []string
	touched := slices.Collect(func(yield func(string) bool) {
		for k := range set {
			if !yield(k) {
				return
			}
		}
	})
	touched = append(touched, removed...)
	for _, k := range touched {
		if v, ok := old[k]; ok {
			if back == nil {
				back = graph.Props{}
			}
			back[k] = v
		} else if !slices.Contains(drop, k) {
			drop = append(drop, k)
		}
	}
	return back, drop
}

func undoNodeUpdate(before *graph.Graph, p *graph.NodeUpdated) ([]graph.Command, error) {
	n, ok := before.Node(p.ID)
	if !ok {
		return nil, fmt.Errorf("%w node_updated: node %s was not there before it", ErrCannotUndo, p.ID)
	}
	u := &graph.UpdateNode{ID: p.ID}
	if p.Label != nil {
		u.Label = &n.Label
	}
	if p.Kind != nil {
		u.Kind = &n.Kind
	}
	if p.CID != nil {
		u.CID = &n.CID
	}
	if p.Coords != nil || p.ClearCoords {
		if n.Coords == nil {
			u.ClearCoords = true
		} else {
			u.Coords = n.Coords
		}
	}
	u.SetProps, u.RemoveProps = restoreProps(n.Props, p.SetProps, p.RemoveProps)
	return []graph.Command{u}, nil
}

func undoEdgeUpdate(before *graph.Graph, p *graph.EdgeUpdated) ([]graph.Command, error) {
	e, ok := before.Edge(p.ID)
	if !ok {
		return nil, fmt.Errorf("%w edge_updated: edge %s was not there before it", ErrCannotUndo, p.ID)
	}
	u := &graph.UpdateEdge{ID: p.ID}
	if p.Kind != nil {
		u.Kind = &e.Kind
	}
	if p.Weight != nil {
		u.Weight = &e.Weight
	}
	u.SetProps, u.RemoveProps = restoreProps(e.Props, p.SetProps, p.RemoveProps)
	return []graph.Command{u}, nil
}

// undo compensates the user's last change that is not undone yet.
func (l *frameLoop) undo(ctx context.Context) {
	t := &l.timeline
	hw, ok := l.undoReady(ctx, "undo")
	if !ok {
		return
	}
	target := -1
	for i := len(t.infos) - 1; i >= 0; i-- {
		in := t.infos[i]
		if in.actor == "ui" && !strings.HasPrefix(in.corr, undoPrefix) && !t.undo.undone[in.id] {
			target = i
			break
		}
	}
	if target < 0 {
		l.notify(noteInfo, "undo: nothing of yours to undo in %s", t.graphID)
		return
	}
	t.undo.busy = true
	graphID := t.graphID
	hw.do(func(h *timeline.History) {
		ev := *h.Event(target)
		cmds, err := compensateAt(h, &ev)
		hw.post(ctx, func(l *frameLoop) {
			if err != nil {
				t.undo.busy = false
				l.notify(noteWarn, "undo: %v", err)
				return
			}
			l.sendCompensation(ctx, graphID, "undo "+ev.Type, undoPrefix, []graph.Event{ev}, cmds, func(l *frameLoop, appended []graph.Event) {
				if t.undo.undone == nil {
					t.undo.undone = map[string]bool{}
				}
				t.undo.undone[ev.ID] = true
				t.undo.redo = append(t.undo.redo, redoEntry{original: ev.ID, events: appended})
			})
		})
	})
}

// redo reverses the last undo.
func (l *frameLoop) redo(ctx context.Context) {
	t := &l.timeline
	hw, ok := l.undoReady(ctx, "redo")
	if !ok {
		return
	}
	if len(t.undo.redo) == 0 {
		l.notify(noteInfo, "redo: nothing to redo")
		return
	}
	entry := t.undo.redo[len(t.undo.redo)-1]
	t.undo.redo = t.undo.redo[:len(t.undo.redo)-1]
	t.undo.busy = true
	graphID := t.graphID
	hw.do(func(h *timeline.History) {
		var cmds []graph.Command
		var err error
		for i := len(entry.events) - 1; i >= 0 && err == nil; i-- {
			var c []graph.Command
			c, err = compensateAt(h, &entry.events[i])
			cmds = append(cmds, c...)
		}
		hw.post(ctx, func(l *frameLoop) {
			if err != nil {
				t.undo.busy = false
				t.undo.redo = append(t.undo.redo, entry)
				l.notify(noteWarn, "redo: %v", err)
				return
			}
			l.sendCompensation(ctx, graphID, "redo", redoPrefix, entry.events, cmds, func(l *frameLoop, _ []graph.Event) {
				delete(t.undo.undone, entry.original)
			})
		})
	})
}

// compensateAt decides the compensation of ev against the state just before it.
func compensateAt(h *timeline.History, ev *graph.Event) ([]graph.Command, error) {
	if ev.Seq > h.Last() {
		return nil, fmt.Errorf("event %d is not in the history yet; try again", ev.Seq)
	}
	before, err := h.At(ev.Seq - 1)
	if err != nil {
		return nil, err
	}
	return compensate(before, ev)
}

// undoReady checks that undo can run now: a stored graph, its history loaded, no undo in flight.
func (l *frameLoop) undoReady(ctx context.Context, what string) (*historyWorker, bool) {
	t := &l.timeline
	if l.live != nil {
		l.notify(noteInfo, "%s: back to live first (the timeline shows the past)", what)
		return nil, false
	}
	hw := t.historyFor(ctx, l)
	switch {
	case hw == nil:
		l.notify(noteWarn, "%s: open a stored graph first", what)
		return nil, false
	case !t.loaded:
		l.notify(noteInfo, "%s: loading the history, try again in a moment", what)
		return nil, false
	case t.undo.busy:
		return nil, false
	}
	return hw, true
}

// sendCompensation appends cmds in order (a task), each caused by the event it compensates, and
// reports the appended events back on the frame thread.
func (l *frameLoop) sendCompensation(ctx context.Context, graphID, what, prefix string, causes []graph.Event, cmds []graph.Command,
	done func(l *frameLoop, appended []graph.Event)) {
	t := &l.timeline
	hw := t.hw
	cause := causes[len(causes)-1].ID
	l.tasks.start(ctx, what, func(ctx context.Context, _ *task) (string, error) {
		var appended []graph.Event
		var err error
		for i, cmd := range cmds {
			var res eventstore.Result
			meta := graph.Meta{Actor: "ui", CommandID: fmt.Sprintf("%s%s:%d", prefix, cause, i), CausationID: cause}
			if res, err = l.ws.repo.Execute(ctx, graphID, cmd, meta, eventstore.ExecOptions{}); err != nil {
				err = fmt.Errorf("%s: %w", cmd.Op(), err)
				break
			}
			appended = append(appended, res.Events...)
		}
		hw.post(ctx, func(l *frameLoop) {
			t.undo.busy = false
			if err == nil {
				done(l, appended)
				l.logger.Info(strings.Fields(what)[0], "graph", graphID, "cause", cause, "events", len(appended))
			}
		})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s: %d events", what, len(appended)), nil
	})
}
