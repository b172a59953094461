package timeline

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// bigSpec is the scrubbing case: 100K events, single and 40-item batch additions, updates and
// removals, ending near 100K nodes and 300K edges.
var bigSpec = genSpec{events: 100_000, batch: 40, batchNodes: 2, singleNode: 20, batchEdges: 6, singleEdge: 60,
	nodeUpd: 6, edgeUpd: 3, edgeRm: 1, nodeRm: 1}

var bigOnce = sync.OnceValue(func() []graph.Event { return genHistory(42, bigSpec) })

func buildBig(b *testing.B, opt Options) *History {
	evs := bigOnce()
	h, err := New(graph.New("g"), opt)
	if err != nil {
		b.Fatal(err)
	}
	if err := h.AppendAll(evs); err != nil {
		b.Fatal(err)
	}
	return h
}

func reportHistory(b *testing.B, h *History) {
	st := h.Stats()
	b.ReportMetric(float64(st.CheckpointBytes)/(1<<20), "MB-checkpoints")
	b.ReportMetric(float64(st.Checkpoints), "checkpoints")
	b.ReportMetric(float64(st.EventBytes)/(1<<20), "MB-events-est")
	b.ReportMetric(float64(h.Tip().NodeCount()), "nodes")
	b.ReportMetric(float64(h.Tip().EdgeCount()), "edges")
}

// BenchmarkAt moves to random versions of the 100K-event history: the scrubber's cost per position.
func BenchmarkAt(b *testing.B) {
	h := buildBig(b, Options{})
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.At(rng.Uint64N(h.Last() + 1)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/At")
	reportHistory(b, h)
}

// BenchmarkAtLatest is the worst position: the largest state and the longest replay after the last
// checkpoint (one event short of the next one).
func BenchmarkAtLatest(b *testing.B) {
	h := buildBig(b, Options{})
	v := h.Last()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.At(v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/At")
	b.ReportMetric(float64(h.Stats().MaxReplayEvents), "max-replay-events")
}

// BenchmarkBuild records the 100K events with checkpoints: the cost of keeping the history live.
func BenchmarkBuild(b *testing.B) {
	bigOnce()
	var h *History
	b.ReportAllocs()
	for b.Loop() {
		h = buildBig(b, Options{})
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
	reportHistory(b, h)
}

// BenchmarkDiff compares two random versions of the big history.
func BenchmarkDiff(b *testing.B) {
	h := buildBig(b, Options{})
	rng := rand.New(rand.NewPCG(3, 4))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Diff(rng.Uint64N(h.Last()+1), rng.Uint64N(h.Last()+1)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/Diff")
}
