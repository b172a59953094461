package components

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/conceptual"
	"github.com/infoalchemist/alchemist/internal/game"
	"github.com/infoalchemist/alchemist/internal/graph"
)

var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// fruitDef is the fruit space of Bechberger's reference implementation, reduced: colour hue
// (circular), sweetness and a categorical shape.
const fruitDef = `{"domains": [
	{"name": "color", "dimensions": [{"name": "hue", "kind": "circular", "range": [0, 360]}]},
	{"name": "taste", "weight": 2, "dimensions": [{"name": "sweet", "range": [0, 1]}, {"name": "sour", "range": [0, 1]}]},
	{"name": "shape", "dimensions": [{"name": "form", "kind": "categorical", "values": ["round", "long"]}]}]}`

// world is a graph with its recorded history, so tests can replay it.
type world struct {
	t   testing.TB
	g   *graph.Graph
	log [][]byte
}

func newWorld(t testing.TB, nodes ...string) *world {
	t.Helper()
	Register()
	t.Cleanup(func() { graph.SetComponentRules(nil) })
	w := &world{t: t, g: graph.New("w")}
	w.must(&graph.CreateGraph{Name: "W"})
	ns := make([]graph.Node, len(nodes))
	for i, id := range nodes {
		ns[i] = graph.Node{ID: id}
	}
	if len(ns) > 0 {
		w.must(&graph.AddNodes{Nodes: ns})
	}
	return w
}

func (w *world) exec(cmd graph.Command) error {
	w.t.Helper()
	evs, err := graph.Decide(w.g, cmd, graph.Meta{CommandID: fmt.Sprint(len(w.log)), Time: t0})
	if err != nil {
		return err
	}
	for i := range evs {
		data, err := graph.EncodeEvent(&evs[i])
		if err != nil {
			w.t.Fatal(err)
		}
		ev, err := graph.DecodeEvent(data)
		if err != nil {
			w.t.Fatal(err)
		}
		w.log = append(w.log, data)
		ev.Seq = uint64(len(w.log))
		w.g.Apply(&ev)
	}
	return nil
}

func (w *world) must(cmd graph.Command) {
	w.t.Helper()
	if err := w.exec(cmd); err != nil {
		w.t.Fatalf("%s: %v", cmd.Op(), err)
	}
}

func (w *world) replay() *graph.Graph {
	h := graph.New(w.g.ID())
	for i, data := range w.log {
		ev, err := graph.DecodeEvent(data)
		if err != nil {
			w.t.Fatal(err)
		}
		ev.Seq = uint64(i + 1)
		h.Apply(&ev)
	}
	return h
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var ce *graph.CommandError
	if !errors.Is(err, graph.ErrInvalid) || !errors.As(err, &ce) || ce.Field != field {
		t.Fatalf("got %v, want an invalid-command error naming %q", err, field)
	}
}

func TestRegister(t *testing.T) {
	Register()
	Register()
	defer graph.SetComponentRules(nil)
	if _, ok := graph.CurrentComponentRules().(Rules); !ok {
		t.Fatalf("installed rules %T", graph.CurrentComponentRules())
	}
}

// TestMirrors holds the graph's component types equal to the engines' (same fields, types and JSON
// keys), since the aggregate records one and the engines read the other.
func TestMirrors(t *testing.T) {
	same := func(a, b reflect.Type) {
		t.Helper()
		if a.Kind() != b.Kind() {
			t.Fatalf("%v is a %v, %v a %v", a, a.Kind(), b, b.Kind())
		}
		if a.Kind() != reflect.Struct {
			if a.Kind() == reflect.Map && (a.Key() != b.Key() || a.Elem() != b.Elem()) {
				t.Fatalf("%v and %v differ", a, b)
			}
			return
		}
		if a.NumField() != b.NumField() {
			t.Fatalf("%v has %d fields, %v %d", a, a.NumField(), b, b.NumField())
		}
		for i := range a.NumField() {
			fa, fb := a.Field(i), b.Field(i)
			if fa.Name != fb.Name || fa.Tag != fb.Tag || fa.Type.Kind() != fb.Type.Kind() {
				t.Fatalf("%v.%s %v %q and %v.%s %v %q differ", a, fa.Name, fa.Type, fa.Tag, b, fb.Name, fb.Type, fb.Tag)
			}
		}
	}
	same(reflect.TypeFor[graph.Strategy](), reflect.TypeFor[game.Strategy]())
	same(reflect.TypeFor[graph.Utility](), reflect.TypeFor[game.Utility]())
	same(reflect.TypeFor[graph.Prototype](), reflect.TypeFor[conceptual.Prototype]())
	same(reflect.TypeFor[graph.Coordinates](), reflect.TypeFor[conceptual.Coordinates]())
	// The strict decoder knows every key of the definition types.
	keys := func(t reflect.Type) []string {
		var out []string
		for i := range t.NumField() {
			k, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			out = append(out, k)
		}
		return out
	}
	sd := reflect.TypeFor[strictDef]()
	dom := sd.Field(0).Type.Elem()
	dim := dom.Field(2).Type.Elem()
	for _, c := range []struct{ a, b reflect.Type }{
		{sd, reflect.TypeFor[conceptual.SpaceDefinition]()},
		{dom, reflect.TypeFor[conceptual.DomainDef]()},
		{dim, reflect.TypeFor[conceptual.DimensionDef]()},
	} {
		if !slices.Equal(keys(c.a), keys(c.b)) {
			t.Fatalf("strict definition keys %v, conceptual has %v", keys(c.a), keys(c.b))
		}
	}
}

func TestDefineSpaceRules(t *testing.T) {
	w := newWorld(t, "a")
	def := func(d string) error { return w.exec(&graph.DefineSpace{ID: "s", Definition: json.RawMessage(d)}) }
	wantField(t, def(`{"domains":[{"name":"c","weight":0,"dimensions":[{"name":"x"}]}]}`), "definition.domains[0].weight")
	wantField(t, def(`{"domains":[{"name":"c","dimensions":[{"name":"x","weight":-2}]}]}`), "definition.domains[0].dimensions[0].weight")
	wantField(t, def(`{"domains":[{"name":"c","dimensions":[{"name":"x","kind":"spiral"}]}]}`), "definition.domains[0].dimensions[0].kind")
	wantField(t, def(`{"domains":[{"name":"c","dimensions":[{"name":"x","kind":"circular"}]}]}`), "definition.domains[0].dimensions[0].range")
	wantField(t, def(`{"domains":[{"name":"c","dimensions":[{"name":"x","range":[2,1]}]}]}`), "definition.domains[0].dimensions[0].range")
	wantField(t, def(`{"domains":[{"dimensions":[{"name":"x"}]}]}`), "definition.domains[0].name")
	wantField(t, def(`{"domains":[{"name":"c","dimensions":[{"name":"x","range":"wide"}]}]}`), "definition.domains.dimensions.range")
	err := def(`{"domains":[{"name":"c","dimensions":[{"name":"x","wieght":2}]}]}`)
	if wantField(t, err, "definition"); !strings.Contains(err.Error(), "wieght") {
		t.Fatalf("misspelt key not named: %v", err)
	}
	w.must(&graph.DefineSpace{ID: "s", Name: "fruit", Definition: json.RawMessage(fruitDef)})
	sp, _ := w.g.Space("s")
	s, err := Space(w.g, "s")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sp.Definition), `"weight":1`) || s.Dims() != len(sp.Dimensions) {
		t.Fatalf("canonical definition %s", sp.Definition)
	}
	for k, name := range sp.Dimensions {
		if s.DimensionName(k) != name {
			t.Fatalf("graph dimension %d is %q, compiled %q", k, name, s.DimensionName(k))
		}
	}
}

func TestPointRules(t *testing.T) {
	w := newWorld(t, "a", "b")
	w.must(&graph.DefineSpace{ID: "s", Definition: json.RawMessage(fruitDef)})
	set := func(id string, c graph.Coordinates) error {
		return w.exec(&graph.SetCoordinates{Space: "s", Points: []graph.NodePoint{{ID: id, Coordinates: c}}})
	}
	wantField(t, set("a", graph.Coordinates{"sweet": 1.5}), "a.coordinates.sweet")
	wantField(t, set("a", graph.Coordinates{"form": 2}), "a.coordinates.form")
	wantField(t, set("a", graph.Coordinates{"form": 0.5}), "a.coordinates.form")
	w.must(&graph.SetCoordinates{Space: "s", Points: []graph.NodePoint{
		{ID: "a", Coordinates: graph.Coordinates{"hue": 370, "sweet": 0.8, "form": 1}},
		{ID: "b", Coordinates: graph.Coordinates{"hue": -90}},
	}})
	if c, _ := w.g.NodeCoordinates("s", "a"); c["hue"] != 10 {
		t.Fatalf("circular hue not wrapped: %v", c)
	}
	if c, _ := w.g.NodeCoordinates("s", "b"); c["hue"] != 270 {
		t.Fatalf("negative hue not wrapped: %v", c)
	}
	proto := func(name string, c graph.Coordinates) error {
		return w.exec(&graph.AddPrototype{Space: "s", Prototype: graph.Prototype{Name: name, Point: c}})
	}
	wantField(t, proto("apple", graph.Coordinates{"sour": -0.1}), "point.sour")
	w.must(&graph.AddPrototype{Space: "s", Prototype: graph.Prototype{Name: "apple", Point: graph.Coordinates{"hue": 0, "sweet": 0.7, "form": 0}, Source: "user"}})
	w.must(&graph.AddPrototype{Space: "s", Prototype: graph.Prototype{Name: "banana", Point: graph.Coordinates{"hue": 420, "sweet": 0.9, "form": 1}}})
	if ps := w.g.Prototypes("s"); ps[1].Point["hue"] != 60 {
		t.Fatalf("prototype point not canonical: %+v", ps[1])
	}
	// Nearest prototype through the categorizer equals brute force over conceptual distances.
	cat, err := Categorizer(w.g, "s")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := Space(w.g, "s")
	x, _ := s.Point(conceptual.Coordinates{"hue": 50, "sweet": 0.85, "form": 1}, "")
	best, bd := -1, math.Inf(1)
	for i, p := range w.g.Prototypes("s") {
		y, _ := s.Point(conceptual.Coordinates(p.Point), "")
		if d := s.Distance(x, y); d < bd {
			best, bd = i, d
		}
	}
	if i, d := cat.Nearest(x); i != best || d != bd || cat.Name(i) != "banana" {
		t.Fatalf("nearest %d %v, brute force %d %v", i, d, best, bd)
	}
}

func TestGameRules(t *testing.T) {
	w := newWorld(t, "a", "b", "c")
	strat := func(mixed ...string) error {
		return w.exec(&graph.SetStrategy{ID: "a", Strategy: &graph.Strategy{Player: 0, Names: []string{"L", "M", "R"}[:len(mixed)], Mixed: mixed}})
	}
	wantField(t, strat("1/2", "1/3"), "strategy.mixed")
	wantField(t, strat("3/2", "-1/2"), "strategy.mixed[0]")
	wantField(t, strat("1/2", "half"), "strategy.mixed[1]")
	wantField(t, strat("1e99999999", "0"), "strategy.mixed[0]")
	wantField(t, strat("0x1p99999", "0"), "strategy.mixed[0]")
	wantField(t, strat("1/0", "1"), "strategy.mixed[0]")
	w.must(&graph.SetStrategy{ID: "a", Strategy: &graph.Strategy{Player: 0, Names: []string{"L", "M", "R"}, Mixed: []string{"2/4", "0.25", "25e-2"}}})
	if st, _ := w.g.NodeStrategy("a"); !slices.Equal(st.Mixed, []string{"1/2", "1/4", "1/4"}) {
		t.Fatalf("mixed not in lowest terms: %v", st.Mixed)
	}
	p, err := MixedStrategy(func() graph.Strategy { s, _ := w.g.NodeStrategy("a"); return s }())
	if err != nil || p[0].Cmp(rat(1, 2)) != 0 {
		t.Fatalf("MixedStrategy %v %v", p, err)
	}
	util := func(u graph.Utility) error { return w.exec(&graph.SetUtility{ID: "b", Utility: &u}) }
	wantField(t, util(graph.Utility{Objectives: []string{"x", "y"}, Weights: []string{"0", "0/5"}}), "utility.weights")
	wantField(t, util(graph.Utility{Objectives: []string{"x", "y"}, Weights: []string{"1", "y"}}), "utility.weights[1]")
	w.must(&graph.SetUtility{ID: "b", Utility: &graph.Utility{Objectives: []string{"profit", "risk"}}})
	u, _ := w.g.NodeUtility("b")
	if !slices.Equal(u.Weights, []string{"1", "1"}) {
		t.Fatalf("default weights not explicit: %+v", u)
	}
	w.must(&graph.SetUtility{ID: "c", Utility: &graph.Utility{Objectives: []string{"profit", "risk"}, Weights: []string{"3/6", "-1"}}})
	if u, _ := w.g.NodeUtility("c"); !slices.Equal(u.Weights, []string{"1/2", "-1"}) {
		t.Fatalf("weights %v", u.Weights)
	}
	w.must(&graph.SetStrategy{ID: "b", Strategy: &graph.Strategy{Player: 0}})
	w.must(&graph.SetStrategy{ID: "c", Strategy: &graph.Strategy{Player: 1}})
	wantField(t, w.exec(&graph.FormCoalition{ID: "k", Members: []string{"a", "b"}}), "b")
	wantField(t, w.exec(&graph.FormCoalition{ID: "k", Value: "lots", Members: []string{"a", "c"}}), "value")
	w.must(&graph.FormCoalition{ID: "k", Value: "6/4", Members: []string{"a", "c"}})
	co, _ := w.g.Coalition("k")
	if v, ok, err := CoalitionValue(co); co.Value != "3/2" || !ok || err != nil || v.Cmp(rat(3, 2)) != 0 {
		t.Fatalf("coalition value %q", co.Value)
	}
	// The history replays to the same state with no rules installed.
	graph.SetComponentRules(nil)
	h := w.replay()
	for _, id := range []string{"a", "b", "c"} {
		s1, _ := w.g.NodeStrategy(id)
		s2, _ := h.NodeStrategy(id)
		u1, _ := w.g.NodeUtility(id)
		u2, _ := h.NodeUtility(id)
		if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(u1, u2) {
			t.Fatalf("replayed %s differs", id)
		}
	}
	if !reflect.DeepEqual(w.g.Coalitions(), h.Coalitions()) {
		t.Fatal("replayed coalitions differ")
	}
}

func rat(p, q int64) *big.Rat { return big.NewRat(p, q) }

// TestPointsBruteForce compares the flat read-out with per-node named coordinates mapped by the
// compiled space, over random points and removals (fixed seed), live, replayed and restored.
func TestPointsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var ids []string
	for i := range 60 {
		ids = append(ids, fmt.Sprintf("n%d", i))
	}
	w := newWorld(t, ids...)
	w.must(&graph.DefineSpace{ID: "s", Definition: json.RawMessage(fruitDef)})
	var pts []graph.NodePoint
	for _, id := range ids {
		if rng.IntN(4) == 0 {
			continue
		}
		c := graph.Coordinates{"hue": rng.Float64() * 720}
		if rng.IntN(2) == 0 {
			c["sweet"] = rng.Float64()
		}
		c["form"] = float64(rng.IntN(2))
		pts = append(pts, graph.NodePoint{ID: id, Coordinates: c})
	}
	w.must(&graph.SetCoordinates{Space: "s", Points: pts})
	for _, id := range ids[:10] {
		w.must(&graph.RemoveNode{ID: id})
	}
	w.must(&graph.FormCoalition{ID: "k1", Members: ids[10:15]})
	w.must(&graph.FormCoalition{ID: "k0", Members: ids[20:22]})
	snap, _ := w.g.MarshalBinary()
	restored, err := graph.DecodeSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int32{}
	for i, id := range ids {
		rows[id] = int32(len(ids) - 1 - i) // rows need not follow storage order
	}
	s, _ := Space(w.g, "s")
	for _, g := range []*graph.Graph{w.g, w.replay(), restored} {
		flat, dims, err := Points(g, "s", rows, len(ids), nil)
		if err != nil || dims != s.Dims() || len(flat) != len(ids)*dims {
			t.Fatalf("Points: %v dims %d len %d", err, dims, len(flat))
		}
		for _, id := range ids {
			r := int(rows[id])
			got := flat[r*dims : (r+1)*dims]
			c, ok := g.NodeCoordinates("s", id)
			want := make([]float64, dims)
			for k := range want {
				want[k] = math.NaN()
			}
			if ok {
				want, _ = s.Point(conceptual.Coordinates(c), "")
			}
			for k := range want {
				if !(got[k] == want[k] || math.IsNaN(got[k]) && math.IsNaN(want[k])) {
					t.Fatalf("%s dim %d: %v, want %v", id, k, got, want)
				}
			}
		}
		mem, cids := Membership(g, rows, len(ids), nil)
		if !slices.Equal(cids, []string{"k0", "k1"}) {
			t.Fatalf("coalition ids %v", cids)
		}
		for _, id := range ids {
			c, ok := g.NodeCoalition(id)
			want := int32(-1)
			if ok {
				want = int32(slices.Index(cids, c))
			}
			if mem[rows[id]] != want {
				t.Fatalf("%s in %d, want %d", id, mem[rows[id]], want)
			}
		}
	}
	if _, _, err := Points(w.g, "nope", rows, 1, nil); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("unknown space: %v", err)
	}
}

// TestPartition: coalitions restricted to players, plus singletons for free players, make a
// structure the game engine accepts (the glove game's left-glove owner allied with one right glove).
func TestPartition(t *testing.T) {
	w := newWorld(t, "L", "R1", "R2", "x")
	for i, id := range []string{"L", "R1", "R2"} {
		w.must(&graph.SetStrategy{ID: id, Strategy: &graph.Strategy{Player: i}})
	}
	w.must(&graph.FormCoalition{ID: "k", Members: []string{"L", "R1", "x"}})
	players := PlayerIndex(w.g)
	p, err := Partition(w.g, players, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := (game.Partition{game.CoalitionOf(0, 1), game.CoalitionOf(2)}); !reflect.DeepEqual(p, want) {
		t.Fatalf("partition %v, want %v", p, want)
	}
	glove := game.GloveGame{N: 3, Left: game.CoalitionOf(0), Right: game.CoalitionOf(1, 2)}
	if _, err := game.AnalyzeStructure(glove, p, game.Utilitarian); err != nil {
		t.Fatalf("game refuses the structure: %v", err)
	}
	if _, err := Partition(w.g, players, 2); err == nil {
		t.Fatal("player 2 of 2 accepted")
	}
	if _, err := Partition(w.g, players, 65); !errors.Is(err, game.ErrTooLarge) {
		t.Fatalf("65 players: %v", err)
	}
}
