package jetstream

import (
	"context"

	"github.com/hashicorp/golang-lru/v2"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/nats-io/nats.go"
)

// Cache is an LRU of loaded aggregates (eventstore.Cache). A 100K-node / 300K-edge graph holds
// ≈ 54 MB, so the size counts graphs and the default is small (the 400 MB budget of the GUI process).
type Cache struct {
	lru *lru.Cache[string, *graph.Graph]
}

var _ eventstore.Cache = (*Cache)(nil)

// NewCache keeps at most size aggregates (default 4 when size <= 0).
func NewCache(size int) *Cache {
	if size <= 0 {
		size = 4
	}
	c, _ := lru.New[string, *graph.Graph](size) // only fails for size <= 0
	return &Cache{lru: c}
}

func (c *Cache) Get(id string) (*graph.Graph, bool) { return c.lru.Get(id) }
func (c *Cache) Add(id string, g *graph.Graph)      { c.lru.Add(id, g) }
func (c *Cache) Remove(id string)                   { c.lru.Remove(id) }
func (c *Cache) Len() int                           { return c.lru.Len() }

// RepoConfig wires a repository on JetStream.
type RepoConfig struct {
	Store         Config
	Snapshots     SnapshotConfig
	CacheSize     int    // aggregates kept loaded; default 4 (≈ 54 MB each at 100K nodes / 300K edges)
	SnapshotEvery uint64 // events between snapshots; default 1000
	Retries       int    // re-decide attempts on conflict; default 8
	Logf          func(format string, args ...any)
}

// OpenRepository opens the event stream and the snapshot bucket and returns a repository with an
// LRU of aggregates: everything the command service and the GUI need.
func OpenRepository(ctx context.Context, nc *nats.Conn, cfg RepoConfig) (*eventstore.Repository, *Store, error) {
	s, err := Open(ctx, nc, cfg.Store)
	if err != nil {
		return nil, nil, err
	}
	snaps, err := OpenSnapshots(ctx, s.JetStream(), cfg.Snapshots)
	if err != nil {
		return nil, nil, err
	}
	repo := eventstore.NewRepository(s, eventstore.RepoOptions{
		Snapshots: snaps, SnapshotEvery: cfg.SnapshotEvery, Cache: NewCache(cfg.CacheSize),
		Retries: cfg.Retries, Logf: cfg.Logf,
	})
	return repo, s, nil
}
