package test

import (
	"context"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/nats-io/nats.go"
)

// serve runs the built-in agents; `alchemist agent NAME` adds an instance that shares the load.
func TestServeRunsTheBuiltinAgents(t *testing.T) {
	_, url := serveProcess(t, t.TempDir(), freePort(t))
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx := context.Background()
	count := func() map[string]int {
		infos, err := agents.Discover(ctx, nc, 500*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, in := range infos {
			n[in.Name]++
		}
		return n
	}
	found := count()
	for _, name := range []string{"structure", "similarity", "categories", "coalitions"} {
		if found[name] != 1 {
			t.Errorf("agent %s: %d instances, want 1 (found %v)", name, found[name], found)
		}
	}
	agent := exec.Command(binary, "agent", "similarity", "--nats", url)
	agent.Env = baseEnv(t)
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { agent.Process.Kill(); agent.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for count()["similarity"] != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the agent process never joined: %v", count())
		}
	}
	names := []string{}
	for n := range count() {
		names = append(names, n)
	}
	slices.Sort(names)
	t.Logf("agents: %v", names)
}
