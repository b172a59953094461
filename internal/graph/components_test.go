package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const colorDef = `{"domains": [
	{"name": "color", "dimensions": [{"name": "hue", "kind": "circular", "range": [0, 360]}, {"name": "sat"}]},
	{"name": "taste", "weight": 2, "dimensions": [{"name": "sweet"}]}]}`

// wantField checks the sentinel and that the error names field.
func wantField(t *testing.T, err, sentinel error, field string) {
	t.Helper()
	var ce *CommandError
	if !errors.Is(err, sentinel) || !errors.As(err, &ce) || ce.Field != field {
		t.Fatalf("got %v, want %v naming %q", err, sentinel, field)
	}
}

func newPlayers(t *testing.T) *Graph {
	t.Helper()
	g := New("c")
	mustExec(t, g, &CreateGraph{Name: "C"})
	mustExec(t, g, &AddNodes{Nodes: []Node{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}})
	return g
}

func TestDefineSpace(t *testing.T) {
	g := newPlayers(t)
	for def, field := range map[string]string{
		``:                  "definition",
		`null`:              "definition",
		`{"domains": [}`:    "definition",
		`[1]`:               "definition",
		`{"domains": []}`:   "definition.domains",
		`{"domains": [{}]}`: "definition.domains[0].dimensions",
		`{"domains": [{"dimensions": [{"name": ""}]}]}`:        "definition.domains[0].dimensions[0].name",
		`{"domains": [{"dimensions": [{"name": "x\u0001"}]}]}`: "definition.domains[0].dimensions[0].name",
	} {
		wantField(t, exec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(def)}), ErrInvalid, field)
	}
	wantField(t, exec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(`{"domains": [{"dimensions": [{"name": "x"}]}, {"dimensions": [{"name": "x"}]}]}`)}),
		ErrDuplicate, "definition.domains[1].dimensions[0].name")
	wantField(t, exec(t, g, &DefineSpace{ID: "", Definition: json.RawMessage(colorDef)}), ErrInvalid, "id")
	mustExec(t, g, &DefineSpace{ID: "s", Name: "Fruit", Definition: json.RawMessage(colorDef)})
	wantField(t, exec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(colorDef)}), ErrDuplicate, "s")
	s, ok := g.Space("s")
	if !ok || s.Name != "Fruit" || !slices.Equal(s.Dimensions, []string{"hue", "sat", "sweet"}) || strings.ContainsAny(string(s.Definition), " \n\t") {
		t.Fatalf("space %+v", s)
	}
	if sp := g.Spaces(); len(sp) != 1 || sp[0].ID != "s" {
		t.Fatalf("Spaces %+v", sp)
	}
}

func TestSetCoordinates(t *testing.T) {
	g := newPlayers(t)
	pts := func(ps ...NodePoint) *SetCoordinates { return &SetCoordinates{Space: "s", Points: ps} }
	wantField(t, exec(t, g, pts(NodePoint{ID: "a", Coordinates: Coordinates{"hue": 1}})), ErrNotFound, "s")
	mustExec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(colorDef)})
	wantField(t, exec(t, g, pts()), ErrInvalid, "")
	wantField(t, exec(t, g, pts(NodePoint{ID: "zz", Coordinates: Coordinates{"hue": 1}})), ErrNotFound, "zz")
	wantField(t, exec(t, g, pts(NodePoint{ID: "a", Coordinates: Coordinates{"hue": 1, "bitter": 2}})), ErrInvalid, "a.coordinates.bitter")
	wantField(t, exec(t, g, pts(NodePoint{ID: "a", Coordinates: Coordinates{"sat": math.NaN()}})), ErrInvalid, "a.coordinates.sat")
	wantField(t, exec(t, g, pts(NodePoint{ID: "a", Coordinates: Coordinates{"sat": 1}}, NodePoint{ID: "a", Coordinates: Coordinates{"sat": 2}})), ErrDuplicate, "a")
	wantField(t, exec(t, g, pts(NodePoint{ID: "a"})), ErrInvalid, "s") // nothing to clear
	mustExec(t, g, pts(NodePoint{ID: "a", Coordinates: Coordinates{"sweet": 3, "hue": 10}}, NodePoint{ID: "b", Coordinates: Coordinates{"sat": 0.5}}))
	if c, ok := g.NodeCoordinates("s", "a"); !ok || !reflect.DeepEqual(c, Coordinates{"hue": 10, "sweet": 3}) {
		t.Fatalf("a: %v %v", c, ok)
	}
	var ids []string
	for id, v := range g.SpacePoints("s") {
		ids = append(ids, id)
		if id == "a" && (v[0] != 10 || !math.IsNaN(v[1]) || v[2] != 3) {
			t.Fatalf("flat point of a: %v", v)
		}
	}
	if !slices.Equal(ids, []string{"a", "b"}) {
		t.Fatalf("SpacePoints %v", ids)
	}
	// A new point replaces the old one; clearing removes it.
	mustExec(t, g, pts(NodePoint{ID: "a", Coordinates: Coordinates{"sat": 1}}, NodePoint{ID: "b"}))
	if c, _ := g.NodeCoordinates("s", "a"); !reflect.DeepEqual(c, Coordinates{"sat": 1}) {
		t.Fatalf("replaced: %v", c)
	}
	if _, ok := g.NodeCoordinates("s", "b"); ok {
		t.Fatal("b's point not cleared")
	}
	if s, _ := g.Space("s"); s.Points != 1 {
		t.Fatalf("points %d", s.Points)
	}
}

func TestPrototypes(t *testing.T) {
	g := newPlayers(t)
	mustExec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(colorDef)})
	proto := func(name string, pt Coordinates) *AddPrototype {
		return &AddPrototype{Space: "s", Prototype: Prototype{Name: name, Point: pt, Source: "user"}}
	}
	wantField(t, exec(t, g, &AddPrototype{Space: "nope", Prototype: Prototype{Name: "x", Point: Coordinates{"hue": 1}}}), ErrNotFound, "nope")
	wantField(t, exec(t, g, proto("", Coordinates{"hue": 1})), ErrInvalid, "name")
	wantField(t, exec(t, g, proto("red", nil)), ErrInvalid, "point")
	wantField(t, exec(t, g, proto("red", Coordinates{"umami": 1})), ErrInvalid, "point.umami")
	wantField(t, exec(t, g, proto("red", Coordinates{"hue": math.Inf(1)})), ErrInvalid, "point.hue")
	mustExec(t, g, proto("red", Coordinates{"hue": 0, "sat": 1}))
	mustExec(t, g, proto("green", Coordinates{"hue": 120}))
	wantField(t, exec(t, g, proto("red", Coordinates{"hue": 2})), ErrDuplicate, "red")
	if ps := g.Prototypes("s"); len(ps) != 2 || ps[0].Name != "red" || ps[1].Name != "green" || ps[0].Source != "user" {
		t.Fatalf("prototypes %+v", ps)
	}
	wantField(t, exec(t, g, &RemovePrototype{Space: "s", Name: "blue"}), ErrNotFound, "blue")
	evs, err := Decide(g, &RemovePrototype{Space: "s", Name: "red"}, Meta{})
	if err != nil || !reflect.DeepEqual(evs[0].Data.(*PrototypeRemoved).Point, Coordinates{"hue": 0, "sat": 1}) {
		t.Fatalf("prototype_removed %v %+v", err, evs)
	}
	mustExec(t, g, &RemovePrototype{Space: "s", Name: "red"})
	if ps := g.Prototypes("s"); len(ps) != 1 || ps[0].Name != "green" {
		t.Fatalf("after remove %+v", ps)
	}
}

func TestStrategyUtility(t *testing.T) {
	g := newPlayers(t)
	set := func(id string, s *Strategy) error { return exec(t, g, &SetStrategy{ID: id, Strategy: s}) }
	wantField(t, set("zz", &Strategy{}), ErrNotFound, "zz")
	wantField(t, set("a", nil), ErrInvalid, "a")
	wantField(t, set("a", &Strategy{Player: -1}), ErrInvalid, "strategy.player")
	wantField(t, set("a", &Strategy{Names: []string{"C", "C"}}), ErrDuplicate, "strategy.names[1]")
	wantField(t, set("a", &Strategy{Names: []string{"C", ""}}), ErrInvalid, "strategy.names[1]")
	wantField(t, set("a", &Strategy{Names: []string{"C", "D"}, Mixed: []string{"1"}}), ErrInvalid, "strategy.mixed")
	wantField(t, set("a", &Strategy{Mixed: []string{"1/2", ""}}), ErrInvalid, "strategy.mixed[1]")
	mustExec(t, g, &SetStrategy{ID: "a", Strategy: &Strategy{Player: 1, Names: []string{"C", "D"}, Mixed: []string{"1/3", "2/3"}}})
	if s, ok := g.NodeStrategy("a"); !ok || s.Player != 1 || !slices.Equal(s.Mixed, []string{"1/3", "2/3"}) {
		t.Fatalf("strategy %+v", s)
	}
	setU := func(id string, u *Utility) error { return exec(t, g, &SetUtility{ID: id, Utility: u}) }
	wantField(t, setU("a", nil), ErrInvalid, "a")
	wantField(t, setU("a", &Utility{Objectives: []string{"x"}, Weights: []string{"1", "2"}}), ErrInvalid, "utility.weights")
	wantField(t, setU("a", &Utility{Objectives: []string{"x"}, Weights: []string{"1"}, Lexicographic: true}), ErrInvalid, "utility.weights")
	mustExec(t, g, &SetUtility{ID: "a", Utility: &Utility{Objectives: []string{"profit", "risk"}, Weights: []string{"2", "-1/2"}}})
	mustExec(t, g, &SetUtility{ID: "b", Utility: &Utility{Objectives: []string{"time"}, Lexicographic: true}})
	if u, ok := g.NodeUtility("b"); !ok || !u.Lexicographic {
		t.Fatalf("utility %+v", u)
	}
	var players []string
	for id := range g.Strategies() {
		players = append(players, id)
	}
	if !slices.Equal(players, []string{"a"}) || len(slices.Collect(maps.Keys(maps.Collect(g.Utilities())))) != 2 {
		t.Fatalf("players %v", players)
	}
	mustExec(t, g, &SetStrategy{ID: "a"})
	if _, ok := g.NodeStrategy("a"); ok {
		t.Fatal("strategy not removed")
	}
	mustExec(t, g, &SetUtility{ID: "b"})
	if g.nodes[g.nodeIdx.slot("b")].comp != nil {
		t.Fatal("empty component record kept")
	}
}

func TestCoalitions(t *testing.T) {
	g := newPlayers(t)
	form := func(id string, members ...string) error {
		return exec(t, g, &FormCoalition{ID: id, Name: "N" + id, Value: "3/2", Members: members})
	}
	wantField(t, form("k"), ErrInvalid, "members")
	wantField(t, form("k", "a", "zz"), ErrDangling, "zz")
	wantField(t, exec(t, g, &FormCoalition{ID: "k", Value: "1/\x00", Members: []string{"a"}}), ErrInvalid, "value")
	mustExec(t, g, &FormCoalition{ID: "k", Name: "K", Value: "3/2", Members: []string{"b", "a", "b"}})
	wantField(t, form("k", "c"), ErrDuplicate, "k")
	wantField(t, form("k2", "c", "a"), ErrInvalid, "a")
	mustExec(t, g, &FormCoalition{ID: "k2", Members: []string{"c"}})
	want := []Coalition{{ID: "k", Name: "K", Value: "3/2", Members: []string{"a", "b"}}, {ID: "k2", Members: []string{"c"}}}
	if got := g.Coalitions(); !reflect.DeepEqual(got, want) {
		t.Fatalf("coalitions %+v", got)
	}
	if id, ok := g.NodeCoalition("b"); !ok || id != "k" {
		t.Fatalf("b in %q", id)
	}
	wantField(t, exec(t, g, &DissolveCoalition{ID: "zz"}), ErrNotFound, "zz")
	evs, _ := Decide(g, &DissolveCoalition{ID: "k"}, Meta{})
	if !slices.Equal(evs[0].Data.(*CoalitionDissolved).Members, []string{"a", "b"}) {
		t.Fatalf("dissolved records %+v", evs[0].Data)
	}
	mustExec(t, g, &DissolveCoalition{ID: "k"})
	if _, ok := g.NodeCoalition("a"); ok || len(g.Coalitions()) != 1 {
		t.Fatal("dissolve left members behind")
	}
	mustExec(t, g, &FormCoalition{ID: "k3", Members: []string{"a", "b"}}) // free again
}

// TestRemoveNodeComponents: node_removed records and drops every component, and a coalition whose
// last member goes ends with it.
func TestRemoveNodeComponents(t *testing.T) {
	g := newPlayers(t)
	mustExec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(colorDef)})
	mustExec(t, g, &DefineSpace{ID: "t", Definition: json.RawMessage(`{"domains":[{"name":"d","dimensions":[{"name":"x"}]}]}`)})
	mustExec(t, g, &SetCoordinates{Space: "s", Points: []NodePoint{{ID: "a", Coordinates: Coordinates{"hue": 5}}, {ID: "b", Coordinates: Coordinates{"sat": 1}}}})
	mustExec(t, g, &SetCoordinates{Space: "t", Points: []NodePoint{{ID: "a", Coordinates: Coordinates{"x": 1}}}})
	mustExec(t, g, &SetStrategy{ID: "a", Strategy: &Strategy{Player: 0, Names: []string{"L", "R"}}})
	mustExec(t, g, &SetUtility{ID: "a", Utility: &Utility{Objectives: []string{"u"}}})
	mustExec(t, g, &FormCoalition{ID: "k", Members: []string{"a", "c"}})
	mustExec(t, g, &FormCoalition{ID: "solo", Members: []string{"d"}})
	evs, err := Decide(g, &RemoveNode{ID: "a"}, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	want := &NodeRemoved{ID: "a", Edges: []Edge{},
		Points:    []SpacePoint{{Space: "s", Coordinates: Coordinates{"hue": 5}}, {Space: "t", Coordinates: Coordinates{"x": 1}}},
		Strategy:  &Strategy{Names: []string{"L", "R"}},
		Utility:   &Utility{Objectives: []string{"u"}},
		Coalition: "k"}
	if !reflect.DeepEqual(evs[0].Data, want) {
		t.Fatalf("node_removed %+v", evs[0].Data)
	}
	mustExec(t, g, &RemoveNode{ID: "a"})
	if _, ok := g.NodeCoordinates("s", "a"); ok || g.NodeCount() != 3 {
		t.Fatal("point survived its node")
	}
	if s, _ := g.Space("s"); s.Points != 1 {
		t.Fatalf("space s has %d points", s.Points)
	}
	if co, _ := g.Coalition("k"); !slices.Equal(co.Members, []string{"c"}) {
		t.Fatalf("coalition k %+v", co)
	}
	evs, _ = Decide(g, &RemoveNode{ID: "d"}, Meta{})
	if p := evs[0].Data.(*NodeRemoved); p.Coalition != "solo" || !p.CoalitionDissolved {
		t.Fatalf("last member's removal: %+v", p)
	}
	mustExec(t, g, &RemoveNode{ID: "d"})
	if _, ok := g.Coalition("solo"); ok {
		t.Fatal("empty coalition kept")
	}
	// A node added into the freed slot starts with no components.
	mustExec(t, g, &AddNodes{Nodes: []Node{{ID: "e"}, {ID: "f"}}})
	for _, id := range []string{"e", "f"} {
		if _, ok := g.NodeStrategy(id); ok {
			t.Fatalf("%s inherited a strategy", id)
		}
		if _, ok := g.NodeCoalition(id); ok {
			t.Fatalf("%s inherited a coalition", id)
		}
		if _, ok := g.NodeCoordinates("s", id); ok {
			t.Fatalf("%s inherited a point", id)
		}
	}
	checkSnapshot(t, g)
}

// testRules is a stand-in for internal/components: circular "hue" wraps into [0, 360), "sat" must
// lie in [0, 1], mixed strategies must not be "0/0", utilities get a default objective.
type testRules struct{ compiled int }

type testPoints struct{}

func (r *testRules) Space(def json.RawMessage) (json.RawMessage, PointRules, error) {
	r.compiled++
	if strings.Contains(string(def), `"weight":-1`) {
		return nil, nil, &CommandError{Field: "domains[0].weight", Msg: "weight must be > 0"}
	}
	return nil, testPoints{}, nil
}

func (testPoints) Point(c Coordinates) (Coordinates, error) {
	out := maps.Clone(c)
	if h, ok := out["hue"]; ok {
		out["hue"] = math.Mod(math.Mod(h, 360)+360, 360)
	}
	if s, ok := out["sat"]; ok && (s < 0 || s > 1) {
		return nil, &CommandError{Field: "sat", Msg: "out of range", Err: ErrInvalid}
	}
	return out, nil
}

func (*testRules) Strategy(s Strategy) (Strategy, error) {
	if slices.Contains(s.Mixed, "0/0") {
		return s, errors.New("division by zero")
	}
	return s, nil
}

func (*testRules) Utility(u Utility) (Utility, error) {
	if len(u.Objectives) == 0 {
		u.Objectives = []string{"payoff"}
	}
	return u, nil
}

func (*testRules) Coalition(g *Graph, c Coalition) (Coalition, error) {
	if c.Value == "2/4" {
		c.Value = "1/2"
	}
	return c, nil
}

func TestComponentRules(t *testing.T) {
	r := &testRules{}
	SetComponentRules(r)
	defer SetComponentRules(nil)
	if CurrentComponentRules() != r {
		t.Fatal("rules not installed")
	}
	g := newPlayers(t)
	wantField(t, exec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(`{"domains":[{"weight":-1,"dimensions":[{"name":"x"}]}]}`)}),
		ErrInvalid, "definition.domains[0].weight")
	mustExec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(colorDef)})
	wantField(t, exec(t, g, &SetCoordinates{Space: "s", Points: []NodePoint{{ID: "b", Coordinates: Coordinates{"sat": 2}}}}), ErrInvalid, "b.coordinates.sat")
	before := r.compiled
	mustExec(t, g, &SetCoordinates{Space: "s", Points: []NodePoint{{ID: "a", Coordinates: Coordinates{"hue": 370}}, {ID: "b", Coordinates: Coordinates{"hue": -30}}}})
	if r.compiled != before+1 {
		t.Fatalf("space compiled %d times for one command", r.compiled-before)
	}
	if c, _ := g.NodeCoordinates("s", "b"); c["hue"] != 330 {
		t.Fatalf("hue not canonicalised: %v", c)
	}
	wantField(t, exec(t, g, &AddPrototype{Space: "s", Prototype: Prototype{Name: "p", Point: Coordinates{"sat": -1}}}), ErrInvalid, "point.sat")
	wantField(t, exec(t, g, &SetStrategy{ID: "a", Strategy: &Strategy{Mixed: []string{"0/0"}}}), ErrInvalid, "strategy")
	mustExec(t, g, &SetUtility{ID: "a", Utility: &Utility{}})
	if u, _ := g.NodeUtility("a"); !slices.Equal(u.Objectives, []string{"payoff"}) {
		t.Fatalf("utility not canonicalised: %+v", u)
	}
	mustExec(t, g, &FormCoalition{ID: "k", Value: "2/4", Members: []string{"a"}})
	if co, _ := g.Coalition("k"); co.Value != "1/2" {
		t.Fatalf("value %q", co.Value)
	}
	// Rules are consulted by Decide only: the history replays the same without them.
	SetComponentRules(nil)
	h := replay(t, g)
	assertSameComponents(t, g, h)
}

// history records every event exec applied to a graph, encoded, for the replay tests.
var history = map[*Graph][][]byte{}

// replay rebuilds g from the events exec recorded for it.
func replay(t *testing.T, g *Graph) *Graph {
	t.Helper()
	h := New(g.ID())
	for i, data := range history[g] {
		ev, err := DecodeEvent(data)
		if err != nil {
			t.Fatal(err)
		}
		ev.Seq = uint64(i + 1)
		h.Apply(&ev)
	}
	return h
}

type componentState struct {
	Spaces     []Space
	Points     map[string]map[string]Coordinates
	Strategies map[string]Strategy
	Utilities  map[string]Utility
	Coalitions []Coalition
	Member     map[string]string
}

func components(g *Graph) componentState {
	s := componentState{Spaces: g.Spaces(), Points: map[string]map[string]Coordinates{},
		Strategies: maps.Collect(g.Strategies()), Utilities: maps.Collect(g.Utilities()),
		Coalitions: g.Coalitions(), Member: map[string]string{}}
	for _, sp := range s.Spaces {
		m := map[string]Coordinates{}
		for id := range g.SpacePoints(sp.ID) {
			m[id], _ = g.NodeCoordinates(sp.ID, id)
		}
		s.Points[sp.ID] = m
	}
	for n := range g.Nodes() {
		if c, ok := g.NodeCoalition(n.ID); ok {
			s.Member[n.ID] = c
		}
	}
	return s
}

func assertSameComponents(t *testing.T, want, got *Graph) {
	t.Helper()
	a, b := components(want), components(got)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("component state differs:\n%+v\n%+v", a, b)
	}
}

// TestComponentsRandomReplay drives component commands at random (fixed seed) and checks after
// every step that replaying the recorded events and restoring the snapshot give the live state.
func TestComponentsRandomReplay(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	g := New("rr")
	mustExec(t, g, &CreateGraph{Name: "rr"})
	next := 0
	nodes := func() []string { return slices.Sorted(maps.Keys(g.nodeIdx.own)) } // never forked here
	pick := func() string {
		ns := nodes()
		if len(ns) == 0 {
			return "none"
		}
		return ns[rng.IntN(len(ns))]
	}
	dims := []string{"hue", "sat", "sweet"}
	for step := 0; step < 1500; step++ {
		var cmd Command
		switch r := rng.IntN(12); {
		case r < 2:
			cmd = &AddNodes{Nodes: []Node{{ID: fmt.Sprintf("n%d", next)}, {ID: fmt.Sprintf("n%d", next+1)}}}
			next += 2
		case r < 3:
			cmd = &RemoveNode{ID: pick()}
		case r < 4:
			cmd = &DefineSpace{ID: fmt.Sprintf("s%d", rng.IntN(3)), Definition: json.RawMessage(colorDef)}
		case r < 6:
			var ps []NodePoint
			for k := rng.IntN(3) + 1; k > 0; k-- {
				c := Coordinates{}
				for _, d := range dims {
					if rng.IntN(2) == 0 {
						c[d] = float64(rng.IntN(100))
					}
				}
				ps = append(ps, NodePoint{ID: pick(), Coordinates: c})
			}
			cmd = &SetCoordinates{Space: fmt.Sprintf("s%d", rng.IntN(3)), Points: ps}
		case r < 7:
			cmd = &AddPrototype{Space: fmt.Sprintf("s%d", rng.IntN(3)), Prototype: Prototype{Name: fmt.Sprintf("p%d", rng.IntN(4)), Point: Coordinates{"hue": float64(step)}}}
		case r < 8:
			st := &Strategy{Player: rng.IntN(3), Names: []string{"a", "b"}}
			if rng.IntN(3) == 0 {
				st = nil
			}
			cmd = &SetStrategy{ID: pick(), Strategy: st}
		case r < 9:
			u := &Utility{Objectives: []string{"x"}, Weights: []string{"1"}}
			if rng.IntN(3) == 0 {
				u = nil
			}
			cmd = &SetUtility{ID: pick(), Utility: u}
		case r < 11:
			cmd = &FormCoalition{ID: fmt.Sprintf("k%d", rng.IntN(5)), Members: []string{pick(), pick()}}
		default:
			cmd = &DissolveCoalition{ID: fmt.Sprintf("k%d", rng.IntN(5))}
		}
		err := exec(t, g, cmd)
		var ce *CommandError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("step %d: %v", step, err)
		}
		checkComponentInvariants(t, g, step)
		if step%100 == 0 {
			assertSameComponents(t, g, replay(t, g))
			checkSnapshot(t, g)
		}
	}
	if len(g.Coalitions()) == 0 || len(g.Spaces()) == 0 || len(maps.Collect(g.Strategies())) == 0 {
		t.Fatal("random walk never built components; the test proves nothing")
	}
}

// checkComponentInvariants compares the indexed state with a brute-force scan.
func checkComponentInvariants(t *testing.T, g *Graph, step int) {
	t.Helper()
	seen := map[string]string{}
	for _, co := range g.Coalitions() {
		if len(co.Members) == 0 {
			t.Fatalf("step %d: empty coalition %s", step, co.ID)
		}
		for _, m := range co.Members {
			if !g.HasNode(m) {
				t.Fatalf("step %d: coalition %s has dead member %s", step, co.ID, m)
			}
			if other, dup := seen[m]; dup {
				t.Fatalf("step %d: %s in %s and %s", step, m, other, co.ID)
			}
			seen[m] = co.ID
		}
	}
	for n := range g.Nodes() {
		c, _ := g.NodeCoalition(n.ID)
		if c != seen[n.ID] {
			t.Fatalf("step %d: node %s says coalition %q, coalitions say %q", step, n.ID, c, seen[n.ID])
		}
	}
	for _, sp := range g.Spaces() {
		n := 0
		for id := range g.SpacePoints(sp.ID) {
			if !g.HasNode(id) {
				t.Fatalf("step %d: point of dead node %s", step, id)
			}
			n++
		}
		if n != sp.Points {
			t.Fatalf("step %d: space %s counts %d points, has %d", step, sp.ID, sp.Points, n)
		}
	}
}

// TestSnapshotV1 decodes a snapshot written by the format-1 encoder (before components existed).
func TestSnapshotV1(t *testing.T) {
	data, err := os.ReadFile("testdata/snapshot-v1.bin")
	if err != nil {
		t.Fatal(err)
	}
	g, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := g.Node("a")
	if g.Name() != "V1" || g.NodeCount() != 2 || g.EdgeCount() != 0 || a.Label != "A" || a.Pin == nil ||
		!slices.Equal(a.Coords, []float64{1, 2}) || len(g.Spaces()) != 0 || len(g.Coalitions()) != 0 {
		t.Fatalf("v1 snapshot: %+v", g.Data())
	}
	if s, _ := g.Subgraph("s"); !slices.Equal(s.Nodes, []string{"a", "c"}) {
		t.Fatalf("subgraph %+v", s)
	}
	// It re-encodes as format 2 and keeps evolving with components.
	mustExec(t, g, &AddNodes{Nodes: []Node{{ID: "b2"}}})
	mustExec(t, g, &FormCoalition{ID: "k", Members: []string{"a", "b2"}})
	checkSnapshot(t, g)
}

func TestDataComponents(t *testing.T) {
	g := newPlayers(t)
	plain, _ := json.Marshal(g.Data())
	if strings.Contains(string(plain), "spaces") || strings.Contains(string(plain), "components") || strings.Contains(string(plain), "coalitions") {
		t.Fatalf("a graph without components exports %s", plain)
	}
	mustExec(t, g, &DefineSpace{ID: "s", Definition: json.RawMessage(colorDef)})
	mustExec(t, g, &SetCoordinates{Space: "s", Points: []NodePoint{{ID: "b", Coordinates: Coordinates{"hue": 1}}}})
	mustExec(t, g, &SetStrategy{ID: "c", Strategy: &Strategy{Player: 3}})
	mustExec(t, g, &FormCoalition{ID: "k", Members: []string{"c", "d"}})
	d := g.Data()
	want := []NodeComponents{
		{ID: "b", Coordinates: map[string]Coordinates{"s": {"hue": 1}}},
		{ID: "c", Strategy: &Strategy{Player: 3}, Coalition: "k"},
		{ID: "d", Coalition: "k"},
	}
	if !reflect.DeepEqual(d.Components, want) || len(d.Spaces) != 1 || len(d.Coalitions) != 1 {
		t.Fatalf("Data components %+v spaces %+v coalitions %+v", d.Components, d.Spaces, d.Coalitions)
	}
}
