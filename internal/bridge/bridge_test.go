package bridge_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/bridge"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/infoalchemist/alchemist/internal/service"
	"github.com/infoalchemist/alchemist/internal/world"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

type fixture struct {
	nc    *nats.Conn
	store *esjs.Store
	pub   *bridge.Publisher
}

func setup(t *testing.T) fixture {
	t.Helper()
	_, nc := natstest.Start(t)
	repo, store, err := esjs.OpenRepository(context.Background(), nc, esjs.RepoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.Start(nc, repo, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Stop(); repo.Close() })
	return fixture{nc: nc, store: store, pub: bridge.NewPublisher(nc)}
}

func drainUntil(t *testing.T, w *world.World, f *bridge.Follower, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("world never caught up: %d nodes %d edges, seq %d", w.Nodes.Len(), w.Edges.Len(), w.Seq)
		}
		w.Drain(f.Events(), 2*time.Millisecond, nil, nil)
		w.Sync()
		time.Sleep(5 * time.Millisecond)
	}
}

type nodeList struct {
	Nodes []map[string]string `json:"nodes"`
}

func nodes(ids ...string) nodeList {
	l := nodeList{}
	for _, id := range ids {
		l.Nodes = append(l.Nodes, map[string]string{"id": id})
	}
	return l
}

// Commands from any client reach the world through the follower, live.
func TestCommandsFlowIntoTheWorld(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	if _, err := fx.pub.Do(ctx, "create_graph", "g", map[string]string{"name": "live"}); err != nil {
		t.Fatal(err)
	}
	f, err := bridge.Follow(ctx, fx.store, "g", 1, 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Stop()
	w := world.New("g")
	for i := range 10 {
		if _, err := fx.pub.Do(ctx, "add_nodes", "g", nodes(fmt.Sprintf("n%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	edges := map[string]any{"edges": []map[string]any{{"id": "e", "source": "n0", "target": "n1"}}}
	if _, err := fx.pub.Do(ctx, "add_edges", "g", edges); err != nil {
		t.Fatal(err)
	}
	drainUntil(t, w, f, func() bool { return w.Nodes.Len() == 10 && w.Edges.Len() == 1 })
	if w.Name != "live" {
		t.Fatalf("name %q", w.Name)
	}
	_, err = fx.pub.Do(ctx, "add_edges", "g", map[string]any{"edges": []map[string]any{{"id": "x", "source": "n0", "target": "ghost"}}})
	if !errors.Is(err, bridge.ErrRefused) {
		t.Fatalf("dangling edge: %v, want ErrRefused", err)
	}
	t.Log(err)
}

// A malformed event in the stream is skipped with its position; the feed goes on.
func TestMalformedEventIsSkipped(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	fx.pub.Do(ctx, "create_graph", "g", map[string]string{"name": "g"})
	js, _ := jetstream.New(fx.nc)
	if _, err := js.Publish(ctx, natsx.EventSubject("g", "nodes_added"), []byte(`{"not":"an envelope"`)); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, natsx.EventSubject("g", "mystery_happened"), []byte(`{"id":"x","graph_id":"g","type":"mystery_happened","schema_version":1,"time":"2026-01-01T00:00:00Z","payload":{}}`)); err != nil {
		t.Fatal(err)
	}
	fx.pub.Do(ctx, "add_nodes", "g", nodes("after"))
	f, err := bridge.Follow(ctx, fx.store, "g", 1, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Stop()
	w := world.New("g")
	drainUntil(t, w, f, func() bool { return w.Nodes.Len() == 1 })
	if f.Skipped() != 2 {
		t.Fatalf("skipped %d events, want 2", f.Skipped())
	}
}

// A full queue holds the follower back instead of growing; resuming from a version skips what the
// world already has.
func TestBackpressureAndResume(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	fx.pub.Do(ctx, "create_graph", "g", map[string]string{"name": "g"})
	for i := range 200 {
		if _, err := fx.pub.Do(ctx, "add_nodes", "g", nodes(fmt.Sprintf("n%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	f, err := bridge.Follow(ctx, fx.store, "g", 1, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the follower fills its queue and must wait
	if n := len(f.Events()); n > 8 {
		t.Fatalf("queue holds %d events, bound is 8", n)
	}
	w := world.New("g")
	drainUntil(t, w, f, func() bool { return w.Nodes.Len() >= 100 })
	f.Stop()
	resumeAt := w.Seq + 1
	f2, err := bridge.Follow(ctx, fx.store, "g", resumeAt, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Stop()
	drainUntil(t, w, f2, func() bool { return w.Nodes.Len() == 200 })
}
