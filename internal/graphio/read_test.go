package graphio

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// records is everything a file holds, in order.
type records struct {
	meta  []*Meta
	nodes []graph.Node
	edges []graph.Edge
}

func readAll(r Reader) (records, error) {
	var rs records
	for {
		it, err := r.Next()
		if err == io.EOF {
			return rs, nil
		}
		if err != nil {
			return rs, err
		}
		switch it.Kind {
		case KindMeta:
			rs.meta = append(rs.meta, it.Meta)
		case KindNode:
			if len(rs.edges) > 0 {
				return rs, errors.New("node after edge")
			}
			rs.nodes = append(rs.nodes, it.Node)
		case KindEdge:
			rs.edges = append(rs.edges, it.Edge)
		default:
			return rs, errors.New("item without kind")
		}
	}
}

func readFile(t *testing.T, name string, f Format, opt Options) records {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	opt.Name = name
	r, err := Open(bytes.NewReader(data), f, opt)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := readAll(r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rs
}

func props(kv ...string) graph.Props {
	p := graph.Props{}
	for i := 0; i < len(kv); i += 2 {
		p[kv[i]] = json.RawMessage(kv[i+1])
	}
	return p
}

func nodeEqual(got, want graph.Node) bool {
	if len(got.Props) == 0 {
		got.Props = nil
	}
	if len(want.Props) == 0 {
		want.Props = nil
	}
	return reflect.DeepEqual(got, want)
}

func edgeEqual(got, want graph.Edge) bool {
	if len(got.Props) == 0 {
		got.Props = nil
	}
	if len(want.Props) == 0 {
		want.Props = nil
	}
	return reflect.DeepEqual(got, want)
}

func checkNode(t *testing.T, got, want graph.Node) {
	t.Helper()
	if !nodeEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("node\n got %s\nwant %s", g, w)
	}
}

func checkEdge(t *testing.T, got, want graph.Edge) {
	t.Helper()
	if !edgeEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("edge\n got %s\nwant %s", g, w)
	}
}

func TestGraphMLPrimer(t *testing.T) {
	rs := readFile(t, "primer.graphml", GraphML, Options{})
	if len(rs.nodes) != 6 || len(rs.edges) != 7 || len(rs.meta) != 1 {
		t.Fatalf("got %d nodes, %d edges, %d metas", len(rs.nodes), len(rs.edges), len(rs.meta))
	}
	m := rs.meta[0]
	if m.Name != "G" || m.Directed || len(m.Keys) != 2 || m.Keys[0].Name != "color" || string(m.Keys[0].Default) != `"yellow"` ||
		m.Keys[1].Type != TypeDouble || m.Keys[1].For != DomainEdge {
		t.Errorf("meta %+v", m)
	}
	checkNode(t, rs.nodes[0], graph.Node{ID: "n0", Props: props("color", `"green"`)})
	checkNode(t, rs.nodes[1], graph.Node{ID: "n1", Props: props("color", `"yellow"`)}) // the key's default
	checkEdge(t, rs.edges[0], graph.Edge{ID: "e0", Source: "n0", Target: "n2", Weight: 1, Props: props("undirected", "true")})
	checkEdge(t, rs.edges[3], graph.Edge{ID: "e3", Source: "n3", Target: "n2", Weight: 1, Props: props("undirected", "true")})
	checkEdge(t, rs.edges[6], graph.Edge{ID: "e6", Source: "n5", Target: "n4", Weight: 1.1, Props: props("undirected", "true")})
}

func TestGraphMLNetworkx(t *testing.T) {
	rs := readFile(t, "networkx.graphml", GraphML, Options{})
	if rs.meta[0].Name != "friends" || !rs.meta[0].Directed {
		t.Errorf("meta %+v", rs.meta[0])
	}
	checkNode(t, rs.nodes[0], graph.Node{ID: "alice", Label: "Alice & co", Props: props("age", "31", "score", "0.75", "active", "true")})
	checkNode(t, rs.nodes[1], graph.Node{ID: "bob", Props: props("age", "27", "score", "1e-3", "active", "false")})
	checkNode(t, rs.nodes[2], graph.Node{ID: "carol"})
	checkEdge(t, rs.edges[0], graph.Edge{ID: "e0", Source: "alice", Target: "bob", Weight: 2.5, Props: props("since", "2019")})
	checkEdge(t, rs.edges[1], graph.Edge{ID: "e1", Source: "bob", Target: "carol", Weight: 1})
	checkEdge(t, rs.edges[2], graph.Edge{ID: "e2", Source: "carol", Target: "alice", Weight: 0.5})
}

func TestGraphMLYEd(t *testing.T) {
	rs := readFile(t, "yed.graphml", GraphML, Options{})
	if len(rs.nodes) != 3 || len(rs.edges) != 1 {
		t.Fatalf("got %d nodes, %d edges", len(rs.nodes), len(rs.edges))
	}
	checkNode(t, rs.nodes[0], graph.Node{ID: "n0", Label: "Start"})
	checkNode(t, rs.nodes[1], graph.Node{ID: "n1", Label: "Group 1", Props: props("description", `"a group"`)})
	checkNode(t, rs.nodes[2], graph.Node{ID: "n1::n0", Label: "Inner", Props: props("url", `"http://example.org/"`, "parent", `"n1"`)})
	checkEdge(t, rs.edges[0], graph.Edge{ID: "e0", Source: "n0", Target: "n1::n0", Weight: 1, Props: props("label", `"goes to"`)})
}

func TestGEXFPrimer(t *testing.T) {
	rs := readFile(t, "primer.gexf", GEXF, Options{})
	if len(rs.nodes) != 4 || len(rs.edges) != 5 {
		t.Fatalf("got %d nodes, %d edges", len(rs.nodes), len(rs.edges))
	}
	m := rs.meta[0]
	if !m.Directed || len(m.Keys) != 3 || m.Keys[2].Name != "frog" || m.Keys[2].Type != TypeBoolean || string(m.Keys[2].Default) != "true" ||
		string(m.Props["creator"]) != `"Gephi.org"` {
		t.Errorf("meta %+v", m)
	}
	checkNode(t, rs.nodes[0], graph.Node{ID: "0", Label: "Gephi", Props: props("url", `"http://gephi.org"`, "indegree", "1", "frog", "true")})
	checkNode(t, rs.nodes[3], graph.Node{ID: "3", Label: "BarabasiLab", Props: props("url", `"http://barabasilab.com"`, "indegree", "1", "frog", "false")})
	checkEdge(t, rs.edges[4], graph.Edge{ID: "4", Source: "0", Target: "3", Weight: 1})
}

func TestGEXFViz(t *testing.T) {
	rs := readFile(t, "viz.gexf", GEXF, Options{})
	if len(rs.nodes) != 4 || len(rs.edges) != 2 {
		t.Fatalf("got %d nodes, %d edges", len(rs.nodes), len(rs.edges))
	}
	checkNode(t, rs.nodes[0], graph.Node{ID: "a", Label: "Alpha", Props: props("color", `"rgba(239,173,66,0.6)"`,
		"x", "15.78", "y", "40.10", "z", "0.0", "size", "2.0375757", "shape", `"disc"`)})
	checkNode(t, rs.nodes[1], graph.Node{ID: "b", Label: "Beta", Props: props("color", `"#0000ff"`)})
	checkNode(t, rs.nodes[2], graph.Node{ID: "b1", Label: "Beta one", Props: props("parent", `"b"`)})
	checkNode(t, rs.nodes[3], graph.Node{ID: "c", Props: props("parent", `"b"`)})
	checkEdge(t, rs.edges[0], graph.Edge{ID: "0", Source: "a", Target: "b", Kind: "cites", Weight: 2.5,
		Props: props("label", `"first"`, "since", "1999", "thickness", "3")})
	checkEdge(t, rs.edges[1], graph.Edge{ID: "e1", Source: "b", Target: "c", Weight: 1, Props: props("undirected", "true")})
}

func TestNodeLinkNetworkx(t *testing.T) {
	rs := readFile(t, "networkx.json", NodeLink, Options{})
	if m := rs.meta[0]; m.Name != "karate excerpt" || m.Directed {
		t.Errorf("meta %+v", m)
	}
	checkNode(t, rs.nodes[2], graph.Node{ID: "33", Props: props("club", `"Officer"`, "pos", "[0.5, -0.25]")})
	checkEdge(t, rs.edges[0], graph.Edge{ID: "e0", Source: "0", Target: "1", Weight: 4, Props: props("undirected", "true")})
	// 33 is a node id, not an index.
	checkEdge(t, rs.edges[1], graph.Edge{ID: "e1", Source: "1", Target: "33", Weight: 2, Props: props("undirected", "true")})
	checkEdge(t, rs.edges[2], graph.Edge{ID: "e2", Source: "33", Target: "0", Weight: 1, Props: props("undirected", "true")})
}

func TestNodeLinkD3(t *testing.T) {
	rs := readFile(t, "miserables.json", NodeLink, Options{})
	checkNode(t, rs.nodes[2], graph.Node{ID: "Mlle.Baptistine", Pin: &graph.Vec3{10, -4.5, 0}, Props: props("group", "1")})
	checkEdge(t, rs.edges[1], graph.Edge{ID: "e1", Source: "Mlle.Baptistine", Target: "Myriel", Weight: 1,
		Props: props("value", "8", "undirected", "true")})

	// d3 v3: links first, endpoints are indices into nodes, nodes have no id.
	rs = readFile(t, "miserables_v3.json", NodeLink, Options{})
	if len(rs.nodes) != 3 || len(rs.edges) != 2 {
		t.Fatalf("got %d nodes, %d edges", len(rs.nodes), len(rs.edges))
	}
	checkNode(t, rs.nodes[1], graph.Node{ID: "1", Props: props("name", `"Napoleon"`, "group", "1")})
	checkEdge(t, rs.edges[1], graph.Edge{ID: "e1", Source: "2", Target: "0", Weight: 1, Props: props("value", "8", "undirected", "true")})
}

func TestCSVGephi(t *testing.T) {
	nodes, err := os.Open("testdata/gephi_nodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer nodes.Close()
	rs := readFile(t, "gephi_edges.csv", CSV, Options{Nodes: nodes, NodesName: "gephi_nodes.csv"})
	if len(rs.nodes) != 3 || len(rs.edges) != 3 {
		t.Fatalf("got %d nodes, %d edges", len(rs.nodes), len(rs.edges))
	}
	checkNode(t, rs.nodes[0], graph.Node{ID: "a", Label: "Alpha", Props: props("population", "1200", "capital", "true")})
	checkNode(t, rs.nodes[1], graph.Node{ID: "b", Label: "Beta", Props: props("capital", "false")})
	checkNode(t, rs.nodes[2], graph.Node{ID: "c", Label: "Gamma, the third", Props: props("population", "3.5e3")})
	checkEdge(t, rs.edges[0], graph.Edge{ID: "0", Source: "a", Target: "b", Weight: 1.5, Props: props("Label", `"knows"`)})
	checkEdge(t, rs.edges[1], graph.Edge{ID: "1", Source: "b", Target: "c", Weight: 2, Props: props("undirected", "true")})
	checkEdge(t, rs.edges[2], graph.Edge{ID: "2", Source: "c", Target: "a", Weight: 1, Props: props("Label", `"likes, a lot"`)})
}

func TestCSVHeaderless(t *testing.T) {
	rs := readFile(t, "snap.txt", CSV, Options{})
	if len(rs.nodes) != 0 || len(rs.edges) != 4 {
		t.Fatalf("got %d nodes, %d edges", len(rs.nodes), len(rs.edges))
	}
	checkEdge(t, rs.edges[3], graph.Edge{ID: "e3", Source: "2", Target: "3", Weight: 1})
	rs = readFile(t, "semicolon.csv", CSV, Options{})
	checkEdge(t, rs.edges[0], graph.Edge{ID: "e0", Source: "x", Target: "y", Weight: 0.5})
	checkEdge(t, rs.edges[1], graph.Edge{ID: "e1", Source: "y", Target: "z", Weight: 2})
}

func TestCSVTypedHeader(t *testing.T) {
	in := "source,target,zip:string,n:long,ok:boolean,tags:json\na,b,01234,7,true,\"[1,2]\"\nb,c,12,,,\n"
	r, _ := Open(bytes.NewReader([]byte(in)), CSV, Options{})
	rs, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	checkEdge(t, rs.edges[0], graph.Edge{ID: "e0", Source: "a", Target: "b", Weight: 1, Props: props("zip", `"01234"`, "n", "7", "ok", "true", "tags", "[1,2]")})
	checkEdge(t, rs.edges[1], graph.Edge{ID: "e1", Source: "b", Target: "c", Weight: 1, Props: props("zip", `"12"`)})
	if k := rs.meta[0].Keys; len(k) != 3 || k[0].Name != "zip" || k[0].For != DomainEdge || k[0].Type != TypeString || k[1].Type != TypeLong || k[2].Type != TypeBoolean {
		t.Errorf("keys %+v", k)
	}
}

func TestDetectFormat(t *testing.T) {
	for _, c := range []struct {
		name, head string
		want       Format
	}{
		{"g.graphml", "", GraphML},
		{"g.xml", `<?xml version="1.0"?><!-- x --><gexf version="1.3">`, GEXF},
		{"g.dat", "\xef\xbb\xbf<?xml version='1.0'?>\n<graphml xmlns=\"x\">", GraphML},
		{"g.txt", `  {"nodes": []}`, NodeLink},
		{"edges", "a,b\n", CSV},
		{"g.GEXF", "", GEXF},
		{"g.json", "", NodeLink},
		{"g.tsv", "", CSV},
	} {
		got, err := DetectFormat(c.name, []byte(c.head))
		if err != nil || got != c.want {
			t.Errorf("DetectFormat(%q, %q) = %q, %v; want %q", c.name, c.head, got, err, c.want)
		}
	}
	if _, err := DetectFormat("g.bin", nil); !errors.Is(err, ErrFormat) {
		t.Errorf("unknown extension without content: %v", err)
	}
	for _, s := range []string{"graphml", "GEXF", "csv", "json", "nodelink"} {
		if _, err := ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	if _, err := ParseFormat("dot"); !errors.Is(err, ErrFormat) {
		t.Errorf("ParseFormat(dot): %v", err)
	}
}

// TestStreaming reads files much larger than the readers' buffers and checks that what they hold
// stays bounded: no reader keeps the file.
func TestStreaming(t *testing.T) {
	nodes, edges := genGraph(20_000, 60_000, 5)
	for _, f := range []Format{GraphML, GEXF, NodeLink} {
		main, _ := export(t, f, Meta{}, nodes, edges)
		r, err := Open(bytes.NewReader(main), f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := readAll(r)
		if err != nil || len(rs.edges) != len(edges) {
			t.Fatalf("%s: %v, %d edges", f, err, len(rs.edges))
		}
		var held int
		switch r := r.(type) {
		case *graphMLReader:
			held = cap(r.x.s.buf)
		case *gexfReader:
			held = cap(r.x.s.buf)
		case *nodeLinkReader:
			held = cap(r.pos.buf)
		}
		if held > 256<<10 || held == 0 {
			t.Errorf("%s: a %d-byte file left a %d-byte buffer", f, len(main), held)
		}
	}
}
