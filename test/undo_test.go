package test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/nats-io/nats.go"
)

// Undo and redo are compensating commands: a node added from the palette is removed by Ctrl+Z and
// added again by Ctrl+Shift+Z, and the stream keeps all three changes, the undo caused by the change
// it undid.
func TestUndoRedoAreCompensatingCommands(t *testing.T) {
	_, url := serveProcess(t, t.TempDir(), freePort(t))
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := send(nc, "create_graph", `{"graph_id":"u","name":"undo graph"}`); err != nil {
		t.Fatal(err)
	}
	if _, err := send(nc, "add_nodes", `{"graph_id":"u","nodes":[{"id":"a"},{"id":"b"}]}`); err != nil {
		t.Fatal(err)
	}
	gui := startGUISession(t, nil, "--graph", "u", "--nats", url, "--width", "800", "--height", "600", "--msaa", "0")
	gui.waitFor(30*time.Second, "graph opened", "graph=u")

	gui.xdo("key", "--window", "WINDOW", "ctrl+k")
	time.Sleep(400 * time.Millisecond)
	gui.xdo("type", "--window", "WINDOW", "--delay", "40", "add node")
	time.Sleep(400 * time.Millisecond)
	gui.xdo("key", "--window", "WINDOW", "Return")
	time.Sleep(600 * time.Millisecond)
	gui.xdo("type", "--window", "WINDOW", "--delay", "30", "fresh,Fresh node")
	time.Sleep(300 * time.Millisecond)
	gui.xdo("key", "--window", "WINDOW", "Return")
	gui.waitFor(10*time.Second, "palette", "command=\"add node\"", "node=fresh")
	waitNode(t, url, "fresh", true)

	// The first Ctrl+Z may find the history still loading; it says so and the next one undoes.
	var undo string
	for try := 0; undo == "" && try < 10; try++ {
		gui.xdo("key", "--window", "WINDOW", "ctrl+z")
		undo = gui.tryFor(2*time.Second, "msg=undo")
	}
	if undo == "" {
		t.Fatalf("Ctrl+Z did not undo:\n%s", strings.Join(gui.seen, "\n"))
	}
	waitNode(t, url, "fresh", false)
	gui.xdo("key", "--window", "WINDOW", "ctrl+shift+z")
	gui.waitFor(10*time.Second, "msg=redo")
	waitNode(t, url, "fresh", true)

	// The stream: added by ui, removed by the undo (caused by the addition), added again by the redo
	// (caused by the removal).
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	store, err := esjs.Open(ctx, nc, esjs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var evs []graph.Event
	err = store.Load(ctx, "u", 1, func(r eventstore.Record) error {
		ev, err := r.Event()
		if err == nil && ev.Actor == "ui" {
			evs = append(evs, ev)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3 || evs[0].Type != graph.EventNodesAdded || evs[1].Type != graph.EventNodeRemoved || evs[2].Type != graph.EventNodesAdded {
		t.Fatalf("events by ui: %+v", evs)
	}
	if evs[1].CausationID != evs[0].ID || !strings.HasPrefix(evs[1].CorrelationID, "undo:") ||
		evs[2].CausationID != evs[1].ID || !strings.HasPrefix(evs[2].CorrelationID, "redo:") {
		t.Fatalf("causation chain: add %s, undo caused by %s (%s), redo caused by %s (%s)", evs[0].ID,
			evs[1].CausationID, evs[1].CorrelationID, evs[2].CausationID, evs[2].CorrelationID)
	}
}

// waitNode waits until the stored graph has (or has not) the node.
func waitNode(t *testing.T, url, id string, present bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, _, ids := graphState(t, url, "u")
		if ids[id] == present {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s present=%v never came (nodes %v)", id, present, ids)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// tryFor returns the first new log line containing want within timeout, or "".
func (s *guiSession) tryFor(timeout time.Duration, want string) string {
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				return ""
			}
			s.seen = append(s.seen, l)
			if strings.Contains(l, want) {
				return l
			}
		case <-deadline:
			return ""
		}
	}
}
