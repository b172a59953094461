package jetstream

import (
	"context"
	"fmt"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// flight is one event of a bulk append, sent or waiting to be.
type flight struct {
	id, typ, subject string
	data             []byte
	fut              jetstream.PubAckFuture
	settled          bool // its future's value was received (the channels hold it once)
}

// bulk pipelines appends to one graph (see the package doc for the chaining argument).
type bulk struct {
	s       *Store
	graphID string
	// confirmed is the graph's version as far as this import knows: the sequence of its last stored
	// event, ours or the one we started after. confirmedID/confirmedTyp describe that event.
	confirmed    uint64
	confirmedID  string
	confirmedTyp string
	// chain is the id the next async publish must follow (Nats-Expected-Last-Msg-Id); empty when the
	// stream's last message is not known to be ours, so the next publish goes synchronously with the
	// per-graph sequence check instead.
	chain    string
	inflight []*flight
	err      error
	resyncs  int
}

// BeginBulk implements eventstore.BulkAppender.
func (s *Store) BeginBulk(ctx context.Context, graphID string, expected uint64) (eventstore.Bulk, error) {
	cctx, cancel := withTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	lm, err := s.lastOf(cctx, graphID)
	if err != nil {
		return nil, err
	}
	if lm.seq != expected {
		return nil, &eventstore.ConflictError{GraphID: graphID, Expected: expected, Actual: lm.seq}
	}
	if lm.typ == graph.EventGraphDeleted {
		return nil, fmt.Errorf("graph %s: %w", graphID, eventstore.ErrDeleted)
	}
	return &bulk{s: s, graphID: graphID, confirmed: expected, confirmedID: lm.msgID, confirmedTyp: lm.typ}, nil
}

func (b *bulk) Add(ctx context.Context, ev graph.Event) error {
	if b.err != nil {
		return b.err
	}
	if ev.GraphID != b.graphID {
		return b.fail(fmt.Errorf("event %s belongs to graph %q, not %q: %w", ev.ID, ev.GraphID, b.graphID, eventstore.ErrInvalid))
	}
	data, err := graph.EncodeEvent(&ev)
	if err != nil {
		return b.fail(fmt.Errorf("%w: %v", eventstore.ErrInvalid, err))
	}
	return b.send(ctx, &flight{id: ev.ID, typ: ev.Type, subject: natsx.EventSubject(b.graphID, ev.Type), data: data})
}

func (b *bulk) fail(err error) error {
	if b.err == nil {
		b.err = err
	}
	return b.err
}

func (b *bulk) msg(f *flight) *nats.Msg {
	m := nats.NewMsg(f.subject)
	m.Data = f.data
	m.Header.Set(jetstream.MsgIDHeader, f.id)
	return m
}

func (b *bulk) send(ctx context.Context, f *flight) error {
	if b.chain == "" {
		if err := b.drain(ctx); err != nil {
			return err
		}
		if b.chain != "" { // draining re-established the chain
			return b.send(ctx, f)
		}
		// Synchronous, checked against the graph's version like any append.
		pctx, cancel := withTimeout(ctx, b.s.cfg.Timeout)
		ack, err := b.s.js.PublishMsg(pctx, b.msg(f),
			jetstream.WithExpectLastSequenceForSubject(b.confirmed, natsx.GraphEvents(b.graphID)), jetstream.WithRetryAttempts(0))
		cancel()
		if err != nil {
			v, rerr := b.s.resolve(ctx, b.graphID, b.confirmed, f.id, err)
			if rerr != nil {
				return b.fail(rerr)
			}
			ack = &jetstream.PubAck{Sequence: v}
		}
		b.confirm(f, ack.Sequence)
		b.chain = f.id
		return nil
	}
	fut, err := b.s.js.PublishMsgAsync(b.msg(f), jetstream.WithExpectLastMsgID(b.chain))
	if err != nil {
		return b.fail(fmt.Errorf("graph %s: async publish: %w", b.graphID, err))
	}
	f.fut = fut
	b.chain = f.id
	b.inflight = append(b.inflight, f)
	if len(b.inflight) >= b.s.cfg.Window {
		return b.settleOldest(ctx)
	}
	return nil
}

func (b *bulk) confirm(f *flight, seq uint64) {
	b.confirmed, b.confirmedID, b.confirmedTyp = seq, f.id, f.typ
}

// settleOldest waits for the oldest in-flight publish; on failure it resynchronises.
func (b *bulk) settleOldest(ctx context.Context) error {
	f := b.inflight[0]
	select {
	case ack := <-f.fut.Ok():
		b.inflight = b.inflight[1:]
		b.confirm(f, ack.Sequence)
		return nil
	case <-f.fut.Err():
		f.settled = true
		return b.resync(ctx)
	case <-ctx.Done():
		return b.fail(ctx.Err())
	}
}

// drain waits until nothing is in flight.
func (b *bulk) drain(ctx context.Context) error {
	for len(b.inflight) > 0 {
		if err := b.settleOldest(ctx); err != nil {
			return err
		}
	}
	return b.err
}

// resync runs after an in-flight publish failed: some other publish reached the stream (usually
// another graph's event) and broke the Expected-Last-Msg-Id chain. Stored events of ours form a
// prefix of the in-flight ones; the graph's last message says how long it is, or that another
// writer touched the graph (conflict).
func (b *bulk) resync(ctx context.Context) error {
	pending := b.inflight
	b.inflight = nil
	b.chain = ""
	for _, f := range pending { // let every outstanding publish settle before reading the state
		if f.settled {
			continue
		}
		select {
		case <-f.fut.Ok():
		case <-f.fut.Err():
		case <-ctx.Done():
			return b.fail(ctx.Err())
		}
	}
	cctx, cancel := withTimeout(ctx, b.s.cfg.Timeout)
	lm, err := b.s.lastOf(cctx, b.graphID)
	cancel()
	if err != nil {
		return b.fail(err)
	}
	landed := -1
	if lm.seq != b.confirmed || lm.msgID != b.confirmedID {
		for i, f := range pending {
			if f.id == lm.msgID {
				landed = i
				break
			}
		}
		if landed < 0 {
			return b.fail(&eventstore.ConflictError{GraphID: b.graphID, Expected: b.confirmed, Actual: lm.seq})
		}
		b.confirm(pending[landed], lm.seq)
	}
	b.resyncs++
	for _, f := range pending[landed+1:] {
		f.fut, f.settled = nil, false
		if err := b.send(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

func (b *bulk) Finish(ctx context.Context) (uint64, error) {
	if err := b.drain(ctx); err != nil {
		return 0, err
	}
	if b.err != nil {
		return 0, b.err
	}
	b.s.remember(b.graphID, lastMsg{seq: b.confirmed, typ: b.confirmedTyp, msgID: b.confirmedID})
	return b.confirmed, nil
}
