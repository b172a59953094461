package graphio

import (
	"bytes"
	"iter"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// TestDomainAccepts runs the path the CLI wires: every sample file is read, its records are
// decided into a graph aggregate as add_nodes/add_edges commands (so the domain's own validation
// accepts what the readers produce), and the aggregate is exported in every format and read back.
func TestDomainAccepts(t *testing.T) {
	samples := map[string]Format{"primer.graphml": GraphML, "networkx.graphml": GraphML, "yed.graphml": GraphML,
		"primer.gexf": GEXF, "viz.gexf": GEXF, "networkx.json": NodeLink, "miserables.json": NodeLink,
		"miserables_v3.json": NodeLink, "gephi_edges.csv": CSV, "snap.txt": CSV}
	meta := graph.Meta{Time: time.Unix(0, 0)}
	for file, f := range samples {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		opt := Options{Name: file}
		if file == "gephi_edges.csv" {
			nf, _ := os.ReadFile("testdata/gephi_nodes.csv")
			opt.Nodes = bytes.NewReader(nf)
		}
		r, err := Open(bytes.NewReader(data), f, opt)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := readAll(r)
		if err != nil {
			t.Fatal(err)
		}
		g := graph.New("g")
		apply := func(cmd graph.Command) {
			t.Helper()
			evs, err := graph.Decide(g, cmd, meta)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for i := range evs {
				g.Apply(&evs[i])
			}
		}
		apply(&graph.CreateGraph{Name: file})
		nodes := rs.nodes
		if f == CSV && len(nodes) == 0 { // an edge list alone names its nodes only in edges
			seen := map[string]bool{}
			for _, e := range rs.edges {
				for _, id := range []string{e.Source, e.Target} {
					if !seen[id] {
						seen[id] = true
						nodes = append(nodes, graph.Node{ID: id})
					}
				}
			}
		}
		apply(&graph.AddNodes{Nodes: nodes})
		inputs := make([]graph.EdgeInput, len(rs.edges))
		for i := range rs.edges {
			inputs[i] = EdgeInput(&rs.edges[i])
		}
		apply(&graph.AddEdges{Edges: inputs})
		for _, out := range Formats {
			main, nf := exportSeq(t, out, g.Nodes(), g.Edges())
			back := reimport(t, out, main, nf)
			if len(back.nodes) != g.NodeCount() || len(back.edges) != g.EdgeCount() {
				t.Errorf("%s → %s: %d nodes %d edges, want %d %d", file, out, len(back.nodes), len(back.edges), g.NodeCount(), g.EdgeCount())
			}
		}
	}
}

// exportSeq exports from the aggregate's value iterators, as the CLI's export does.
func exportSeq(t *testing.T, f Format, nodes iter.Seq[graph.Node], edges iter.Seq[graph.Edge]) (main, nodeFile []byte) {
	t.Helper()
	var out, nf bytes.Buffer
	opt := WriteOptions{}
	if f == CSV {
		opt.Nodes = &nf
	}
	ptrN := func(yield func(*graph.Node) bool) {
		for n := range nodes {
			if !yield(&n) {
				return
			}
		}
	}
	ptrE := func(yield func(*graph.Edge) bool) {
		for e := range edges {
			if !yield(&e) {
				return
			}
		}
	}
	if err := Export(&out, f, Meta{Name: "g"}, opt, ptrN, ptrE); err != nil {
		t.Fatalf("export %s: %v", f, err)
	}
	return out.Bytes(), nf.Bytes()
}

// BenchmarkImportDomain is the part of an import that is not the event store: read the 100K/300K
// file and decide + apply it into an aggregate in chunks of 1000 (the importer's default).
func BenchmarkImportDomain(b *testing.B) {
	meta := graph.Meta{Time: time.Unix(0, 0), NewID: func() (string, error) { return "x", nil }}
	for _, f := range []Format{GraphML, CSV, NodeLink} {
		b.Run(string(f), func(b *testing.B) {
			bf := benchData(b, f)
			b.ReportAllocs()
			cpu0 := cpuTime()
			var elapsed time.Duration
			for b.Loop() {
				start := time.Now()
				r, _ := Open(bytes.NewReader(bf.main), f, Options{Nodes: bytes.NewReader(bf.nodes)})
				g := graph.New("g")
				run := func(cmd graph.Command) {
					evs, err := graph.Decide(g, cmd, meta)
					if err != nil {
						b.Fatal(err)
					}
					for i := range evs {
						g.Apply(&evs[i])
					}
				}
				run(&graph.CreateGraph{Name: "bench"})
				var nodes []graph.Node
				var edges []graph.EdgeInput
				for {
					it, err := r.Next()
					if err != nil {
						break
					}
					switch it.Kind {
					case KindNode:
						if nodes = append(nodes, it.Node); len(nodes) == 1000 {
							run(&graph.AddNodes{Nodes: nodes})
							nodes = nil
						}
					case KindEdge:
						if len(nodes) > 0 {
							run(&graph.AddNodes{Nodes: nodes})
							nodes = nil
						}
						if edges = append(edges, EdgeInput(&it.Edge)); len(edges) == 1000 {
							run(&graph.AddEdges{Edges: edges})
							edges = nil
						}
					}
				}
				if len(edges) > 0 {
					run(&graph.AddEdges{Edges: edges})
				}
				if g.EdgeCount() != benchEdges {
					b.Fatalf("%d edges", g.EdgeCount())
				}
				elapsed += time.Since(start)
			}
			cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
			b.ReportMetric(float64(benchEdges)/(elapsed.Seconds()/float64(b.N)), "edges/s")
			b.ReportMetric(float64(benchEdges)/cpu, "edges/cpu-s")
		})
	}
}
