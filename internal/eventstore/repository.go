package eventstore

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// SnapshotStore keeps the latest snapshot of each graph (graph.Graph.MarshalBinary output).
type SnapshotStore interface {
	// SaveSnapshot stores the state of graphID at version, replacing older snapshots.
	SaveSnapshot(ctx context.Context, graphID string, version uint64, data []byte) error
	// LoadSnapshot returns the newest snapshot, or ErrNotFound.
	LoadSnapshot(ctx context.Context, graphID string) (version uint64, data []byte, err error)
}

// Cache holds loaded aggregates between commands (the JetStream package provides an LRU).
type Cache interface {
	Get(graphID string) (*graph.Graph, bool)
	Add(graphID string, g *graph.Graph)
	Remove(graphID string)
}

// RepoOptions configures a Repository. Zero values are usable.
type RepoOptions struct {
	// Snapshots, when set, makes opening a graph snapshot + tail, and receives a snapshot every
	// SnapshotEvery events.
	Snapshots SnapshotStore
	// SnapshotEvery is the number of events between snapshots; 0 means 1000.
	SnapshotEvery uint64
	// Cache keeps loaded aggregates; nil caches nothing (every command replays from snapshot + tail).
	Cache Cache
	// Retries bounds re-decide attempts after a conflict when the caller gave no expected version;
	// 0 means 8.
	Retries int
	// Logf receives skipped events and failed snapshot writes; nil discards them.
	Logf func(format string, args ...any)
}

// Repository loads aggregates and runs commands against them. Commands on one graph are serialised
// within the process (a striped lock), so the only conflicts are with other processes.
type Repository struct {
	store Store
	opt   RepoOptions
	mu    sync.Mutex // guards locks
	locks map[string]*graphLock
	bg    sync.WaitGroup // snapshot writes in flight
}

// NewRepository wraps a store.
func NewRepository(s Store, opt RepoOptions) *Repository {
	if opt.SnapshotEvery == 0 {
		opt.SnapshotEvery = 1000
	}
	if opt.Retries == 0 {
		opt.Retries = 8
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	return &Repository{store: s, opt: opt, locks: make(map[string]*graphLock)}
}

// Store is the underlying store.
func (r *Repository) Store() Store { return r.store }

// Close waits for background snapshot writes.
func (r *Repository) Close() { r.bg.Wait() }

// graphLock serialises the commands of one graph; refs counts holders and waiters so the entry
// goes away with the last of them. One lock per graph (not striped): a long import must not block
// graphs that merely hash alike.
type graphLock struct {
	sync.Mutex
	refs int
}

// lock acquires graphID's lock and returns its release.
func (r *Repository) lock(graphID string) (unlock func()) {
	r.mu.Lock()
	l := r.locks[graphID]
	if l == nil {
		l = &graphLock{}
		r.locks[graphID] = l
	}
	l.refs++
	r.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		r.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(r.locks, graphID)
		}
		r.mu.Unlock()
	}
}

// View runs fn on the graph at its latest version. fn must not keep or modify g. A graph with no
// events is passed as an empty aggregate (g.Exists() false).
func (r *Repository) View(ctx context.Context, graphID string, fn func(g *graph.Graph) error) error {
	defer r.lock(graphID)()
	g, err := r.current(ctx, graphID, true)
	if err != nil {
		return err
	}
	return fn(g)
}

// Result is the outcome of Execute.
type Result struct {
	Version uint64        // the graph's version after the command
	Events  []graph.Event // the events appended (nil for a duplicate)
	// Duplicate is true when the command id was already applied; nothing was appended.
	Duplicate bool
}

// ExecOptions tunes one Execute.
type ExecOptions struct {
	// Expected, when set, is the version the client decided against: a different current version
	// fails with ErrConflict instead of being re-decided.
	Expected *uint64
}

// Execute decides cmd against the latest state of the graph and appends the events. A command whose
// id (meta.CommandID) is among the graph's recent commands is not applied again. On a conflict
// without opt.Expected it reloads and decides again, at most RepoOptions.Retries times.
//
// The first attempt trusts a cached aggregate without asking the store for the graph's version:
// if another process appended meanwhile, the append's expected-version check refuses it and the
// retry reads the tail. That saves a round trip per command in the common, uncontended case and
// stays exact: every change by anyone moves the version, so nothing is decided on stale state
// and stored.
func (r *Repository) Execute(ctx context.Context, graphID string, cmd graph.Command, meta graph.Meta, opt ExecOptions) (Result, error) {
	defer r.lock(graphID)()
	fresh := false // whether g was checked against the store's version in this call
	for attempt := 0; ; attempt++ {
		g, err := r.current(ctx, graphID, fresh)
		if err != nil {
			return Result{}, err
		}
		if meta.CommandID != "" {
			if v, ok := g.CommandVersion(meta.CommandID); ok {
				return Result{Version: v, Duplicate: true}, nil
			}
		}
		if opt.Expected != nil && *opt.Expected != g.Version() {
			if !fresh { // the client may have seen a version our cache has not
				fresh = true
				continue
			}
			return Result{}, &ConflictError{GraphID: graphID, Expected: *opt.Expected, Actual: g.Version()}
		}
		evs, err := graph.Decide(g, cmd, meta)
		if err != nil {
			if !fresh { // refused by a possibly stale state: only the latest state may refuse
				fresh = true
				continue
			}
			return Result{}, err
		}
		v, err := r.store.Append(ctx, graphID, g.Version(), evs)
		if errors.Is(err, ErrConflict) && opt.Expected == nil && attempt < r.opt.Retries {
			fresh = true // current() reads the tail the other writer added
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrConflict) {
				// The append's fate is unknown (timeout): the cached state may be behind or not.
				r.forget(graphID)
			}
			return Result{}, err
		}
		r.applyAppended(ctx, g, evs, v)
		return Result{Version: v, Events: evs}, nil
	}
}

// applyAppended folds events that landed with consecutive sequences ending at last, and writes a
// snapshot when one is due.
func (r *Repository) applyAppended(ctx context.Context, g *graph.Graph, evs []graph.Event, last uint64) {
	before := g.EventCount()
	for i := range evs {
		evs[i].Seq = last - uint64(len(evs)-1-i)
		g.Apply(&evs[i])
	}
	r.maybeSnapshot(ctx, g, before)
}

func (r *Repository) maybeSnapshot(ctx context.Context, g *graph.Graph, before uint64) {
	if g.EventCount()/r.opt.SnapshotEvery != before/r.opt.SnapshotEvery {
		r.snapshotNow(ctx, g)
	}
}

// snapshotNow encodes g under the caller's lock and writes it in the background.
func (r *Repository) snapshotNow(ctx context.Context, g *graph.Graph) {
	if r.opt.Snapshots == nil {
		return
	}
	data, err := g.MarshalBinary()
	if err != nil {
		r.opt.Logf("snapshot graph %s: %v", g.ID(), err)
		return
	}
	id, v := g.ID(), g.Version()
	r.bg.Add(1)
	go func() { // the write is off the command's path; Close waits for it
		defer r.bg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), snapshotTimeout)
		defer cancel()
		if err := r.opt.Snapshots.SaveSnapshot(ctx, id, v, data); err != nil {
			r.opt.Logf("save snapshot of graph %s at version %d: %v", id, v, err)
		}
	}()
}

func (r *Repository) forget(graphID string) {
	if r.opt.Cache != nil {
		r.opt.Cache.Remove(graphID)
	}
}

// current returns the cached aggregate, brought up to date when fresh is set, or loads it
// (snapshot + tail). The caller holds the graph's lock.
func (r *Repository) current(ctx context.Context, graphID string, fresh bool) (*graph.Graph, error) {
	var g *graph.Graph
	if r.opt.Cache != nil {
		g, _ = r.opt.Cache.Get(graphID)
	}
	if g == nil {
		var err error
		if g, err = r.load(ctx, graphID); err != nil {
			return nil, err
		}
		if r.opt.Cache != nil {
			r.opt.Cache.Add(graphID, g)
		}
		return g, nil
	}
	if !fresh {
		return g, nil
	}
	last, err := r.store.LastVersion(ctx, graphID)
	if err != nil {
		return nil, err
	}
	if last == g.Version() {
		return g, nil
	}
	if err := r.tail(ctx, g); err != nil {
		r.forget(graphID)
		return nil, err
	}
	return g, nil
}

// Open loads a private copy of the graph at its latest version (snapshot + tail, bypassing the
// cache): for exports and the GUI's initial load, which then own the aggregate.
func (r *Repository) Open(ctx context.Context, graphID string) (*graph.Graph, error) {
	return r.load(ctx, graphID)
}

func (r *Repository) load(ctx context.Context, graphID string) (*graph.Graph, error) {
	g := graph.New(graphID)
	if r.opt.Snapshots != nil {
		_, data, err := r.opt.Snapshots.LoadSnapshot(ctx, graphID)
		switch {
		case err == nil:
			sg, derr := graph.DecodeSnapshot(data)
			if derr == nil && sg.ID() == graphID {
				g = sg
			} else {
				r.opt.Logf("graph %s: ignoring unreadable snapshot: %v", graphID, derr)
			}
		case !errors.Is(err, ErrNotFound):
			r.opt.Logf("graph %s: loading snapshot: %v (replaying from the start)", graphID, err)
		}
	}
	before := g.EventCount()
	if err := r.tail(ctx, g); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if g.EventCount()-before >= r.opt.SnapshotEvery {
		r.snapshotNow(ctx, g) // a long tail: the next open should not replay it again
	}
	return g, nil
}

// tail applies the events after g's version. Fetching and JSON decoding run on a second goroutine
// while this one applies: on a cold open of a big graph decoding and Apply take similar time, so
// the overlap nearly halves the replay on two cores.
func (r *Repository) tail(ctx context.Context, g *graph.Graph) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type decoded struct {
		ev  graph.Event
		err error
	}
	ch := make(chan decoded, 64)
	loadErr := make(chan error, 1)
	go func() {
		defer close(ch)
		loadErr <- r.store.Load(ctx, g.ID(), g.Version()+1, func(rec Record) error {
			ev, err := rec.Event()
			select {
			case ch <- decoded{ev, err}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	for d := range ch {
		if d.err != nil {
			// A stored event this build cannot read: skip it, as the bridge does, but say so.
			r.opt.Logf("graph %s: skipping event at sequence %d: %v", g.ID(), d.ev.Seq, d.err)
			g.SetVersion(d.ev.Seq)
			continue
		}
		g.Apply(&d.ev)
	}
	return <-loadErr
}

const snapshotTimeout = 30 * time.Second

// Forget drops a graph from the cache (after an import failed midway, for instance).
func (r *Repository) Forget(graphID string) { r.forget(graphID) }
