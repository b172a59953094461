package eventstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// BulkAppender is implemented by stores with a pipelined append path for imports.
type BulkAppender interface {
	// BeginBulk starts appending events to graphID after version expected.
	BeginBulk(ctx context.Context, graphID string, expected uint64) (Bulk, error)
}

// Bulk is a pipelined sequence of appends to one graph. It must still refuse to interleave with
// other writers unnoticed: if anything else is appended to the graph in between, Add or Finish
// fails with ErrConflict.
type Bulk interface {
	// Add queues one event; it may block while the store's window is full.
	Add(ctx context.Context, ev graph.Event) error
	// Finish waits until every queued event is stored and returns the graph's version.
	Finish(ctx context.Context) (uint64, error)
}

// seqBulk is the fallback for stores without a pipelined path: one checked append per event.
type seqBulk struct {
	s       Store
	graphID string
	version uint64
}

func (b *seqBulk) Add(ctx context.Context, ev graph.Event) error {
	v, err := b.s.Append(ctx, b.graphID, b.version, []graph.Event{ev})
	if err != nil {
		return err
	}
	b.version = v
	return nil
}

func (b *seqBulk) Finish(context.Context) (uint64, error) { return b.version, nil }

// ImportOptions tunes an import.
type ImportOptions struct {
	// Chunk is the number of nodes or edges per event; 0 means 1000 (≈ 60–100 KB events, far below
	// the 1 MB default NATS payload limit).
	Chunk int
	// Meta fills the envelopes (actor, command id of the import as correlation id).
	Meta graph.Meta
}

// Importer streams a large graph into the store: nodes and edges are buffered into chunk events,
// each decided against the aggregate (so duplicate ids and dangling edges are refused exactly as for
// a command) and appended through the store's bulk path. It holds the graph's lock in the repository
// until Close or Abort.
type Importer struct {
	ctx    context.Context
	r      *Repository
	g      *graph.Graph
	bulk   Bulk
	opt    ImportOptions
	unlock func()
	nodes  []graph.Node
	edges  []graph.EdgeInput
	before uint64
	err    error
	done   bool
	nn, ne int
}

// Import starts an import into graphID (which may not exist yet: begin with a CreateGraph command).
func (r *Repository) Import(ctx context.Context, graphID string, opt ImportOptions) (*Importer, error) {
	if opt.Chunk <= 0 {
		opt.Chunk = 1000
	}
	if opt.Chunk > graph.MaxBatch {
		opt.Chunk = graph.MaxBatch
	}
	unlock := r.lock(graphID)
	g, err := r.current(ctx, graphID, true)
	if err != nil {
		unlock()
		return nil, err
	}
	var bulk Bulk
	if ba, ok := r.store.(BulkAppender); ok {
		if bulk, err = ba.BeginBulk(ctx, graphID, g.Version()); err != nil {
			unlock()
			return nil, err
		}
	} else {
		bulk = &seqBulk{s: r.store, graphID: graphID, version: g.Version()}
	}
	return &Importer{ctx: ctx, r: r, g: g, bulk: bulk, opt: opt, unlock: unlock, before: g.EventCount()}, nil
}

// Graph is the aggregate as imported so far (read-only).
func (im *Importer) Graph() *graph.Graph { return im.g }

// Counts returns the nodes and edges imported so far (including buffered ones).
func (im *Importer) Counts() (nodes, edges int) { return im.nn, im.ne }

// Node queues a node.
func (im *Importer) Node(n graph.Node) error {
	if im.err != nil {
		return im.err
	}
	im.nodes = append(im.nodes, n)
	im.nn++
	if len(im.nodes) >= im.opt.Chunk {
		return im.flushNodes()
	}
	return nil
}

// Edge queues an edge. It may name a node queued before it: queued nodes are always stored before
// queued edges, so formats that interleave nodes and edges (CSV edge lists) still get full chunks.
func (im *Importer) Edge(e graph.EdgeInput) error {
	if im.err != nil {
		return im.err
	}
	im.edges = append(im.edges, e)
	im.ne++
	if len(im.edges) >= im.opt.Chunk {
		return im.flushEdges()
	}
	return nil
}

// Command decides and appends any other command (create_graph, create_subgraph, ...) in order.
func (im *Importer) Command(cmd graph.Command) error {
	if err := im.flush(); err != nil {
		return err
	}
	return im.run(cmd)
}

func (im *Importer) flush() error {
	if err := im.flushEdges(); err != nil {
		return err
	}
	return im.flushNodes()
}

func (im *Importer) flushNodes() error {
	if len(im.nodes) == 0 || im.err != nil {
		return im.err
	}
	err := im.run(&graph.AddNodes{Nodes: im.nodes})
	im.nodes = im.nodes[:0:0] // the event keeps the old backing array
	return err
}

func (im *Importer) flushEdges() error {
	if len(im.edges) == 0 || im.err != nil {
		return im.err
	}
	if err := im.flushNodes(); err != nil {
		return err
	}
	err := im.run(&graph.AddEdges{Edges: im.edges})
	im.edges = im.edges[:0]
	return err
}

func (im *Importer) run(cmd graph.Command) error {
	if im.err != nil {
		return im.err
	}
	if im.done {
		return fmt.Errorf("import: %w", ErrClosed)
	}
	evs, err := graph.Decide(im.g, cmd, im.opt.Meta)
	if err == nil {
		for i := range evs {
			im.g.Apply(&evs[i])
			if err = im.bulk.Add(im.ctx, evs[i]); err != nil {
				break
			}
		}
	}
	if err != nil {
		im.fail(err)
	}
	return err
}

// fail ends the import: the aggregate has events applied that may not be stored, so it is dropped
// from the cache and the lock released.
func (im *Importer) fail(err error) {
	im.err = err
	if !im.done {
		im.done = true
		im.r.forget(im.g.ID())
		im.unlock()
	}
}

// Close flushes, waits for every event to be stored, snapshots the result and releases the lock.
// It returns the graph's version.
func (im *Importer) Close() (uint64, error) {
	if im.done {
		if im.err != nil {
			return 0, im.err
		}
		return im.g.Version(), nil
	}
	if err := im.flush(); err != nil {
		return 0, err
	}
	v, err := im.bulk.Finish(im.ctx)
	if err != nil {
		im.fail(err)
		return 0, err
	}
	im.g.SetVersion(v)
	// Import events are big (a chunk each), so counting events would leave a freshly imported
	// graph to be replayed from JSON on every open: snapshot it now.
	if im.g.EventCount() > im.before {
		im.r.snapshotNow(im.ctx, im.g)
	}
	im.done = true
	im.unlock()
	return v, nil
}

// Abort gives up: whatever was already stored stays (it was valid), the cache forgets the graph.
func (im *Importer) Abort() {
	if !im.done {
		if v, err := im.bulk.Finish(im.ctx); err == nil {
			im.g.SetVersion(v)
		}
		im.fail(errors.New("import aborted"))
	}
}
