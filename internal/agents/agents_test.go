package agents_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/nats-io/nats.go"
)

type fixture struct {
	emb  *natsx.Embedded
	nc   *nats.Conn
	repo *eventstore.Repository
	sg   *agents.Suggestions
}

func setup(t *testing.T) fixture {
	t.Helper()
	emb, nc := natstest.Start(t)
	repo, _, err := esjs.OpenRepository(context.Background(), nc, esjs.RepoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(repo.Close)
	return fixture{emb: emb, nc: nc, repo: repo, sg: agents.NewSuggestions(repo)}
}

// conn is a connection of its own, so that closing it kills what runs on it.
func (f fixture) conn(t *testing.T) *nats.Conn {
	t.Helper()
	nc, err := f.emb.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func (f fixture) exec(t *testing.T, graphID string, cmd graph.Command) uint64 {
	t.Helper()
	res, err := f.repo.Execute(context.Background(), graphID, cmd, graph.Meta{Actor: "test"}, eventstore.ExecOptions{})
	if err != nil {
		t.Fatalf("%s: %v", cmd.Op(), err)
	}
	return res.Version
}

// graphABC makes graph id with nodes a..e and an edge a→b.
func (f fixture) graphABC(t *testing.T, id string) uint64 {
	f.exec(t, id, &graph.CreateGraph{Name: id})
	f.exec(t, id, &graph.AddNodes{Nodes: []graph.Node{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}, {ID: "e"}}})
	one := 1.0
	return f.exec(t, id, &graph.AddEdges{Edges: []graph.EdgeInput{{ID: "ab", Source: "a", Target: "b", Weight: &one}}})
}

func (f fixture) version(t *testing.T, id string) uint64 {
	v, err := f.repo.Store().LastVersion(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (f fixture) events(t *testing.T, id string, from uint64) []graph.Event {
	t.Helper()
	var out []graph.Event
	err := f.repo.Store().Load(context.Background(), id, from, func(r eventstore.Record) error {
		ev, err := r.Event()
		if err != nil {
			return err
		}
		out = append(out, ev)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func start(t *testing.T, nc *nats.Conn, a agents.Agent) *agents.Instance {
	t.Helper()
	in, err := agents.Start(nc, a)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Stop() })
	return in
}

func ask(f fixture, agent string, req agents.Request, onProgress func(agents.Progress)) (*agents.Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return agents.NewClient(f.nc).Ask(ctx, agent, req, onProgress)
}

func TestDiscoverAskProposeAcceptReject(t *testing.T) {
	f := setup(t)
	v := f.graphABC(t, "g1")
	in, err := linker(f.conn(t), f.repo)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Stop()

	infos, err := agents.Discover(context.Background(), f.nc, 500*time.Millisecond)
	if err != nil || len(infos) != 1 {
		t.Fatalf("discover: %v %+v", err, infos)
	}
	got := infos[0]
	if got.Name != "linker" || got.Service != "agent-linker" || got.ID != in.ID() || got.Version != "1.0.0" ||
		got.Subject != agents.AnalyzeSubject("linker") || got.Capabilities.MaxNodes != 1000 ||
		strings.Join(got.Capabilities.Suggests, ",") != "add_edges" || strings.Join(got.Capabilities.Analyses, ",") != "selection" {
		t.Fatalf("discovered %+v", got)
	}

	var mu sync.Mutex
	var progress []agents.Progress
	res, err := ask(f, "linker", agents.Request{GraphID: "g1", Version: v, Selection: []string{"a", "b", "c", "d"}},
		func(p agents.Progress) { mu.Lock(); progress = append(progress, p); mu.Unlock() })
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != v || res.Agent != "linker" || res.Instance != in.ID() || len(res.Suggestions) != 2 {
		t.Fatalf("result %+v", res)
	}
	mu.Lock()
	partial := 0
	for _, p := range progress {
		if p.RequestID != res.RequestID {
			t.Errorf("progress of another request: %+v", p)
		}
		partial += len(p.Suggestions)
	}
	if len(progress) < 5 || partial != 2 { // 3 progress steps and 2 partial results
		t.Errorf("progress %+v", progress)
	}
	mu.Unlock()
	for _, s := range res.Suggestions {
		if s.Agent != "linker" || s.Instance != in.ID() || s.BaseVersion != v || s.RequestID != res.RequestID {
			t.Errorf("suggestion identity %+v", s)
		}
	}

	ids, err := f.sg.ProposeAll(context.Background(), res, "ui")
	if err != nil || len(ids) != 2 {
		t.Fatalf("propose: %v %v", ids, err)
	}
	pending, err := f.sg.Pending(context.Background(), "g1")
	if err != nil || len(pending) != 2 || pending[0].ID != ids[0] || pending[0].Title != "link c" {
		t.Fatalf("pending %+v %v", pending, err)
	}

	before := f.version(t, "g1")
	acc, err := f.sg.Accept(context.Background(), "g1", ids[0], "ui")
	if err != nil {
		t.Fatal(err)
	}
	evs := f.events(t, "g1", before+1)
	if len(evs) != 2 || evs[0].Type != agents.EventSuggestionAccepted || evs[1].Type != graph.EventEdgesAdded {
		t.Fatalf("accept appended %+v", evs)
	}
	for _, ev := range evs {
		if ev.CausationID != ids[0] || ev.Actor != "ui" {
			t.Errorf("event %s: causation %q actor %q", ev.Type, ev.CausationID, ev.Actor)
		}
	}
	if e := evs[1].Data.(*graph.EdgesAdded).Edges; len(e) != 1 || e[0].ID != "link-a-c" || e[0].Source != "a" || e[0].Target != "c" {
		t.Errorf("edges %+v", e)
	}
	if acc.Version != evs[1].Seq {
		t.Errorf("accept version %d, last event %d", acc.Version, evs[1].Seq)
	}
	if _, err := f.sg.Accept(context.Background(), "g1", ids[0], "ui"); err != nil {
		t.Errorf("a retried accept: %v", err) // same command id: reported as the same version
	}

	// The second suggestion was made before the first was accepted, but touches other entities.
	before = f.version(t, "g1")
	if _, err := f.sg.Reject(context.Background(), "g1", ids[1], "not related", "ui"); err != nil {
		t.Fatal(err)
	}
	evs = f.events(t, "g1", before+1)
	if len(evs) != 1 || evs[0].Type != agents.EventSuggestionRejected || evs[0].CausationID != ids[1] ||
		evs[0].Data.(*agents.SuggestionRejected).Reason != "not related" {
		t.Fatalf("reject appended %+v", evs)
	}
	if _, err := f.sg.Accept(context.Background(), "g1", ids[1], "ui"); !errors.Is(err, agents.ErrConflict) {
		t.Errorf("accepting a rejected suggestion: %v", err)
	}
	all, _ := f.sg.List(context.Background(), "g1", "")
	if len(all) != 2 || all[0].Status != agents.StatusAccepted || all[1].Status != agents.StatusRejected ||
		all[1].Reason != "not related" || all[1].DecidedBy != "ui" {
		t.Errorf("ledger %+v", all)
	}
	// A fresh ledger (another process) replays the same state.
	again, _ := agents.NewSuggestions(f.repo).List(context.Background(), "g1", "")
	if len(again) != 2 || again[0].Status != all[0].Status || again[1].Reason != all[1].Reason {
		t.Errorf("replayed ledger %+v", again)
	}
}

func suggestEdge(id, src, dst string, base uint64) agents.Suggestion {
	cmd, _ := agents.Command("add_edges", graph.AddEdges{Edges: []graph.EdgeInput{{ID: id, Source: src, Target: dst}}})
	return agents.Suggestion{Title: id, Confidence: 0.9, Commands: []agents.CommandSpec{cmd}, BaseVersion: base}
}

func TestStaleSuggestionIsCheckedForConflicts(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	v := f.graphABC(t, "g1")
	okID, err := f.sg.Propose(ctx, "g1", suggestEdge("cd", "c", "d", v), "ui")
	if err != nil {
		t.Fatal(err)
	}
	badID, err := f.sg.Propose(ctx, "g1", suggestEdge("ce", "c", "e", v), "ui")
	if err != nil {
		t.Fatal(err)
	}
	multi := suggestEdge("bd", "b", "d", v)
	up, _ := agents.Command("update_node", graph.UpdateNode{ID: "b", SetProps: graph.Props{"hub": json.RawMessage("true")}})
	multi.Commands = append(multi.Commands, up)
	multiID, err := f.sg.Propose(ctx, "g1", multi, "ui")
	if err != nil {
		t.Fatal(err)
	}
	// Later changes: e is removed (the second suggestion refers to it), b is updated (the third writes it),
	// a gets a label (nobody cares).
	f.exec(t, "g1", &graph.RemoveNode{ID: "e"})
	label := "A"
	f.exec(t, "g1", &graph.UpdateNode{ID: "a", Label: &label})
	f.exec(t, "g1", &graph.UpdateNode{ID: "b", Label: &label})

	before := f.version(t, "g1")
	_, err = f.sg.Accept(ctx, "g1", badID, "ui")
	if !errors.Is(err, agents.ErrConflict) || !strings.Contains(err.Error(), "node:e (removed at version") {
		t.Fatalf("stale suggestion on a removed node: %v", err)
	}
	_, err = f.sg.Accept(ctx, "g1", multiID, "ui")
	if !errors.Is(err, agents.ErrConflict) || !strings.Contains(err.Error(), "node:b (changed at version") {
		t.Fatalf("stale suggestion on a changed node: %v", err)
	}
	if f.version(t, "g1") != before {
		t.Fatal("a refused accept appended events")
	}
	if _, err := f.sg.Accept(ctx, "g1", okID, "ui"); err != nil {
		t.Fatalf("stale suggestion without conflict: %v", err)
	}
	evs := f.events(t, "g1", before+1)
	if len(evs) != 2 || evs[0].Data.(*agents.SuggestionAccepted).BaseVersion != v {
		t.Fatalf("%+v", evs)
	}

	// A multi-command suggestion at the current version applies all its commands in one append.
	v = f.version(t, "g1")
	two := suggestEdge("da", "d", "a", v)
	c2, _ := agents.Command("create_subgraph", graph.CreateSubgraph{ID: "pair", Name: "pair", Nodes: []string{"d", "a"}})
	two.Commands = append(two.Commands, c2)
	id, err := f.sg.Propose(ctx, "g1", two, "ui")
	if err != nil {
		t.Fatal(err)
	}
	before = f.version(t, "g1")
	if _, err := f.sg.Accept(ctx, "g1", id, "ui"); err != nil {
		t.Fatal(err)
	}
	evs = f.events(t, "g1", before+1)
	if len(evs) != 3 || evs[1].Type != graph.EventEdgesAdded || evs[2].Type != graph.EventSubgraphCreated {
		t.Fatalf("%+v", evs)
	}
}

func TestProposalsAreChecked(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	v := f.graphABC(t, "g1")
	bad := []struct {
		name string
		s    agents.Suggestion
		want error
	}{
		{"dangling", suggestEdge("x", "a", "zz", v), agents.ErrInvalid},
		{"confidence", func() agents.Suggestion { s := suggestEdge("x", "a", "c", v); s.Confidence = 1.5; return s }(), agents.ErrInvalid},
		{"no commands", agents.Suggestion{Title: "t", Confidence: 0.1}, agents.ErrInvalid},
		{"unknown op", agents.Suggestion{Confidence: 0.1, Commands: []agents.CommandSpec{{Op: "drop_tables", Args: json.RawMessage(`{}`)}}}, agents.ErrInvalid},
		{"unknown field", agents.Suggestion{Confidence: 0.1, Commands: []agents.CommandSpec{{Op: "remove_node", Args: json.RawMessage(`{"id":"a","cascade":true}`)}}}, agents.ErrInvalid},
		{"delete graph", agents.Suggestion{Confidence: 0.1, Commands: []agents.CommandSpec{{Op: "delete_graph", Args: json.RawMessage(`{}`)}}}, agents.ErrInvalid},
		{"future base", suggestEdge("x", "a", "c", v+100), agents.ErrStale},
	}
	for _, c := range bad {
		if _, err := f.sg.Propose(ctx, "g1", c.s, "ui"); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := f.sg.Propose(ctx, "nope", suggestEdge("x", "a", "c", 0), "ui"); !errors.Is(err, agents.ErrNotFound) {
		t.Errorf("unknown graph: %v", err)
	}
	if _, err := f.sg.Accept(ctx, "g1", "no-such", "ui"); !errors.Is(err, agents.ErrNotFound) {
		t.Errorf("unknown suggestion: %v", err)
	}
	if f.version(t, "g1") != v {
		t.Error("refused proposals appended events")
	}
	// No base version: the version it is recorded at.
	id, err := f.sg.Propose(ctx, "g1", suggestEdge("ac", "a", "c", 0), "ui")
	if err != nil {
		t.Fatal(err)
	}
	if e, err := f.sg.Get(ctx, "g1", id); err != nil || e.BaseVersion != v || e.Status != agents.StatusPending || e.ProposedAt != v+1 {
		t.Errorf("recorded %+v %v", e, err)
	}
}

func TestKilledAgentTurnsUnhealthyThenGone(t *testing.T) {
	f := setup(t)
	anc := f.conn(t)
	start(t, anc, agents.Agent{Name: "mortal", Version: "0.1.0", Handler: func(context.Context, *agents.Call) error { return nil }})
	keep := start(t, f.conn(t), agents.Agent{Name: "keeper", Version: "0.1.0", Handler: func(context.Context, *agents.Call) error { return nil }})
	mon := agents.NewMonitor(f.nc, agents.MonitorOptions{Interval: 250 * time.Millisecond, GoneAfter: 6 * time.Second, StatsEvery: 500 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go mon.Run(ctx)

	waitFor(t, 5*time.Second, "both agents healthy", func() bool {
		s := mon.Snapshot()
		return len(s) == 2 && s[0].Healthy && s[1].Healthy
	})
	if _, err := ask(f, "keeper", agents.Request{GraphID: "g"}, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Second, "stats of the request", func() bool {
		k := mon.Agent("keeper")
		return len(k) == 1 && k[0].Requests == 1 && k[0].ID == keep.ID()
	})
	anc.Close() // killed: no goodbye
	killed := time.Now()
	waitFor(t, 5*time.Second, "killed agent unhealthy", func() bool {
		m := mon.Agent("mortal")
		return len(m) == 1 && !m[0].Healthy
	})
	t.Logf("unhealthy after %v", time.Since(killed).Round(10*time.Millisecond))
	if k := mon.Agent("keeper"); len(k) != 1 || !k[0].Healthy {
		t.Errorf("the live agent: %+v", k)
	}
	waitFor(t, 8*time.Second, "killed agent gone", func() bool { return len(mon.Agent("mortal")) == 0 })
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestDeadlinesAndCancel(t *testing.T) {
	f := setup(t)
	started := make(chan string, 4)
	// Polite: stops when its context ends.
	start(t, f.conn(t), agents.Agent{Name: "slow", Version: "1.0.0", Handler: func(ctx context.Context, c *agents.Call) error {
		started <- c.RequestID
		c.Progress(0, 1, "thinking")
		<-ctx.Done()
		return ctx.Err()
	}})
	// Stubborn: ignores its context.
	start(t, f.conn(t), agents.Agent{Name: "stuck", Version: "1.0.0", Handler: func(context.Context, *agents.Call) error {
		time.Sleep(3 * time.Second)
		return nil
	}})

	t0 := time.Now()
	_, err := ask(f, "slow", agents.Request{GraphID: "g", TimeoutMS: 300}, nil)
	var e *agents.Error
	if !errors.As(err, &e) || !errors.Is(err, agents.ErrDeadline) || e.Agent != "agent-slow" || !strings.Contains(e.Message, "deadline") {
		t.Fatalf("slow agent: %v", err)
	}
	if d := time.Since(t0); d > 2*time.Second {
		t.Errorf("deadline error after %v", d)
	}
	<-started

	// The caller's own deadline reaches the agent as its deadline; a stuck agent still cannot hold the
	// caller past it (plus the grace).
	c := agents.NewClient(f.nc)
	c.Grace = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	t0 = time.Now()
	if _, err := c.Ask(ctx, "stuck", agents.Request{GraphID: "g"}, nil); !errors.Is(err, agents.ErrDeadline) {
		t.Fatalf("stuck agent: %v", err)
	}
	if d := time.Since(t0); d > 1500*time.Millisecond {
		t.Errorf("stuck agent held the caller %v", d)
	}

	// Cancel: the caller gives up, the agent is told and stops.
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := agents.NewClient(f.nc).Ask(ctx, "slow", agents.Request{GraphID: "g", RequestID: "r-cancel"}, nil)
		done <- err
	}()
	if id := <-started; id != "r-cancel" {
		t.Fatalf("started %s", id)
	}
	cancel()
	if err := <-done; !errors.Is(err, agents.ErrCancelled) {
		t.Fatalf("cancelled: %v", err)
	}
	// Cancel from outside, as the nats CLI would: the agent answers the request with "cancelled".
	done2 := make(chan error, 1)
	go func() {
		_, err := ask(f, "slow", agents.Request{GraphID: "g", RequestID: "r-cancel-2"}, nil)
		done2 <- err
	}()
	<-started
	agents.NewClient(f.nc).Cancel("r-cancel-2")
	if err := <-done2; !errors.Is(err, agents.ErrCancelled) {
		t.Fatalf("cancelled by id: %v", err)
	}
}

func TestTwoInstancesSplitRequests(t *testing.T) {
	f := setup(t)
	h := func(ctx context.Context, c *agents.Call) error {
		time.Sleep(5 * time.Millisecond)
		return nil
	}
	a := start(t, f.conn(t), agents.Agent{Name: "twin", Version: "1.0.0", Handler: h, Concurrency: 1})
	b := start(t, f.conn(t), agents.Agent{Name: "twin", Version: "1.0.0", Handler: h, Concurrency: 1})
	count := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := ask(f, "twin", agents.Request{GraphID: "g"}, nil)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			count[res.Instance]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if count[a.ID()] == 0 || count[b.ID()] == 0 || count[a.ID()]+count[b.ID()] != 40 {
		t.Fatalf("split %v", count)
	}
	t.Logf("split %d/%d", count[a.ID()], count[b.ID()])
}

func TestBadInputGetsClearErrors(t *testing.T) {
	f := setup(t)
	v := f.graphABC(t, "g1")
	in, err := linker(f.conn(t), f.repo)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Stop()
	cases := []struct {
		name string
		req  agents.Request
		want error
		msg  string
	}{
		{"unknown graph", agents.Request{GraphID: "nope"}, agents.ErrNotFound, "graph nope does not exist"},
		{"stale version", agents.Request{GraphID: "g1", Version: v - 1}, agents.ErrStale, "ask again with the current version"},
		{"future version", agents.Request{GraphID: "g1", Version: v + 10}, agents.ErrStale, "does not exist"},
		{"oversized selection", agents.Request{GraphID: "g1", Selection: make([]string, 1001)}, agents.ErrTooLarge, "limit of 1000"},
		{"oversized request", agents.Request{GraphID: "g1", Params: json.RawMessage(`"` + strings.Repeat("x", 1<<20) + `"`)}, agents.ErrTooLarge, "byte limit"},
		{"missing node", agents.Request{GraphID: "g1", Selection: []string{"a", "zz"}}, agents.ErrInvalid, `no node "zz"`},
		{"no graph", agents.Request{}, agents.ErrInvalid, "graph_id is required"},
		{"bad graph id", agents.Request{GraphID: "a.b"}, agents.ErrInvalid, "graph_id"},
		{"no agent", agents.Request{GraphID: "g1"}, agents.ErrUnavailable, "no instance"},
	}
	for _, c := range cases {
		agent := "linker"
		if c.name == "no agent" {
			agent = "ghost"
		}
		_, err := ask(f, agent, c.req, nil)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %v with %q", c.name, err, c.want, c.msg)
		}
	}
	// Raw, as another language sees it: micro error headers with a readable message.
	msg, err := f.nc.Request(agents.AnalyzeSubject("linker"), []byte(`{"graph_id": `), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Nats-Service-Error-Code") != "400" || !strings.Contains(msg.Header.Get("Nats-Service-Error"), "not a JSON object") {
		t.Errorf("raw bad JSON: %v %s", msg.Header, msg.Data)
	}
	msg, _ = f.nc.Request(agents.AnalyzeSubject("linker"), []byte(`{"graph_id":"nope"}`), 5*time.Second)
	if msg.Header.Get("Nats-Service-Error-Code") != "404" {
		t.Errorf("raw unknown graph: %v %s", msg.Header, msg.Data)
	}
}

func TestCrashingAgentNeverCorruptsTheGraph(t *testing.T) {
	f := setup(t)
	v := f.graphABC(t, "g1")
	calls := 0
	var mu sync.Mutex
	start(t, f.conn(t), agents.Agent{Name: "crashy", Version: "1.0.0", Concurrency: 1, Handler: func(ctx context.Context, c *agents.Call) error {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			c.Suggest(suggestEdge("half", "a", "c", 0))
			var m map[string]int
			m["boom"]++ // nil map write: a real crash
		}
		// Garbage that must not get into the graph.
		c.Suggest(agents.Suggestion{Title: "garbage", Confidence: 0.3,
			Commands: []agents.CommandSpec{{Op: "add_edges", Args: json.RawMessage(`{"edges":[{"id":"x","source":"a","target":"nowhere"}]}`)}}})
		return nil
	}})
	_, err := ask(f, "crashy", agents.Request{GraphID: "g1"}, nil)
	if !errors.Is(err, agents.ErrInternal) || !strings.Contains(err.Error(), "crashed") {
		t.Fatalf("panicking agent: %v", err)
	}
	res, err := ask(f, "crashy", agents.Request{GraphID: "g1"}, nil)
	if err != nil {
		t.Fatalf("the instance survives its crash: %v", err)
	}
	if _, err := f.sg.ProposeAll(context.Background(), res, "ui"); !errors.Is(err, agents.ErrInvalid) {
		t.Errorf("garbage proposal: %v", err)
	}

	// An agent process that dies mid-request.
	dnc := f.conn(t)
	start(t, dnc, agents.Agent{Name: "dying", Version: "1.0.0", Handler: func(ctx context.Context, c *agents.Call) error {
		dnc.Close()
		return nil
	}})
	c := agents.NewClient(f.nc)
	c.Grace = 100 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := c.Ask(ctx, "dying", agents.Request{GraphID: "g1", TimeoutMS: 500}, nil); !errors.Is(err, agents.ErrDeadline) {
		t.Errorf("dying agent: %v", err)
	}
	if got := f.version(t, "g1"); got != v {
		t.Fatalf("graph moved from %d to %d", v, got)
	}
	g, err := f.repo.Open(context.Background(), "g1")
	if err != nil || g.NodeCount() != 5 || g.EdgeCount() != 1 {
		t.Fatalf("graph after crashes: %v", err)
	}
}

func TestSuggestionServiceOverNATS(t *testing.T) {
	f := setup(t)
	v := f.graphABC(t, "g1")
	svc, err := agents.StartSuggestionService(f.nc, f.sg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	call := func(op string, req any) (agents.SuggestionReply, *nats.Msg) {
		body, _ := json.Marshal(req)
		msg, err := f.nc.Request(agents.SuggestionsSubject(op), body, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		var rep agents.SuggestionReply
		if err := json.Unmarshal(msg.Data, &rep); err != nil {
			t.Fatalf("%s: %s", op, msg.Data)
		}
		return rep, msg
	}
	s := suggestEdge("cd", "c", "d", v)
	rep, _ := call("propose", agents.SuggestionRequest{GraphID: "g1", Suggestion: &s, Actor: "cli"})
	if !rep.OK || rep.ID == "" {
		t.Fatalf("propose %+v", rep)
	}
	rep2, _ := call("list", agents.SuggestionRequest{GraphID: "g1", Status: agents.StatusPending})
	if len(rep2.Suggestions) != 1 || rep2.Suggestions[0].ID != rep.ID {
		t.Fatalf("list %+v", rep2)
	}
	rep3, _ := call("accept", agents.SuggestionRequest{GraphID: "g1", ID: rep.ID, Actor: "cli"})
	if !rep3.OK || rep3.Version <= v {
		t.Fatalf("accept %+v", rep3)
	}
	rep4, msg := call("reject", agents.SuggestionRequest{GraphID: "g1", ID: rep.ID})
	if rep4.OK || rep4.Error.Code != agents.CodeConflict || msg.Header.Get("Nats-Service-Error-Code") != "409" {
		t.Fatalf("reject after accept %+v %v", rep4, msg.Header)
	}
}
