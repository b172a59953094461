package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// HNSWOptions configure an HNSW index. Zero values take the defaults of
// Malkov & Yashunin: M = 16, M0 = 2M, EfConstruction = 200, mL = 1/ln M.
type HNSWOptions struct {
	M              int
	EfConstruction int
	Seed           uint64
}

// HNSW is a hierarchical navigable small world graph for approximate
// nearest-neighbour search (Malkov & Yashunin, "Efficient and robust
// approximate nearest neighbor search using Hierarchical Navigable Small
// World graphs", IEEE TPAMI 2020, arXiv:1603.09320): greedy search from the
// top layer down, beam search (width ef) on layer 0, neighbours chosen by
// the paper's heuristic (Algorithm 4). Vectors are stored flat. Add and
// Search share scratch buffers, so an index must not be used from two
// goroutines at once; Search allocates nothing in steady state.
type HNSW struct {
	dims       int
	metric     Metric // nil: squared Euclidean internally
	m, m0      int
	efC        int
	ml         float64
	rng        *rand.Rand
	vecs       []float64
	links      [][][]int32 // node → layer → neighbours
	entry      int32
	maxLevel   int
	visited    []uint32
	epoch      uint32
	cand, res  distHeap
	selScratch []distID
}

type distID struct {
	d  float64
	id int32
}

// distHeap is a binary heap of distID; max-heap when max is true.
type distHeap struct {
	a   []distID
	max bool
}

func (h *distHeap) less(i, j int) bool {
	if h.max {
		return h.a[i].d > h.a[j].d
	}
	return h.a[i].d < h.a[j].d
}

func (h *distHeap) push(x distID) {
	h.a = append(h.a, x)
	i := len(h.a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.a[i], h.a[p] = h.a[p], h.a[i]
		i = p
	}
}

func (h *distHeap) pop() distID {
	top := h.a[0]
	n := len(h.a) - 1
	h.a[0] = h.a[n]
	h.a = h.a[:n]
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h.less(c+1, c) {
			c++
		}
		if !h.less(c, i) {
			break
		}
		h.a[i], h.a[c] = h.a[c], h.a[i]
		i = c
	}
	return top
}

// NewHNSW creates an empty index for dims-dimensional vectors. metric nil
// (or Euclidean) uses L2.
func NewHNSW(dims int, metric Metric, opt HNSWOptions) (*HNSW, error) {
	if dims <= 0 {
		return nil, fmt.Errorf("spatial: hnsw dims: %w: %d", ErrParameter, dims)
	}
	if opt.M == 0 {
		opt.M = 16
	}
	if opt.M < 2 {
		return nil, fmt.Errorf("spatial: hnsw M: %w: want ≥ 2, got %d", ErrParameter, opt.M)
	}
	if opt.EfConstruction == 0 {
		opt.EfConstruction = 200
	}
	if opt.EfConstruction < 1 {
		return nil, fmt.Errorf("spatial: hnsw ef_construction: %w: %d", ErrParameter, opt.EfConstruction)
	}
	h := &HNSW{dims: dims, m: opt.M, m0: 2 * opt.M, efC: opt.EfConstruction,
		ml: 1 / math.Log(float64(opt.M)), rng: rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15)),
		entry: -1, res: distHeap{max: true}}
	if _, ok := metric.(Euclidean); !ok {
		h.metric = metric
	}
	return h, nil
}

// Len is the number of indexed vectors.
func (h *HNSW) Len() int { return len(h.links) }

func (h *HNSW) vec(i int32) []float64 {
	return h.vecs[int(i)*h.dims : int(i+1)*h.dims]
}

// dist is squared L2 for Euclidean (same order, cheaper) or the metric.
func (h *HNSW) dist(a, b []float64) float64 {
	if h.metric == nil {
		return sqDist(a, b)
	}
	return h.metric.Distance(a, b)
}

func (h *HNSW) outDist(d float64) float64 {
	if h.metric == nil {
		return math.Sqrt(d)
	}
	return d
}

// Add inserts a vector (copied) and returns its id (0, 1, 2, … in order).
func (h *HNSW) Add(x []float64) (int, error) {
	if err := checkVec(x, h.dims, "x"); err != nil {
		return 0, err
	}
	id := int32(len(h.links))
	h.vecs = append(h.vecs, x...)
	level := int(math.Floor(-math.Log(1-h.rng.Float64()) * h.ml))
	h.links = append(h.links, make([][]int32, level+1))
	h.visited = append(h.visited, 0)
	if h.entry < 0 {
		h.entry, h.maxLevel = id, level
		return int(id), nil
	}
	q := h.vec(id)
	ep := h.entry
	epd := h.dist(q, h.vec(ep))
	for l := h.maxLevel; l > level; l-- {
		ep, epd = h.greedy(q, ep, epd, l)
	}
	for l := min(level, h.maxLevel); l >= 0; l-- {
		h.searchLayer(q, ep, epd, h.efC, l)
		found := append(h.selScratch[:0], h.res.a...)
		sortDistIDs(found)
		h.selScratch = found
		maxConn := h.m
		if l == 0 {
			maxConn = h.m0
		}
		nb := h.selectNeighbors(q, found, h.m)
		h.links[id][l] = append([]int32(nil), nb...)
		for _, n := range nb {
			h.connect(n, id, l, maxConn)
		}
		ep, epd = found[0].id, found[0].d
	}
	if level > h.maxLevel {
		h.entry, h.maxLevel = id, level
	}
	return int(id), nil
}

// connect adds a back-link n → id, shrinking n's list with the heuristic
// when it overflows.
func (h *HNSW) connect(n, id int32, l, maxConn int) {
	lst := append(h.links[n][l], id)
	if len(lst) <= maxConn {
		h.links[n][l] = lst
		return
	}
	nv := h.vec(n)
	c := make([]distID, len(lst))
	for i, o := range lst {
		c[i] = distID{h.dist(nv, h.vec(o)), o}
	}
	sortDistIDs(c)
	h.links[n][l] = append(lst[:0], h.selectNeighbors(nv, c, maxConn)...)
}

// selectNeighbors is the heuristic of Algorithm 4: walk candidates nearest
// first and keep one only if it is closer to the base than to every kept
// neighbour (which spreads links in all directions), then fill up with the
// discarded ones (keepPrunedConnections).
func (h *HNSW) selectNeighbors(base []float64, cands []distID, m int) []int32 {
	out := make([]int32, 0, m)
	var pruned []int32
	for _, c := range cands {
		if len(out) >= m {
			break
		}
		cv := h.vec(c.id)
		good := true
		for _, r := range out {
			if h.dist(cv, h.vec(r)) < c.d {
				good = false
				break
			}
		}
		if good {
			out = append(out, c.id)
		} else {
			pruned = append(pruned, c.id)
		}
	}
	for _, p := range pruned {
		if len(out) >= m {
			break
		}
		out = append(out, p)
	}
	return out
}

func (h *HNSW) greedy(q []float64, ep int32, epd float64, l int) (int32, float64) {
	for changed := true; changed; {
		changed = false
		for _, n := range h.links[ep][l] {
			if d := h.dist(q, h.vec(n)); d < epd {
				ep, epd, changed = n, d, true
			}
		}
	}
	return ep, epd
}

// searchLayer is Algorithm 2: beam search of width ef on layer l; the ef
// best found are left in h.res (a max-heap).
func (h *HNSW) searchLayer(q []float64, ep int32, epd float64, ef, l int) {
	h.epoch++
	if h.epoch == 0 { // wrapped: clear marks
		clear(h.visited)
		h.epoch = 1
	}
	h.cand.a, h.res.a = h.cand.a[:0], h.res.a[:0]
	h.visited[ep] = h.epoch
	h.cand.push(distID{epd, ep})
	h.res.push(distID{epd, ep})
	for len(h.cand.a) > 0 {
		c := h.cand.pop()
		if c.d > h.res.a[0].d && len(h.res.a) >= ef {
			break
		}
		for _, n := range h.links[c.id][l] {
			if h.visited[n] == h.epoch {
				continue
			}
			h.visited[n] = h.epoch
			d := h.dist(q, h.vec(n))
			if len(h.res.a) < ef || d < h.res.a[0].d {
				h.cand.push(distID{d, n})
				h.res.push(distID{d, n})
				if len(h.res.a) > ef {
					h.res.pop()
				}
			}
		}
	}
}

// Search returns (approximately) the k nearest vectors to q, nearest first,
// exploring ef ≥ k candidates on the bottom layer (larger ef: higher recall,
// slower). Results are appended to dst[:0].
func (h *HNSW) Search(q []float64, k, ef int, dst []Neighbor) []Neighbor {
	dst = dst[:0]
	if h.entry < 0 || k <= 0 {
		return dst
	}
	ef = max(ef, k)
	ep := h.entry
	epd := h.dist(q, h.vec(ep))
	for l := h.maxLevel; l > 0; l-- {
		ep, epd = h.greedy(q, ep, epd, l)
	}
	h.searchLayer(q, ep, epd, ef, 0)
	for len(h.res.a) > k {
		h.res.pop()
	}
	for _, r := range h.res.a {
		dst = append(dst, Neighbor{ID: int(r.id), Dist: h.outDist(r.d)})
	}
	sortNeighbors(dst)
	return dst
}

func sortDistIDs(a []distID) {
	slices.SortFunc(a, func(x, y distID) int {
		switch {
		case x.d < y.d:
			return -1
		case x.d > y.d:
			return 1
		}
		return int(x.id) - int(y.id)
	})
}
