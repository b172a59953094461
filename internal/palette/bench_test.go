package palette

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// nodeNames makes n node ids and labels shaped like an imported graph's: ids "node-<i>", labels of
// one to four words, a tenth of them empty (the id is shown instead).
func nodeNames(n int) (ids, labels []string) {
	words := strings.Fields(`alpha beta gamma delta protein kinase receptor binding domain factor station metro
		line paris london berlin köln zürich paper author citation network graph model layout agent
		similarity category coalition competition market firm product user session event version`)
	rng := rand.New(rand.NewPCG(42, 9))
	ids, labels = make([]string, n), make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("node-%d", i)
		if i%10 == 0 {
			continue
		}
		k := 1 + rng.IntN(4)
		parts := make([]string, k)
		for j := range parts {
			parts[j] = words[rng.IntN(len(words))]
			if rng.IntN(3) == 0 {
				parts[j] = strings.ToUpper(parts[j][:1]) + parts[j][1:]
			}
		}
		labels[i] = strings.Join(parts, " ")
	}
	return ids, labels
}

// BenchmarkTop is the first keystroke's scan of a graph's nodes: every label (else id) scored
// against the query, the 50 best kept, nothing narrowed from an earlier query (the character masks
// of the tables are kept: they change only with the graph). Queries from selective to matching
// most names.
func BenchmarkTop(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		ids, labels := nodeNames(n)
		for _, q := range []string{"p", "met", "prk", "node-9", "köln", "zzz", "simcat"} {
			b.Run(fmt.Sprintf("n=%d/q=%s", n, q), func(b *testing.B) {
				r := NewRanker(1)
				dst := make([]Hit, 0, 50)
				dst = r.Top(q, labels, ids, 50, dst)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					r.lastSet = false
					dst = r.Top(q, labels, ids, 50, dst)
				}
				b.ReportMetric(float64(len(dst)), "hits")
			})
		}
	}
}

// BenchmarkTopTyping types a query one character at a time over 100K nodes, as the palette sees it:
// each keystroke after the first scans only what the previous one matched. ns/op is per keystroke.
func BenchmarkTopTyping(b *testing.B) {
	ids, labels := nodeNames(100_000)
	for _, q := range []string{"protein", "node-9999", "simcat", "metro paris"} {
		b.Run("q="+q, func(b *testing.B) {
			r := NewRanker(1)
			dst := make([]Hit, 0, 50)
			for i := range len(q) {
				dst = r.Top(q[:i+1], labels, ids, 50, dst)
			}
			b.ReportAllocs()
			b.ResetTimer()
			keys := 0
			for b.Loop() {
				r.lastSet = false
				for i := range len(q) {
					dst = r.Top(q[:i+1], labels, ids, 50, dst)
					keys++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(keys), "ns/key")
		})
	}
}

// BenchmarkMasks is what the first keystroke after the graph changed pays on top: the character
// masks of 100K labels and ids.
func BenchmarkMasks(b *testing.B) {
	ids, labels := nodeNames(100_000)
	r := NewRanker(1)
	dst := make([]Hit, 0, 50)
	dst = r.Top("zzz", labels, ids, 50, dst) // the mask tables grow once
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r.Forget()
		dst = r.Top("zzz", labels, ids, 50, dst)
	}
}

// BenchmarkScore is the cost of scoring one name that matches.
func BenchmarkScore(b *testing.B) {
	m := NewMatcher("prk")
	text := "protein Receptor kinase binding"
	m.Score(text) // the buffers grow once
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Score(text)
	}
}

// BenchmarkRankCommands is a keystroke over the small lists: ~60 commands, graphs and agents.
func BenchmarkRankCommands(b *testing.B) {
	items := append([]Item(nil), commands...)
	for len(items) < 60 {
		items = append(items, commands...)
	}
	r := NewRanker(16)
	r.Use("cmd:fit")
	dst := r.Rank("tog", items, nil)
	b.ReportAllocs()
	for b.Loop() {
		dst = r.Rank("tog", items, dst[:0])
	}
}
