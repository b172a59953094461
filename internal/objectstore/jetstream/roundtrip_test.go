package jetstream_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"runtime"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/infoalchemist/alchemist/internal/objectstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/objectstore/objectstoretest"
)

// heapWatch samples HeapInuse from progress callbacks every 8 MiB, after a forced GC: the peak of
// live heap over a transfer is what streaming must keep far below the content size. (Without the
// GC the figure mostly measures how far GOGC lets garbage pile up; it is logged too.)
type heapWatch struct {
	base, peak uint64
	rawPeak    uint64
	next       int64
}

func newHeapWatch() *heapWatch {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return &heapWatch{base: ms.HeapInuse, peak: ms.HeapInuse}
}

func (h *heapWatch) progress(p objectstore.Progress) {
	if p.Done < h.next {
		return
	}
	h.next = p.Done + 8<<20
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.rawPeak = max(h.rawPeak, ms.HeapInuse)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	h.peak = max(h.peak, ms.HeapInuse)
}

func (h *heapWatch) growth() uint64 { return h.peak - h.base }

// TestRoundTrip100MiB puts and gets the 100 MiB go-random content of kubo's published vector
// through an embedded server: the root must be the CID ipfs published, the bytes must come back
// with the published sha1, and the heap (client and in-process server together) must stay far
// below the content size.
func TestRoundTrip100MiB(t *testing.T) {
	const (
		size = 104857600
		// Budget for heap growth over the baseline: chunks in flight, NATS buffers and the
		// server's block cache. A whole-file buffer alone would be 100 MiB.
		heapBudget = 48 << 20
	)
	_, nc := natstest.Start(t)
	ctx := context.Background()
	store := openStore(t, nc, jetstream.Config{Bucket: "big"})
	cl, err := objectstore.NewClient(store, objectstore.Options{Cache: objectstore.CacheConfig{MaxBytes: 4 << 20}})
	if err != nil {
		t.Fatal(err)
	}

	hw := newHeapWatch()
	start := time.Now()
	res, err := cl.Put(ctx, objectstoretest.NewGoRandom(size, 42), objectstore.WithSize(size), objectstore.WithProgress(hw.progress))
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	putDur := time.Since(start)
	if res.Root.String() != objectstoretest.CID100MiB || res.Size != size {
		t.Fatalf("put root %s (%d bytes), want %s", res.Root, res.Size, objectstoretest.CID100MiB)
	}
	if res.Blocks != 400+3+1 || res.Stored != 404 {
		t.Fatalf("put: %+v; want 400 leaves, 3 nodes and a root, all stored", res)
	}
	t.Logf("put 100 MiB: %v (%.0f MB/s), heap growth %.1f MiB live, %.1f MiB with garbage", putDur, size/putDur.Seconds()/1e6, float64(hw.growth())/(1<<20), float64(hw.rawPeak-hw.base)/(1<<20))
	if hw.growth() > heapBudget {
		t.Errorf("put: heap grew %d MiB, budget %d MiB", hw.growth()>>20, heapBudget>>20)
	}

	hw = newHeapWatch()
	h := sha1.New()
	start = time.Now()
	gr, err := cl.Get(ctx, res.Root, h, objectstore.WithProgress(hw.progress))
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	getDur := time.Since(start)
	if got := hex.EncodeToString(h.Sum(nil)); got != objectstoretest.SHA1100MiB || gr.Size != size {
		t.Fatalf("get: %d bytes with sha1 %s, want %s", gr.Size, got, objectstoretest.SHA1100MiB)
	}
	t.Logf("get 100 MiB: %v (%.0f MB/s), heap growth %.1f MiB live, %.1f MiB with garbage", getDur, size/getDur.Seconds()/1e6, float64(hw.growth())/(1<<20), float64(hw.rawPeak-hw.base)/(1<<20))
	if hw.growth() > heapBudget {
		t.Errorf("get: heap grew %d MiB, budget %d MiB", hw.growth()>>20, heapBudget>>20)
	}

	// The same content again stores nothing.
	before, _ := store.Usage(ctx)
	res2, err := cl.Put(ctx, objectstoretest.NewGoRandom(size, 42))
	if err != nil {
		t.Fatal(err)
	}
	after, _ := store.Usage(ctx)
	if res2.Stored != 0 || res2.Deduped != 404 || after != before {
		t.Fatalf("second put of the same content: %+v; usage %+v -> %+v", res2, before, after)
	}
}
