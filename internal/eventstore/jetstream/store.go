package jetstream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Config configures the store. Zero values take the defaults.
type Config struct {
	Stream          string        // stream name; default GRAPH_EVENTS
	Replicas        int           // stream replicas; default 1 (3 on a cluster)
	DuplicateWindow time.Duration // Nats-Msg-Id de-duplication window; default 2m
	Timeout         time.Duration // bound on each request (and each message of a load); default 5s
	// Window is the number of unacknowledged publishes a bulk import keeps in flight; default 512.
	Window int
	// SyncAlways on the stream is not configurable here: durability is the server's SyncAlways.
}

func (c *Config) defaults() error {
	if c.Stream == "" {
		c.Stream = "GRAPH_EVENTS"
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		return fmt.Errorf("jetstream store: replicas %d not in 1..5", c.Replicas)
	}
	if c.DuplicateWindow == 0 {
		c.DuplicateWindow = 2 * time.Minute
	}
	if c.Timeout == 0 {
		c.Timeout = 5 * time.Second
	}
	if c.Window == 0 {
		c.Window = 512
	}
	if c.Window < 1 {
		return fmt.Errorf("jetstream store: window %d < 1", c.Window)
	}
	return nil
}

// Header names the server reads for atomic batches (not exported by nats.go v1.55).
const (
	hdrBatchID     = "Nats-Batch-Id"
	hdrBatchSeq    = "Nats-Batch-Sequence"
	hdrBatchCommit = "Nats-Batch-Commit"
)

// JetStream API error codes this store interprets.
const (
	codeWrongLastSeq   = 10071 // expected last (subject) sequence mismatch
	codeWrongLastMsgID = 10070 // expected last msg id mismatch
	codeBatchDupMsg    = 10201 // atomic batch contains an already stored msg id
)

// Store is a JetStream-backed eventstore.Store, safe for concurrent use.
type Store struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	cfg    Config

	mu   sync.Mutex
	last map[string]lastMsg // per graph: last event seen by this store (seq, type)
}

type lastMsg struct {
	seq   uint64
	typ   string
	msgID string
}

var _ eventstore.Store = (*Store)(nil)
var _ eventstore.BulkAppender = (*Store)(nil)

// Open creates or updates the event stream and returns the store.
func Open(ctx context.Context, nc *nats.Conn, cfg Config) (*Store, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(2*cfg.Window),
		jetstream.WithPublishAsyncTimeout(cfg.Timeout))
	if err != nil {
		return nil, fmt.Errorf("jetstream store: %w", err)
	}
	ctx, cancel := withTimeout(ctx, cfg.Timeout)
	defer cancel()
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:               cfg.Stream,
		Description:        "Information Alchemist graph events (ARCHITECTURE §3)",
		Subjects:           []string{natsx.AllEvents},
		Storage:            jetstream.FileStorage,
		Replicas:           cfg.Replicas,
		Retention:          jetstream.LimitsPolicy,
		Discard:            jetstream.DiscardNew, // an event log never drops history to make room
		Duplicates:         cfg.DuplicateWindow,
		AllowDirect:        true,
		AllowAtomicPublish: true,
		DenyDelete:         true,
		DenyPurge:          true,
	})
	if err != nil {
		return nil, fmt.Errorf("jetstream store: create stream %s: %w", cfg.Stream, err)
	}
	return &Store{nc: nc, js: js, stream: stream, cfg: cfg, last: make(map[string]lastMsg)}, nil
}

// JetStream exposes the JetStream context (for the snapshot bucket and tests).
func (s *Store) JetStream() jetstream.JetStream { return s.js }

// StreamName is the name of the event stream.
func (s *Store) StreamName() string { return s.cfg.Stream }

// withTimeout bounds one request by d even under a long-lived ctx (an import's), so a server that
// went away is noticed in seconds; ctx's own earlier deadline still wins.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}

func eventType(subject string) string {
	_, ev, err := natsx.ParseEventSubject(subject)
	if err != nil {
		return ""
	}
	return ev
}

// lastOf fetches the graph's last message with a direct get on its wildcard subject.
func (s *Store) lastOf(ctx context.Context, graphID string) (lastMsg, error) {
	m, err := s.stream.GetLastMsgForSubject(ctx, natsx.GraphEvents(graphID))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		s.remember(graphID, lastMsg{})
		return lastMsg{}, nil
	}
	if err != nil {
		return lastMsg{}, fmt.Errorf("graph %s: last event: %w", graphID, err)
	}
	lm := lastMsg{seq: m.Sequence, typ: eventType(m.Subject), msgID: m.Header.Get(jetstream.MsgIDHeader)}
	s.remember(graphID, lm)
	return lm, nil
}

func (s *Store) remember(graphID string, lm lastMsg) {
	s.mu.Lock()
	if cur, ok := s.last[graphID]; !ok || lm.seq >= cur.seq {
		s.last[graphID] = lm
	}
	s.mu.Unlock()
}

func (s *Store) known(graphID string) (lastMsg, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lm, ok := s.last[graphID]
	return lm, ok
}

// LastVersion implements eventstore.Store.
func (s *Store) LastVersion(ctx context.Context, graphID string) (uint64, error) {
	ctx, cancel := withTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	lm, err := s.lastOf(ctx, graphID)
	return lm.seq, err
}

// Append implements eventstore.Store.
func (s *Store) Append(ctx context.Context, graphID string, expected uint64, events []graph.Event) (uint64, error) {
	if err := eventstore.CheckAppend(graphID, events); err != nil {
		return 0, err
	}
	data, err := eventstore.EncodeAll(events)
	if err != nil {
		return 0, err
	}
	ctx, cancel := withTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	lastID := events[len(events)-1].ID

	// Deletion is terminal, so "deleted" means "the last event is graph_deleted". What this store
	// last saw of the graph usually answers that without a round trip; otherwise one direct get.
	lm, ok := s.known(graphID)
	if !ok || lm.seq != expected {
		if lm, err = s.lastOf(ctx, graphID); err != nil {
			return 0, err
		}
	}
	if lm.seq != expected {
		if lm.msgID == lastID {
			return lm.seq, nil // a retry of an append that landed
		}
		return 0, &eventstore.ConflictError{GraphID: graphID, Expected: expected, Actual: lm.seq}
	}
	if lm.typ == graph.EventGraphDeleted {
		return 0, fmt.Errorf("graph %s: %w", graphID, eventstore.ErrDeleted)
	}

	var ack *jetstream.PubAck
	if len(events) == 1 {
		ack, err = s.publishOne(ctx, graphID, expected, &events[0], data[0])
	} else {
		ack, err = s.publishBatch(ctx, graphID, expected, events, data)
	}
	if err != nil {
		return s.resolve(ctx, graphID, expected, lastID, err)
	}
	s.remember(graphID, lastMsg{seq: ack.Sequence, typ: events[len(events)-1].Type, msgID: lastID})
	return ack.Sequence, nil
}

func (s *Store) eventMsg(graphID string, ev *graph.Event, data []byte) *nats.Msg {
	m := nats.NewMsg(natsx.EventSubject(graphID, ev.Type))
	m.Data = data
	m.Header.Set(jetstream.MsgIDHeader, ev.ID)
	return m
}

func (s *Store) publishOne(ctx context.Context, graphID string, expected uint64, ev *graph.Event, data []byte) (*jetstream.PubAck, error) {
	m := s.eventMsg(graphID, ev, data)
	return s.js.PublishMsg(ctx, m, jetstream.WithExpectLastSequenceForSubject(expected, natsx.GraphEvents(graphID)),
		jetstream.WithRetryAttempts(0))
}

// publishBatch sends an atomic batch: the server stages every message and commits all of them on
// the last one, or none. The expected-sequence check rides on the first message; the messages
// before the commit are fire-and-forget on the same connection, which keeps their order.
func (s *Store) publishBatch(ctx context.Context, graphID string, expected uint64, events []graph.Event, data [][]byte) (*jetstream.PubAck, error) {
	batchID := events[0].ID
	for i := range events {
		m := s.eventMsg(graphID, &events[i], data[i])
		m.Header.Set(hdrBatchID, batchID)
		m.Header.Set(hdrBatchSeq, strconv.Itoa(i+1))
		if i == 0 {
			m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(expected, 10))
			m.Header.Set(jetstream.ExpectedLastSubjSeqSubjHeader, natsx.GraphEvents(graphID))
		}
		if i < len(events)-1 {
			if err := s.nc.PublishMsg(m); err != nil {
				return nil, err
			}
			continue
		}
		m.Header.Set(hdrBatchCommit, "1")
		return s.js.PublishMsg(ctx, m, jetstream.WithRetryAttempts(0))
	}
	panic("unreachable")
}

// resolve interprets a failed publish. Whatever the error, the append may have landed (a retry
// after a lost ack, a timeout after the server stored it): the graph's last message tells.
func (s *Store) resolve(ctx context.Context, graphID string, expected uint64, lastID string, pubErr error) (uint64, error) {
	lm, err := s.lastOf(ctx, graphID)
	if err != nil {
		return 0, fmt.Errorf("graph %s: append: %w (and checking its outcome: %v)", graphID, pubErr, err)
	}
	if lm.msgID == lastID {
		return lm.seq, nil
	}
	var apiErr *jetstream.APIError
	if errors.As(pubErr, &apiErr) && apiErr.ErrorCode == codeWrongLastSeq || lm.seq != expected {
		return 0, &eventstore.ConflictError{GraphID: graphID, Expected: expected, Actual: lm.seq}
	}
	return 0, fmt.Errorf("graph %s: append after version %d: %w", graphID, expected, pubErr)
}

// Load implements eventstore.Store. Short tails (the common case after a cached aggregate fell a few
// events behind) use direct gets; longer ones an ordered consumer.
func (s *Store) Load(ctx context.Context, graphID string, from uint64, fn func(eventstore.Record) error) error {
	last, err := s.LastVersion(ctx, graphID)
	if err != nil {
		return err
	}
	if last == 0 {
		return fmt.Errorf("graph %s: %w", graphID, eventstore.ErrNotFound)
	}
	if from == 0 {
		from = 1
	}
	subj := natsx.GraphEvents(graphID)
	for range directGets {
		if from > last {
			return nil
		}
		gctx, cancel := withTimeout(ctx, s.cfg.Timeout)
		m, err := s.stream.GetMsg(gctx, from, jetstream.WithGetMsgSubject(subj))
		cancel()
		if err != nil {
			return fmt.Errorf("graph %s: load from %d: %w", graphID, from, err)
		}
		if m.Sequence > last {
			return nil
		}
		if err := fn(eventstore.Record{Seq: m.Sequence, Subject: m.Subject, Data: m.Data}); err != nil {
			return err
		}
		from = m.Sequence + 1
	}
	if from > last {
		return nil
	}
	sub, err := s.subscribe(ctx, subj, from)
	if err != nil {
		return err
	}
	defer sub.Stop()
	for {
		nctx, cancel := withTimeout(ctx, s.cfg.Timeout)
		r, err := sub.Next(nctx)
		cancel()
		if err != nil {
			return fmt.Errorf("graph %s: load: %w", graphID, err)
		}
		if r.Seq > last {
			return nil
		}
		if err := fn(r); err != nil {
			return err
		}
		if r.Seq == last {
			return nil
		}
	}
}

// directGets is how many events Load fetches one by one before it opens a consumer: a consumer
// costs a few round trips to set up and pays off beyond that.
const directGets = 8

// Subscribe implements eventstore.Store with an ordered consumer (ephemeral, flow-controlled,
// recreated by the client after a gap or reconnect).
func (s *Store) Subscribe(ctx context.Context, filter string, from uint64) (eventstore.Subscription, error) {
	if filter == "" {
		return nil, fmt.Errorf("empty subject filter: %w", eventstore.ErrInvalid)
	}
	return s.subscribe(ctx, filter, from)
}

func (s *Store) subscribe(ctx context.Context, filter string, from uint64) (*subscription, error) {
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}, DeliverPolicy: jetstream.DeliverAllPolicy}
	if from > 1 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, from
	}
	cctx, cancel := withTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	cons, err := s.js.OrderedConsumer(cctx, s.cfg.Stream, cfg)
	if err != nil {
		return nil, fmt.Errorf("subscribe %s from %d: %w", filter, from, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessagesWithBytesLimit(1024, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("subscribe %s from %d: %w", filter, from, err)
	}
	return &subscription{it: it}, nil
}

type subscription struct {
	it   jetstream.MessagesContext
	once sync.Once
}

func (s *subscription) Next(ctx context.Context) (eventstore.Record, error) {
	m, err := s.it.Next(jetstream.NextContext(ctx))
	if err != nil {
		if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
			return eventstore.Record{}, eventstore.ErrClosed
		}
		if ctx.Err() != nil {
			return eventstore.Record{}, ctx.Err()
		}
		return eventstore.Record{}, err
	}
	md, err := m.Metadata()
	if err != nil {
		return eventstore.Record{}, fmt.Errorf("event metadata: %w", err)
	}
	return eventstore.Record{Seq: md.Sequence.Stream, Subject: m.Subject(), Data: m.Data()}, nil
}

func (s *subscription) Stop() error {
	s.once.Do(s.it.Stop)
	return nil
}
