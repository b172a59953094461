package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/world"
)

func run(t *testing.T, g *graph.Graph, op string, body string) {
	t.Helper()
	cmd, ok := graph.NewCommand(op)
	if !ok {
		t.Fatalf("no op %s", op)
	}
	if err := json.Unmarshal([]byte(body), cmd); err != nil {
		t.Fatal(err)
	}
	evs, err := graph.Decide(g, cmd, graph.Meta{})
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	for i := range evs {
		evs[i].Seq = g.Version() + 1
		g.Apply(&evs[i])
	}
}

// Coalitions, categories and conceptual neighbours of the aggregate become the layout's inputs.
func TestStrategicInputsFromComponents(t *testing.T) {
	g := graph.New("s")
	run(t, g, "create_graph", `{"name":"s"}`)
	var nodes []string
	for i := range 6 {
		nodes = append(nodes, fmt.Sprintf(`{"id":"n%d"}`, i))
	}
	run(t, g, "add_nodes", `{"nodes":[`+joinComma(nodes)+`]}`)
	run(t, g, "define_space", `{"id":"taste","definition":{"domains":[{"name":"d","dimensions":[{"name":"sweet","range":[0,10]},{"name":"sour","range":[0,10]}]}]}}`)
	run(t, g, "set_coordinates", `{"space":"taste","points":[
		{"id":"n0","coordinates":{"sweet":1,"sour":1}},{"id":"n1","coordinates":{"sweet":1.2,"sour":1}},
		{"id":"n2","coordinates":{"sweet":9,"sour":9}},{"id":"n3","coordinates":{"sweet":9,"sour":8.8}}]}`)
	run(t, g, "add_prototype", `{"space":"taste","name":"bland","point":{"sweet":0,"sour":0}}`)
	run(t, g, "add_prototype", `{"space":"taste","name":"strong","point":{"sweet":10,"sour":10}}`)
	run(t, g, "form_coalition", `{"id":"c","members":["n4","n5"]}`)

	w := world.New("s")
	w.Load(g)
	s := newStrategicInputs()
	runner, _ := layout.NewRunner(layout.RunnerConfig{Params: layout.DefaultParams()})
	s.update(g, w, runner, w.Topology)
	var in layout.Inputs
	select {
	case r := <-s.results:
		in = r.inputs
	case <-time.After(10 * time.Second):
		t.Fatal("no inputs computed")
	}
	row := func(id string) int32 { r, _ := w.Nodes.Index(id); return r }
	if in.Coalition[row("n4")] < 0 || in.Coalition[row("n4")] != in.Coalition[row("n5")] || in.Coalition[row("n0")] != -1 {
		t.Errorf("coalition membership %v", in.Coalition)
	}
	if in.Category[row("n0")] != 0 || in.Category[row("n3")] != 1 || in.Category[row("n4")] != -1 {
		t.Errorf("categories %v", in.Category)
	}
	nearest := map[int32]int32{}
	for k := range in.SimA {
		if _, seen := nearest[in.SimA[k]]; !seen {
			nearest[in.SimA[k]] = in.SimB[k]
		}
	}
	if nearest[row("n0")] != row("n1") || nearest[row("n2")] != row("n3") {
		t.Errorf("nearest conceptual neighbours %v (rows n0=%d n1=%d n2=%d n3=%d)", nearest, row("n0"), row("n1"), row("n2"), row("n3"))
	}
	if s.dirty {
		t.Error("inputs still dirty after an update")
	}
	s.observe(&graph.Event{Envelope: graph.Envelope{Type: "coalition_formed"}})
	if !s.dirty {
		t.Error("a coalition event did not mark the inputs stale")
	}
}

func joinComma(parts []string) string { return strings.Join(parts, ",") }

// The inspector describes the selected node from the aggregate: fields, properties, components and
// inline content.
func TestInspectionOfTheSelectedNode(t *testing.T) {
	g := graph.New("i")
	run(t, g, "create_graph", `{"name":"i"}`)
	run(t, g, "add_nodes", `{"nodes":[{"id":"a","label":"Alpha","kind":"person","props":{"age":42,"content":"hello there","content_encoding":"utf-8"}},{"id":"b"}]}`)
	run(t, g, "add_edges", `{"edges":[{"id":"ab","source":"a","target":"b"}]}`)
	run(t, g, "form_coalition", `{"id":"c1","members":["a","b"]}`)
	w := world.New("i")
	w.Load(g)
	l := &frameLoop{view: &graphView{world: w, agg: g}, sel: selection{id: "a", row: -1}}
	in := l.inspection(context.Background())
	got := map[string]string{}
	for _, r := range in.Rows {
		got[r[0]] = r[1]
	}
	if in.Title != "node a" || got["label"] != "Alpha" || got["kind"] != "person" || got["age"] != "42" || got["degree"] != "1" || got["coalition"] != "c1" {
		t.Errorf("inspection rows %v", got)
	}
	if _, shown := got["content"]; shown || in.Content != "hello there" {
		t.Errorf("content %q (rows %v)", in.Content, got)
	}
	l.sel.id = "ghost"
	if l.inspection(context.Background()) != nil {
		t.Error("inspection of a missing node")
	}
}
