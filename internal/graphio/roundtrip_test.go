package graphio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// genGraph makes a graph whose records are in the form readers produce, with every field, typed
// properties and awkward strings. Each property keeps one type, the condition for exact round
// trips in the typed formats.
func genGraph(nNodes, nEdges int, seed uint64) ([]graph.Node, []graph.Edge) {
	rng := rand.New(rand.NewPCG(seed, 1))
	awkward := []string{"plain", "a & b < c > d", `quote " and 'single'`, "comma, here", " leading space", "tab\there",
		"new\nline", "ünïcødé ✓", "#hash", "12", "true", "semi;colon", "trailing "}
	nodes := make([]graph.Node, nNodes)
	for i := range nodes {
		n := graph.Node{ID: "n" + strconv.Itoa(i)}
		if i%7 == 3 {
			n.ID = awkward[i%len(awkward)] + strconv.Itoa(i)
		}
		if i%2 == 0 {
			n.Label = awkward[rng.IntN(len(awkward))]
		}
		if i%3 == 0 {
			n.Kind = []string{"person", "place", "idea"}[rng.IntN(3)]
		}
		if i%5 == 0 {
			n.Pin = &graph.Vec3{rng.NormFloat64() * 100, rng.Float64(), -3}
		}
		if i%11 == 0 {
			n.CID = "bafkreib" + strconv.Itoa(i)
			n.Coords = []float64{rng.Float64(), 2, -1.5e-9}
		}
		p := graph.Props{}
		if i%2 == 1 {
			p["age"] = json.RawMessage(strconv.Itoa(rng.IntN(100) - 10))
		}
		if i%3 != 2 {
			p["score"] = json.RawMessage(strconv.FormatFloat(rng.NormFloat64(), 'g', -1, 64))
		}
		if i%4 == 0 {
			p["active"] = json.RawMessage(strconv.FormatBool(rng.IntN(2) == 0))
		}
		if i%3 == 1 {
			p["note"] = quoteJSON(awkward[rng.IntN(len(awkward))])
		}
		if i%6 == 0 {
			p["x"] = json.RawMessage(strconv.FormatFloat(rng.Float64()*1000, 'g', -1, 64))
			p["y"] = json.RawMessage(strconv.Itoa(rng.IntN(1000)))
		}
		if len(p) > 0 {
			n.Props = p
		}
		nodes[i] = n
	}
	edges := make([]graph.Edge, nEdges)
	for i := range edges {
		e := graph.Edge{ID: "e" + strconv.Itoa(i), Source: nodes[rng.IntN(nNodes)].ID, Target: nodes[rng.IntN(nNodes)].ID, Weight: 1}
		if i%3 == 0 {
			e.Weight = rng.Float64() * 10
		}
		if i%4 == 1 {
			e.Kind = "cites"
		}
		p := graph.Props{}
		if i%5 == 0 {
			p["undirected"] = json.RawMessage("true")
		}
		if i%2 == 0 {
			p["since"] = json.RawMessage(strconv.Itoa(1900 + rng.IntN(125)))
		}
		if i%3 == 1 {
			p["label"] = quoteJSON(awkward[rng.IntN(len(awkward))])
		}
		if len(p) > 0 {
			e.Props = p
		}
		edges[i] = e
	}
	return nodes, edges
}

func seqNodes(ns []graph.Node) iter.Seq[*graph.Node] {
	return func(yield func(*graph.Node) bool) {
		for i := range ns {
			if !yield(&ns[i]) {
				return
			}
		}
	}
}

func seqEdges(es []graph.Edge) iter.Seq[*graph.Edge] {
	return func(yield func(*graph.Edge) bool) {
		for i := range es {
			if !yield(&es[i]) {
				return
			}
		}
	}
}

// export writes records in format f; for CSV the node file is returned separately.
func export(t testing.TB, f Format, meta Meta, nodes []graph.Node, edges []graph.Edge) (main, nodeFile []byte) {
	t.Helper()
	var out, nf bytes.Buffer
	opt := WriteOptions{}
	if f == CSV {
		opt.Nodes = &nf
	}
	if err := Export(&out, f, meta, opt, seqNodes(nodes), seqEdges(edges)); err != nil {
		t.Fatalf("export %s: %v", f, err)
	}
	return out.Bytes(), nf.Bytes()
}

func reimport(t testing.TB, f Format, main, nodeFile []byte) records {
	t.Helper()
	opt := Options{Name: "out." + string(f)}
	if f == CSV {
		opt.Nodes = bytes.NewReader(nodeFile)
		opt.NodesName = "out.nodes.csv"
	}
	r, err := Open(bytes.NewReader(main), f, opt)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := readAll(r)
	if err != nil {
		t.Fatalf("re-read %s: %v\n%s", f, err, head(main))
	}
	return rs
}

func head(b []byte) string {
	if len(b) > 3000 {
		b = b[:3000]
	}
	return string(b)
}

func sameRecords(t *testing.T, what string, gotN []graph.Node, gotE []graph.Edge, wantN []graph.Node, wantE []graph.Edge) {
	t.Helper()
	if len(gotN) != len(wantN) || len(gotE) != len(wantE) {
		t.Fatalf("%s: got %d nodes %d edges, want %d and %d", what, len(gotN), len(gotE), len(wantN), len(wantE))
	}
	bad := 0
	for i := range wantN {
		if !nodeEqual(gotN[i], wantN[i]) && bad < 5 {
			bad++
			checkNode(t, gotN[i], wantN[i])
		}
	}
	for i := range wantE {
		if !edgeEqual(gotE[i], wantE[i]) && bad < 10 {
			bad++
			checkEdge(t, gotE[i], wantE[i])
		}
	}
}

func TestRoundTrip(t *testing.T) {
	nodes, edges := genGraph(300, 900, 7)
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			main, nf := export(t, f, Meta{Name: "rt"}, nodes, edges)
			rs := reimport(t, f, main, nf)
			sameRecords(t, string(f), rs.nodes, rs.edges, nodes, edges)
			// And once more from what was read: the second file is identical to the first.
			main2, nf2 := export(t, f, Meta{Name: "rt"}, rs.nodes, rs.edges)
			if !bytes.Equal(main, main2) || !bytes.Equal(nf, nf2) {
				t.Errorf("second export differs from the first")
			}
		})
	}
}

// TestCrossFormat converts each sample to every format and back.
func TestCrossFormat(t *testing.T) {
	samples := []struct {
		file string
		f    Format
	}{
		{"primer.graphml", GraphML}, {"networkx.graphml", GraphML}, {"yed.graphml", GraphML},
		{"primer.gexf", GEXF}, {"viz.gexf", GEXF}, {"miserables.json", NodeLink}, {"miserables_v3.json", NodeLink},
		{"gephi_edges.csv", CSV}, {"snap.txt", CSV},
	}
	for _, s := range samples {
		src := readFile(t, s.file, s.f, Options{})
		for _, f := range Formats {
			main, nf := export(t, f, *src.meta[0], src.nodes, src.edges)
			rs := reimport(t, f, main, nf)
			sameRecords(t, s.file+" → "+string(f), rs.nodes, rs.edges, src.nodes, src.edges)
		}
	}
}

func TestWriterRefusals(t *testing.T) {
	n := graph.Node{ID: "a", Props: props("age", "3")}
	var buf bytes.Buffer
	for _, f := range []Format{GraphML, GEXF, CSV} {
		w, err := NewWriter(&buf, f, Meta{}, WriteOptions{Nodes: &buf})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteNode(&n); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), `"age"`) {
			t.Errorf("%s: undeclared property: %v", f, err)
		}
		w, _ = NewWriter(&buf, f, Meta{Keys: []Key{{Name: "age", For: DomainNode, Type: TypeBoolean}}}, WriteOptions{Nodes: &buf})
		if err := w.WriteNode(&n); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: mistyped property: %v", f, err)
		}
	}
	for _, f := range Formats {
		w, _ := NewWriter(&buf, f, Meta{}, WriteOptions{})
		if err := w.WriteEdge(&graph.Edge{ID: "e", Source: "a", Target: "b", Weight: 1}); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteNode(&graph.Node{ID: "a"}); err == nil {
			t.Errorf("%s: node after edge accepted", f)
		}
	}
	var s Schema
	s.AddNode(&graph.Node{ID: "a", Props: props("label", `"x"`)})
	if _, err := s.Meta(Meta{}); !errors.Is(err, ErrFormat) {
		t.Errorf("reserved property name: %v", err)
	}
	err := Export(&buf, NodeLink, Meta{}, WriteOptions{}, seqNodes([]graph.Node{{ID: "a", Props: props("fx", "1")}}), seqEdges(nil))
	if !errors.Is(err, ErrFormat) {
		t.Errorf("reserved property name in node-link: %v", err)
	}
}

func TestSchemaInference(t *testing.T) {
	var s Schema
	s.AddNode(&graph.Node{ID: "a", Props: props("i", "1", "f", "1", "b", "true", "s", `"x"`, "m", "1", "z", `"007"`)})
	s.AddNode(&graph.Node{ID: "b", Props: props("i", "-2", "f", "2.5", "b", "false", "s", `"y"`, "m", `"one"`)})
	meta, err := s.Meta(Meta{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, k := range meta.Keys {
		got[k.Name] = fmt.Sprintf("%s/%v", k.Type, k.Ambiguous)
	}
	want := map[string]string{"i": "long/false", "f": "double/false", "b": "boolean/false", "s": "string/false",
		"m": "string/true", "z": "string/false"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("key %s: got %s want %s", k, got[k], v)
		}
	}
}

func TestEdgeInput(t *testing.T) {
	e := graph.Edge{ID: "e", Source: "a", Target: "b", Kind: "k", Weight: 2.5, Props: props("p", "1")}
	in := EdgeInput(&e)
	if in.ID != "e" || in.Source != "a" || in.Target != "b" || in.Kind != "k" || in.Weight == nil || *in.Weight != 2.5 || string(in.Props["p"]) != "1" {
		t.Errorf("%+v", in)
	}
}
