package builtin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/nats-io/nats.go"
)

// Version of the built-in agents.
const Version = "1.0.0"

// Progress reports done of total steps with a message.
type Progress func(done, total int, message string)

// analysis is one built-in agent's work on a loaded graph: pure, no I/O.
type analysis struct {
	description  string
	capabilities agents.Capabilities
	maxNodes     int
	run          func(ctx context.Context, g *graph.Graph, c *agents.Call) ([]agents.Suggestion, string, error)
}

var registry = map[string]analysis{
	"structure":  structureAgent,
	"similarity": similarityAgent,
	"categories": categoriesAgent,
	"coalitions": coalitionsAgent,
}

// Names lists the built-in agents.
func Names() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// New describes built-in agent name, reading graphs through repo.
func New(name string, repo *eventstore.Repository, log *slog.Logger) (agents.Agent, error) {
	a, ok := registry[name]
	if !ok {
		return agents.Agent{}, fmt.Errorf("no built-in agent %q (known: %v)", name, Names())
	}
	caps := a.capabilities
	caps.MaxNodes = a.maxNodes
	return agents.Agent{
		Name: name, Version: Version, Description: a.description, Capabilities: caps, Log: log,
		Concurrency: 2, // analyses are CPU-bound: more would only share the same cores
		Handler: func(ctx context.Context, c *agents.Call) error {
			g, err := agents.OpenGraph(ctx, repo, c, a.maxNodes)
			if err != nil {
				return err
			}
			sugs, summary, err := a.run(ctx, g, c)
			if err != nil {
				return err
			}
			if len(sugs) > 0 {
				c.Suggest(sugs...)
			}
			c.Summarize("%s", summary)
			return nil
		},
	}, nil
}

// Start starts an instance of built-in agent name on nc (for `serve`, which starts all of Names).
func Start(nc *nats.Conn, repo *eventstore.Repository, name string, log *slog.Logger) (*agents.Instance, error) {
	a, err := New(name, repo, log)
	if err != nil {
		return nil, err
	}
	return agents.Start(nc, a)
}

// Run serves built-in agent name on nc until ctx ends (for `alchemist agent <name>`).
func Run(ctx context.Context, nc *nats.Conn, repo *eventstore.Repository, name string, log *slog.Logger) error {
	a, err := New(name, repo, log)
	if err != nil {
		return err
	}
	return agents.Run(ctx, nc, a)
}

// ---- helpers shared by the agents ----

// num encodes x with six significant digits: properties are for people and filters, and shorter
// numbers keep the events small.
func num(x float64) json.RawMessage {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return json.RawMessage("null")
	}
	return json.RawMessage(strconv.FormatFloat(x, 'g', 6, 64))
}

func str(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// changedProps keeps the properties whose value differs from the node's (a no-op update is refused
// by the graph, and would be noise anyway).
func changedProps(cur graph.Props, set graph.Props) graph.Props {
	out := graph.Props{}
	for k, v := range set {
		if old, ok := cur[k]; !ok || !bytes.Equal(old, v) {
			out[k] = v
		}
	}
	return out
}

// updateNode is an update_node command setting props, or false when nothing would change.
func updateNode(g *graph.Graph, id string, props graph.Props) (agents.CommandSpec, bool) {
	n, ok := g.Node(id)
	if !ok {
		return agents.CommandSpec{}, false
	}
	set := changedProps(n.Props, props)
	if len(set) == 0 {
		return agents.CommandSpec{}, false
	}
	c, err := agents.Command("update_node", graph.UpdateNode{ID: id, SetProps: set})
	return c, err == nil
}

// updateEdge is an update_edge command setting props, or false when nothing would change.
func updateEdge(g *graph.Graph, id string, props graph.Props) (agents.CommandSpec, bool) {
	e, ok := g.Edge(id)
	if !ok {
		return agents.CommandSpec{}, false
	}
	set := changedProps(e.Props, props)
	if len(set) == 0 {
		return agents.CommandSpec{}, false
	}
	c, err := agents.Command("update_edge", graph.UpdateEdge{ID: id, SetProps: set})
	return c, err == nil
}

// freeID returns base, or base-2, base-3, … whichever is not taken (nor already used in this run).
func freeID(taken func(string) bool, used map[string]bool, base string) string {
	id := base
	for i := 2; taken(id) || used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	used[id] = true
	return id
}

// chunks splits commands into suggestions of at most agents.MaxSuggestionCommands each.
func chunks(cmds []agents.CommandSpec, make func(part, parts int, cmds []agents.CommandSpec) agents.Suggestion) []agents.Suggestion {
	const size = agents.MaxSuggestionCommands
	parts := (len(cmds) + size - 1) / size
	var out []agents.Suggestion
	for p := 0; p < parts; p++ {
		out = append(out, make(p+1, parts, cmds[p*size:min(len(cmds), (p+1)*size)]))
	}
	return out
}

// selected returns the selection as a set, nil meaning everything.
func selected(sel []string) map[string]bool {
	if len(sel) == 0 {
		return nil
	}
	m := make(map[string]bool, len(sel))
	for _, id := range sel {
		m[id] = true
	}
	return m
}

func clamp01(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}
