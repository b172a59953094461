package timeline

import (
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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

// bigHistory is the big history with default options, built once for the scrubbing benchmarks (they
// only read it).
var bigHistory = sync.OnceValue(func() *History {
	h, err := New(graph.New("g"), Options{})
	if err == nil {
		err = h.AppendAll(bigOnce())
	}
	if err != nil {
		panic(err)
	}
	return h
})

func reportHistory(b *testing.B, h *History) {
	st := h.Stats()
	b.ReportMetric(float64(st.CheckpointBytes)/(1<<20), "MB-checkpoints")
	b.ReportMetric(float64(st.Checkpoints), "checkpoints")
	b.ReportMetric(float64(st.EventBytes)/(1<<20), "MB-events-est")
	b.ReportMetric(float64(st.MaxReplayEvents), "max-replay-events")
}

// minorFaults is the process's minor page faults so far (Linux), or -1. On the shared VM a fault
// costs ≈ 12 µs, so a clone into memory the heap has never touched costs 140 ms instead of 11 ms: the
// metric tells a cold heap from a slow restore.
func minorFaults() int64 {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return -1
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 8 {
		return -1
	}
	n, err := strconv.ParseInt(f[7], 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// timer records the calls of one benchmark: mean and slowest in ms, and page faults per call.
type timer struct {
	n      int
	max    time.Duration
	faults int64
}

func startTimer() *timer { return &timer{faults: minorFaults()} }

func (t *timer) call(f func()) {
	t0 := time.Now()
	f()
	t.max = max(t.max, time.Since(t0))
	t.n++
}

func (t *timer) report(b *testing.B, unit string) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(max(t.n, 1)), "ms/"+unit)
	b.ReportMetric(float64(t.max.Microseconds())/1000, "ms-max")
	if f := minorFaults(); f >= 0 && t.faults >= 0 {
		b.ReportMetric(float64(f-t.faults)/float64(max(t.n, 1)), "faults/"+unit)
	}
}

// version is the version of the state after the first n events.
func version(h *History, n int) uint64 {
	if n == 0 {
		return h.First()
	}
	return h.Event(n - 1).Seq
}

// BenchmarkAt moves to random versions of the 100K-event history: the scrubber's cost per jump.
func BenchmarkAt(b *testing.B) {
	h := bigHistory()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	t := startTimer()
	for b.Loop() {
		t.call(func() {
			if _, err := h.At(rng.Uint64N(h.Last() + 1)); err != nil {
				b.Fatal(err)
			}
		})
	}
	t.report(b, "At")
	reportHistory(b, h)
}

// BenchmarkAtWorst restores the position the cost model rates dearest: the last version before a
// checkpoint (the longest replay) weighted by the size of the state to clone. BenchmarkAtEnds checks
// the model's choice against every such position.
func BenchmarkAtWorst(b *testing.B) {
	h := bigHistory()
	n, est := h.worst()
	v := version(h, n)
	b.ReportAllocs()
	t := startTimer()
	for b.Loop() {
		t.call(func() {
			if _, err := h.At(v); err != nil {
				b.Fatal(err)
			}
		})
	}
	t.report(b, "At")
	cp := h.cps[h.checkpointFor(n)]
	b.ReportMetric(est/1e6, "ms-model")
	b.ReportMetric(float64(n-cp.idx), "replay-events")
	b.ReportMetric(float64(cp.g.NodeCount()), "nodes-cloned")
}

// BenchmarkAtEnds restores, in each op, the last version of every checkpoint interval: the slowest
// (ms-max) is the history's measured worst position.
func BenchmarkAtEnds(b *testing.B) {
	h := bigHistory()
	var vs []uint64
	for c := 1; c < len(h.cps); c++ {
		vs = append(vs, version(h, h.cps[c].idx-1))
	}
	vs = append(vs, h.Last())
	b.ReportAllocs()
	t := startTimer()
	for b.Loop() {
		for _, v := range vs {
			t.call(func() {
				g, err := h.At(v)
				if err != nil {
					b.Fatal(err)
				}
				h.Recycle(g) // as the workbench does: without it each op allocates 625 MB and GC assists dominate
			})
		}
	}
	t.report(b, "At")
}

// BenchmarkCursorForward drags forward by small steps (1–64 events, as a slider 1,000 pixels wide
// over 100K events moves at one pixel a frame) through the largest states, from 80K events on.
func BenchmarkCursorForward(b *testing.B) {
	h := bigHistory()
	rng := rand.New(rand.NewPCG(5, 6))
	c := h.Cursor()
	from := h.Len() * 8 / 10
	n := from
	if _, err := c.Seek(version(h, n)); err != nil {
		b.Fatal(err)
	}
	restores := c.restores
	b.ReportAllocs()
	t := startTimer()
	for b.Loop() {
		if n += 1 + rng.IntN(64); n > h.Len() {
			n = from // wraps back: one restore, counted in restores/op
		}
		t.call(func() {
			if _, err := c.Seek(version(h, n)); err != nil {
				b.Fatal(err)
			}
		})
	}
	t.report(b, "Seek")
	b.ReportMetric(float64(c.restores-restores)/float64(t.n), "restores/op")
	b.ReportMetric(float64(cloneBytes(c.g))/(1<<20), "MB-cursor")
}

// BenchmarkCursorBackward drags backward by small steps: every step restores from a checkpoint.
func BenchmarkCursorBackward(b *testing.B) {
	h := bigHistory()
	rng := rand.New(rand.NewPCG(7, 8))
	c := h.Cursor()
	n := h.Len()
	if _, err := c.Seek(version(h, n)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	t := startTimer()
	for b.Loop() {
		if n -= 1 + rng.IntN(64); n < 0 {
			n = h.Len()
		}
		t.call(func() {
			if _, err := c.Seek(version(h, n)); err != nil {
				b.Fatal(err)
			}
		})
	}
	t.report(b, "Seek")
}

// BenchmarkCursorRandom seeks a cursor to random versions: jumps both ways, like clicks on the
// scrubber.
func BenchmarkCursorRandom(b *testing.B) {
	h := bigHistory()
	rng := rand.New(rand.NewPCG(9, 10))
	c := h.Cursor()
	b.ReportAllocs()
	t := startTimer()
	for b.Loop() {
		t.call(func() {
			if _, err := c.Seek(rng.Uint64N(h.Last() + 1)); err != nil {
				b.Fatal(err)
			}
		})
	}
	t.report(b, "Seek")
	b.ReportMetric(float64(c.restores)/float64(t.n), "restores/op")
}

// BenchmarkBuild records the 100K events with checkpoints: the cost of keeping the history live, and
// the heap it holds (measured after a collection, beyond the events' payloads, which it shares).
func BenchmarkBuild(b *testing.B) {
	bigOnce()
	var h *History
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	b.ReportAllocs()
	for b.Loop() {
		h = nil
		h = buildBig(b, Options{})
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(int64(ms.HeapAlloc)-int64(before))/(1<<20), "MB-heap-held")
	reportHistory(b, h)
}

// BenchmarkDiff compares two random versions of the big history.
func BenchmarkDiff(b *testing.B) {
	h := bigHistory()
	rng := rand.New(rand.NewPCG(3, 4))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Diff(rng.Uint64N(h.Last()+1), rng.Uint64N(h.Last()+1)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/Diff")
}

// BenchmarkAtRecycled is BenchmarkAt the way the workbench restores: each state is handed back with
// Recycle once it has been projected, so the next restore writes into memory the process has.
func BenchmarkAtRecycled(b *testing.B) {
	h := bigHistory()
	warmSpare(b, h)
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	t := startTimer()
	for b.Loop() {
		t.call(func() {
			g, err := h.At(rng.Uint64N(h.Last() + 1))
			if err != nil {
				b.Fatal(err)
			}
			h.Recycle(g)
		})
	}
	t.report(b, "At")
}

// BenchmarkAtWorstRecycled is BenchmarkAtWorst with each state recycled.
func BenchmarkAtWorstRecycled(b *testing.B) {
	h := bigHistory()
	warmSpare(b, h)
	n, _ := h.worst()
	v := version(h, n)
	b.ReportAllocs()
	t := startTimer()
	for b.Loop() {
		t.call(func() {
			g, err := h.At(v)
			if err != nil {
				b.Fatal(err)
			}
			h.Recycle(g)
		})
	}
	t.report(b, "At")
}

// warmSpare does what the workbench does once a history has loaded: restore the largest state and hand
// it back, so that the first jump has tables to copy into.
func warmSpare(b *testing.B, h *History) {
	g, err := h.At(h.Last())
	if err != nil {
		b.Fatal(err)
	}
	h.Recycle(g)
}
