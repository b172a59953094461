// Package bridge connects NATS to the world loop: a follower goroutine per open graph turns stored
// events into decoded graph events on a bounded queue that the frame loop drains, and a publisher
// sends commands with timeouts and retries. Nothing here touches the world; the frame loop does.
package bridge

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
)

// DefaultQueue is the follower's queue length: about a second of a fast import, a few MB of events.
const DefaultQueue = 4096

// Follower streams one graph's events, from a version on, into a bounded queue. When the queue is
// full the follower waits (and the ordered consumer's flow control holds the server back), so a
// burst costs bounded memory instead of growing without limit.
type Follower struct {
	graphID string
	queue   chan *graph.Event
	cancel  context.CancelFunc
	done    chan struct{}
	skipped atomic.Int64
	last    atomic.Uint64
	err     atomic.Pointer[error]
	once    sync.Once
}

// Follow starts following graphID's events with Seq ≥ from.
func Follow(ctx context.Context, store eventstore.Store, graphID string, from uint64, queue int, log *slog.Logger) (*Follower, error) {
	if queue <= 0 {
		queue = DefaultQueue
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sub, err := store.Subscribe(ctx, natsx.GraphEvents(graphID), from)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	f := &Follower{graphID: graphID, queue: make(chan *graph.Event, queue), cancel: cancel, done: make(chan struct{})}
	go f.run(ctx, sub, log)
	return f, nil
}

func (f *Follower) run(ctx context.Context, sub eventstore.Subscription, log *slog.Logger) {
	defer close(f.done)
	defer sub.Stop()
	for {
		rec, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, eventstore.ErrClosed) {
				f.err.Store(&err)
				log.Error("event feed stopped", "graph", f.graphID, "err", err)
			}
			return
		}
		ev, err := rec.Event()
		if err != nil {
			// A malformed or unknown event (written by a newer build, or by hand) must never stop
			// the feed or the app: log it with its position and go on.
			f.skipped.Add(1)
			log.Warn("event skipped", "graph", f.graphID, "seq", rec.Seq, "subject", rec.Subject, "err", err)
			continue
		}
		f.last.Store(rec.Seq)
		select {
		case f.queue <- &ev:
		case <-ctx.Done():
			return
		}
	}
}

// Events is the queue the frame loop drains.
func (f *Follower) Events() <-chan *graph.Event { return f.queue }

// Skipped counts events that could not be decoded.
func (f *Follower) Skipped() int64 { return f.skipped.Load() }

// Received is the sequence of the last event taken from the stream.
func (f *Follower) Received() uint64 { return f.last.Load() }

// Err is the error that stopped the feed, if any.
func (f *Follower) Err() error {
	if p := f.err.Load(); p != nil {
		return *p
	}
	return nil
}

// Stop ends the feed and waits for its goroutine.
func (f *Follower) Stop() {
	f.once.Do(func() {
		f.cancel()
		<-f.done
	})
}
