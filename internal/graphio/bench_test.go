package graphio

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// The benchmark graph: 100K nodes, 300K edges, the size issue 3 sets for import. Nodes have a
// label, a kind on a third of them and two typed properties; edges a weight and one property.
const benchNodes, benchEdges = 100_000, 300_000

var benchGraph = sync.OnceValues(func() ([]graph.Node, []graph.Edge) {
	rng := rand.New(rand.NewPCG(3, 3))
	nodes := make([]graph.Node, benchNodes)
	for i := range nodes {
		n := graph.Node{ID: "n" + strconv.Itoa(i), Label: "Node number " + strconv.Itoa(i),
			Props: graph.Props{
				"score": json.RawMessage(strconv.FormatFloat(rng.Float64(), 'g', 6, 64)),
				"year":  json.RawMessage(strconv.Itoa(1900 + rng.IntN(125))),
			}}
		if i%3 == 0 {
			n.Kind = "person"
		}
		nodes[i] = n
	}
	edges := make([]graph.Edge, benchEdges)
	for i := range edges {
		edges[i] = graph.Edge{ID: "e" + strconv.Itoa(i), Source: nodes[rng.IntN(benchNodes)].ID,
			Target: nodes[rng.IntN(benchNodes)].ID, Weight: float64(1 + rng.IntN(9)),
			Props: graph.Props{"since": json.RawMessage(strconv.Itoa(1990 + rng.IntN(35)))}}
	}
	return nodes, edges
})

type benchFile struct{ main, nodes []byte }

var benchFiles sync.Map // Format → benchFile

func benchData(b *testing.B, f Format) benchFile {
	if v, ok := benchFiles.Load(f); ok {
		return v.(benchFile)
	}
	nodes, edges := benchGraph()
	main, nf := export(b, f, Meta{Name: "bench"}, nodes, edges)
	bf := benchFile{main, nf}
	benchFiles.Store(f, bf)
	return bf
}

// BenchmarkRead reads the whole 100K/300K graph; records/s counts nodes and edges, edges/s the
// figure the import target is stated in.
func BenchmarkRead(b *testing.B) {
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			bf := benchData(b, f)
			b.SetBytes(int64(len(bf.main) + len(bf.nodes)))
			b.ReportAllocs()
			var elapsed time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				start := time.Now()
				opt := Options{Nodes: bytes.NewReader(bf.nodes)}
				r, err := Open(bytes.NewReader(bf.main), f, opt)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n < benchNodes+benchEdges {
					b.Fatalf("read %d records", n)
				}
				elapsed += time.Since(start)
			}
			cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
			sec := elapsed.Seconds() / float64(b.N)
			b.ReportMetric(float64(benchNodes+benchEdges)/sec, "records/s")
			b.ReportMetric(float64(benchEdges)/sec, "edges/s")
			b.ReportMetric(cpu*1000, "cpu-ms/op")
			b.ReportMetric(float64(benchEdges)/cpu, "edges/cpu-s")
		})
	}
}

// BenchmarkWrite writes the graph with a known schema (the Schema pass is measured separately).
func BenchmarkWrite(b *testing.B) {
	nodes, edges := benchGraph()
	var s Schema
	for i := range nodes {
		s.AddNode(&nodes[i])
	}
	for i := range edges {
		s.AddEdge(&edges[i])
	}
	meta, err := s.Meta(Meta{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			var cw countWriter
			b.ReportAllocs()
			var elapsed time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				start := time.Now()
				cw.n = 0
				w, err := NewWriter(&cw, f, meta, WriteOptions{Nodes: &cw})
				if err != nil {
					b.Fatal(err)
				}
				for i := range nodes {
					if err := w.WriteNode(&nodes[i]); err != nil {
						b.Fatal(err)
					}
				}
				for i := range edges {
					if err := w.WriteEdge(&edges[i]); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
			}
			b.SetBytes(cw.n)
			cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
			sec := elapsed.Seconds() / float64(b.N)
			b.ReportMetric(float64(benchNodes+benchEdges)/sec, "records/s")
			b.ReportMetric(cpu*1000, "cpu-ms/op")
		})
	}
}

// BenchmarkSchema is Export's first pass over the graph.
func BenchmarkSchema(b *testing.B) {
	nodes, edges := benchGraph()
	b.ReportAllocs()
	for b.Loop() {
		var s Schema
		for i := range nodes {
			s.AddNode(&nodes[i])
		}
		for i := range edges {
			s.AddEdge(&edges[i])
		}
		if _, err := s.Meta(Meta{}); err != nil {
			b.Fatal(err)
		}
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// cpuTime is the process's user+system CPU time: on a shared machine it varies far less than the
// wall clock. It includes the garbage collector's work on other threads, which is part of the cost.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestBenchFileSizes logs the sizes of the benchmark files (go test -v -run BenchFileSizes).
func TestBenchFileSizes(t *testing.T) {
	if testing.Short() || !testing.Verbose() {
		t.Skip("only with -v: builds the 100K/300K graph")
	}
	for _, f := range Formats {
		nodes, edges := benchGraph()
		main, nf := export(t, f, Meta{Name: "bench"}, nodes, edges)
		t.Logf("%s: %.1f MB (+ %.1f MB node file)", f, float64(len(main))/1e6, float64(len(nf))/1e6)
	}
}
