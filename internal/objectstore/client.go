package objectstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/ipfs/go-cid"
)

// Options configures a Client.
type Options struct {
	// Concurrency bounds the blocks one Put or Get has in flight at once (and so its memory: about
	// Concurrency+2 chunks); 0 means DefaultConcurrency.
	Concurrency int
	// Chunking is how Put cuts content unless a call says otherwise; ChunkFixed by default.
	Chunking Chunking
	// Cache bounds the block cache.
	Cache CacheConfig
}

// DefaultConcurrency is the default number of blocks in flight per operation.
const DefaultConcurrency = 8

// Client puts and gets content through a Store: streaming, concurrent, cached. It is safe for
// concurrent use. The goroutines of Put and Get end before they return; PutAsync, GetAsync and
// Open each start one that ends with the operation.
type Client struct {
	store    Store
	conc     int
	chunking Chunking
	cache    *blockCache
	pool     bufPool
}

// NewClient returns a Client over store.
func NewClient(store Store, opts Options) (*Client, error) {
	if store == nil {
		return nil, errors.New("objectstore: nil store")
	}
	if opts.Concurrency < 0 {
		return nil, fmt.Errorf("objectstore: concurrency %d < 0", opts.Concurrency)
	}
	if opts.Concurrency == 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if _, err := newChunker(opts.Chunking, nil); err != nil {
		return nil, err
	}
	return &Client{store: store, conc: opts.Concurrency, chunking: opts.Chunking, cache: newBlockCache(opts.Cache)}, nil
}

// Store is the Store under the client.
func (c *Client) Store() Store { return c.store }

// CacheStats describes the client's block cache.
func (c *Client) CacheStats() CacheStats { return c.cache.stats() }

// Progress is reported while content moves: Done bytes of Total (-1 when unknown).
type Progress struct {
	Done, Total int64
}

// ProgressFunc receives progress. Calls are serialized and Done never decreases; keep it quick,
// it runs on the transfer's path.
type ProgressFunc func(Progress)

type callOptions struct {
	progress ProgressFunc
	total    int64
	chunking *Chunking
}

// CallOption tunes one Put or Get.
type CallOption func(*callOptions)

// WithProgress reports progress to fn.
func WithProgress(fn ProgressFunc) CallOption { return func(o *callOptions) { o.progress = fn } }

// WithSize tells Put the content's size, for progress totals (a Put from an *os.File finds it
// itself).
func WithSize(n int64) CallOption { return func(o *callOptions) { o.total = n } }

// WithChunking overrides the client's Chunking for one Put.
func WithChunking(ch Chunking) CallOption { return func(o *callOptions) { o.chunking = &ch } }

// progressMeter serializes progress reports from concurrent workers.
type progressMeter struct {
	mu   sync.Mutex
	fn   ProgressFunc
	p    Progress
	done atomic.Int64
}

func (m *progressMeter) add(n int64) {
	d := m.done.Add(n)
	if m.fn == nil {
		return
	}
	m.mu.Lock()
	if d > m.p.Done {
		m.p.Done = d
		m.fn(m.p)
	}
	m.mu.Unlock()
}

// PutResult describes a finished Put.
type PutResult struct {
	Root     cid.Cid
	Size     int64    // content bytes
	Chunking Chunking // how the content was cut; part of what the root names
	Blocks   int      // blocks the DAG has, root included (repeats counted once per occurrence)
	Stored   int      // blocks this Put wrote
	Deduped  int      // blocks the store already held
	// BytesStored is what this Put wrote, payload only.
	BytesStored int64
}

// ctxReader stops a read at the next call once ctx is done: a put from a slow reader still ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := context.Cause(c.ctx); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Put stores the content r yields and returns its root CID. Chunks are hashed as they are read and
// written with up to Concurrency in flight; memory stays near Concurrency+2 chunks whatever the
// size. The root is written last, after every block under it is acknowledged: if Put fails or ctx
// is cancelled, the root is absent, so no reader ever sees half an object (blocks already written
// stay as unreferenced garbage, and a later Put of the same content reuses them).
func (c *Client) Put(ctx context.Context, r io.Reader, opts ...CallOption) (PutResult, error) {
	o := callOptions{total: -1}
	for _, opt := range opts {
		opt(&o)
	}
	chunking := c.chunking
	if o.chunking != nil {
		chunking = *o.chunking
	}
	if o.total < 0 {
		if f, ok := r.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				o.total = st.Size()
			}
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ch, err := newChunker(chunking, ctxReader{ctx, r})
	if err != nil {
		return PutResult{}, err
	}

	meter := &progressMeter{fn: o.progress, p: Progress{Total: o.total}}
	res := PutResult{Chunking: chunking}
	var (
		wg            sync.WaitGroup
		sem           = make(chan struct{}, c.conc)
		stored, dedup atomic.Int64
		bytesStored   atomic.Int64
		blocks        int
		errOnce       sync.Once
		firstErr      error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel(err) })
	}
	emit := func(b Block, leaf bool) error {
		blocks++
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			if leaf {
				c.pool.put(b.Data)
			}
			return context.Cause(ctx)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ok, err := c.store.Put(ctx, b.Cid, b.Data)
			if err != nil {
				fail(fmt.Errorf("objectstore: put block %s: %w", b.Cid, err))
			} else if ok {
				stored.Add(1)
				bytesStored.Add(int64(len(b.Data)))
			} else {
				dedup.Add(1)
			}
			if leaf {
				if err == nil {
					meter.add(int64(len(b.Data)))
				}
				c.pool.put(b.Data)
			}
		}()
		return nil
	}
	bld := newBuilder(ch, c.pool, emit)
	root, rootLink, rootLeaf, err := bld.build()
	wg.Wait()
	if firstErr != nil {
		err = firstErr
	} else if err == nil {
		err = context.Cause(ctx) // a put whose last read raced a cancel must not write its root
	}
	if err != nil {
		if rootLeaf {
			c.pool.put(root.Data)
		}
		return PutResult{}, err
	}
	ok, err := c.store.Put(ctx, root.Cid, root.Data)
	if rootLeaf {
		c.pool.put(root.Data)
	}
	if err != nil {
		return PutResult{}, fmt.Errorf("objectstore: put root %s: %w", root.Cid, err)
	}
	if ok {
		stored.Add(1)
		bytesStored.Add(int64(len(root.Data)))
	} else {
		dedup.Add(1)
	}
	if rootLeaf {
		meter.add(int64(len(root.Data)))
	}
	if meter.fn != nil && rootLink.fsize == 0 {
		meter.fn(Progress{Done: 0, Total: meter.p.Total})
	}
	res.Root = root.Cid
	res.Size = int64(rootLink.fsize)
	res.Blocks = blocks + 1
	res.Stored = int(stored.Load())
	res.Deduped = int(dedup.Load())
	res.BytesStored = bytesStored.Load()
	return res, nil
}

// PutBytes stores data (small content: graph node bodies, snapshots).
func (c *Client) PutBytes(ctx context.Context, data []byte, opts ...CallOption) (PutResult, error) {
	opts = append([]CallOption{WithSize(int64(len(data)))}, opts...)
	return c.Put(ctx, bytes.NewReader(data), opts...)
}
