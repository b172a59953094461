package objectstore_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/infoalchemist/alchemist/internal/objectstore/objectstoretest"
)

// BenchmarkRootCID: MB/s of computing the IPFS root CID (hashing, chunking, node encoding).
func BenchmarkRootCID(b *testing.B) {
	for _, size := range []int{256 << 10, 4 << 20, 64 << 20} {
		for _, ch := range []objectstore.Chunking{objectstore.ChunkFixed, objectstore.ChunkBuzhash} {
			data := objectstoretest.Content(size, 1)
			b.Run(fmt.Sprintf("%s/%dKiB", ch, size>>10), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				r := bytes.NewReader(data)
				for b.Loop() {
					r.Reset(data)
					if _, err := objectstore.RootCIDWith(r, ch); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRawCID: MB/s of the raw CID of a whole content (`alchemist cid --raw`).
func BenchmarkRawCID(b *testing.B) {
	data := objectstoretest.Content(16<<20, 2)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	r := bytes.NewReader(data)
	for b.Loop() {
		r.Reset(data)
		if _, err := objectstore.RawCID(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCacheHit: latency of reading small content whose block the client cache holds.
func BenchmarkCacheHit(b *testing.B) {
	ctx := context.Background()
	cl, err := objectstore.NewClient(objectstore.NewMemStore(), objectstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	data := objectstoretest.Content(4<<10, 3)
	res, err := cl.PutBytes(ctx, data)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := cl.Get(ctx, res.Root, io.Discard); err != nil { // warm the cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cl.Get(ctx, res.Root, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	if st := cl.CacheStats(); st.Hits < int64(b.N) {
		b.Fatalf("cache hits %d < %d reads", st.Hits, b.N)
	}
}

// BenchmarkMemStorePutGet: the client pipeline alone (hash, chunk, store in memory, read back verified).
func BenchmarkMemStorePutGet(b *testing.B) {
	ctx := context.Background()
	data := objectstoretest.Content(16<<20, 4)
	for _, op := range []string{"put", "get"} {
		b.Run(op, func(b *testing.B) {
			st := objectstore.NewMemStore()
			cl, err := objectstore.NewClient(st, objectstore.Options{Cache: objectstore.CacheConfig{MaxBytes: -1}})
			if err != nil {
				b.Fatal(err)
			}
			res, err := cl.PutBytes(ctx, data)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if op == "put" {
					_, err = cl.PutBytes(ctx, data)
				} else {
					_, err = cl.Get(ctx, res.Root, io.Discard)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
