package agents_test

import (
	"context"
	"fmt"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/nats-io/nats.go"
)

// linker is a whole agent: it proposes to link the first selected node to every other selected node
// that it is not linked to yet. The integration tests run it.
func linker(nc *nats.Conn, repo *eventstore.Repository) (*agents.Instance, error) {
	return agents.Start(nc, agents.Agent{
		Name: "linker", Version: "1.0.0", Description: "links the first selected node to the others",
		Capabilities: agents.Capabilities{Analyses: []string{"selection"}, Suggests: []string{"add_edges"}, MaxNodes: 1000},
		Handler: func(ctx context.Context, c *agents.Call) error {
			g, err := agents.OpenGraph(ctx, repo, c, 1000)
			if err != nil {
				return err
			}
			if len(c.Selection) == 0 {
				return agents.Errorf(agents.CodeInvalid, "select the node to link from first")
			}
			linked := map[string]bool{}
			for _, e := range g.IncidentEdges(c.Selection[0]) {
				linked[e.Source], linked[e.Target] = true, true
			}
			for i, id := range c.Selection[min(1, len(c.Selection)):] {
				c.Progress(i+1, len(c.Selection)-1, "looking at "+id)
				if linked[id] {
					continue
				}
				cmd, err := agents.Command("add_edges", graph.AddEdges{Edges: []graph.EdgeInput{
					{ID: "link-" + c.Selection[0] + "-" + id, Source: c.Selection[0], Target: id}}})
				if err != nil {
					return err
				}
				c.Suggest(agents.Suggestion{Title: "link " + id, Confidence: 0.5,
					Reasoning: "selected together", Commands: []agents.CommandSpec{cmd}})
			}
			c.Summarize("%d node(s) looked at", len(c.Selection))
			return ctx.Err()
		},
	})
}

func Example() {
	fmt.Println(agents.AnalyzeSubject("linker"), agents.ProgressSubject("r1"), agents.CancelSubject("r1"))
	// Output: agents.v1.linker.analyze agents.v1.progress.r1 agents.v1.cancel.r1
}
