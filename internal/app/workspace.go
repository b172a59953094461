package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/infoalchemist/alchemist/internal/bridge"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/infoalchemist/alchemist/internal/service"
	"github.com/infoalchemist/alchemist/internal/world"
	"github.com/nats-io/nats.go"
)

// workspace is the GUI's link to the stored graphs: the repository it opens graphs from, the catalog
// it lists them from, and (when this process runs the embedded server) the command service.
type workspace struct {
	repo   *eventstore.Repository
	store  *esjs.Store
	svc    *service.Service
	agents *agentHost
	log    *slog.Logger
	nc     *nats.Conn

	loaderOnce sync.Once
	loader     *contentLoader

	graphs  atomic.Pointer[[]eventstore.GraphInfo]
	opening atomic.Bool
	opened  chan openResult
}

type openResult struct {
	id    string
	view  *graphView
	err   error
	took  time.Duration
	nodes int
}

// openWorkspace opens the event store on link. With an embedded server nobody else runs the command
// service, the suggestion service and the built-in agents, so this process does.
func openWorkspace(ctx context.Context, link *natsx.Link, log *slog.Logger) (*workspace, error) {
	repo, store, err := esjs.OpenRepository(ctx, link.Conn, esjs.RepoConfig{
		Logf: func(format string, args ...any) { log.Warn(fmt.Sprintf(format, args...)) },
	})
	if err != nil {
		return nil, fmt.Errorf("open event store: %w", err)
	}
	ws := &workspace{repo: repo, store: store, log: log, nc: link.Conn, opened: make(chan openResult, 1)}
	if link.Embedded != nil {
		if ws.svc, err = service.Start(link.Conn, repo, store, log); err != nil {
			repo.Close()
			return nil, err
		}
		if ws.agents, err = startAgentHost(link.Conn, repo, log); err != nil {
			ws.svc.Stop()
			repo.Close()
			return nil, err
		}
	}
	return ws, nil
}

// refreshList keeps the graph list current in the background; the frame loop only reads it.
func (ws *workspace) refreshList(ctx context.Context, every time.Duration) {
	for {
		graphs, err := ws.store.ListGraphs(ctx)
		if err == nil {
			ws.graphs.Store(&graphs)
		} else if ctx.Err() == nil {
			ws.log.Debug("list graphs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// open loads a graph (snapshot + tail) into a new world and starts following it, on a goroutine;
// the result arrives on ws.opened.
func (ws *workspace) open(ctx context.Context, id string, params layout.Params, seed uint64) {
	if !ws.opening.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer ws.opening.Store(false)
		v, took, err := ws.openNow(ctx, id, params, seed)
		r := openResult{id: id, view: v, err: err, took: took}
		if v != nil {
			r.nodes = v.world.Nodes.Len()
		}
		ws.opened <- r
	}()
}

func (ws *workspace) openNow(ctx context.Context, id string, params layout.Params, seed uint64) (*graphView, time.Duration, error) {
	start := time.Now()
	g, err := ws.repo.Open(ctx, id)
	if err != nil {
		return nil, 0, fmt.Errorf("open graph %s: %w", id, err)
	}
	if !g.Exists() {
		return nil, 0, fmt.Errorf("open graph %s: %w", id, eventstore.ErrNotFound)
	}
	w := world.New(id)
	w.Load(g)
	w.Edges.BuildIndex() // it will follow edge updates and removals: index now, not in a frame
	took := time.Since(start)
	f, err := bridge.Follow(ctx, ws.store, id, g.Version()+1, bridge.DefaultQueue, ws.log)
	if err != nil {
		return nil, 0, fmt.Errorf("follow graph %s: %w", id, err)
	}
	v, err := newGraphView(w, f, params, seed, ws.log)
	if err != nil {
		f.Stop()
		return nil, 0, err
	}
	v.agg = g
	return v, took, nil
}

// contentLoader opens the content bucket on first use (nil when it cannot be opened).
func (ws *workspace) contentLoader(ctx context.Context) *contentLoader {
	ws.loaderOnce.Do(func() {
		client, err := objectClient(ctx, ws.nc, objectstore.Options{})
		if err != nil {
			ws.log.Warn("content loader", "err", err)
			return
		}
		ws.loader = newContentLoader(client)
	})
	return ws.loader
}

func (ws *workspace) close() {
	if ws.agents != nil {
		ws.agents.stop()
	}
	if ws.svc != nil {
		ws.svc.Stop()
	}
	ws.repo.Close()
}
