package palette

import (
	"cmp"
	"slices"
	"strings"
	"unsafe"
)

// Item is one entry of the palette.
type Item struct {
	Kind     string // what the entry is: command, graph, node, agent, layout
	Title    string // shown and matched first
	Detail   string // shown dimmed; matched when the title does not match
	Shortcut string // the key chord that runs it without the palette, for display
	Key      string // identifies the entry across openings (recency), e.g. "graph:g1"
}

// Hit is a ranked match.
type Hit struct {
	Index  int  // into the items (or texts) ranked
	Score  int  // match score plus recency boost
	Detail bool // the query matched the detail (or the alternative text), not the title
	length int  // of the matched text, for tie-breaks
}

// Ranking constants.
const (
	// DetailPenalty is taken from a match found only in an item's detail: the title is what the
	// user reads, so a title match of the same quality ranks first.
	DetailPenalty = scoreMatch
	// RecencyBoost is added to the most recently used entry's score; older ones get linearly less.
	// One matched character's worth: enough to lift a recent entry over equal or similar matches,
	// not over a clearly better one.
	RecencyBoost = scoreMatch
)

// Ranker ranks items for a query, recently used ones first. It keeps its own Matcher, so ranking
// allocates only the result slice it is given room for. Not safe for concurrent use.
type Ranker struct {
	recent []string // keys, most recent first
	limit  int
	m      Matcher

	// Top's candidates: the indices that matched lastQuery over the tables it was given.
	cand       []int32
	lastSet    bool
	lastQuery  string
	lastTexts  *string
	lastLen    int
	lastAlt    *string
	lastAltLen int

	// Which characters each text holds (charMask), kept while the tables are the same.
	masks, altMasks    []uint64
	maskTexts, maskAlt tableID
}

// tableID identifies a table by its backing array and length.
type tableID struct {
	data *string
	n    int
}

// NewRanker returns a ranker that remembers the last recentLimit used entries.
func NewRanker(recentLimit int) *Ranker {
	return &Ranker{limit: max(recentLimit, 1)}
}

// Use records that the entry with key was chosen now.
func (r *Ranker) Use(key string) {
	if r.limit == 0 {
		r.limit = 32
	}
	if i := slices.Index(r.recent, key); i >= 0 {
		r.recent = slices.Delete(r.recent, i, i+1)
	}
	r.recent = slices.Insert(r.recent, 0, key)
	if len(r.recent) > r.limit {
		r.recent = r.recent[:r.limit]
	}
}

// Recent returns the keys of the recently used entries, most recent first. The slice is the
// ranker's: do not change it.
func (r *Ranker) Recent() []string { return r.recent }

// Boost is the recency boost of key: RecencyBoost for the most recent, decreasing linearly, 0 when
// not recently used.
func (r *Ranker) Boost(key string) int {
	return RecencyBoost * r.recency(key) / max(r.limit, 1)
}

// recency is limit for the most recent entry, one less for each older one, 0 when not recent.
func (r *Ranker) recency(key string) int {
	for i, k := range r.recent {
		if k == key {
			return r.limit - i
		}
	}
	return 0
}

// Matcher returns the ranker's matcher set to query (for highlighting the rows shown).
func (r *Ranker) Matcher(query string) *Matcher {
	r.m.Reset(query)
	return &r.m
}

// Rank appends to dst the items that match query, best first: by score (match plus recency), then,
// for a non-empty query, the shorter matched text, then the items' order. The empty query matches
// every item, so recent entries come first and the rest keep their order.
func (r *Ranker) Rank(query string, items []Item, dst []Hit) []Hit {
	m := r.Matcher(query)
	start := len(dst)
	for i := range items {
		it := &items[i]
		h, ok := hit(m, i, it.Title, it.Detail)
		if !ok {
			continue
		}
		if query == "" {
			// Nothing typed: the recent entries in the order they were used (the boost's
			// rounding could tie them), then the rest in the caller's order.
			h.Score, h.length = r.recency(it.Key), 0
		} else {
			h.Score += r.Boost(it.Key)
		}
		dst = append(dst, h)
	}
	slices.SortFunc(dst[start:], compareHits)
	return dst
}

// hit scores title, else alt with DetailPenalty.
func hit(m *Matcher, i int, title, alt string) (Hit, bool) {
	if s, ok := m.Score(title); ok {
		return Hit{Index: i, Score: s, length: len(title)}, true
	}
	if alt != "" {
		if s, ok := m.Score(alt); ok {
			return Hit{Index: i, Score: s - DetailPenalty, Detail: true, length: len(alt)}, true
		}
	}
	return Hit{}, false
}

// Top scores texts[i] (else alt[i], when alt is not nil) for every i and keeps the k best in dst
// (whose contents are replaced), best first, ordered like Rank without recency. It is the scan
// over a large table, such as the node labels of a graph: with dst's capacity at least k it does
// not allocate once the ranker's candidate list has grown.
//
// Typing narrows: when the query extends the previous one over the same tables, only the texts
// that matched the previous query are looked at. Call Forget when the tables' contents change in
// place.
func (r *Ranker) Top(query string, texts, alt []string, k int, dst []Hit) []Hit {
	dst = dst[:0]
	if k <= 0 {
		return dst
	}
	narrow := r.narrowing(query, texts, alt)
	m := r.Matcher(query)
	bound := m.Bound()
	r.masks = masksOf(&r.maskTexts, r.masks, texts)
	r.altMasks = masksOf(&r.maskAlt, r.altMasks, alt)
	need := queryMask(m.pat)
	kept := r.cand[:0]
	n := len(texts)
	if narrow {
		n = len(r.cand)
	}
	for c := range n {
		i := c
		if narrow {
			i = int(r.cand[c])
		}
		t, a := texts[i], ""
		if alt != nil {
			a = alt[i]
		}
		// The characters present rule out most texts at once; the subsequence test decides
		// membership; the alignment runs only for a text that could enter the k best.
		var tb, te, ab, ae int
		tok, aok := false, false
		if r.masks[i]&need == need {
			tb, te, tok = m.window(t)
		}
		if !tok && a != "" && r.altMasks[i]&need == need {
			ab, ae, aok = m.window(a)
		}
		if !tok && !aok {
			continue
		}
		kept = append(kept, int32(i))
		if len(dst) == k {
			worst, b, l := dst[0], bound, len(t)
			if !tok {
				b, l = bound-DetailPenalty, len(a)
			}
			if b < worst.Score || b == worst.Score && l >= worst.length {
				continue
			}
		}
		h, ok := Hit{}, false
		if tok {
			if s, sok := m.align(t, tb, te, false); sok {
				h, ok = Hit{Index: i, Score: int(s), length: len(t)}, true
			} else if a != "" {
				ab, ae, aok = m.window(a)
			}
		}
		if !ok && aok {
			if s, sok := m.align(a, ab, ae, false); sok {
				h, ok = Hit{Index: i, Score: int(s) - DetailPenalty, Detail: true, length: len(a)}, true
			}
		}
		if !ok {
			continue
		}
		switch {
		case len(dst) < k:
			dst = append(dst, h)
			siftUp(dst, len(dst)-1)
		case compareHits(h, dst[0]) < 0: // better than the worst kept
			dst[0] = h
			siftDown(dst, 0)
		}
	}
	r.cand = kept
	slices.SortFunc(dst, compareHits)
	return dst
}

// narrowing reports whether the previous Top's candidates cover this one: the same tables and a
// query that extends the previous one. It records this call for the next.
func (r *Ranker) narrowing(query string, texts, alt []string) bool {
	same := r.lastSet && unsafe.SliceData(texts) == r.lastTexts && len(texts) == r.lastLen &&
		unsafe.SliceData(alt) == r.lastAlt && len(alt) == r.lastAltLen
	ok := same && r.lastQuery != "" && strings.HasPrefix(query, r.lastQuery)
	r.lastSet, r.lastQuery = true, query
	r.lastTexts, r.lastLen, r.lastAlt, r.lastAltLen = unsafe.SliceData(texts), len(texts), unsafe.SliceData(alt), len(alt)
	return ok
}

// masksOf returns the character masks of texts, recomputed only when texts is not the table they
// were made for.
func masksOf(id *tableID, masks []uint64, texts []string) []uint64 {
	now := tableID{unsafe.SliceData(texts), len(texts)}
	if *id == now && len(masks) == len(texts) {
		return masks
	}
	*id = now
	masks = grow(masks, len(texts))
	for i, t := range texts {
		masks[i] = charMask(t)
	}
	return masks
}

// charMask has a bit for each ASCII letter and digit in s (in lower case), a bit shared by the
// other ASCII characters of the same residue, and bit 63 for any non-ASCII character. A text can
// match a query only when it holds every bit of the query's mask.
func charMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			// Non-ASCII letters whose lower case is ASCII (the Kelvin sign, dotted capital I)
			// keep their ASCII bits possible.
			m |= 1<<63 | asciiBit['k'] | asciiBit['i']
			continue
		}
		m |= asciiBit[c]
	}
	return m
}

func queryMask(pat []rune) uint64 {
	var m uint64
	for _, r := range pat {
		if r >= 0x80 {
			m |= 1 << 63
			continue
		}
		m |= asciiBit[r]
	}
	return m
}

var asciiBit = func() (bits [128]uint64) {
	for c := range 128 {
		l := asciiLower[c]
		switch {
		case l >= 'a' && l <= 'z':
			bits[c] = 1 << (l - 'a')
		case l >= '0' && l <= '9':
			bits[c] = 1 << (26 + l - '0')
		default:
			bits[c] = 1 << (36 + c%27)
		}
	}
	return bits
}()

// Forget drops the candidates Top kept for narrowing (the tables changed in place).
func (r *Ranker) Forget() {
	r.lastSet = false
	r.maskTexts, r.maskAlt = tableID{}, tableID{}
}

// compareHits orders better hits first.
func compareHits(a, b Hit) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := cmp.Compare(a.length, b.length); c != 0 {
		return c
	}
	return cmp.Compare(a.Index, b.Index)
}

// The heap keeps the worst kept hit at the root: a child is never worse than its parent.
func siftUp(h []Hit, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if compareHits(h[i], h[p]) <= 0 { // child no worse than parent: in order
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func siftDown(h []Hit, i int) {
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && compareHits(h[l], h[worst]) > 0 {
			worst = l
		}
		if r < len(h) && compareHits(h[r], h[worst]) > 0 {
			worst = r
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}
