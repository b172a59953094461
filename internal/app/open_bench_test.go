package app

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
)

// BenchmarkOpenGraph is the GUI's cold open of an imported 100K-node / 300K-edge graph: the
// repository reads the snapshot and the tail (or, without snapshots, replays every event), the
// world is built, the follower and the layout start. It also reports the process's resident memory
// with the graph open — embedded NATS server, aggregate, world, layout and scene included.
func BenchmarkOpenGraph(b *testing.B) {
	const nodes, edges = 100_000, 300_000
	_, nc := natstest.Start(b)
	ctx := context.Background()
	repo, store, err := esjs.OpenRepository(ctx, nc, esjs.RepoConfig{})
	if err != nil {
		b.Fatal(err)
	}
	if err := importRandom(ctx, repo, "big", nodes, edges); err != nil {
		b.Fatal(err)
	}
	repo.Close()
	log := slog.New(slog.DiscardHandler)
	for _, mode := range []string{"snapshot", "replay"} {
		b.Run(mode, func(b *testing.B) {
			var took time.Duration
			for i := 0; i < b.N; i++ {
				var r *eventstore.Repository
				if mode == "snapshot" {
					r, _, err = esjs.OpenRepository(ctx, nc, esjs.RepoConfig{})
				} else {
					r = eventstore.NewRepository(store, eventstore.RepoOptions{})
				}
				if err != nil {
					b.Fatal(err)
				}
				ws := &workspace{repo: r, store: store, log: log}
				start := time.Now()
				v, _, err := ws.openNow(ctx, "big", layout.DefaultParams(), 1)
				if err != nil {
					b.Fatal(err)
				}
				took += time.Since(start)
				if v.world.Nodes.Len() != nodes || v.world.Edges.Len() != edges {
					b.Fatalf("opened %d nodes %d edges", v.world.Nodes.Len(), v.world.Edges.Len())
				}
				if err := v.runner.Start(ctx); err != nil {
					b.Fatal(err)
				}
				for v.scene.NodeCount() != nodes {
					v.frame()
					time.Sleep(time.Millisecond)
				}
				runtime.GC()
				b.ReportMetric(float64(residentBytes())/(1<<20), "MB-resident")
				v.close()
				r.Close()
			}
			b.ReportMetric(float64(took.Milliseconds())/float64(b.N), "ms/open")
		})
	}
}

// importRandom stores a seeded random graph through the bulk import path, as `alchemist import` does.
func importRandom(ctx context.Context, repo *eventstore.Repository, id string, nodes, edges int) error {
	im, err := repo.Import(ctx, id, eventstore.ImportOptions{})
	if err != nil {
		return err
	}
	if err := im.Command(&graph.CreateGraph{Name: id}); err != nil {
		return err
	}
	for i := range nodes {
		if err := im.Node(graph.Node{ID: "n" + strconv.Itoa(i), Label: fmt.Sprintf("node %d", i)}); err != nil {
			return err
		}
	}
	w := 1.0
	for i := range edges {
		s, t := i%nodes, (i*7919+13)%nodes
		if err := im.Edge(graph.EdgeInput{ID: "e" + strconv.Itoa(i), Source: "n" + strconv.Itoa(s), Target: "n" + strconv.Itoa(t), Weight: &w}); err != nil {
			return err
		}
	}
	_, err = im.Close()
	return err
}

// residentBytes is VmRSS from /proc/self/status (0 where there is none).
func residentBytes() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
