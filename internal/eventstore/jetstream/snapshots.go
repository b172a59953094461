package jetstream

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/nats-io/nats.go/jetstream"
)

// SnapshotConfig configures the snapshot bucket.
type SnapshotConfig struct {
	Bucket   string // default GRAPH_SNAPSHOTS
	Replicas int    // default 1
	// ChunkSize bounds one KV value; default 512 KiB, below the 1 MiB default NATS payload limit.
	ChunkSize int
	Timeout   time.Duration // default 30s per save or load
}

// Snapshots is an eventstore.SnapshotStore on a JetStream KV bucket. A snapshot of version v of graph
// g is stored as chunks g.v.0, g.v.1, ... and then published by writing g.head, so a reader never
// sees a half-written snapshot; the previous version's chunks are deleted after the head moves.
type Snapshots struct {
	kv  jetstream.KeyValue
	cfg SnapshotConfig
}

var _ eventstore.SnapshotStore = (*Snapshots)(nil)

type snapHead struct {
	Version uint64 `json:"version"`
	Chunks  int    `json:"chunks"`
	Size    int    `json:"size"`
	SHA256  string `json:"sha256"`
}

// OpenSnapshots creates or updates the snapshot bucket.
func OpenSnapshots(ctx context.Context, js jetstream.JetStream, cfg SnapshotConfig) (*Snapshots, error) {
	if cfg.Bucket == "" {
		cfg.Bucket = "GRAPH_SNAPSHOTS"
	}
	if cfg.Replicas == 0 {
		cfg.Replicas = 1
	}
	if cfg.ChunkSize <= 0 {
		cfg.ChunkSize = 512 << 10
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	cctx, cancel := withTimeout(ctx, cfg.Timeout)
	defer cancel()
	kv, err := js.CreateOrUpdateKeyValue(cctx, jetstream.KeyValueConfig{
		Bucket:      cfg.Bucket,
		Description: "Information Alchemist graph snapshots",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
		Compression: true,
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot bucket %s: %w", cfg.Bucket, err)
	}
	return &Snapshots{kv: kv, cfg: cfg}, nil
}

func chunkKey(graphID string, version uint64, i int) string {
	return graphID + "." + strconv.FormatUint(version, 10) + "." + strconv.Itoa(i)
}

// SaveSnapshot implements eventstore.SnapshotStore.
func (s *Snapshots) SaveSnapshot(ctx context.Context, graphID string, version uint64, data []byte) error {
	ctx, cancel := withTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	old, _ := s.head(ctx, graphID)
	if old.Version >= version && old.Chunks > 0 {
		return nil // a newer (or the same) snapshot is already there
	}
	sum := sha256.Sum256(data)
	h := snapHead{Version: version, Size: len(data), SHA256: hex.EncodeToString(sum[:])}
	for off := 0; off < len(data) || h.Chunks == 0; off += s.cfg.ChunkSize {
		end := min(off+s.cfg.ChunkSize, len(data))
		if _, err := s.kv.Put(ctx, chunkKey(graphID, version, h.Chunks), data[off:end]); err != nil {
			return fmt.Errorf("snapshot %s@%d chunk %d: %w", graphID, version, h.Chunks, err)
		}
		h.Chunks++
	}
	hb, _ := json.Marshal(&h)
	if _, err := s.kv.Put(ctx, graphID+".head", hb); err != nil {
		return fmt.Errorf("snapshot %s@%d head: %w", graphID, version, err)
	}
	for i := 0; i < old.Chunks; i++ {
		_ = s.kv.Purge(ctx, chunkKey(graphID, old.Version, i)) // garbage only; a failure leaks, never breaks
	}
	return nil
}

func (s *Snapshots) head(ctx context.Context, graphID string) (snapHead, error) {
	e, err := s.kv.Get(ctx, graphID+".head")
	if err != nil {
		return snapHead{}, err
	}
	var h snapHead
	if err := json.Unmarshal(e.Value(), &h); err != nil {
		return snapHead{}, fmt.Errorf("snapshot head of %s: %w", graphID, err)
	}
	return h, nil
}

// LoadSnapshot implements eventstore.SnapshotStore.
func (s *Snapshots) LoadSnapshot(ctx context.Context, graphID string) (uint64, []byte, error) {
	ctx, cancel := withTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	h, err := s.head(ctx, graphID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil, fmt.Errorf("snapshot of graph %s: %w", graphID, eventstore.ErrNotFound)
	}
	if err != nil {
		return 0, nil, err
	}
	var buf bytes.Buffer
	buf.Grow(h.Size)
	for i := range h.Chunks {
		e, err := s.kv.Get(ctx, chunkKey(graphID, h.Version, i))
		if err != nil {
			return 0, nil, fmt.Errorf("snapshot %s@%d chunk %d: %w", graphID, h.Version, i, err)
		}
		buf.Write(e.Value())
	}
	sum := sha256.Sum256(buf.Bytes())
	if buf.Len() != h.Size || hex.EncodeToString(sum[:]) != h.SHA256 {
		return 0, nil, fmt.Errorf("snapshot %s@%d: size or checksum mismatch", graphID, h.Version)
	}
	return h.Version, buf.Bytes(), nil
}
