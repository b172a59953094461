package app

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// state is what undo must restore: nodes and edges with their fields, sorted, the name and tags, and
// the components (spaces with their prototypes, node components, coalitions) as JSON.
func state(g *graph.Graph) (string, []graph.Node, []graph.Edge, []string) {
	d := g.Data()
	slices.SortFunc(d.Nodes, func(a, b graph.Node) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Edges, func(a, b graph.Edge) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Components, func(a, b graph.NodeComponents) int { return strings.Compare(a.ID, b.ID) })
	tags := slices.Sorted(slices.Values(d.Tags))
	comps, _ := json.Marshal([]any{d.Spaces, d.Components, d.Coalitions})
	return d.Name + " " + string(comps), d.Nodes, d.Edges, tags
}

func decideApply(t *testing.T, g *graph.Graph, cmd graph.Command) []graph.Event {
	t.Helper()
	evs, err := graph.Decide(g, cmd, graph.Meta{Actor: "ui"})
	if err != nil {
		t.Fatalf("%s: %v", cmd.Op(), err)
	}
	for i := range evs {
		g.Apply(&evs[i])
	}
	return evs
}

// Every undoable change, followed by its compensation, gives back the state before it; and
// compensating the compensation (redo) gives back the state after it.
func TestCompensationRestoresTheStateBefore(t *testing.T) {
	one := 1.0
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	label, kind, cid := "renamed", "thing", "bafyxyz"
	cases := []graph.Command{
		&graph.AddNodes{Nodes: []graph.Node{{ID: "x", Label: "X"}, {ID: "y"}}},
		&graph.AddEdges{Edges: []graph.EdgeInput{{ID: "ex", Source: "a", Target: "c", Weight: &one}}},
		&graph.RemoveNode{ID: "b"},
		&graph.RemoveEdge{ID: "ab"},
		&graph.UpdateNode{ID: "a", Label: &label, Kind: &kind, CID: &cid, SetProps: graph.Props{"new": raw(`1`), "color": raw(`"red"`)}, RemoveProps: []string{"size"}},
		&graph.UpdateEdge{ID: "ab", Kind: &kind, Weight: &one, SetProps: graph.Props{"w": raw(`2`)}},
		&graph.PinNode{ID: "a", Position: &graph.Vec3{1, 2, 3}},
		&graph.RenameGraph{Name: "other"},
		&graph.TagGraph{Add: []string{"t2"}, Remove: []string{"t1"}},
		&graph.SetCoordinates{Space: "sp", Points: []graph.NodePoint{{ID: "a", Coordinates: graph.Coordinates{"x": 5}}, {ID: "c", Coordinates: graph.Coordinates{"x": 1}}}},
		&graph.AddPrototype{Space: "sp", Prototype: graph.Prototype{Name: "p2", Point: graph.Coordinates{"x": 9}, Source: "user"}},
		&graph.RemovePrototype{Space: "sp", Name: "p1"},
		&graph.SetStrategy{ID: "b", Strategy: &graph.Strategy{Player: 1, Names: []string{"l", "r"}}},
		&graph.SetStrategy{ID: "a"},
		&graph.FormCoalition{ID: "k2", Members: []string{"b", "c"}},
		&graph.DissolveCoalition{ID: "k"},
		&graph.RemoveNode{ID: "a"}, // with coordinates, a strategy and the last seat of coalition k
	}
	for _, cmd := range cases {
		t.Run(cmd.Op(), func(t *testing.T) {
			g := graph.New("g")
			decideApply(t, g, &graph.CreateGraph{Name: "demo", Tags: []string{"t1"}})
			decideApply(t, g, &graph.AddNodes{Nodes: []graph.Node{
				{ID: "a", Label: "A", Props: graph.Props{"color": raw(`"blue"`), "size": raw(`3`)}}, {ID: "b"}, {ID: "c", Kind: "k"}}})
			decideApply(t, g, &graph.DefineSpace{ID: "sp", Definition: raw(`{"domains":[{"name":"d","dimensions":[{"name":"x"}]}]}`)})
			decideApply(t, g, &graph.SetCoordinates{Space: "sp", Points: []graph.NodePoint{{ID: "a", Coordinates: graph.Coordinates{"x": 2}}}})
			decideApply(t, g, &graph.AddPrototype{Space: "sp", Prototype: graph.Prototype{Name: "p1", Point: graph.Coordinates{"x": 0}, Source: "kmeans"}})
			decideApply(t, g, &graph.SetStrategy{ID: "a", Strategy: &graph.Strategy{Player: 0, Names: []string{"u", "d"}}})
			decideApply(t, g, &graph.FormCoalition{ID: "k", Members: []string{"a"}})
			w := 2.5
			decideApply(t, g, &graph.AddEdges{Edges: []graph.EdgeInput{{ID: "ab", Source: "a", Target: "b", Weight: &w, Props: graph.Props{"p": raw(`true`)}},
				{ID: "bc", Source: "b", Target: "c"}}})
			n0, nodes0, edges0, tags0 := state(g)
			before := g.Clone()
			evs := decideApply(t, g, cmd)
			n1, nodes1, edges1, tags1 := state(g)
			afterChange := g.Clone()
			var undoEvents []graph.Event
			for i := range evs {
				cmds, err := compensate(before, &evs[i])
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cmds {
					undoEvents = append(undoEvents, decideApply(t, g, c)...)
				}
			}
			n2, nodes2, edges2, tags2 := state(g)
			if n2 != n0 || !reflect.DeepEqual(nodes2, nodes0) || !reflect.DeepEqual(edges2, edges0) || !reflect.DeepEqual(tags2, tags0) {
				t.Fatalf("after undo:\n%v %+v %+v %v\nwant\n%v %+v %+v %v", n2, nodes2, edges2, tags2, n0, nodes0, edges0, tags0)
			}
			// Redo: the undo's events compensated in reverse, each against the state just before it.
			states := []*graph.Graph{afterChange}
			replay := afterChange.Clone()
			for i := range undoEvents {
				replay.Apply(&undoEvents[i])
				states = append(states, replay.Clone())
			}
			for i := len(undoEvents) - 1; i >= 0; i-- {
				cmds, err := compensate(states[i], &undoEvents[i])
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cmds {
					decideApply(t, g, c)
				}
			}
			n3, nodes3, edges3, tags3 := state(g)
			if n3 != n1 || !reflect.DeepEqual(nodes3, nodes1) || !reflect.DeepEqual(edges3, edges1) || !reflect.DeepEqual(tags3, tags1) {
				t.Fatalf("after redo:\n%v %+v %+v %v\nwant\n%v %+v %+v %v", n3, nodes3, edges3, tags3, n1, nodes1, edges1, tags1)
			}
		})
	}
}

func TestDeletingAGraphCannotBeUndone(t *testing.T) {
	g := graph.New("g")
	decideApply(t, g, &graph.CreateGraph{Name: "demo"})
	before := g.Clone()
	evs := decideApply(t, g, &graph.DeleteGraph{})
	if _, err := compensate(before, &evs[0]); !errors.Is(err, ErrCannotUndo) {
		t.Fatalf("got %v, want ErrCannotUndo", err)
	}
}
