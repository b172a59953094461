package objectstore

import (
	"context"
	"io"

	"github.com/ipfs/go-cid"
)

// Pending is an operation running in the background; its result arrives once.
type Pending[T any] struct {
	done chan struct{}
	res  T
	err  error
}

// Done is closed when the operation has finished.
func (p *Pending[T]) Done() <-chan struct{} { return p.done }

// Wait blocks until the operation has finished and returns its result.
func (p *Pending[T]) Wait() (T, error) {
	<-p.done
	return p.res, p.err
}

func start[T any](fn func() (T, error)) *Pending[T] {
	p := &Pending[T]{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.res, p.err = fn()
	}()
	return p
}

// PutAsync runs Put in the background: for a UI that shows progress and keeps drawing. Cancel ctx
// to stop it; the goroutine it starts ends with the Put.
func (c *Client) PutAsync(ctx context.Context, r io.Reader, opts ...CallOption) *Pending[PutResult] {
	return start(func() (PutResult, error) { return c.Put(ctx, r, opts...) })
}

// GetAsync runs Get in the background, writing to w from its own goroutine.
func (c *Client) GetAsync(ctx context.Context, root cid.Cid, w io.Writer, opts ...CallOption) *Pending[GetResult] {
	return start(func() (GetResult, error) { return c.Get(ctx, root, w, opts...) })
}
