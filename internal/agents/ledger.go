package agents

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// Suggestion states.
const (
	StatusPending  = "pending"
	StatusAccepted = "accepted"
	StatusRejected = "rejected"
)

// Entry is a recorded suggestion and what became of it.
type Entry struct {
	Suggestion
	Status     string    `json:"status"`
	Reason     string    `json:"reason,omitempty"` // of a rejection
	ProposedAt uint64    `json:"proposed_at"`      // version of the suggestion_proposed event
	DecidedAt  uint64    `json:"decided_at,omitempty"`
	DecidedBy  string    `json:"decided_by,omitempty"`
	Time       time.Time `json:"time"`
}

// MaxConflictScan bounds the events read to check a stale suggestion for conflicts; an older one is
// refused as a conflict (the agent should be asked again).
const MaxConflictScan = 200_000

// Suggestions records suggestions and verdicts as events of the graphs they concern, through a
// repository, and keeps each graph's suggestions by replaying those events (graph.Apply does not
// fold them). It is safe for concurrent use; other processes may record verdicts on the same graphs:
// every verdict is appended at the version its ledger was read at, so a concurrent one is seen.
type Suggestions struct {
	repo *eventstore.Repository

	mu      sync.Mutex
	ledgers map[string]*ledger
}

// ledger is one graph's suggestions up to version.
type ledger struct {
	mu      sync.Mutex // serialises refresh and verdicts of one graph; taken before Suggestions.mu is not
	version uint64
	entries map[string]*Entry
	order   []string
}

// NewSuggestions records through repo.
func NewSuggestions(repo *eventstore.Repository) *Suggestions {
	return &Suggestions{repo: repo, ledgers: map[string]*ledger{}}
}

func (s *Suggestions) ledger(graphID string) *ledger {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.ledgers[graphID]
	if l == nil {
		l = &ledger{entries: map[string]*Entry{}}
		s.ledgers[graphID] = l
	}
	return l
}

// refresh reads the graph's events after l.version; only suggestion events are decoded. The caller
// holds l.mu.
func (s *Suggestions) refresh(ctx context.Context, graphID string, l *ledger) error {
	store := s.repo.Store()
	last, err := store.LastVersion(ctx, graphID)
	if err != nil {
		return fmt.Errorf("graph %s: %w", graphID, err)
	}
	if last == l.version {
		return nil
	}
	err = store.Load(ctx, graphID, l.version+1, func(rec eventstore.Record) error {
		l.version = max(l.version, rec.Seq)
		i := strings.LastIndexByte(rec.Subject, '.')
		if !strings.HasPrefix(rec.Subject[i+1:], "suggestion_") {
			return nil
		}
		ev, err := rec.Event()
		if err != nil {
			return nil // not ours to judge: the repository logs undecodable events
		}
		l.apply(&ev)
		return nil
	})
	if errors.Is(err, eventstore.ErrNotFound) {
		return Errorf(CodeNotFound, "graph %s does not exist", graphID)
	}
	return err
}

func (l *ledger) apply(ev *graph.Event) {
	switch p := ev.Data.(type) {
	case *SuggestionProposed:
		e := &Entry{Suggestion: p.Suggestion, Status: StatusPending, ProposedAt: ev.Seq, Time: ev.Time}
		e.ID = ev.ID
		if _, dup := l.entries[e.ID]; !dup {
			l.order = append(l.order, e.ID)
		}
		l.entries[e.ID] = e
	case *SuggestionAccepted:
		if e := l.entries[p.ID]; e != nil {
			e.Status, e.DecidedAt, e.DecidedBy, e.Time = StatusAccepted, ev.Seq, ev.Actor, ev.Time
		}
	case *SuggestionRejected:
		if e := l.entries[p.ID]; e != nil {
			e.Status, e.Reason, e.DecidedAt, e.DecidedBy, e.Time = StatusRejected, p.Reason, ev.Seq, ev.Actor, ev.Time
		}
	}
}

// List returns a graph's suggestions in the order proposed; status filters them ("" for all).
func (s *Suggestions) List(ctx context.Context, graphID, status string) ([]Entry, error) {
	l := s.ledger(graphID)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := s.refresh(ctx, graphID, l); err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(l.order))
	for _, id := range l.order {
		if e := l.entries[id]; status == "" || e.Status == status {
			out = append(out, *e)
		}
	}
	return out, nil
}

// Get returns one suggestion.
func (s *Suggestions) Get(ctx context.Context, graphID, id string) (Entry, error) {
	l := s.ledger(graphID)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := s.refresh(ctx, graphID, l); err != nil {
		return Entry{}, err
	}
	e := l.entries[id]
	if e == nil {
		return Entry{}, Errorf(CodeNotFound, "graph %s has no suggestion %s", graphID, id)
	}
	return *e, nil
}

// Propose records a suggestion (suggestion_proposed) after checking that its commands apply to the
// graph now, and returns its id. The id is the event's id; sug.ID, when set, is used (a retry with
// the same id records it once).
func (s *Suggestions) Propose(ctx context.Context, graphID string, sug Suggestion, actor string) (string, error) {
	if err := checkSuggestion(&sug); err != nil {
		return "", err
	}
	cmds, err := DecodeCommands(sug.Commands)
	if err != nil {
		return "", err
	}
	if sug.ID == "" {
		if sug.ID, err = graph.NewEventID(); err != nil {
			return "", err
		}
	}
	id := sug.ID
	once := false
	meta := graph.Meta{Actor: actor, CommandID: id, NewID: func() (string, error) {
		if once {
			return "", errors.New("a proposal is one event")
		}
		once = true
		return id, nil
	}}
	if _, err := s.repo.Execute(ctx, graphID, &proposeCommand{s: &sug, cmds: cmds}, meta, eventstore.ExecOptions{}); err != nil {
		return "", storeError(graphID, err)
	}
	return id, nil
}

// ProposeAll records every suggestion of an agent's result; it stops at the first refusal.
func (s *Suggestions) ProposeAll(ctx context.Context, res *Result, actor string) ([]string, error) {
	ids := make([]string, 0, len(res.Suggestions))
	for i, sug := range res.Suggestions {
		id, err := s.Propose(ctx, res.GraphID, sug, actor)
		if err != nil {
			return ids, fmt.Errorf("suggestion %d of %s: %w", i, res.Agent, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// verdictRetries bounds re-reads when other commands land between reading the ledger and appending.
const verdictRetries = 8

// Accept records suggestion_accepted and the suggestion's changes in one atomic append, every event
// with the suggestion's id as causation. A suggestion made against an older version is first checked
// for conflicts with the changes since (ErrConflict names them). Accepting twice is a conflict;
// a retried accept whose first attempt landed reports the same version.
func (s *Suggestions) Accept(ctx context.Context, graphID, id, actor string) (eventstore.Result, error) {
	return s.verdict(ctx, graphID, id, func(l *ledger, e *Entry) (graph.Command, error) {
		cmds, err := DecodeCommands(e.Commands)
		if err != nil {
			return nil, err
		}
		stale := l.version > e.BaseVersion
		if stale {
			if err := s.checkConflicts(ctx, graphID, e, cmds, l.version); err != nil {
				return nil, err
			}
		}
		sug := e.Suggestion
		return &acceptCommand{s: &sug, cmds: cmds, stale: stale}, nil
	}, graph.Meta{Actor: actor, CommandID: id + ":accept", CausationID: id})
}

// Reject records suggestion_rejected with an optional reason.
func (s *Suggestions) Reject(ctx context.Context, graphID, id, reason, actor string) (eventstore.Result, error) {
	return s.verdict(ctx, graphID, id, func(*ledger, *Entry) (graph.Command, error) {
		return &rejectCommand{id: id, reason: reason}, nil
	}, graph.Meta{Actor: actor, CommandID: id + ":reject", CausationID: id})
}

func (s *Suggestions) verdict(ctx context.Context, graphID, id string, build func(*ledger, *Entry) (graph.Command, error), meta graph.Meta) (eventstore.Result, error) {
	l := s.ledger(graphID)
	l.mu.Lock()
	defer l.mu.Unlock()
	for attempt := 0; ; attempt++ {
		if err := s.refresh(ctx, graphID, l); err != nil {
			return eventstore.Result{}, err
		}
		e := l.entries[id]
		if e == nil {
			return eventstore.Result{}, Errorf(CodeNotFound, "graph %s has no suggestion %s", graphID, id)
		}
		if e.Status != StatusPending {
			if e.DecidedAt > 0 && meta.CommandID == id+":"+verb(e.Status) {
				return eventstore.Result{Version: e.DecidedAt, Duplicate: true}, nil
			}
			return eventstore.Result{}, Errorf(CodeConflict, "suggestion %s was already %s at version %d", id, e.Status, e.DecidedAt)
		}
		cmd, err := build(l, e)
		if err != nil {
			return eventstore.Result{}, err
		}
		expected := l.version
		res, err := s.repo.Execute(ctx, graphID, cmd, meta, eventstore.ExecOptions{Expected: &expected})
		if errors.Is(err, eventstore.ErrConflict) && attempt < verdictRetries {
			continue // something else landed: read it, then judge again
		}
		if err != nil {
			return res, storeError(graphID, err)
		}
		return res, nil
	}
}

func verb(status string) string {
	if status == StatusAccepted {
		return "accept"
	}
	return "reject"
}

// checkConflicts reads the events after the suggestion's base version up to version and refuses the
// suggestion when they touched what it writes or removed what it refers to.
func (s *Suggestions) checkConflicts(ctx context.Context, graphID string, e *Entry, cmds []graph.Command, version uint64) error {
	fx := newEffects()
	n := 0
	errTooOld := errors.New("too old")
	err := s.repo.Store().Load(ctx, graphID, e.BaseVersion+1, func(rec eventstore.Record) error {
		if rec.Seq > version {
			return nil
		}
		if n++; n > MaxConflictScan {
			return errTooOld
		}
		ev, err := rec.Event()
		if err == nil {
			fx.addEvent(&ev)
		}
		return nil
	})
	if errors.Is(err, errTooOld) {
		return Errorf(CodeConflict, "suggestion %s was made at version %d, more than %d events ago; ask the agent again",
			e.ID, e.BaseVersion, MaxConflictScan)
	}
	if err != nil {
		return storeError(graphID, err)
	}
	if list := fx.conflicts(newFootprint(cmds)); len(list) > 0 {
		return conflictError(e.ID, e.BaseVersion, list)
	}
	return nil
}

// storeError maps repository errors to protocol errors, keeping *Error values as they are.
func storeError(graphID string, err error) error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return err
	case errors.Is(err, graph.ErrNotFound), errors.Is(err, eventstore.ErrNotFound):
		return &Error{Code: CodeNotFound, Message: err.Error()}
	case errors.Is(err, graph.ErrDeleted):
		return &Error{Code: CodeConflict, Message: fmt.Sprintf("graph %s was deleted", graphID)}
	case errors.Is(err, eventstore.ErrConflict):
		return &Error{Code: CodeConflict, Message: err.Error()}
	case errors.Is(err, graph.ErrInvalid), errors.Is(err, graph.ErrDuplicate), errors.Is(err, graph.ErrDangling):
		return &Error{Code: CodeInvalid, Message: err.Error()}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: CodeUnavailable, Message: "the event store did not answer in time: " + err.Error()}
	}
	return err
}

// Pending is a shorthand for List with StatusPending.
func (s *Suggestions) Pending(ctx context.Context, graphID string) ([]Entry, error) {
	return s.List(ctx, graphID, StatusPending)
}
