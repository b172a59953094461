// Package jetstream is the NATS JetStream objectstore.Store: one stream per bucket, one message per
// block, written once and read back verified.
//
// Layout. Bucket B is the stream "CAS_B" over the subjects "cas.B.<codec>.<cid>", where <codec> is
// "raw" or "dag-pb" and <cid> is the block's CIDv1 in base32 (a CIDv0 is stored under its CIDv1, so
// both names find one block). MaxMsgsPerSubject is 1 and every put carries
// Nats-Expected-Last-Subject-Sequence: 0, so the server itself refuses a second copy of a block,
// also from concurrent writers; AllowDirect serves reads from any replica without the API leader.
// Each message carries Content-Type: application/vnd.ipld.raw or application/vnd.ipld.dag-pb
// (the IANA types IPFS gateways use), so other tools can read the bucket.
//
// This is the design JetStream KV uses (one subject per key, direct gets), not the JetStream Object
// Store: an object there is a metadata message plus chunk messages, which costs several writes and a
// consumer per read for what is here one message; docs/bench-objectstore.md has the measurements.
package jetstream

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/ipfs/go-cid"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// Codec mapping: subject token and Content-Type header per multicodec. Explicit, and the only one.
var codecs = map[uint64]struct{ token, contentType string }{
	objectstore.CodecRaw:   {"raw", "application/vnd.ipld.raw"},
	objectstore.CodecDagPB: {"dag-pb", "application/vnd.ipld.dag-pb"},
}

// Names. "CAS_" (content-addressed storage) keeps clear of the JetStream Object Store's "OBJ_"
// streams and KV's "KV_", so a bucket name can be used by all three at once.
const (
	DefaultBucket = "blocks"
	StreamPrefix  = natsx.BlockStreamPrefix
	SubjectRoot   = natsx.BlocksRoot
	// MaxBlockSize bounds one block (largest buzhash leaf 512 KiB, nodes ~8 KiB), under the 1 MiB
	// default max_payload of nats-server.
	MaxBlockSize = 1 << 20
)

var validBucket = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Config configures a bucket.
type Config struct {
	// Bucket names the store; DefaultBucket when empty. Letters, digits, '-' and '_'.
	Bucket string
	// Replicas of the stream in a cluster; 1 when zero.
	Replicas int
	// Memory keeps blocks in memory instead of files (tests, caches).
	Memory bool
	// MaxBytes bounds the bucket; 0 means unlimited. A full bucket refuses puts.
	MaxBytes int64
	// Compress stores blocks S2-compressed on disk: worth it for text, wasted on media.
	Compress bool
}

// StreamName is the stream of bucket.
func StreamName(bucket string) string { return natsx.BlockStream(bucket) }

// Subject is the subject of block c in bucket.
func Subject(bucket string, c cid.Cid) (string, error) {
	m, ok := codecs[c.Prefix().Codec]
	if !ok {
		return "", fmt.Errorf("%w: %s: codec 0x%x has no subject", objectstore.ErrBadCID, c, c.Prefix().Codec)
	}
	return natsx.BlockSubject(bucket, m.token, cid.NewCidV1(c.Type(), c.Hash()).String()), nil
}

// ContentType is the Content-Type stored with blocks of c's codec.
func ContentType(c cid.Cid) string { return codecs[c.Prefix().Codec].contentType }

// Store is a bucket of blocks in a JetStream stream.
type Store struct {
	js     natsjs.JetStream
	stream natsjs.Stream
	bucket string
}

var _ objectstore.Store = (*Store)(nil)

// Open creates the bucket's stream, or updates it to cfg, and returns the Store.
func Open(ctx context.Context, js natsjs.JetStream, cfg Config) (*Store, error) {
	if cfg.Bucket == "" {
		cfg.Bucket = DefaultBucket
	}
	if !validBucket.MatchString(cfg.Bucket) {
		return nil, fmt.Errorf("objectstore/jetstream: bucket %q: only letters, digits, '-' and '_'", cfg.Bucket)
	}
	if cfg.Replicas == 0 {
		cfg.Replicas = 1
	}
	if cfg.MaxBytes < 0 {
		return nil, fmt.Errorf("objectstore/jetstream: MaxBytes %d < 0", cfg.MaxBytes)
	}
	sc := natsjs.StreamConfig{
		Name:              StreamName(cfg.Bucket),
		Description:       "alchemist content-addressed blocks (CIDv1 sha2-256)",
		Subjects:          []string{natsx.BlockBucket(cfg.Bucket)},
		MaxMsgsPerSubject: 1,
		MaxMsgSize:        MaxBlockSize,
		MaxBytes:          -1,
		Discard:           natsjs.DiscardNew,
		Storage:           natsjs.FileStorage,
		Replicas:          cfg.Replicas,
		AllowDirect:       true,
		Duplicates:        time.Minute,
	}
	if cfg.MaxBytes > 0 {
		sc.MaxBytes = cfg.MaxBytes
	}
	if cfg.Memory {
		sc.Storage = natsjs.MemoryStorage
	}
	if cfg.Compress {
		sc.Compression = natsjs.S2Compression
	}
	st, err := js.CreateOrUpdateStream(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("objectstore/jetstream: stream %s: %w", sc.Name, err)
	}
	return &Store{js: js, stream: st, bucket: cfg.Bucket}, nil
}

// OpenConn is Open over a plain connection.
func OpenConn(ctx context.Context, nc *nats.Conn, cfg Config) (*Store, error) {
	js, err := natsjs.New(nc)
	if err != nil {
		return nil, fmt.Errorf("objectstore/jetstream: %w", err)
	}
	return Open(ctx, js, cfg)
}

// Bucket is the bucket's name.
func (s *Store) Bucket() string { return s.bucket }

// Put implements objectstore.Store. The server refuses the message if the subject already holds
// one (expected last subject sequence 0), which is the dedup: no read before the write, no race.
func (s *Store) Put(ctx context.Context, c cid.Cid, data []byte) (bool, error) {
	subj, err := Subject(s.bucket, c)
	if err != nil {
		return false, err
	}
	if len(data) > MaxBlockSize {
		return false, fmt.Errorf("objectstore/jetstream: block %s is %d bytes, limit %d", c, len(data), MaxBlockSize)
	}
	msg := &nats.Msg{Subject: subj, Data: data, Header: nats.Header{}}
	msg.Header.Set("Content-Type", ContentType(c))
	_, err = s.js.PublishMsg(ctx, msg, natsjs.WithExpectLastSequencePerSubject(0))
	if err != nil {
		if isWrongLastSequence(err) {
			return false, nil
		}
		return false, fmt.Errorf("objectstore/jetstream: put %s: %w", c, err)
	}
	return true, nil
}

func isWrongLastSequence(err error) bool {
	var apiErr *natsjs.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode == natsjs.JSErrCodeStreamWrongLastSequence ||
			apiErr.ErrorCode == natsjs.JSErrCodeStreamWrongLastSequenceConstant
	}
	return false
}

// Get implements objectstore.Store: a direct get of the subject's last message, verified.
func (s *Store) Get(ctx context.Context, c cid.Cid) ([]byte, error) {
	subj, err := Subject(s.bucket, c)
	if err != nil {
		return nil, err
	}
	msg, err := s.stream.GetLastMsgForSubject(ctx, subj)
	if err != nil {
		if errors.Is(err, natsjs.ErrMsgNotFound) {
			return nil, fmt.Errorf("%w: block %s in bucket %s", objectstore.ErrNotFound, c, s.bucket)
		}
		return nil, fmt.Errorf("objectstore/jetstream: get %s: %w", c, err)
	}
	if err := objectstore.Verify(c, msg.Data); err != nil {
		return nil, fmt.Errorf("bucket %s, stream seq %d: %w", s.bucket, msg.Sequence, err)
	}
	return msg.Data, nil
}

// Has implements objectstore.Store with a subject-filtered stream info: no block bytes move.
func (s *Store) Has(ctx context.Context, c cid.Cid) (bool, error) {
	subj, err := Subject(s.bucket, c)
	if err != nil {
		return false, err
	}
	info, err := s.stream.Info(ctx, natsjs.WithSubjectFilter(subj))
	if err != nil {
		return false, fmt.Errorf("objectstore/jetstream: has %s: %w", c, err)
	}
	return info.State.Subjects[subj] > 0, nil
}

// Delete implements objectstore.Store by purging the block's subject.
func (s *Store) Delete(ctx context.Context, c cid.Cid) error {
	ok, err := s.Has(ctx, c)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: block %s in bucket %s", objectstore.ErrNotFound, c, s.bucket)
	}
	subj, _ := Subject(s.bucket, c)
	if err := s.stream.Purge(ctx, natsjs.WithPurgeSubject(subj)); err != nil {
		return fmt.Errorf("objectstore/jetstream: delete %s: %w", c, err)
	}
	return nil
}

// Usage implements objectstore.Store from the stream's state (Bytes include JetStream's per-message
// overhead: subject, headers, sequence, time, checksum).
func (s *Store) Usage(ctx context.Context) (objectstore.Usage, error) {
	info, err := s.stream.Info(ctx)
	if err != nil {
		return objectstore.Usage{}, fmt.Errorf("objectstore/jetstream: usage: %w", err)
	}
	return objectstore.Usage{Blocks: int64(info.State.Msgs), Bytes: int64(info.State.Bytes)}, nil
}
