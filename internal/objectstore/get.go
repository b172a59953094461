package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/ipfs/go-cid"
)

// GetResult describes a finished Get.
type GetResult struct {
	Size   int64 // content bytes written
	Blocks int   // blocks read, root included
}

// block returns the verified bytes of c, from the cache when it holds them.
func (c *Client) block(ctx context.Context, id cid.Cid) ([]byte, error) {
	if data, ok := c.cache.get(id); ok {
		return data, nil
	}
	data, err := c.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	c.cache.add(id, data)
	return data, nil
}

// Info is what the root block says about content.
type Info struct {
	Root cid.Cid
	Size int64
	Raw  bool // the root is a raw block: content of one chunk or less
}

// Stat reads the root of content and reports its size.
func (c *Client) Stat(ctx context.Context, root cid.Cid) (Info, error) {
	if err := checkAddressable(root); err != nil {
		return Info{}, err
	}
	data, err := c.block(ctx, root)
	if err != nil {
		return Info{}, fmt.Errorf("objectstore: stat %s: %w", root, err)
	}
	if root.Prefix().Codec == CodecRaw {
		return Info{Root: root, Size: int64(len(data)), Raw: true}, nil
	}
	n, err := decodeFileNode(root, data)
	if err != nil {
		return Info{}, err
	}
	return Info{Root: root, Size: int64(n.filesize)}, nil
}

// piece is one span of content in file order: inline bytes, or a leaf being fetched.
type piece struct {
	id   cid.Cid
	size uint64 // what the parent's blocksizes promise
	done chan struct{}
	data []byte
	err  error
}

// Get writes the content named root to w, verified block by block. Leaves are fetched up to
// Concurrency ahead and written in order; memory stays near Concurrency+2 chunks whatever the size.
// A block that does not hash to its CID, or a DAG whose sizes disagree with its content, fails with
// ErrCorrupt; an absent block with ErrNotFound. On error, w may have received a prefix.
func (c *Client) Get(ctx context.Context, root cid.Cid, w io.Writer, opts ...CallOption) (GetResult, error) {
	o := callOptions{total: -1}
	for _, opt := range opts {
		opt(&o)
	}
	if err := checkAddressable(root); err != nil {
		return GetResult{}, err
	}
	data, err := c.block(ctx, root)
	if err != nil {
		return GetResult{}, fmt.Errorf("objectstore: get %s: %w", root, err)
	}
	meter := &progressMeter{fn: o.progress}
	if root.Prefix().Codec == CodecRaw {
		meter.p.Total = int64(len(data))
		if _, err := w.Write(data); err != nil {
			return GetResult{}, fmt.Errorf("objectstore: get %s: write: %w", root, err)
		}
		meter.add(int64(len(data)))
		if len(data) == 0 && meter.fn != nil {
			meter.fn(meter.p)
		}
		return GetResult{Size: int64(len(data)), Blocks: 1}, nil
	}
	node, err := decodeFileNode(root, data)
	if err != nil {
		return GetResult{}, err
	}
	meter.p.Total = int64(node.filesize)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	queue := make(chan *piece, c.conc)
	var (
		wg      sync.WaitGroup
		walkErr error
		blocks  = 1
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(queue)
		walkErr = c.walk(ctx, root, node, queue, &wg, &blocks)
	}()

	var written int64
	var outErr error
	for p := range queue {
		if outErr != nil {
			continue // drain: the walker stops at ctx, its fetches end on their own
		}
		<-p.done
		switch {
		case p.err != nil:
			outErr = p.err
		case uint64(len(p.data)) != p.size:
			outErr = fmt.Errorf("%w: %s holds %d bytes, its parent says %d", ErrCorrupt, p.id, len(p.data), p.size)
		default:
			if _, err := w.Write(p.data); err != nil {
				outErr = fmt.Errorf("objectstore: get %s: write: %w", root, err)
				break
			}
			written += int64(len(p.data))
			meter.add(int64(len(p.data)))
		}
		if outErr != nil {
			cancel(outErr)
		}
	}
	wg.Wait()
	if outErr == nil {
		outErr = walkErr
	}
	if outErr == nil {
		outErr = context.Cause(ctx)
	}
	if outErr == nil && uint64(written) != node.filesize {
		outErr = fmt.Errorf("%w: %s: wrote %d bytes, root says %d", ErrCorrupt, root, written, node.filesize)
	}
	if outErr != nil {
		return GetResult{Size: written, Blocks: blocks}, outErr
	}
	return GetResult{Size: written, Blocks: blocks}, nil
}

// walk sends the pieces under node to queue in file order: inline data as is, raw leaves as fetches
// started now, dag-pb children by descending into them (they are small, so fetched in line).
func (c *Client) walk(ctx context.Context, id cid.Cid, node *fileNode, queue chan<- *piece, wg *sync.WaitGroup, blocks *int) error {
	if len(node.data) > 0 {
		p := &piece{id: id, size: uint64(len(node.data)), data: node.data, done: make(chan struct{})}
		close(p.done)
		if err := send(ctx, queue, p); err != nil {
			return err
		}
	}
	for i, l := range node.links {
		size := node.blocksizes[i]
		*blocks++
		if l.c.Prefix().Codec == CodecRaw {
			p := &piece{id: l.c, size: size, done: make(chan struct{})}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer close(p.done)
				data, err := c.block(ctx, l.c)
				if err != nil {
					p.err = fmt.Errorf("objectstore: get block %s: %w", l.c, err)
					return
				}
				p.data = data
			}()
			if err := send(ctx, queue, p); err != nil {
				return err
			}
			continue
		}
		if err := checkAddressable(l.c); err != nil {
			return err
		}
		data, err := c.block(ctx, l.c)
		if err != nil {
			return fmt.Errorf("objectstore: get node %s: %w", l.c, err)
		}
		child, err := decodeFileNode(l.c, data)
		if err != nil {
			return err
		}
		if child.filesize != size {
			return fmt.Errorf("%w: node %s says %d bytes, its parent says %d", ErrCorrupt, l.c, child.filesize, size)
		}
		if err := c.walk(ctx, l.c, child, queue, wg, blocks); err != nil {
			return err
		}
	}
	return nil
}

func send(ctx context.Context, queue chan<- *piece, p *piece) error {
	select {
	case queue <- p:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// GetBytes returns the content named root if it is at most max bytes (ErrTooLarge otherwise):
// for small content such as graph node bodies.
func (c *Client) GetBytes(ctx context.Context, root cid.Cid, max int64, opts ...CallOption) ([]byte, error) {
	info, err := c.Stat(ctx, root)
	if err != nil {
		return nil, err
	}
	if info.Size > max {
		return nil, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrTooLarge, root, info.Size, max)
	}
	buf := make([]byte, 0, info.Size)
	w := &sliceWriter{b: buf}
	if _, err := c.Get(ctx, root, w, opts...); err != nil {
		return nil, err
	}
	return w.b, nil
}

// ErrTooLarge: content is larger than the caller allows.
var ErrTooLarge = errors.New("objectstore: content too large")

type sliceWriter struct{ b []byte }

func (s *sliceWriter) Write(p []byte) (int, error) {
	s.b = append(s.b, p...)
	return len(p), nil
}

// Open streams the content named root: reads block until its bytes arrive. The one goroutine it
// starts ends when the content is read, on error, or at Close.
func (c *Client) Open(ctx context.Context, root cid.Cid, opts ...CallOption) (io.ReadCloser, error) {
	if _, err := c.Stat(ctx, root); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := c.Get(ctx, root, pw, opts...)
		pw.CloseWithError(err)
	}()
	return &openReader{PipeReader: pr, cancel: cancel, done: done}, nil
}

type openReader struct {
	*io.PipeReader
	cancel context.CancelFunc
	done   chan struct{}
}

func (r *openReader) Close() error {
	r.cancel()
	err := r.PipeReader.Close()
	<-r.done
	return err
}
