package eventstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Sentinel errors of every Store.
var (
	// ErrConflict: the graph's version is not the expected one (another writer appended first).
	ErrConflict = errors.New("version conflict")
	// ErrNotFound: the graph has no events (or no snapshot, for snapshot stores).
	ErrNotFound = errors.New("not found")
	// ErrDeleted: the graph's history ends with graph_deleted; nothing may be appended. The same
	// value as graph.ErrDeleted, so one errors.Is covers both layers.
	ErrDeleted = graph.ErrDeleted
	// ErrInvalid: the append itself is malformed (no events, wrong graph id, bad id token).
	ErrInvalid = errors.New("invalid append")
	// ErrClosed: the store or subscription was closed.
	ErrClosed = errors.New("closed")
)

// ConflictError reports the version found instead of the expected one.
type ConflictError struct {
	GraphID  string
	Expected uint64
	Actual   uint64 // 0 when the backend does not say
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("graph %s: expected version %d, found %d: %v", e.GraphID, e.Expected, e.Actual, ErrConflict)
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// Record is one stored event: its position, subject and encoded bytes (graph.EncodeEvent).
type Record struct {
	Seq     uint64
	Subject string
	Data    []byte
}

// Event decodes the record; on error the event still carries what could be read (see
// graph.DecodeEvent), so a consumer can log it with its sequence and skip it.
func (r Record) Event() (graph.Event, error) {
	ev, err := graph.DecodeEvent(r.Data)
	ev.Seq = r.Seq
	return ev, err
}

// Store is an append-only log of graph events.
type Store interface {
	// Append stores events (all of graph graphID) after version expected: all of them or none.
	// They get consecutive sequence numbers ending at the returned version. It fails with
	// ErrConflict when the graph's version is not expected and with ErrDeleted when the graph's
	// history already ends with graph_deleted. Retrying an append whose first attempt succeeded
	// (same events, same expected version) returns the same version and stores nothing.
	Append(ctx context.Context, graphID string, expected uint64, events []graph.Event) (uint64, error)
	// Load calls fn for the graph's events with Seq >= from, in order, up to the graph's version at
	// the start of the call. It returns ErrNotFound when the graph has no events at all, and fn's
	// error if fn fails.
	Load(ctx context.Context, graphID string, from uint64, fn func(Record) error) error
	// Subscribe delivers the records whose subject matches filter (a NATS subject pattern, e.g.
	// natsx.GraphEvents(id) or natsx.AllEvents) with Seq >= from, then new ones as they come.
	Subscribe(ctx context.Context, filter string, from uint64) (Subscription, error)
	// LastVersion is the graph's version: the sequence of its last event, 0 if it has none.
	LastVersion(ctx context.Context, graphID string) (uint64, error)
}

// Subscription is an ordered stream of records.
type Subscription interface {
	// Next blocks for the next record; it returns ctx's error when ctx ends and ErrClosed after Stop.
	Next(ctx context.Context) (Record, error)
	// Stop releases the subscription.
	Stop() error
}

// CheckAppend validates an append's arguments; stores call it first.
func CheckAppend(graphID string, events []graph.Event) error {
	if err := checkToken(graphID); err != nil {
		return fmt.Errorf("graph id: %w", err)
	}
	if len(events) == 0 {
		return fmt.Errorf("no events: %w", ErrInvalid)
	}
	for i := range events {
		ev := &events[i]
		if ev.GraphID != graphID {
			return fmt.Errorf("event %s belongs to graph %q, not %q: %w", ev.ID, ev.GraphID, graphID, ErrInvalid)
		}
		if ev.ID == "" {
			return fmt.Errorf("event %d has no id: %w", i, ErrInvalid)
		}
		typ := ev.Type
		if ev.Data != nil {
			typ = ev.Data.EventType()
		}
		if err := checkToken(typ); err != nil {
			return fmt.Errorf("event type: %w", err)
		}
	}
	return nil
}

// checkToken mirrors natsx.ValidToken without importing NATS into this package.
func checkToken(s string) error {
	if s == "" {
		return fmt.Errorf("empty: %w", ErrInvalid)
	}
	for _, c := range s {
		switch c {
		case '.', '*', '>', ' ', '\t', '\r', '\n':
			return fmt.Errorf("%q contains %q: %w", s, c, ErrInvalid)
		}
	}
	return nil
}

// EncodeAll encodes events for storage and returns the subjects' event names alongside.
func EncodeAll(events []graph.Event) ([][]byte, error) {
	out := make([][]byte, len(events))
	for i := range events {
		data, err := graph.EncodeEvent(&events[i])
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		out[i] = data
	}
	return out, nil
}
