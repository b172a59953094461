package builtin

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/agents"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
)

// TestNatsCLI runs the commands of docs/agents.md with the real nats CLI, when it is installed.
func TestNatsCLI(t *testing.T) {
	cli, err := exec.LookPath("nats")
	if err != nil {
		t.Skip("nats CLI not installed")
	}
	emb, nc := natstest.Start(t, natstest.Options{Listen: true})
	ctx := context.Background()
	repo, _, err := esjs.OpenRepository(ctx, nc, esjs.RepoConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	for _, name := range []string{"similarity", "structure"} {
		in, err := Start(nc, repo, name, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Stop()
	}
	sg := agents.NewSuggestions(repo)
	svc, err := agents.StartSuggestionService(nc, sg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	for _, c := range []graph.Command{&graph.CreateGraph{Name: "g1"}, &graph.AddNodes{Nodes: []graph.Node{
		{ID: "a", Coords: []float64{0, 0}}, {ID: "b", Coords: []float64{5, 5}}, {ID: "c", Coords: []float64{0.1, 0}}}}} {
		if _, err := repo.Execute(ctx, "g1", c, graph.Meta{}, eventstoreOpts); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) string {
		t.Helper()
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		out, err := exec.CommandContext(cctx, cli, append([]string{"--server", emb.ClientURL()}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("nats %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if out := run("micro", "ls"); !strings.Contains(out, "agent-similarity") || !strings.Contains(out, "agent-structure") {
		t.Fatalf("nats micro ls:\n%s", out)
	}
	if out := run("micro", "info", "agent-similarity"); !strings.Contains(out, "agent.suggests") || !strings.Contains(out, "add_edges") {
		t.Fatalf("nats micro info:\n%s", out)
	}
	out := run("req", "--raw", "agents.v1.similarity.analyze", `{"request_id":"r1","graph_id":"g1","params":{"k":1}}`)
	var res agents.Result
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &res); err != nil || len(res.Suggestions) == 0 {
		t.Fatalf("nats req: %v\n%s", err, out)
	}
	if c := res.Suggestions[0].Commands[0]; c.Op != "add_edges" || !strings.Contains(string(c.Args), `"source":"a","target":"c"`) {
		t.Fatalf("suggestion %s %s", c.Op, c.Args)
	}
	out = run("req", "agents.v1.similarity.analyze", `{"graph_id":"nope"}`)
	if !strings.Contains(out, "404") || !strings.Contains(out, "graph nope does not exist") {
		t.Fatalf("error reply:\n%s", out)
	}
	body, _ := json.Marshal(agents.SuggestionRequest{GraphID: "g1", Actor: "cli", Suggestion: &res.Suggestions[0]})
	out = run("req", "--raw", "agents.v1.suggestions.propose", string(body))
	var rep agents.SuggestionReply
	if json.Unmarshal([]byte(strings.TrimSpace(out)), &rep) != nil || rep.ID == "" {
		t.Fatalf("propose:\n%s", out)
	}
	out = run("req", "--raw", "agents.v1.suggestions.accept", `{"graph_id":"g1","actor":"cli","id":"`+rep.ID+`"}`)
	if !strings.Contains(out, `"ok":true`) {
		t.Fatalf("accept:\n%s", out)
	}

	// The shell agent of docs/agents.md.
	if _, err := exec.LookPath("jq"); err != nil {
		return
	}
	script := filepath.Join(t.TempDir(), "tagger.sh")
	os.WriteFile(script, []byte(`#!/bin/sh
printf '%s' "$NATS_REQUEST_BODY" | jq -c '{request_id, agent: "tagger", graph_id, version: (.version // 0),
  suggestions: [{title: "tag as reviewed", confidence: 0.9, reasoning: "every graph deserves review",
  base_version: (.version // 0), commands: [{op: "tag_graph", args: {add: ["reviewed"]}}]}]}'
`), 0o755)
	rctx, cancel := context.WithCancel(ctx)
	replier := exec.CommandContext(rctx, cli, "--server", emb.ClientURL(), "reply", "agents.v1.tagger.analyze", "--command", script, "--queue", "q")
	if err := replier.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); replier.Wait() }()
	var got *agents.Result
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got, err = agents.NewClient(nc).Ask(ctx, "tagger", agents.Request{GraphID: "g1"}, nil); err == nil {
			break
		}
	}
	if err != nil || len(got.Suggestions) != 1 {
		t.Fatalf("shell agent: %v %+v", err, got)
	}
	if _, err := sg.Propose(ctx, "g1", got.Suggestions[0], "cli"); err != nil {
		t.Fatalf("shell agent's suggestion: %v", err)
	}
}
