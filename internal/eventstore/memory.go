package eventstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Memory is a complete in-process Store: one global log, as a single JetStream stream would be. It is
// what tests and `alchemist --memory` use; nothing survives the process.
type Memory struct {
	mu     sync.Mutex
	log    []Record // log[i].Seq == i+1
	ids    []string // event id of log[i]
	graphs map[string]*memGraph
	wake   chan struct{} // closed and replaced on every append: a broadcast to subscribers
	closed bool
}

type memGraph struct {
	seqs    []uint64
	deleted bool
}

// NewMemory returns an empty store.
func NewMemory() *Memory {
	return &Memory{graphs: make(map[string]*memGraph), wake: make(chan struct{})}
}

// Close wakes and ends every subscription.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.closed {
		m.closed = true
		close(m.wake)
	}
	return nil
}

func (m *Memory) Append(ctx context.Context, graphID string, expected uint64, events []graph.Event) (uint64, error) {
	if err := CheckAppend(graphID, events); err != nil {
		return 0, err
	}
	data, err := EncodeAll(events)
	if err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, ErrClosed
	}
	g := m.graphs[graphID]
	var last uint64
	if g != nil && len(g.seqs) > 0 {
		last = g.seqs[len(g.seqs)-1]
	}
	if last != expected {
		// A retry of an append that already landed: its last event is the graph's last event.
		if last > 0 && m.ids[last-1] == events[len(events)-1].ID {
			return last, nil
		}
		return 0, &ConflictError{GraphID: graphID, Expected: expected, Actual: last}
	}
	if g != nil && g.deleted {
		return 0, fmt.Errorf("graph %s: %w", graphID, ErrDeleted)
	}
	if g == nil {
		g = &memGraph{}
		m.graphs[graphID] = g
	}
	for i := range events {
		seq := uint64(len(m.log) + 1)
		m.log = append(m.log, Record{Seq: seq, Subject: EventSubject(graphID, events[i].Type), Data: data[i]})
		m.ids = append(m.ids, events[i].ID)
		g.seqs = append(g.seqs, seq)
		if events[i].Type == graph.EventGraphDeleted {
			g.deleted = true
		}
	}
	close(m.wake)
	m.wake = make(chan struct{})
	return uint64(len(m.log)), nil
}

func (m *Memory) Load(ctx context.Context, graphID string, from uint64, fn func(Record) error) error {
	m.mu.Lock()
	g := m.graphs[graphID]
	if g == nil {
		m.mu.Unlock()
		return fmt.Errorf("graph %s: %w", graphID, ErrNotFound)
	}
	// Records are immutable once written, so a copy of the index slice is a consistent view.
	seqs := g.seqs[:len(g.seqs):len(g.seqs)]
	log := m.log[:len(m.log):len(m.log)]
	m.mu.Unlock()
	for _, s := range seqs {
		if s < from {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(log[s-1]); err != nil {
			return err
		}
	}
	return nil
}

func (m *Memory) LastVersion(ctx context.Context, graphID string) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if g := m.graphs[graphID]; g != nil && len(g.seqs) > 0 {
		return g.seqs[len(g.seqs)-1], nil
	}
	return 0, nil
}

func (m *Memory) Subscribe(ctx context.Context, filter string, from uint64) (Subscription, error) {
	if filter == "" {
		return nil, fmt.Errorf("empty subject filter: %w", ErrInvalid)
	}
	if from == 0 {
		from = 1
	}
	return &memSub{m: m, filter: filter, next: from, stop: make(chan struct{})}, nil
}

type memSub struct {
	m      *Memory
	filter string
	next   uint64
	stop   chan struct{}
	once   sync.Once
}

func (s *memSub) Next(ctx context.Context) (Record, error) {
	for {
		select {
		case <-s.stop:
			return Record{}, ErrClosed
		default:
		}
		s.m.mu.Lock()
		closed, wake := s.m.closed, s.m.wake
		for s.next <= uint64(len(s.m.log)) {
			r := s.m.log[s.next-1]
			s.next++
			if MatchSubject(s.filter, r.Subject) {
				s.m.mu.Unlock()
				return r, nil
			}
		}
		s.m.mu.Unlock()
		if closed {
			return Record{}, ErrClosed
		}
		select {
		case <-wake:
		case <-s.stop:
			return Record{}, ErrClosed
		case <-ctx.Done():
			return Record{}, ctx.Err()
		}
	}
}

func (s *memSub) Stop() error {
	s.once.Do(func() { close(s.stop) })
	return nil
}
