package objectstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/infoalchemist/alchemist/internal/objectstore/objectstoretest"
)

func newMemClient(t *testing.T, opts objectstore.Options) (*objectstore.Client, *objectstore.MemStore) {
	t.Helper()
	st := objectstore.NewMemStore()
	cl, err := objectstore.NewClient(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return cl, st
}

func TestNewClientValidates(t *testing.T) {
	if _, err := objectstore.NewClient(nil, objectstore.Options{}); err == nil {
		t.Error("nil store accepted")
	}
	if _, err := objectstore.NewClient(objectstore.NewMemStore(), objectstore.Options{Concurrency: -1}); err == nil {
		t.Error("negative concurrency accepted")
	}
	if _, err := objectstore.NewClient(objectstore.NewMemStore(), objectstore.Options{Chunking: 9}); err == nil {
		t.Error("unknown chunking accepted")
	}
}

type failingReader struct {
	n   int
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	cl, st := newMemClient(t, objectstore.Options{})
	boom := errors.New("disk on fire")
	// An unreadable source fails the put with its error, and leaves no root.
	_, err := cl.Put(ctx, &failingReader{n: 3 * objectstore.ChunkSize, err: boom})
	if !errors.Is(err, boom) {
		t.Fatalf("Put from a failing reader = %v, want its error", err)
	}
	u, _ := st.Usage(ctx)
	if u.Blocks > 3 {
		t.Fatalf("failed put left %d blocks; only leaves may remain", u.Blocks)
	}
	if _, err := objectstore.RootCID(&failingReader{n: 10, err: boom}); !errors.Is(err, boom) {
		t.Fatalf("RootCID from a failing reader = %v", err)
	}
	if _, err := objectstore.RawCID(&failingReader{n: 10, err: boom}); !errors.Is(err, boom) {
		t.Fatalf("RawCID from a failing reader = %v", err)
	}
	// Reading a directory is an error too.
	dir, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	if _, err := cl.Put(ctx, dir); err == nil {
		t.Fatal("Put of a directory succeeded")
	}
	// Unknown CID.
	missing := objectstore.BlockCID([]byte("nobody stored this"))
	if _, err := cl.Get(ctx, missing, io.Discard); !errors.Is(err, objectstore.ErrNotFound) {
		t.Fatalf("Get unknown = %v, want ErrNotFound", err)
	}
	if _, err := cl.Stat(ctx, missing); !errors.Is(err, objectstore.ErrNotFound) {
		t.Fatalf("Stat unknown = %v, want ErrNotFound", err)
	}
}

func TestPutFromFileKnowsTotal(t *testing.T) {
	ctx := context.Background()
	cl, _ := newMemClient(t, objectstore.Options{})
	data := objectstoretest.Content(3*objectstore.ChunkSize+10, 11)
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var seen []objectstore.Progress
	res, err := cl.Put(ctx, f, objectstore.WithProgress(func(p objectstore.Progress) { seen = append(seen, p) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 {
		t.Fatalf("progress reports %v, want one per chunk", seen)
	}
	for i, p := range seen {
		if p.Total != int64(len(data)) || (i > 0 && p.Done <= seen[i-1].Done) {
			t.Fatalf("progress %v", seen)
		}
	}
	want, _ := objectstore.RootCID(bytes.NewReader(data))
	if res.Root != want {
		t.Fatalf("root %s, want %s", res.Root, want)
	}
}

func TestOpenGetBytesStatAsync(t *testing.T) {
	ctx := context.Background()
	cl, _ := newMemClient(t, objectstore.Options{})
	data := objectstoretest.Content(5*objectstore.ChunkSize/2, 12)
	p := cl.PutAsync(ctx, bytes.NewReader(data))
	<-p.Done()
	res, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	info, err := cl.Stat(ctx, res.Root)
	if err != nil || info.Size != int64(len(data)) || info.Raw {
		t.Fatalf("Stat = %+v, %v", info, err)
	}
	rc, err := cl.Open(ctx, res.Root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Open/ReadAll = %d bytes, %v", len(got), err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	// Closing early stops the stream.
	rc, _ = cl.Open(ctx, res.Root)
	if _, err := rc.Read(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	rc.Close()

	b, err := cl.GetBytes(ctx, res.Root, int64(len(data)))
	if err != nil || !bytes.Equal(b, data) {
		t.Fatalf("GetBytes = %d bytes, %v", len(b), err)
	}
	if _, err := cl.GetBytes(ctx, res.Root, 100); !errors.Is(err, objectstore.ErrTooLarge) {
		t.Fatalf("GetBytes over the limit = %v, want ErrTooLarge", err)
	}
	var buf bytes.Buffer
	g := cl.GetAsync(ctx, res.Root, &buf)
	if gr, err := g.Wait(); err != nil || gr.Size != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("GetAsync = %+v, %v", gr, err)
	}
}

// TestBuzhashDedupAcrossEdits measures what content-defined chunking is for: after inserting
// bytes near the start of a file, fixed chunks all shift and nothing is shared, while buzhash
// chunks resynchronize and most are reused.
func TestBuzhashDedupAcrossEdits(t *testing.T) {
	ctx := context.Background()
	orig := objectstoretest.Content(16<<20, 13)
	edited := append(append(append([]byte{}, orig[:1000]...), []byte("an insertion of a few bytes")...), orig[1000:]...)
	for _, tc := range []struct {
		ch       objectstore.Chunking
		minReuse float64
	}{{objectstore.ChunkFixed, 0}, {objectstore.ChunkBuzhash, 0.8}} {
		cl, _ := newMemClient(t, objectstore.Options{Chunking: tc.ch})
		if _, err := cl.PutBytes(ctx, orig); err != nil {
			t.Fatal(err)
		}
		res, err := cl.PutBytes(ctx, edited)
		if err != nil {
			t.Fatal(err)
		}
		reuse := float64(res.Deduped) / float64(res.Blocks)
		t.Logf("%s: edit stored %d of %d blocks (%.1f MiB), reused %.0f%%", tc.ch, res.Stored, res.Blocks,
			float64(res.BytesStored)/(1<<20), 100*reuse)
		if reuse < tc.minReuse {
			t.Errorf("%s: reused %.0f%% of blocks, want at least %.0f%%", tc.ch, 100*reuse, 100*tc.minReuse)
		}
	}
}
