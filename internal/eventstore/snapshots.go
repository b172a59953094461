package eventstore

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// MemorySnapshots is an in-process SnapshotStore.
type MemorySnapshots struct {
	mu   sync.Mutex
	snap map[string]memSnap
}

type memSnap struct {
	version uint64
	data    []byte
}

func (m *MemorySnapshots) SaveSnapshot(ctx context.Context, graphID string, version uint64, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.snap == nil {
		m.snap = make(map[string]memSnap)
	}
	if old, ok := m.snap[graphID]; ok && old.version > version {
		return nil // a slower writer of an older snapshot must not replace a newer one
	}
	m.snap[graphID] = memSnap{version, slices.Clone(data)}
	return nil
}

func (m *MemorySnapshots) LoadSnapshot(ctx context.Context, graphID string) (uint64, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.snap[graphID]
	if !ok {
		return 0, nil, fmt.Errorf("snapshot of graph %s: %w", graphID, ErrNotFound)
	}
	return s.version, s.data, nil
}
