package app

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/infoalchemist/alchemist/internal/objectstore"
)

// BenchmarkViewFrame is the frame thread's share of a frame on the 100K-node demo while the layout
// runs on its own goroutines: the frame takes the last published positions and never waits for a
// step, so its time stays far below the step time (both are reported).
func BenchmarkViewFrame(b *testing.B) {
	w, err := demoWorld(100_000, 1)
	if err != nil {
		b.Fatal(err)
	}
	v, err := newGraphView(w, nil, layout.DefaultParams(), 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := v.runner.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer v.close()
	for v.scene.NodeCount() == 0 { // until the first layout frame is installed
		v.frame()
		time.Sleep(time.Millisecond)
	}
	steps0 := v.runner.Steps()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		t := time.Now()
		v.frame()
		worst = max(worst, time.Since(t))
	}
	el := time.Since(start)
	b.StopTimer()
	steps := v.runner.Steps() - steps0
	b.ReportMetric(float64(el.Microseconds())/1000/float64(b.N), "ms/frame")
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms/frame")
	if steps > 0 {
		b.ReportMetric(float64(el.Microseconds())/1000/float64(steps), "ms/layout-step")
	}
}

// The view hands a new topology to the layout and shows it only once the layout has caught up, so the
// renderer never gets positions and columns of different lengths.
func TestViewKeepsSceneConsistent(t *testing.T) {
	w, err := demoWorld(500, 1)
	if err != nil {
		t.Fatal(err)
	}
	v, err := newGraphView(w, nil, layout.DefaultParams(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v.runner.Start(ctx)
	defer v.close()
	deadline := time.Now().Add(20 * time.Second)
	for v.scene.NodeCount() != 500 {
		if time.Now().After(deadline) {
			t.Fatal("layout never delivered the first frame")
		}
		v.frame()
		time.Sleep(time.Millisecond)
	}
	payloads, err := demoPayloads(800, 2)
	if err != nil {
		t.Fatal(err)
	}
	g := graph.New("demo")
	for i, p := range payloads {
		g.Apply(&graph.Event{Envelope: graph.Envelope{Time: time.Now()}, Seq: uint64(i + 1), Data: p})
	}
	w.Load(g)
	for i := 0; v.scene.NodeCount() != 800; i++ {
		if time.Now().After(deadline) {
			t.Fatal("layout never caught up with the new topology")
		}
		v.frame()
		s := &v.scene
		if n := s.NodeCount(); n != len(s.Radii) || n != len(s.Colors) {
			t.Fatalf("frame %d: %d positions, %d radii, %d colours", i, n, len(s.Radii), len(s.Colors))
		}
		for _, e := range s.Edges {
			if int(e) >= s.NodeCount() {
				t.Fatalf("frame %d: edge index %d beyond %d nodes", i, e, s.NodeCount())
			}
		}
		time.Sleep(time.Millisecond)
	}
}

// The content loader fetches by CID off the calling goroutine and serves the bytes once they arrive.
func TestContentLoaderFetchesLazily(t *testing.T) {
	_, nc := natstest.Start(t)
	ctx := context.Background()
	client, err := objectClient(ctx, nc, objectstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte("lazy "), 100_000)
	res, err := client.Put(ctx, bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	l := newContentLoader(client)
	if _, ready, _ := l.Get(ctx, res.Root.String()); ready {
		t.Fatal("first call returned content without fetching")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, ready, err := l.Get(ctx, res.Root.String())
		if ready {
			if err != nil || !bytes.Equal(data, want) {
				t.Fatalf("loaded %d bytes, err %v", len(data), err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("content never arrived")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, ready, err := waitLoaded(ctx, l, "not-a-cid"); !ready || err == nil {
		t.Fatalf("bad CID: ready %v err %v", ready, err)
	}
}

func waitLoaded(ctx context.Context, l *contentLoader, c string) ([]byte, bool, error) {
	for range 1000 {
		if data, ready, err := l.Get(ctx, c); ready {
			return data, true, err
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil, false, nil
}
