package agents_test

import (
	"context"
	"testing"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
)

// BenchmarkAskRoundTrip is the protocol's round trip through an embedded server (in-process
// connections): request, one progress message, one partial result, reply.
func BenchmarkAskRoundTrip(b *testing.B) {
	emb, nc := natstest.Start(b)
	anc, err := emb.Connect()
	if err != nil {
		b.Fatal(err)
	}
	defer anc.Close()
	cmd, _ := agents.Command("tag_graph", map[string]any{"add": []string{"x"}})
	in, err := agents.Start(anc, agents.Agent{Name: "bench", Version: "1.0.0", Handler: func(ctx context.Context, c *agents.Call) error {
		c.Progress(1, 1, "done")
		c.Suggest(agents.Suggestion{Title: "t", Confidence: 1, Commands: []agents.CommandSpec{cmd}})
		return nil
	}})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Stop()
	client := agents.NewClient(nc)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := client.Ask(ctx, "bench", agents.Request{GraphID: "g"}, func(agents.Progress) {}); err != nil {
			b.Fatal(err)
		}
	}
}
