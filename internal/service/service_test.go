package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/infoalchemist/alchemist/internal/service"
	"github.com/nats-io/nats.go"
)

func startService(t *testing.T) (*nats.Conn, *eventstore.Repository) {
	t.Helper()
	_, nc := natstest.Start(t)
	ctx := context.Background()
	repo, store, err := esjs.OpenRepository(ctx, nc, esjs.RepoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.Start(nc, repo, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Stop(); repo.Close() })
	return nc, repo
}

func request(t *testing.T, nc *nats.Conn, subject, body string) service.Reply {
	t.Helper()
	msg, err := nc.Request(subject, []byte(body), 10*time.Second)
	if err != nil {
		t.Fatalf("%s: %v", subject, err)
	}
	var r service.Reply
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		t.Fatalf("%s: reply %q is not JSON: %v", subject, msg.Data, err)
	}
	if !r.OK && msg.Header.Get("Nats-Service-Error-Code") == "" {
		t.Errorf("%s: error reply without the micro error header", subject)
	}
	return r
}

func cmd(op string) string { return natsx.CommandSubject(op) }

func TestCommandsAndQueries(t *testing.T) {
	nc, _ := startService(t)
	r := request(t, nc, cmd("create_graph"), `{"command_id":"c1","graph_id":"g1","name":"first"}`)
	if !r.OK || r.Version == 0 {
		t.Fatalf("create: %+v", r)
	}
	r = request(t, nc, cmd("add_nodes"), `{"command_id":"c2","graph_id":"g1","nodes":[{"id":"a","label":"A"},{"id":"b"}]}`)
	if !r.OK {
		t.Fatalf("add_nodes: %+v", r.Error)
	}
	r = request(t, nc, cmd("add_edges"), `{"command_id":"c3","graph_id":"g1","edges":[{"id":"ab","source":"a","target":"b","weight":2}]}`)
	if !r.OK {
		t.Fatalf("add_edges: %+v", r.Error)
	}
	again := request(t, nc, cmd("add_edges"), `{"command_id":"c3","graph_id":"g1","edges":[{"id":"ab","source":"a","target":"b","weight":2}]}`)
	if !again.OK || !again.Duplicate || again.Version != r.Version {
		t.Fatalf("retried command: %+v, want the first version %d marked duplicate", again, r.Version)
	}
	created := request(t, nc, cmd("create_graph"), `{"name":"second"}`)
	if !created.OK || created.GraphID == "" {
		t.Fatalf("create without id: %+v", created)
	}

	msg, err := nc.Request(natsx.QuerySubject("get"), []byte(`{"graph_id":"g1","full":true}`), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var st service.GraphState
	json.Unmarshal(msg.Data, &st)
	if st.Name != "first" || st.NodeCount != 2 || st.EdgeCount != 1 || len(st.Nodes) != 2 || st.Edges[0].Weight != 2 {
		t.Fatalf("get: %s", msg.Data)
	}
	msg, err = nc.Request(natsx.QuerySubject("list"), nil, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(msg.Data), `"name":"first"`) || !strings.Contains(string(msg.Data), `"name":"second"`) {
		t.Fatalf("list: %s", msg.Data)
	}
}

func TestBadRequestsNameTheProblem(t *testing.T) {
	nc, repo := startService(t)
	request(t, nc, cmd("create_graph"), `{"graph_id":"g","name":"g"}`)
	request(t, nc, cmd("add_nodes"), `{"graph_id":"g","nodes":[{"id":"a"}]}`)
	before, _ := repo.Store().LastVersion(context.Background(), "g")
	cases := []struct{ op, body, code, mention string }{
		{"add_nodes", `{"graph_id":"g","nodes":[{"id":"x"}`, "invalid", "line 1"},
		{"frobnicate", `{"graph_id":"g"}`, "invalid", `unknown operation "frobnicate"`},
		{"add_nodes", `{"graph_id":"g"}`, "invalid", "nodes"},
		{"add_nodes", `{"nodes":[{"id":"z"}]}`, "invalid", "graph_id is required"},
		{"add_nodes", `{"graph_id":"g","nodez":[]}`, "invalid", `unknown field "nodez"`},
		{"add_edges", `{"graph_id":"g","edges":[{"id":"e","source":"a","target":"ghost"}]}`, "invalid", "ghost"},
		{"add_nodes", `{"graph_id":"g","nodes":[{"id":"a"}]}`, "invalid", "a"},
		{"add_nodes", `{"graph_id":"g","nodes":[{"id":"q"},{"id":"q"}]}`, "invalid", "q"},
		{"add_nodes", `{"graph_id":"nope","nodes":[{"id":"q"}]}`, "not_found", "nope"},
		{"add_nodes", `{"graph_id":"g","expected_version":1,"nodes":[{"id":"q"}]}`, "conflict", "expected version 1"},
		{"add_nodes", `{"graph_id":"a.b","nodes":[{"id":"q"}]}`, "invalid", "graph_id"},
		{"add_nodes", `{"graph_id":"g","nodes":[{"id":"` + strings.Repeat("x", service.MaxRequestBytes) + `"}]}`, "invalid", "exceeds"},
	}
	for _, c := range cases {
		r := request(t, nc, cmd(c.op), c.body)
		if r.OK || r.Error == nil || r.Error.Code != c.code || !strings.Contains(r.Error.Message, c.mention) {
			body := c.body
			if len(body) > 80 {
				body = body[:80] + "…"
			}
			t.Errorf("%s %s: got %+v, want code %s mentioning %q", c.op, body, r.Error, c.code, c.mention)
		}
	}
	after, _ := repo.Store().LastVersion(context.Background(), "g")
	if after != before {
		t.Fatalf("refused requests changed the store: version %d → %d", before, after)
	}
	request(t, nc, cmd("delete_graph"), `{"graph_id":"g"}`)
	if r := request(t, nc, cmd("add_nodes"), `{"graph_id":"g","nodes":[{"id":"late"}]}`); r.Error == nil || r.Error.Code != "deleted" {
		t.Fatalf("edit after delete: %+v", r)
	}
}

// Eight writers send 500 commands each to one graph, some retried with the same id; the graph ends
// with exactly the acknowledged commands applied once each.
func TestConcurrentWritersThroughTheService(t *testing.T) {
	nc, repo := startService(t)
	request(t, nc, cmd("create_graph"), `{"graph_id":"race","name":"race"}`)
	const writers, each = 8, 500
	var wg sync.WaitGroup
	acked := make([][]string, writers)
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				body := fmt.Sprintf(`{"command_id":"%s","graph_id":"race","nodes":[{"id":"%s"}]}`, id, id)
				tries := 1
				if i%10 == 0 {
					tries = 2 // a client that lost the reply and sent again
				}
				for range tries {
					msg, err := nc.Request(cmd("add_nodes"), []byte(body), 30*time.Second)
					if err != nil {
						errs <- err
						return
					}
					var r service.Reply
					json.Unmarshal(msg.Data, &r)
					if !r.OK {
						errs <- fmt.Errorf("%s: %+v", id, r.Error)
						return
					}
				}
				acked[w] = append(acked[w], id)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	repo.Forget("race")
	ctx := context.Background()
	count := 0
	err := repo.Store().Load(ctx, "race", 1, func(rec eventstore.Record) error { count++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + writers*each; count != want {
		t.Fatalf("%d events stored, want %d (one per acknowledged command)", count, want)
	}
	msg, _ := nc.Request(natsx.QuerySubject("get"), []byte(`{"graph_id":"race","full":true}`), 10*time.Second)
	var st service.GraphState
	json.Unmarshal(msg.Data, &st)
	have := map[string]bool{}
	for _, n := range st.Nodes {
		have[n.ID] = true
	}
	for _, ids := range acked {
		for _, id := range ids {
			if !have[id] {
				t.Fatalf("acknowledged node %s missing", id)
			}
		}
	}
	if st.NodeCount != writers*each {
		t.Fatalf("%d nodes, want %d", st.NodeCount, writers*each)
	}
}
