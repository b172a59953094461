package objectstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/ipfs/go-cid"
)

// Store keeps blocks by CID. Every implementation passes objectstoretest.Run.
//
// Put trusts that c names data (the Client computes it from the bytes); every Get verifies it, so a
// block that does not hash to its CID is reported as ErrCorrupt, never returned.
type Store interface {
	// Put stores data under c unless a block named c is already stored; stored reports whether this
	// call wrote it. A block is never stored twice, also under concurrent Puts of the same CID. The
	// store may keep data after Put returns only as a copy.
	Put(ctx context.Context, c cid.Cid, data []byte) (stored bool, err error)
	// Get returns the verified bytes of c: an error wrapping ErrNotFound when it is not stored,
	// ErrCorrupt when what is stored does not hash to c. The caller may keep the slice but must
	// not modify it.
	Get(ctx context.Context, c cid.Cid) ([]byte, error)
	// Has reports whether a block named c is stored, without reading it.
	Has(ctx context.Context, c cid.Cid) (bool, error)
	// Delete removes the block named c; ErrNotFound when it is not stored.
	Delete(ctx context.Context, c cid.Cid) error
	// Usage reports what the store holds, for measuring deduplication.
	Usage(ctx context.Context) (Usage, error)
}

// Usage is what a Store holds.
type Usage struct {
	Blocks int64 // blocks stored
	Bytes  int64 // bytes as the backend accounts them (payload, plus its own overhead per block)
}

// MemStore is a Store in process memory: a real one, used by tests and by tools without NATS.
type MemStore struct {
	mu     sync.RWMutex
	blocks map[cid.Cid][]byte
	bytes  int64
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{blocks: make(map[cid.Cid][]byte)} }

// Put implements Store.
func (m *MemStore) Put(ctx context.Context, c cid.Cid, data []byte) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := checkAddressable(c); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.blocks[c]; ok {
		return false, nil
	}
	m.blocks[c] = append([]byte{}, data...)
	m.bytes += int64(len(data))
	return true, nil
}

// Get implements Store.
func (m *MemStore) Get(ctx context.Context, c cid.Cid) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	data, ok := m.blocks[c]
	m.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: block %s", ErrNotFound, c)
	}
	if err := Verify(c, data); err != nil {
		return nil, err
	}
	return data, nil
}

// Has implements Store.
func (m *MemStore) Has(ctx context.Context, c cid.Cid) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m.mu.RLock()
	_, ok := m.blocks[c]
	m.mu.RUnlock()
	return ok, nil
}

// Delete implements Store.
func (m *MemStore) Delete(ctx context.Context, c cid.Cid) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.blocks[c]
	if !ok {
		return fmt.Errorf("%w: block %s", ErrNotFound, c)
	}
	delete(m.blocks, c)
	m.bytes -= int64(len(data))
	return nil
}

// Usage implements Store.
func (m *MemStore) Usage(ctx context.Context) (Usage, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return Usage{Blocks: int64(len(m.blocks)), Bytes: m.bytes}, nil
}

// Corrupt replaces the stored bytes of c without changing its name: a test hook that plays a
// damaged disk. It reports whether c was stored.
func (m *MemStore) Corrupt(c cid.Cid, data []byte) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.blocks[c]
	if ok {
		m.bytes += int64(len(data) - len(old))
		m.blocks[c] = append([]byte{}, data...)
	}
	return ok
}
