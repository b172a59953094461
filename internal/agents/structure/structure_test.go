package structure

import (
	"math"
	"math/rand/v2"
	"testing"

	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

// planted makes k blocks of size s with edge probability pIn inside and pOut between blocks (a
// stochastic block model), returning the edges and the true labels.
func planted(k, s int, pIn, pOut float64, seed uint64) ([]Edge, []int32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	n := k * s
	truth := make([]int32, n)
	for i := range truth {
		truth[i] = int32(i / s)
	}
	var edges []Edge
	for i := range n {
		for j := i + 1; j < n; j++ {
			p := pOut
			if truth[i] == truth[j] {
				p = pIn
			}
			if rng.Float64() < p {
				edges = append(edges, Edge{From: int32(i), To: int32(j), Weight: 1})
			}
		}
	}
	return edges, truth
}

func mustBuild(t testing.TB, n int, edges []Edge) *Graph {
	t.Helper()
	g, err := Build(n, edges)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestLouvainFindsPlantedCommunities(t *testing.T) {
	for _, c := range []struct {
		k, s      int
		pIn, pOut float64
	}{{4, 50, 0.3, 0.01}, {8, 40, 0.25, 0.01}, {10, 30, 0.4, 0.02}} {
		for seed := uint64(1); seed <= 3; seed++ {
			edges, truth := planted(c.k, c.s, c.pIn, c.pOut, seed)
			g := mustBuild(t, c.k*c.s, edges)
			res := Louvain(g, LouvainOptions{Seed: seed})
			nmi := NMI(res.Label, truth)
			if nmi < 0.9 {
				t.Errorf("k=%d s=%d seed %d: NMI %.3f, %d communities", c.k, c.s, seed, nmi, res.Count)
			}
			// Our modularity agrees with gonum's for the same partition.
			if q := gonumQ(c.k*c.s, edges, res.Label); math.Abs(q-res.Modularity) > 1e-9 {
				t.Errorf("modularity %.12f, gonum %.12f", res.Modularity, q)
			}
			// And is at least as good as the planted partition's, give or take.
			if qt := Modularity(g, truth, 1); res.Modularity < qt-1e-3 {
				t.Errorf("Louvain Q %.4f below the planted partition's %.4f", res.Modularity, qt)
			}
		}
	}
}

func TestLouvainMatchesGonumModularize(t *testing.T) {
	edges, _ := planted(6, 30, 0.15, 0.03, 7) // blurrier: a real optimisation problem
	g := mustBuild(t, 180, edges)
	ours := Louvain(g, LouvainOptions{Seed: 1})
	ug := gonumGraph(180, edges)
	theirs := community.Q(ug, community.Modularize(ug, 1, rand.NewPCG(1, 1)).Communities(), 1)
	t.Logf("Q ours %.4f gonum %.4f (%d communities, %d levels)", ours.Modularity, theirs, ours.Count, ours.Levels)
	if ours.Modularity < theirs-0.02 {
		t.Errorf("Q %.4f well below gonum's %.4f", ours.Modularity, theirs)
	}
}

func TestLouvainWeightsAndSelfLoops(t *testing.T) {
	// Two triangles joined by a light edge; heavy self-loops must not break the partition.
	edges := []Edge{{0, 1, 5}, {1, 2, 5}, {2, 0, 5}, {3, 4, 5}, {4, 5, 5}, {5, 3, 5}, {2, 3, 0.5}, {0, 0, 2}, {4, 4, 1}}
	g := mustBuild(t, 6, edges)
	res := Louvain(g, LouvainOptions{})
	if NMI(res.Label, []int32{0, 0, 0, 1, 1, 1}) != 1 {
		t.Fatalf("labels %v", res.Label)
	}
	if q := bruteQ(6, edges, res.Label); math.Abs(q-res.Modularity) > 1e-9 {
		t.Errorf("Q %.9f, brute force %.9f", res.Modularity, q)
	}
}

// bruteQ is modularity from its definition over the dense adjacency (a self-loop counts twice in
// A_uu, as in the degree).
func bruteQ(n int, edges []Edge, label []int32) float64 {
	a := make([][]float64, n)
	for i := range a {
		a[i] = make([]float64, n)
	}
	for _, e := range edges {
		a[e.From][e.To] += e.Weight
		a[e.To][e.From] += e.Weight
	}
	k := make([]float64, n)
	m2 := 0.0
	for i := range n {
		for j := range n {
			k[i] += a[i][j]
		}
		m2 += k[i]
	}
	q := 0.0
	for i := range n {
		for j := range n {
			if label[i] == label[j] {
				q += a[i][j] - k[i]*k[j]/m2
			}
		}
	}
	return q / m2
}

func gonumGraph(n int, edges []Edge) *simple.WeightedUndirectedGraph {
	ug := simple.NewWeightedUndirectedGraph(0, 0)
	for i := range n {
		ug.AddNode(simple.Node(i))
	}
	for _, e := range edges {
		w := e.Weight
		if old := ug.WeightedEdge(int64(e.From), int64(e.To)); old != nil {
			w += old.Weight()
		}
		ug.SetWeightedEdge(simple.WeightedEdge{F: simple.Node(e.From), T: simple.Node(e.To), W: w})
	}
	return ug
}

func gonumQ(n int, edges []Edge, label []int32) float64 {
	ug := gonumGraph(n, edges)
	byLabel := map[int32][]gg.Node{}
	for i, l := range label {
		byLabel[l] = append(byLabel[l], simple.Node(i))
	}
	var comms [][]gg.Node
	for _, c := range byLabel {
		comms = append(comms, c)
	}
	return community.Q(ug, comms, 1)
}

func randomEdges(n, m int, directed bool, seed uint64) []Edge {
	rng := rand.New(rand.NewPCG(seed, 2))
	seen := map[[2]int32]bool{}
	var out []Edge
	for len(out) < m {
		a, b := int32(rng.IntN(n)), int32(rng.IntN(n))
		if a == b {
			continue
		}
		key := [2]int32{a, b}
		if !directed && a > b {
			key = [2]int32{b, a}
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Edge{From: a, To: b, Weight: 0.5 + rng.Float64()})
	}
	return out
}

func TestPageRankMatchesGonum(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		n := 60
		edges := randomEdges(n, 200, true, seed)
		g := mustBuild(t, n, edges)
		ours := PageRank(g, 0.85, 1e-13, 1000)
		dg := simple.NewWeightedDirectedGraph(0, 0)
		for i := range n {
			dg.AddNode(simple.Node(i))
		}
		for _, e := range edges {
			dg.SetWeightedEdge(simple.WeightedEdge{F: simple.Node(e.From), T: simple.Node(e.To), W: e.Weight})
		}
		theirs := network.PageRank(dg, 0.85, 1e-13)
		sum := 0.0
		for i, r := range ours {
			sum += r
			if math.Abs(r-theirs[int64(i)]) > 1e-8 {
				t.Fatalf("seed %d node %d: %.10f, gonum %.10f", seed, i, r, theirs[int64(i)])
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("ranks sum to %v", sum)
		}
	}
}

func TestBetweennessMatchesGonum(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		n := 50
		edges := randomEdges(n, 90, false, seed)
		g := mustBuild(t, n, edges)
		ours := Betweenness(g, 0, 0)
		ug := simple.NewUndirectedGraph()
		for i := range n {
			ug.AddNode(simple.Node(i))
		}
		for _, e := range edges {
			ug.SetEdge(simple.Edge{F: simple.Node(e.From), T: simple.Node(e.To)})
		}
		theirs := network.Betweenness(ug) // ordered pairs: twice ours
		for i, b := range ours {
			if math.Abs(2*b-theirs[int64(i)]) > 1e-9 {
				t.Fatalf("seed %d node %d: %.6f, gonum %.6f/2", seed, i, b, theirs[int64(i)])
			}
		}
	}
	// A path a-b-c: b lies on the one path between a and c.
	if b := Betweenness(mustBuild(t, 3, []Edge{{0, 1, 1}, {1, 2, 1}}), 0, 0); b[1] != 1 || b[0] != 0 {
		t.Errorf("path: %v", b)
	}
	// Sampling every source is the exact answer.
	g := mustBuild(t, 40, randomEdges(40, 80, false, 9))
	exact, all := Betweenness(g, 0, 0), Betweenness(g, 40, 3)
	for i := range exact {
		if math.Abs(exact[i]-all[i]) > 1e-9 {
			t.Fatalf("sampling all sources differs at %d", i)
		}
	}
}

func TestBridgesMatchBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		n := 30
		edges := randomEdges(n, 28+int(seed%10), false, seed)
		if seed%4 == 0 { // a parallel edge is never a bridge
			edges = append(edges, Edge{From: edges[0].To, To: edges[0].From, Weight: 1})
		}
		g := mustBuild(t, n, edges)
		got := map[int32]bool{}
		for _, id := range Bridges(g) {
			got[id] = true
		}
		base := components(n, edges, -1)
		for i := range edges {
			want := components(n, edges, i) > base
			if got[int32(i)] != want {
				t.Fatalf("seed %d edge %d %v: bridge %v, brute force %v", seed, i, edges[i], got[int32(i)], want)
			}
		}
	}
}

// components counts connected components without edge skip.
func components(n int, edges []Edge, skip int) int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	c := n
	for i, e := range edges {
		if i == skip {
			continue
		}
		if a, b := find(int(e.From)), find(int(e.To)); a != b {
			parent[a] = b
			c--
		}
	}
	return c
}

func TestNMI(t *testing.T) {
	a := []int32{0, 0, 1, 1, 2, 2}
	if v := NMI(a, []int32{5, 5, 3, 3, 9, 9}); math.Abs(v-1) > 1e-12 {
		t.Errorf("relabelled: %v", v)
	}
	if v := NMI(a, []int32{0, 1, 0, 1, 0, 1}); v > 1e-12 {
		t.Errorf("independent: %v", v)
	}
}

func TestBuildRefusesBadInput(t *testing.T) {
	for _, e := range []Edge{{0, 5, 1}, {0, 1, 0}, {0, 1, math.NaN()}, {-1, 0, 1}} {
		if _, err := Build(3, []Edge{e}); err == nil {
			t.Errorf("%v accepted", e)
		}
	}
}

func BenchmarkLouvain(b *testing.B) {
	for _, n := range []int{2_000, 20_000} {
		edges, _ := planted(n/100, 100, 0.1, 10.0/float64(n), 1)
		g := mustBuild(b, n, edges)
		b.Run(itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Louvain(g, LouvainOptions{Seed: 1})
			}
		})
	}
}

func BenchmarkPageRank(b *testing.B) {
	n := 100_000
	g := mustBuild(b, n, randomEdges(n, 3*n, true, 1))
	b.ReportAllocs()
	for b.Loop() {
		PageRank(g, 0.85, 1e-9, 100)
	}
}

func BenchmarkBetweennessSampled(b *testing.B) {
	n := 100_000
	g := mustBuild(b, n, randomEdges(n, 3*n, false, 1))
	b.ReportAllocs()
	for b.Loop() {
		Betweenness(g, 64, 1)
	}
}

func itoa(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
