// Package objectstoretest is the conformance suite every objectstore.Store runs: the in-memory
// store and the JetStream one pass the same tests, block level and through a Client.
package objectstoretest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/ipfs/go-cid"
)

// Harness is one fresh, empty store under test.
type Harness struct {
	Store objectstore.Store
	// Corrupt replaces the stored bytes of block c with data, keeping its name: a damaged disk.
	Corrupt func(t testing.TB, c cid.Cid, data []byte)
}

// Run runs the suite; newHarness returns a fresh, empty store for each subtest.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"PutGetBlock", testPutGetBlock},
		{"PutTwiceStoresOnce", testPutTwice},
		{"ConcurrentPutsStoreOnce", testConcurrentPuts},
		{"Missing", testMissing},
		{"Delete", testDelete},
		{"CorruptBlockDetected", testCorruptBlock},
		{"LargestBlock", testLargestBlock},
		{"CancelledContext", testCancelledContext},
		{"ClientRoundTripBoundaries", testClientBoundaries},
		{"ClientDedup", testClientDedup},
		{"ClientCorruptChunkDetected", testClientCorruptChunk},
		{"ClientInterruptedPutInvisible", testInterruptedPut},
		{"ClientCancelGet", testCancelGet},
		{"ClientBuzhashRoundTrip", testBuzhash},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newHarness(t)) })
	}
}

// Content returns n deterministic pseudo-random bytes.
func Content(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

func usage(t *testing.T, s objectstore.Store) objectstore.Usage {
	t.Helper()
	u, err := s.Usage(context.Background())
	if err != nil {
		t.Fatalf("Usage: %v", err)
	}
	return u
}

func testPutGetBlock(t *testing.T, h Harness) {
	ctx := context.Background()
	data := Content(1000, 1)
	c := objectstore.BlockCID(data)
	stored, err := h.Store.Put(ctx, c, data)
	if err != nil || !stored {
		t.Fatalf("Put = %v, %v; want true, nil", stored, err)
	}
	got, err := h.Store.Get(ctx, c)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %d bytes, %v; want the %d bytes put", len(got), err, len(data))
	}
	if ok, err := h.Store.Has(ctx, c); err != nil || !ok {
		t.Fatalf("Has = %v, %v; want true", ok, err)
	}
	empty := objectstore.BlockCID(nil)
	if _, err := h.Store.Put(ctx, empty, nil); err != nil {
		t.Fatalf("Put empty block: %v", err)
	}
	if got, err := h.Store.Get(ctx, empty); err != nil || len(got) != 0 {
		t.Fatalf("Get empty block = %q, %v", got, err)
	}
}

func testPutTwice(t *testing.T, h Harness) {
	ctx := context.Background()
	data := Content(5000, 2)
	c := objectstore.BlockCID(data)
	if _, err := h.Store.Put(ctx, c, data); err != nil {
		t.Fatal(err)
	}
	before := usage(t, h.Store)
	stored, err := h.Store.Put(ctx, c, data)
	if err != nil || stored {
		t.Fatalf("second Put = %v, %v; want false, nil", stored, err)
	}
	if after := usage(t, h.Store); after != before {
		t.Fatalf("usage after a repeated Put = %+v, before %+v", after, before)
	}
}

func testConcurrentPuts(t *testing.T, h Harness) {
	ctx := context.Background()
	data := Content(20000, 3)
	c := objectstore.BlockCID(data)
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	wrote := 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stored, err := h.Store.Put(ctx, c, data)
			if err != nil {
				t.Errorf("Put: %v", err)
			}
			if stored {
				mu.Lock()
				wrote++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wrote != 1 {
		t.Fatalf("%d of %d concurrent Puts of one block report writing it, want 1", wrote, n)
	}
	if u := usage(t, h.Store); u.Blocks != 1 {
		t.Fatalf("usage %+v, want 1 block", u)
	}
}

func testMissing(t *testing.T, h Harness) {
	ctx := context.Background()
	c := objectstore.BlockCID([]byte("never stored"))
	if _, err := h.Store.Get(ctx, c); !errors.Is(err, objectstore.ErrNotFound) {
		t.Fatalf("Get missing = %v, want ErrNotFound", err)
	}
	if ok, err := h.Store.Has(ctx, c); err != nil || ok {
		t.Fatalf("Has missing = %v, %v", ok, err)
	}
	if err := h.Store.Delete(ctx, c); !errors.Is(err, objectstore.ErrNotFound) {
		t.Fatalf("Delete missing = %v, want ErrNotFound", err)
	}
}

func testDelete(t *testing.T, h Harness) {
	ctx := context.Background()
	data := Content(100, 4)
	c := objectstore.BlockCID(data)
	if _, err := h.Store.Put(ctx, c, data); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.Delete(ctx, c); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := h.Store.Get(ctx, c); !errors.Is(err, objectstore.ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if u := usage(t, h.Store); u.Blocks != 0 {
		t.Fatalf("usage after Delete = %+v", u)
	}
	if stored, err := h.Store.Put(ctx, c, data); err != nil || !stored {
		t.Fatalf("Put after Delete = %v, %v; want true", stored, err)
	}
}

func testCorruptBlock(t *testing.T, h Harness) {
	ctx := context.Background()
	data := Content(4096, 5)
	c := objectstore.BlockCID(data)
	if _, err := h.Store.Put(ctx, c, data); err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(data)
	bad[100] ^= 1
	h.Corrupt(t, c, bad)
	got, err := h.Store.Get(ctx, c)
	if !errors.Is(err, objectstore.ErrCorrupt) {
		t.Fatalf("Get of a corrupted block = %d bytes, %v; want ErrCorrupt", len(got), err)
	}
}

func testLargestBlock(t *testing.T, h Harness) {
	ctx := context.Background()
	data := Content(512<<10, 6) // the largest leaf buzhash cuts
	c := objectstore.BlockCID(data)
	if _, err := h.Store.Put(ctx, c, data); err != nil {
		t.Fatalf("Put 512 KiB: %v", err)
	}
	got, err := h.Store.Get(ctx, c)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get 512 KiB = %d bytes, %v", len(got), err)
	}
}

func testCancelledContext(t *testing.T, h Harness) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := []byte("x")
	c := objectstore.BlockCID(data)
	if _, err := h.Store.Put(ctx, c, data); err == nil {
		t.Fatal("Put with a cancelled context succeeded")
	}
	if _, err := h.Store.Get(ctx, c); err == nil {
		t.Fatal("Get with a cancelled context succeeded")
	}
}

func newClient(t *testing.T, s objectstore.Store, opts objectstore.Options) *objectstore.Client {
	t.Helper()
	c, err := objectstore.NewClient(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testClientBoundaries(t *testing.T, h Harness) {
	ctx := context.Background()
	cl := newClient(t, h.Store, objectstore.Options{Concurrency: 4, Cache: objectstore.CacheConfig{MaxBytes: -1}})
	const k = objectstore.ChunkSize
	for _, n := range []int{0, 1, k - 1, k, k + 1, 3*k + 5} {
		data := Content(n, uint64(n))
		want, err := objectstore.RootCID(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var last objectstore.Progress
		res, err := cl.PutBytes(ctx, data, objectstore.WithProgress(func(p objectstore.Progress) { last = p }))
		if err != nil {
			t.Fatalf("size %d: Put: %v", n, err)
		}
		if !res.Root.Equals(want) || res.Size != int64(n) {
			t.Fatalf("size %d: Put = %s (%d bytes), want %s", n, res.Root, res.Size, want)
		}
		if last.Done != int64(n) || last.Total != int64(n) {
			t.Fatalf("size %d: last progress %+v", n, last)
		}
		var out bytes.Buffer
		last = objectstore.Progress{}
		gr, err := cl.Get(ctx, res.Root, &out, objectstore.WithProgress(func(p objectstore.Progress) { last = p }))
		if err != nil || !bytes.Equal(out.Bytes(), data) || gr.Size != int64(n) {
			t.Fatalf("size %d: Get = %d bytes, %v", n, out.Len(), err)
		}
		if last.Done != int64(n) || last.Total != int64(n) {
			t.Fatalf("size %d: last get progress %+v", n, last)
		}
	}
}

func testClientDedup(t *testing.T, h Harness) {
	ctx := context.Background()
	cl := newClient(t, h.Store, objectstore.Options{Concurrency: 4})
	// Ten identical chunks and a distinct tail: two leaves and one node are all the store needs.
	const k = objectstore.ChunkSize
	data := make([]byte, 10*k+7)
	copy(data[10*k:], "the end")
	res, err := cl.PutBytes(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Blocks != 12 || res.Stored != 3 || res.Deduped != 9 {
		t.Fatalf("first Put: %+v; want 12 blocks, 3 stored, 9 deduplicated", res)
	}
	u1 := usage(t, h.Store)
	if u1.Blocks != 3 {
		t.Fatalf("usage %+v, want 3 blocks", u1)
	}
	res2, err := cl.PutBytes(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Root != res.Root || res2.Stored != 0 || res2.BytesStored != 0 || res2.Deduped != 12 {
		t.Fatalf("second Put: %+v; want nothing stored", res2)
	}
	if u2 := usage(t, h.Store); u2 != u1 {
		t.Fatalf("usage after repeating the Put = %+v, before %+v", u2, u1)
	}
}

func testClientCorruptChunk(t *testing.T, h Harness) {
	ctx := context.Background()
	cl := newClient(t, h.Store, objectstore.Options{Concurrency: 4, Cache: objectstore.CacheConfig{MaxBytes: -1}})
	const k = objectstore.ChunkSize
	data := Content(4*k, 7)
	res, err := cl.PutBytes(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	third := data[2*k : 3*k]
	bad := bytes.Clone(third)
	bad[k/2] ^= 0x80
	h.Corrupt(t, objectstore.BlockCID(third), bad)
	_, err = cl.Get(ctx, res.Root, io.Discard)
	if !errors.Is(err, objectstore.ErrCorrupt) {
		t.Fatalf("Get over a corrupted chunk = %v, want ErrCorrupt", err)
	}
}

func testInterruptedPut(t *testing.T, h Harness) {
	const k = objectstore.ChunkSize
	data := Content(20*k, 8)
	want, err := objectstore.RootCID(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	cl := newClient(t, h.Store, objectstore.Options{Concurrency: 2})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = cl.PutBytes(ctx, data, objectstore.WithProgress(func(p objectstore.Progress) {
		if p.Done >= 5*k {
			cancel()
		}
	}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Put = %v, want context.Canceled", err)
	}
	bg := context.Background()
	if ok, err := h.Store.Has(bg, want); err != nil || ok {
		t.Fatalf("root of an interrupted put: Has = %v, %v; want absent", ok, err)
	}
	if _, err := cl.Get(bg, want, io.Discard); !errors.Is(err, objectstore.ErrNotFound) {
		t.Fatalf("Get of an interrupted put = %v, want ErrNotFound", err)
	}
	// Finishing the put later works and reuses what the first attempt wrote.
	res, err := cl.PutBytes(bg, data)
	if err != nil || res.Root != want {
		t.Fatalf("retried Put = %+v, %v", res, err)
	}
	if res.Deduped == 0 {
		t.Errorf("retried Put reused nothing: %+v", res)
	}
}

func testCancelGet(t *testing.T, h Harness) {
	const k = objectstore.ChunkSize
	data := Content(12*k, 9)
	cl := newClient(t, h.Store, objectstore.Options{Concurrency: 2, Cache: objectstore.CacheConfig{MaxBytes: -1}})
	res, err := cl.PutBytes(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	gr, err := cl.Get(ctx, res.Root, io.Discard, objectstore.WithProgress(func(p objectstore.Progress) {
		if p.Done >= 3*k {
			cancel()
		}
	}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Get = %+v, %v; want context.Canceled", gr, err)
	}
	if gr.Size >= int64(len(data)) {
		t.Fatalf("cancelled Get wrote all %d bytes", gr.Size)
	}
}

func testBuzhash(t *testing.T, h Harness) {
	ctx := context.Background()
	cl := newClient(t, h.Store, objectstore.Options{Concurrency: 4, Chunking: objectstore.ChunkBuzhash})
	data := Content(3<<20+123, 10)
	res, err := cl.PutBytes(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	want, err := objectstore.RootCIDWith(bytes.NewReader(data), objectstore.ChunkBuzhash)
	if err != nil || res.Root != want || res.Chunking != objectstore.ChunkBuzhash {
		t.Fatalf("buzhash Put = %+v, RootCIDWith = %s, %v", res, want, err)
	}
	var out bytes.Buffer
	if _, err := cl.Get(ctx, res.Root, &out); err != nil || !bytes.Equal(out.Bytes(), data) {
		t.Fatalf("buzhash Get = %d bytes, %v", out.Len(), err)
	}
}
