package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// exec decides cmd, round-trips the events through the encoder and applies them with increasing
// sequence numbers, as a store would.
func exec(t testing.TB, g *Graph, cmd Command) error {
	t.Helper()
	evs, err := Decide(g, cmd, Meta{Actor: "test", CommandID: fmt.Sprintf("cmd-%d", g.applied), Time: t0})
	if err != nil {
		return err
	}
	for i := range evs {
		data, err := EncodeEvent(&evs[i])
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		ev, err := DecodeEvent(data)
		if err != nil {
			t.Fatalf("decode %s: %v", data, err)
		}
		ev.Seq = g.version + 1
		g.Apply(&ev)
		history[g] = append(history[g], data)
	}
	return nil
}

func mustExec(t testing.TB, g *Graph, cmd Command) {
	t.Helper()
	if err := exec(t, g, cmd); err != nil {
		t.Fatalf("%s: %v", cmd.Op(), err)
	}
}

func wantErr(t *testing.T, err, sentinel error, code string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("got %v, want %v", err, sentinel)
	}
	var ce *CommandError
	if !errors.As(err, &ce) || ce.Code() != code {
		t.Fatalf("error %v: want *CommandError with code %s", err, code)
	}
}

func w(x float64) *float64 { return &x }

func TestLifecycle(t *testing.T) {
	g := New("g1")
	wantErr(t, exec(t, g, &AddNodes{Nodes: []Node{{ID: "a"}}}), ErrNotFound, CodeNotFound)
	mustExec(t, g, &CreateGraph{Name: "Demo", Tags: []string{"x"}})
	wantErr(t, exec(t, g, &CreateGraph{Name: "Again"}), ErrExists, CodeConflict)
	mustExec(t, g, &AddNodes{Nodes: []Node{{ID: "a", Label: "A", Kind: "person"}, {ID: "b"}, {ID: "c"}}})
	wantErr(t, exec(t, g, &AddNodes{Nodes: []Node{{ID: "a"}}}), ErrDuplicate, CodeInvalid)
	wantErr(t, exec(t, g, &AddNodes{Nodes: []Node{{ID: "d"}, {ID: "d"}}}), ErrDuplicate, CodeInvalid)
	mustExec(t, g, &AddEdges{Edges: []EdgeInput{{ID: "ab", Source: "a", Target: "b"}, {ID: "ca", Source: "c", Target: "a", Weight: w(2)}, {ID: "aa", Source: "a", Target: "a"}}})
	wantErr(t, exec(t, g, &AddEdges{Edges: []EdgeInput{{ID: "x", Source: "a", Target: "zz"}}}), ErrDangling, CodeInvalid)
	wantErr(t, exec(t, g, &AddEdges{Edges: []EdgeInput{{ID: "ab", Source: "a", Target: "b"}}}), ErrDuplicate, CodeInvalid)
	wantErr(t, exec(t, g, &AddEdges{Edges: []EdgeInput{{ID: "nan", Source: "a", Target: "b", Weight: w(math.NaN())}}}), ErrInvalid, CodeInvalid)
	if e, _ := g.Edge("ab"); e.Weight != 1 {
		t.Fatalf("default weight %v", e.Weight)
	}
	if g.Degree("a") != 3 {
		t.Fatalf("degree(a) = %d, want 3", g.Degree("a"))
	}
	mustExec(t, g, &CreateSubgraph{ID: "s", Name: "S", Nodes: []string{"a", "b", "a"}})
	wantErr(t, exec(t, g, &CreateSubgraph{ID: "s2", Name: "S", Nodes: []string{"nope"}}), ErrDangling, CodeInvalid)

	// node_removed records the incident edges it takes with it.
	evs, err := Decide(g, &RemoveNode{ID: "a"}, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	rm := evs[0].Data.(*NodeRemoved)
	ids := []string{}
	for _, e := range rm.Edges {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	if !reflect.DeepEqual(ids, []string{"aa", "ab", "ca"}) {
		t.Fatalf("recorded edges %v", ids)
	}
	mustExec(t, g, &RemoveNode{ID: "a"})
	if g.EdgeCount() != 0 || g.NodeCount() != 2 || g.HasNode("a") {
		t.Fatalf("after remove: %d nodes %d edges", g.NodeCount(), g.EdgeCount())
	}
	if s, _ := g.Subgraph("s"); !reflect.DeepEqual(s.Nodes, []string{"b"}) {
		t.Fatalf("subgraph after remove: %v", s.Nodes)
	}
	mustExec(t, g, &PinNode{ID: "b", Position: &Vec3{1, 2, 3}})
	if n, _ := g.Node("b"); n.Pin == nil || *n.Pin != (Vec3{1, 2, 3}) {
		t.Fatalf("pin: %+v", n.Pin)
	}
	mustExec(t, g, &TagGraph{Add: []string{"y"}, Remove: []string{"x"}})
	if !reflect.DeepEqual(g.Tags(), []string{"y"}) {
		t.Fatalf("tags %v", g.Tags())
	}
	mustExec(t, g, &DeleteGraph{})
	wantErr(t, exec(t, g, &RenameGraph{Name: "late"}), ErrDeleted, CodeDeleted)
	wantErr(t, exec(t, g, &DeleteGraph{}), ErrDeleted, CodeDeleted)
	if !g.Created().Equal(t0) || g.Version() != g.EventCount() {
		t.Fatalf("created %v version %d events %d", g.Created(), g.Version(), g.EventCount())
	}
}

// model is the brute-force oracle: plain maps, every invariant checked by scanning.
type model struct {
	nodes map[string]Node
	edges map[string]Edge
	subs  map[string]map[string]bool
}

func (m *model) check(t *testing.T, g *Graph, step int) {
	t.Helper()
	if g.NodeCount() != len(m.nodes) || g.EdgeCount() != len(m.edges) {
		t.Fatalf("step %d: %d/%d nodes, %d/%d edges", step, g.NodeCount(), len(m.nodes), g.EdgeCount(), len(m.edges))
	}
	for n := range g.Nodes() {
		if want, ok := m.nodes[n.ID]; !ok || !reflect.DeepEqual(normNode(n), normNode(want)) {
			t.Fatalf("step %d: node %+v, model %+v", step, n, want)
		}
	}
	deg := map[string]int{}
	for e := range g.Edges() {
		if want, ok := m.edges[e.ID]; !ok || !reflect.DeepEqual(e, want) {
			t.Fatalf("step %d: edge %+v, model %+v", step, e, want)
		}
		if _, ok := m.nodes[e.Source]; !ok {
			t.Fatalf("step %d: dangling edge %s", step, e.ID)
		}
		deg[e.Source]++
		if e.Target != e.Source {
			deg[e.Target]++
		}
	}
	for id := range m.nodes {
		if g.Degree(id) != deg[id] {
			t.Fatalf("step %d: degree(%s) = %d, brute force %d", step, id, g.Degree(id), deg[id])
		}
	}
	for id, mem := range m.subs {
		s, ok := g.Subgraph(id)
		if !ok || len(s.Nodes) != len(mem) {
			t.Fatalf("step %d: subgraph %s = %v, model %v", step, id, s.Nodes, mem)
		}
		for _, n := range s.Nodes {
			if !mem[n] {
				t.Fatalf("step %d: subgraph %s has %s", step, id, n)
			}
		}
	}
}

func normNode(n Node) Node {
	if len(n.Props) == 0 {
		n.Props = nil
	}
	return n
}

// TestRandomAgainstModel drives the aggregate with random valid and invalid commands (fixed seed)
// and compares it with the brute-force model after every step; every 50 steps the state is also
// restored from a snapshot and must equal the replayed one.
func TestRandomAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	g := New("rnd")
	mustExec(t, g, &CreateGraph{Name: "random"})
	m := &model{nodes: map[string]Node{}, edges: map[string]Edge{}, subs: map[string]map[string]bool{}}
	nextNode, nextEdge := 0, 0
	pick := func(mp map[string]Node) string {
		if len(mp) == 0 {
			return "missing"
		}
		keys := make([]string, 0, len(mp))
		for k := range mp {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys[rng.IntN(len(keys))]
	}
	kinds := []string{"", "cites", "likes"}
	for step := 0; step < 2000; step++ {
		switch r := rng.IntN(10); {
		case r < 3:
			var ns []Node
			for k := rng.IntN(4) + 1; k > 0; k-- {
				n := Node{ID: fmt.Sprintf("n%d", nextNode), Label: "L", Kind: kinds[rng.IntN(3)]}
				if rng.IntN(4) == 0 {
					n.Props = Props{"p": json.RawMessage(`1.5`)}
				}
				if rng.IntN(5) == 0 {
					n.Coords = []float64{rng.Float64(), rng.Float64()}
				}
				nextNode++
				ns = append(ns, n)
			}
			mustExec(t, g, &AddNodes{Nodes: ns})
			for _, n := range ns {
				m.nodes[n.ID] = n
			}
		case r < 6:
			src, dst := pick(m.nodes), pick(m.nodes)
			id := fmt.Sprintf("e%d", nextEdge)
			nextEdge++
			wt, kind := float64(rng.IntN(5)), kinds[rng.IntN(3)]
			err := exec(t, g, &AddEdges{Edges: []EdgeInput{{ID: id, Source: src, Target: dst, Kind: kind, Weight: &wt}}})
			if src == "missing" {
				wantErr(t, err, ErrDangling, CodeInvalid)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			m.edges[id] = Edge{ID: id, Source: src, Target: dst, Kind: kind, Weight: wt}
		case r < 7:
			id := pick(m.nodes)
			err := exec(t, g, &RemoveNode{ID: id})
			if id == "missing" {
				wantErr(t, err, ErrNotFound, CodeNotFound)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			delete(m.nodes, id)
			for eid, e := range m.edges {
				if e.Source == id || e.Target == id {
					delete(m.edges, eid)
				}
			}
			for _, s := range m.subs {
				delete(s, id)
			}
		case r < 8:
			if len(m.edges) == 0 {
				continue
			}
			keys := make([]string, 0, len(m.edges))
			for k := range m.edges {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			id := keys[rng.IntN(len(keys))]
			if rng.IntN(2) == 0 {
				mustExec(t, g, &RemoveEdge{ID: id})
				delete(m.edges, id)
			} else {
				mustExec(t, g, &UpdateEdge{ID: id, Weight: w(7), SetProps: Props{"q": json.RawMessage(`"x"`)}})
				e := m.edges[id]
				e.Weight, e.Props = 7, Props{"q": json.RawMessage(`"x"`)}
				m.edges[id] = e
			}
		case r < 9:
			id := pick(m.nodes)
			if id == "missing" {
				continue
			}
			label := fmt.Sprintf("L%d", step)
			mustExec(t, g, &UpdateNode{ID: id, Label: &label, RemoveProps: []string{"p"}})
			n := m.nodes[id]
			n.Label, n.Props = label, nil
			m.nodes[id] = n
		default:
			id := fmt.Sprintf("s%d", rng.IntN(3))
			a, b := pick(m.nodes), pick(m.nodes)
			if a == "missing" {
				continue
			}
			if _, ok := m.subs[id]; !ok {
				mustExec(t, g, &CreateSubgraph{ID: id, Name: id, Nodes: []string{a, b}})
				m.subs[id] = map[string]bool{a: true, b: true}
			} else if err := exec(t, g, &ChangeSubgraph{ID: id, Added: []string{a}}); err == nil {
				m.subs[id][a] = true
			} else {
				wantErr(t, err, ErrInvalid, CodeInvalid) // already a member: no change
			}
		}
		m.check(t, g, step)
		if step%50 == 0 {
			checkSnapshot(t, g)
		}
	}
}

func checkSnapshot(t *testing.T, g *Graph) {
	t.Helper()
	data, err := g.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	h, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatalf("decode snapshot: %v", err)
	}
	again, _ := h.MarshalBinary()
	if !slices.Equal(data, again) {
		t.Fatal("snapshot of a restored graph differs")
	}
	if !reflect.DeepEqual(slices.Collect(g.Nodes()), slices.Collect(h.Nodes())) ||
		!reflect.DeepEqual(slices.Collect(g.Edges()), slices.Collect(h.Edges())) ||
		!reflect.DeepEqual(g.Subgraphs(), h.Subgraphs()) || g.Version() != h.Version() ||
		g.Name() != h.Name() || !g.Updated().Equal(h.Updated()) {
		t.Fatal("restored graph differs from the replayed one")
	}
	assertSameComponents(t, g, h)
	for n := range g.Nodes() {
		if !reflect.DeepEqual(g.IncidentEdges(n.ID), h.IncidentEdges(n.ID)) {
			t.Fatalf("incident edges of %s differ", n.ID)
		}
	}
	for _, id := range g.recent.ordered() {
		v1, _ := g.CommandVersion(id)
		if v2, ok := h.CommandVersion(id); !ok || v1 != v2 {
			t.Fatalf("command %s lost in snapshot", id)
		}
	}
	// Every truncation and a flipped byte must be refused, never panic.
	for _, n := range []int{0, 3, len(data) / 2, len(data) - 1} {
		if _, err := DecodeSnapshot(data[:n]); !errors.Is(err, ErrBadSnapshot) {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
	bad := slices.Clone(data)
	bad[len(bad)/2] ^= 0x40
	if _, err := DecodeSnapshot(bad); !errors.Is(err, ErrBadSnapshot) {
		t.Fatalf("flipped byte: %v", err)
	}
}

func TestCommandVersionRing(t *testing.T) {
	g := New("r")
	for i := range RecentCommands + 10 {
		g.Apply(&Event{Envelope: Envelope{CorrelationID: fmt.Sprint(i)}, Seq: uint64(i + 1)})
	}
	if _, ok := g.CommandVersion("0"); ok {
		t.Fatal("oldest command id not evicted")
	}
	if v, ok := g.CommandVersion(fmt.Sprint(RecentCommands + 9)); !ok || v != RecentCommands+10 {
		t.Fatalf("newest command: %d %v", v, ok)
	}
}

func TestData(t *testing.T) {
	g := New("d")
	mustExec(t, g, &CreateGraph{Name: "D", Tags: []string{"t"}})
	mustExec(t, g, &AddNodes{Nodes: []Node{{ID: "a"}, {ID: "b"}}})
	mustExec(t, g, &AddEdges{Edges: []EdgeInput{{ID: "ab", Source: "a", Target: "b"}}})
	mustExec(t, g, &CreateSubgraph{ID: "s", Name: "S", Nodes: []string{"b"}})
	d := g.Data()
	if d.ID != "d" || d.Name != "D" || len(d.Nodes) != 2 || len(d.Edges) != 1 || d.Edges[0].Source != "a" ||
		len(d.Subgraphs) != 1 || d.Version != g.Version() || !d.Created.Equal(t0) {
		t.Fatalf("Data: %+v", d)
	}
}

// TestSnapshotRestoredThenChanged: a restored graph keeps working (free slots reused, lists intact).
func TestSnapshotRestoredThenChanged(t *testing.T) {
	g := New("r")
	mustExec(t, g, &CreateGraph{Name: "R"})
	mustExec(t, g, &AddNodes{Nodes: []Node{{ID: "a"}, {ID: "b"}, {ID: "c"}}})
	mustExec(t, g, &AddEdges{Edges: []EdgeInput{{ID: "ab", Source: "a", Target: "b"}, {ID: "bc", Source: "b", Target: "c"}}})
	mustExec(t, g, &RemoveNode{ID: "a"})
	data, _ := g.MarshalBinary()
	h, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Graph{g, h} {
		mustExec(t, x, &AddNodes{Nodes: []Node{{ID: "d"}, {ID: "e"}}})
		mustExec(t, x, &AddEdges{Edges: []EdgeInput{{ID: "de", Source: "d", Target: "e"}, {ID: "cd", Source: "c", Target: "d"}}})
		mustExec(t, x, &RemoveEdge{ID: "bc"})
	}
	checkSnapshot(t, h)
	if !reflect.DeepEqual(slices.Collect(g.Nodes()), slices.Collect(h.Nodes())) || !reflect.DeepEqual(slices.Collect(g.Edges()), slices.Collect(h.Edges())) {
		t.Fatal("replayed and restored graphs diverge after further events")
	}
}
