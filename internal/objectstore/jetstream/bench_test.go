package jetstream_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"sync/atomic"
	"testing"

	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/infoalchemist/alchemist/internal/objectstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/objectstore/objectstoretest"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// stamp makes every chunk of data unique to iteration i, so repeated puts are not deduplicated.
func stamp(data []byte, i uint64) {
	for off := 0; off+8 <= len(data); off += objectstore.ChunkSize {
		binary.LittleEndian.PutUint64(data[off:], i)
	}
}

// BenchmarkClientPut and BenchmarkClientGet: MB/s of content through the Client and the embedded
// server (file store on the test's temp dir), 16 MiB per operation, default concurrency.
func BenchmarkClientPut(b *testing.B) {
	_, nc := natstest.Start(b)
	store := openStore(b, nc, jetstream.Config{Bucket: "benchput"})
	cl, err := objectstore.NewClient(store, objectstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	data := objectstoretest.Content(16<<20, 1)
	ctx := context.Background()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		i++
		stamp(data, i)
		res, err := cl.PutBytes(ctx, data)
		if err != nil {
			b.Fatal(err)
		}
		if res.Deduped != 0 {
			b.Fatalf("deduplicated %d blocks", res.Deduped)
		}
	}
}

func BenchmarkClientGet(b *testing.B) {
	_, nc := natstest.Start(b)
	store := openStore(b, nc, jetstream.Config{Bucket: "benchget"})
	cl, err := objectstore.NewClient(store, objectstore.Options{Cache: objectstore.CacheConfig{MaxBytes: -1}})
	if err != nil {
		b.Fatal(err)
	}
	data := objectstoretest.Content(16<<20, 2)
	ctx := context.Background()
	res, err := cl.PutBytes(ctx, data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cl.Get(ctx, res.Root, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// blockBackend is one way of keeping 256 KiB blocks in JetStream, for choosing the backend.
type blockBackend struct {
	put func(ctx context.Context, key string, data []byte) error
	get func(ctx context.Context, key string) ([]byte, error)
}

func backends(b *testing.B, nc *nats.Conn, bucket string) map[string]blockBackend {
	ctx := context.Background()
	js, err := natsjs.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	st := openStore(b, nc, jetstream.Config{Bucket: bucket})
	kv, err := js.CreateKeyValue(ctx, natsjs.KeyValueConfig{Bucket: bucket, MaxValueSize: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	obs, err := js.CreateObjectStore(ctx, natsjs.ObjectStoreConfig{Bucket: bucket})
	if err != nil {
		b.Fatal(err)
	}
	return map[string]blockBackend{
		"stream-per-block": {
			put: func(ctx context.Context, key string, data []byte) error {
				_, err := st.Put(ctx, objectstore.BlockCID(data), data)
				return err
			},
			get: func(ctx context.Context, key string) ([]byte, error) {
				c, err := objectstore.ParseCID(key)
				if err != nil {
					return nil, err
				}
				return st.Get(ctx, c)
			},
		},
		"kv": {
			put: func(ctx context.Context, key string, data []byte) error {
				_, err := kv.Create(ctx, key, data)
				return err
			},
			get: func(ctx context.Context, key string) ([]byte, error) {
				e, err := kv.Get(ctx, key)
				if err != nil {
					return nil, err
				}
				return e.Value(), nil
			},
		},
		"objectstore": {
			put: func(ctx context.Context, key string, data []byte) error {
				_, err := obs.PutBytes(ctx, key, data)
				return err
			},
			get: func(ctx context.Context, key string) ([]byte, error) {
				return obs.GetBytes(ctx, key)
			},
		},
	}
}

// BenchmarkBackendChoice compares three ways of keeping 256 KiB blocks on one embedded server,
// with 8 goroutines in flight as the Client has: this package's stream (one subject per block),
// JetStream KV, and the JetStream Object Store. Keys are the blocks' CIDs; the block is hashed in
// every variant so hashing cost is equal.
func BenchmarkBackendChoice(b *testing.B) {
	_, nc := natstest.Start(b)
	runs := 0
	fresh := func() map[string]blockBackend {
		runs++
		return backends(b, nc, fmt.Sprintf("choice%d", runs))
	}
	for _, name := range []string{"stream-per-block", "kv", "objectstore"} {
		b.Run(name+"/put", func(b *testing.B) {
			be := fresh()[name]
			ctx := context.Background()
			var n atomic.Uint64
			b.SetBytes(objectstore.ChunkSize)
			b.ReportAllocs()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				data := objectstoretest.Content(objectstore.ChunkSize, 9)
				for pb.Next() {
					binary.LittleEndian.PutUint64(data, n.Add(1))
					key := objectstore.BlockCID(data).String()
					if err := be.put(ctx, key, data); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
		b.Run(name+"/get", func(b *testing.B) {
			be := fresh()[name]
			ctx := context.Background()
			const blocks = 64
			keys := make([]string, blocks)
			want := make([][]byte, blocks)
			for i := range keys {
				want[i] = objectstoretest.Content(objectstore.ChunkSize, uint64(100+i))
				keys[i] = objectstore.BlockCID(want[i]).String()
				if err := be.put(ctx, keys[i], want[i]); err != nil {
					b.Fatal(err)
				}
			}
			var n atomic.Uint64
			b.SetBytes(objectstore.ChunkSize)
			b.ReportAllocs()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1) % blocks
					got, err := be.get(ctx, keys[i])
					if err != nil {
						b.Fatal(err)
					}
					if !bytes.Equal(got, want[i]) {
						b.Fatal("wrong bytes")
					}
				}
			})
		})
	}
}
