package graphio

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// fuzzRead is the property every fuzz target checks: reading never panics or hangs; a file that
// reads is written back by every writer into a file that reads again with the same number of
// records; and through node-link JSON, which keeps every value exactly, with the same records.
func fuzzRead(t *testing.T, f Format, data, nodeFile []byte) {
	opt := Options{Name: "fuzz"}
	if nodeFile != nil {
		opt.Nodes = bytes.NewReader(nodeFile)
	}
	r, err := Open(bytes.NewReader(data), f, opt)
	if err != nil {
		return
	}
	rs, err := readAll(r)
	// The same file delivered a byte at a time: same records, same error at the same place.
	opt.Nodes = nil
	if nodeFile != nil {
		opt.Nodes = iotest.OneByteReader(bytes.NewReader(nodeFile))
	}
	if r2, err2 := Open(iotest.OneByteReader(bytes.NewReader(data)), f, opt); err2 == nil {
		rs2, err2 := readAll(r2)
		if fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("byte-at-a-time reading: %v\nwhole: %v", err2, err)
		}
		if err == nil {
			sameRecords(t, "byte-at-a-time", rs2.nodes, rs2.edges, rs.nodes, rs.edges)
		}
	}
	if err != nil {
		if !errors.Is(err, ErrFormat) {
			t.Fatalf("error without ErrFormat: %v", err)
		}
		var pe *PosError
		if !errors.As(err, &pe) {
			t.Fatalf("error without a position: %v", err)
		}
		return
	}
	meta := Meta{}
	if len(rs.meta) > 0 {
		meta = *rs.meta[len(rs.meta)-1]
	}
	for _, out := range Formats {
		main, nf := export(t, out, meta, rs.nodes, rs.edges)
		r2, err := Open(bytes.NewReader(main), out, Options{Name: "again", Nodes: bytes.NewReader(nf)})
		if err != nil {
			t.Fatal(err)
		}
		again, err := readAll(r2)
		if errors.Is(err, ErrDuplicate) && out != NodeLink {
			continue // ids that differ only in characters XML cannot carry
		}
		if err != nil {
			t.Fatalf("%s output does not read back: %v\n%s", out, err, head(main))
		}
		if len(again.nodes) != len(rs.nodes) || len(again.edges) != len(rs.edges) {
			t.Fatalf("%s: %d nodes %d edges, want %d %d", out, len(again.nodes), len(again.edges), len(rs.nodes), len(rs.edges))
		}
		if out == NodeLink {
			sameRecords(t, "node-link", again.nodes, again.edges, rs.nodes, rs.edges)
		}
	}
}

func addSamples(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzGraphML(f *testing.F) {
	addSamples(f, "*.graphml")
	f.Add([]byte(`<graphml><key id="k" for="all" attr.name="w" attr.type="long"><default>3</default></key><graph edgedefault="undirected"><node id="a"><data key="k">1</data><graph><node id="b"/></graph></node><edge source="a" target="b"/></graph></graphml>`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, GraphML, data, nil) })
}

func FuzzGEXF(f *testing.F) {
	addSamples(f, "*.gexf")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, GEXF, data, nil) })
}

// FuzzCSV splits its input at the first NUL byte into a node file and an edge list.
func FuzzCSV(f *testing.F) {
	addSamples(f, "*.csv")
	addSamples(f, "*.txt")
	nodes, _ := os.ReadFile("testdata/gephi_nodes.csv")
	edges, _ := os.ReadFile("testdata/gephi_edges.csv")
	f.Add(append(append(nodes, 0), edges...))
	f.Add([]byte("id:string,n:json\n1,[1]\n\x00from;to;w:double\n1;2;3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var nodeFile []byte
		if i := bytes.IndexByte(data, 0); i >= 0 {
			nodeFile, data = data[:i], data[i+1:]
		}
		fuzzRead(t, CSV, data, nodeFile)
	})
}

func FuzzNodeLink(f *testing.F) {
	addSamples(f, "*.json")
	f.Add([]byte(`{"edges": [{"source": 0, "target": 1, "key": 0}], "nodes": [{"id": "x"}, {}], "directed": true}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, NodeLink, data, nil) })
}
