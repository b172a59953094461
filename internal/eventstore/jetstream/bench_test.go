package jetstream

import (
	"context"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
)

// BenchmarkAppend: one single-event command per Append, synchronous, with the expected-sequence
// check (the command service's path); "raw" is a plain JetStream publish of the same message
// without any check, the floor.
func BenchmarkAppend(b *testing.B) {
	for _, mode := range []string{"checked", "raw"} {
		b.Run(mode, func(b *testing.B) {
			_, nc := natstest.Start(b)
			s := openStore(b, nc, Config{})
			ctx := context.Background()
			v, err := s.Append(ctx, "g", 0, wrap(b, "g", &graph.GraphCreated{Name: "g"}))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				evs := wrap(b, "g", &graph.NodesAdded{Nodes: []graph.Node{{ID: fmt.Sprint(i), Label: "a node label"}}})
				if mode == "raw" {
					data, _ := graph.EncodeEvent(&evs[0])
					if _, err := s.js.PublishMsg(ctx, s.eventMsg("g", &evs[0], data)); err != nil {
						b.Fatal(err)
					}
				} else if v, err = s.Append(ctx, "g", v, evs); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkAllOrNothing compares the two ways a command with k changes can land atomically: one
// event carrying all k changes, or an atomic batch of k events.
func BenchmarkAllOrNothing(b *testing.B) {
	for _, k := range []int{2, 10, 100} {
		for _, mode := range []string{"one-event", "atomic-batch"} {
			b.Run(fmt.Sprintf("changes=%d/%s", k, mode), func(b *testing.B) {
				_, nc := natstest.Start(b)
				s := openStore(b, nc, Config{})
				ctx := context.Background()
				v, err := s.Append(ctx, "g", 0, wrap(b, "g", &graph.GraphCreated{Name: "g"}))
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					var ps []graph.Payload
					if mode == "one-event" {
						p := &graph.NodesAdded{}
						for j := range k {
							p.Nodes = append(p.Nodes, graph.Node{ID: fmt.Sprint(i, "-", j)})
						}
						ps = append(ps, p)
					} else {
						for j := range k {
							ps = append(ps, &graph.NodesAdded{Nodes: []graph.Node{{ID: fmt.Sprint(i, "-", j)}}})
						}
					}
					if v, err = s.Append(ctx, "g", v, wrap(b, "g", ps...)); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
			})
		}
	}
}

const benchNodes, benchEdges = 100_000, 300_000

// importGraph streams a random graph (fixed seed) through the repository's bulk importer.
func importGraph(tb testing.TB, repo *eventstore.Repository, id string, n, m int) (events uint64, d time.Duration) {
	ctx := context.Background()
	start := time.Now()
	im, err := repo.Import(ctx, id, eventstore.ImportOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := im.Command(&graph.CreateGraph{Name: id}); err != nil {
		tb.Fatal(err)
	}
	im.Graph().Reserve(n, m)
	rng := rand.New(rand.NewPCG(3, 5))
	for i := range n {
		if err := im.Node(graph.Node{ID: fmt.Sprint("n", i), Label: fmt.Sprint("node ", i), Kind: "entity"}); err != nil {
			tb.Fatal(err)
		}
	}
	for i := range m {
		e := graph.EdgeInput{ID: fmt.Sprint("e", i), Source: fmt.Sprint("n", rng.IntN(n)), Target: fmt.Sprint("n", rng.IntN(n)), Kind: "rel"}
		if err := im.Edge(e); err != nil {
			tb.Fatal(err)
		}
	}
	events = im.Graph().EventCount()
	if _, err := im.Close(); err != nil {
		tb.Fatal(err)
	}
	return events, time.Since(start)
}

// BenchmarkImport: a 100K-node / 300K-edge graph through the bulk path (1000 items per event).
func BenchmarkImport(b *testing.B) {
	_, nc := natstest.Start(b)
	repo, _, err := OpenRepository(context.Background(), nc, RepoConfig{SnapshotEvery: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var events uint64
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		id := fmt.Sprint("imp", i)
		n, _ := importGraph(b, repo, id, benchNodes, benchEdges)
		repo.Close() // include the snapshot written at the end
		repo.Forget(id)
		events += n
		i++
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/import")
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/sec, "events/s")
	b.ReportMetric(float64(b.N*benchEdges)/sec, "edges/s")
	b.ReportMetric(float64(b.N*(benchNodes+benchEdges))/sec, "items/s")
}

// BenchmarkOpen: cold open (no cache) of the imported 100K/300K graph, by replaying all events and
// from a snapshot plus a short tail.
func BenchmarkOpen(b *testing.B) {
	_, nc := natstest.Start(b)
	ctx := context.Background()
	repo, s, err := OpenRepository(ctx, nc, RepoConfig{SnapshotEvery: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	importGraph(b, repo, "big", benchNodes, benchEdges)
	// A tail of ordinary commands after the import.
	for i := range 50 {
		if _, err := repo.Execute(ctx, "big", &graph.AddNodes{Nodes: []graph.Node{{ID: fmt.Sprint("t", i)}}}, graph.Meta{}, eventstore.ExecOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	snaps, err := OpenSnapshots(ctx, s.JetStream(), SnapshotConfig{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("replay", func(b *testing.B) {
		r := eventstore.NewRepository(s, eventstore.RepoOptions{SnapshotEvery: 1 << 40})
		b.ReportAllocs()
		cpu := cpuTime()
		defer func() { b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/open") }()
		for b.Loop() {
			g, err := r.Open(ctx, "big")
			if err != nil || g.NodeCount() != benchNodes+50 {
				b.Fatalf("open: %v", err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/open")
	})
	// Importer.Close wrote a snapshot of the import's end (in the background: wait for it), so
	// opening restores it and replays the 50-command tail.
	repo.Close()
	b.Run("snapshot+tail", func(b *testing.B) {
		r := eventstore.NewRepository(s, eventstore.RepoOptions{Snapshots: snaps, SnapshotEvery: 1 << 40})
		b.ReportAllocs()
		cpu := cpuTime()
		defer func() { b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/open") }()
		for b.Loop() {
			g, err := r.Open(ctx, "big")
			if err != nil || g.NodeCount() != benchNodes+50 {
				b.Fatalf("open: %v", err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/open")
	})
}

// cpuTime is the process's user+system CPU time: on a shared, overloaded machine it says what an
// operation costs better than wall time (the embedded server runs in this process and is counted).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExecute: commands through the repository (cached aggregate, decide, append), the
// command service's inner loop.
func BenchmarkExecute(b *testing.B) {
	_, nc := natstest.Start(b)
	ctx := context.Background()
	repo, _, err := OpenRepository(ctx, nc, RepoConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer repo.Close()
	if _, err := repo.Execute(ctx, "g", &graph.CreateGraph{Name: "g"}, graph.Meta{}, eventstore.ExecOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		cmd := &graph.AddNodes{Nodes: []graph.Node{{ID: fmt.Sprint(i), Label: "a node label"}}}
		if _, err := repo.Execute(ctx, "g", cmd, graph.Meta{CommandID: fmt.Sprint("c", i)}, eventstore.ExecOptions{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
}
