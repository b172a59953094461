package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

func mustDecide(t *testing.T, g *Graph, op, body string) []Event {
	t.Helper()
	cmd, ok := NewCommand(op)
	if !ok {
		t.Fatalf("no op %s", op)
	}
	if err := json.Unmarshal([]byte(body), cmd); err != nil {
		t.Fatal(err)
	}
	evs, err := Decide(g, cmd, Meta{CommandID: fmt.Sprintf("%s-%d", op, g.Version()), Time: time.Unix(1, 0)})
	if err != nil {
		t.Fatalf("%s %s: %v", op, body, err)
	}
	for i := range evs {
		evs[i].Seq = g.Version() + 1
		g.Apply(&evs[i])
	}
	return evs
}

func snapshotOf(t *testing.T, g *Graph) []byte {
	t.Helper()
	b, err := g.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A clone is independent: later events on the original leave it as it was, and the same events on
// the clone bring it to the original's state.
func TestCloneIsIndependent(t *testing.T) {
	g := New("c")
	mustDecide(t, g, "create_graph", `{"name":"c","tags":["x"]}`)
	mustDecide(t, g, "add_nodes", `{"nodes":[{"id":"a","props":{"p":1}},{"id":"b"},{"id":"c"}]}`)
	mustDecide(t, g, "add_edges", `{"edges":[{"id":"ab","source":"a","target":"b"},{"id":"bc","source":"b","target":"c"}]}`)
	mustDecide(t, g, "create_subgraph", `{"id":"s","name":"S","nodes":["a","b"]}`)
	mustDecide(t, g, "define_space", `{"id":"sp","definition":{"domains":[{"name":"d","dimensions":[{"name":"x"}]}]}}`)
	mustDecide(t, g, "set_coordinates", `{"space":"sp","points":[{"id":"a","coordinates":{"x":1}}]}`)
	mustDecide(t, g, "add_prototype", `{"space":"sp","name":"p1","point":{"x":0}}`)
	mustDecide(t, g, "add_prototype", `{"space":"sp","name":"p2","point":{"x":2}}`)
	mustDecide(t, g, "set_strategy", `{"id":"a","strategy":{"player":0,"names":["u","d"]}}`)
	mustDecide(t, g, "form_coalition", `{"id":"k","members":["a","c"]}`)

	before := snapshotOf(t, g)
	c := g.Clone()
	if !bytes.Equal(snapshotOf(t, c), before) {
		t.Fatal("a fresh clone differs from its original")
	}
	var later []Event
	later = append(later, mustDecide(t, g, "update_node", `{"id":"a","set_props":{"p":2,"q":"new"}}`)...)
	later = append(later, mustDecide(t, g, "change_subgraph", `{"id":"s","removed":["a"],"added":["c"]}`)...)
	later = append(later, mustDecide(t, g, "remove_prototype", `{"space":"sp","name":"p1"}`)...)
	later = append(later, mustDecide(t, g, "set_coordinates", `{"space":"sp","points":[{"id":"b","coordinates":{"x":3}}]}`)...)
	later = append(later, mustDecide(t, g, "remove_node", `{"id":"c"}`)...)
	later = append(later, mustDecide(t, g, "rename_graph", `{"name":"renamed"}`)...)
	later = append(later, mustDecide(t, g, "tag_graph", `{"add":["y"]}`)...)
	if !bytes.Equal(snapshotOf(t, c), before) {
		t.Fatal("events on the original changed the clone")
	}
	for i := range later {
		c.Apply(&later[i])
	}
	if !bytes.Equal(snapshotOf(t, c), snapshotOf(t, g)) {
		t.Fatal("the clone did not reach the original's state with the same events")
	}
	if n, _ := c.Node("a"); string(n.Props["p"]) != "2" {
		t.Fatalf("clone's node a props %v", n.Props)
	}
}

// A clone into a spare state's tables equals a plain clone, stays independent of its original, and
// really writes into the spare's memory.
func TestForkIntoASpare(t *testing.T) {
	g := New("c")
	mustDecide(t, g, "create_graph", `{"name":"c"}`)
	for i := range 30 {
		mustDecide(t, g, "add_nodes", fmt.Sprintf(`{"nodes":[{"id":"n%d"},{"id":"m%d"}]}`, i, i))
		mustDecide(t, g, "add_edges", fmt.Sprintf(`{"edges":[{"id":"e%d","source":"n%d","target":"m%d"}]}`, i, i, i))
	}
	mustDecide(t, g, "set_strategy", `{"id":"n1","strategy":{"player":0,"names":["u","d"]}}`)
	// A spare bigger than needed: a later state of the same graph.
	spare := g.Clone()
	mustDecide(t, spare, "add_nodes", `{"nodes":[{"id":"extra"}]}`)
	spareNodes, spareEdges := &spare.nodes[:1][0], &spare.edges[:1][0]

	c := g.Fork(spare)
	if !bytes.Equal(snapshotOf(t, c), snapshotOf(t, g)) {
		t.Fatal("a clone into a spare differs from its original")
	}
	if &c.nodes[:1][0] != spareNodes || &c.edges[:1][0] != spareEdges {
		t.Fatal("the clone did not reuse the spare's tables")
	}
	before := snapshotOf(t, c)
	mustDecide(t, g, "remove_node", `{"id":"n1"}`)
	mustDecide(t, g, "add_nodes", `{"nodes":[{"id":"late"}]}`)
	if !bytes.Equal(snapshotOf(t, c), before) {
		t.Fatal("events on the original changed the clone")
	}
	// Too small a spare is ignored, and a graph is never its own spare.
	small := New("s")
	if d := g.Fork(small); !bytes.Equal(snapshotOf(t, d), snapshotOf(t, g)) {
		t.Fatal("a clone with a small spare differs")
	}
	if d := g.Fork(g); &d.nodes[:1][0] == &g.nodes[:1][0] {
		t.Fatal("a graph was cloned into itself")
	}
}

// A fork reads its original's id indexes and records only its own changes: it behaves exactly like a
// clone under removals, re-additions of the same ids and new ids, and its original is frozen.
func TestForkBehavesLikeAClone(t *testing.T) {
	g := New("f")
	mustDecide(t, g, "create_graph", `{"name":"f"}`)
	for i := range 20 {
		mustDecide(t, g, "add_nodes", fmt.Sprintf(`{"nodes":[{"id":"n%d"},{"id":"m%d"}]}`, i, i))
		mustDecide(t, g, "add_edges", fmt.Sprintf(`{"edges":[{"id":"e%d","source":"n%d","target":"m%d"}]}`, i, i, i))
	}
	mustDecide(t, g, "form_coalition", `{"id":"k","members":["n1","n2"]}`)
	mustDecide(t, g, "create_subgraph", `{"id":"s","name":"S","nodes":["n3","m3"]}`)

	g.Freeze()
	fork, clone := g.Fork(nil), g.Clone()
	if fork.nodeIdx.base == nil {
		t.Fatal("the fork copied its original's index")
	}
	if !bytes.Equal(snapshotOf(t, fork), snapshotOf(t, g)) {
		t.Fatal("a fresh fork differs from its original")
	}
	// The same commands on both: decided against each, so the fork's lookups are exercised too.
	steps := [][2]string{
		{"remove_node", `{"id":"n1"}`},
		{"remove_edge", `{"id":"e5"}`},
		{"add_nodes", `{"nodes":[{"id":"n1","label":"back"},{"id":"fresh"}]}`},
		{"add_edges", `{"edges":[{"id":"e5","source":"fresh","target":"n1"},{"id":"e1","source":"n1","target":"m1"}]}`},
		{"remove_node", `{"id":"n1"}`},
		{"update_node", `{"id":"m7","label":"seven"}`},
		{"remove_node", `{"id":"fresh"}`},
		{"dissolve_coalition", `{"id":"k"}`},
	}
	for _, st := range steps {
		mustDecide(t, fork, st[0], st[1])
		mustDecide(t, clone, st[0], st[1])
		if !bytes.Equal(snapshotOf(t, fork), snapshotOf(t, clone)) {
			t.Fatalf("after %s %s the fork differs from a clone", st[0], st[1])
		}
		if fork.NodeCount() != clone.NodeCount() || fork.EdgeCount() != clone.EdgeCount() {
			t.Fatalf("after %s: counts %d/%d vs %d/%d", st[0], fork.NodeCount(), fork.EdgeCount(), clone.NodeCount(), clone.EdgeCount())
		}
		for _, id := range []string{"n1", "m1", "fresh", "n2", "e1", "e5"} {
			if fork.HasNode(id) != clone.HasNode(id) || fork.HasEdge(id) != clone.HasEdge(id) {
				t.Fatalf("after %s: %s present in fork %v/%v, clone %v/%v", st[0], id, fork.HasNode(id), fork.HasEdge(id), clone.HasNode(id), clone.HasEdge(id))
			}
		}
	}
	// A clone of the fork is flat and equal; the original is untouched and frozen.
	if !bytes.Equal(snapshotOf(t, fork.Clone()), snapshotOf(t, clone)) {
		t.Fatal("a clone of the fork differs")
	}
	if g.NodeCount() != 40 || !g.HasNode("n1") || g.HasNode("fresh") {
		t.Fatal("changes to the fork reached its original")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("applying an event to a forked original did not panic")
		}
	}()
	g.Apply(&Event{Seq: 999, Data: &NodeRemoved{ID: "n2"}})
}
