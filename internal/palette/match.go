package palette

import (
	"unicode"
	"unicode/utf8"
)

// Scores (see doc.go for their source).
const (
	scoreMatch             = 16
	scoreGapStart          = -3
	scoreGapExtension      = -1
	bonusBoundary          = scoreMatch / 2
	bonusNonWord           = scoreMatch / 2
	bonusCamel123          = bonusBoundary + scoreGapExtension
	bonusConsecutive       = -(scoreGapStart + scoreGapExtension)
	bonusBoundaryWhite     = bonusBoundary + 2
	bonusBoundaryDelimiter = bonusBoundary + 1
	bonusFirstCharFactor   = 2
)

// MaxText is how many characters of a text, from its first possible match on, are scored; a longer
// text matches only within them. It bounds the matrix the positions need.
const MaxText = 1024

// none marks a cell where the query character cannot end; far enough from zero that adding every
// penalty of a MaxText window leaves it below any real score.
const none = int32(-1 << 28)

type charClass uint8

const (
	classWhite charClass = iota
	classNonWord
	classDelimiter
	classLower
	classUpper
	classLetter
	classNumber
)

const delimiters = "/,:;|-_."

var asciiClass, asciiLower = func() (cls [128]charClass, lower [128]byte) {
	for c := range 128 {
		b := byte(c)
		lower[c] = b
		switch {
		case b >= 'a' && b <= 'z':
			cls[c] = classLower
		case b >= 'A' && b <= 'Z':
			cls[c] = classUpper
			lower[c] = b + 'a' - 'A'
		case b >= '0' && b <= '9':
			cls[c] = classNumber
		case b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f':
			cls[c] = classWhite
		default:
			cls[c] = classNonWord
			for i := range len(delimiters) {
				if delimiters[i] == b {
					cls[c] = classDelimiter
				}
			}
		}
	}
	return cls, lower
}()

func classOf(r rune) charClass {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	switch {
	case unicode.IsLower(r):
		return classLower
	case unicode.IsUpper(r):
		return classUpper
	case unicode.IsNumber(r):
		return classNumber
	case unicode.IsLetter(r):
		return classLetter
	case unicode.IsSpace(r):
		return classWhite
	}
	return classNonWord
}

// bonusFor is the bonus of matching a character of class cur that follows one of class prev.
func bonusFor(prev, cur charClass) int16 {
	if cur > classNonWord {
		switch prev {
		case classWhite:
			return bonusBoundaryWhite
		case classDelimiter:
			return bonusBoundaryDelimiter
		case classNonWord:
			return bonusBoundary
		}
	}
	if prev == classLower && cur == classUpper || prev != classNumber && cur == classNumber {
		return bonusCamel123
	}
	switch cur {
	case classNonWord, classDelimiter:
		return bonusNonWord
	case classWhite:
		return bonusBoundaryWhite
	}
	return 0
}

func lower(r rune) rune {
	if r < utf8.RuneSelf {
		return rune(asciiLower[r])
	}
	return unicode.ToLower(r)
}

// Matcher scores texts against one query. Its buffers are reused from text to text and from query
// to query, so scoring allocates nothing once they have grown. Not safe for concurrent use.
type Matcher struct {
	query string
	pat   []rune // lower case
	ascii bool   // the query is ASCII: lo and up hold each byte's lower and upper case
	lo    []byte
	up    []byte

	text  []rune  // the scored window of the text, lower case
	offs  []int32 // byte offset of each window rune in the text
	bonus []int16
	rows  [2][]int32
	chunk [2][]int16 // bonus at the start of the consecutive run ending in the cell

	full []int32 // every row, for positions
	from []uint8 // how the cell was reached: fromDiag or fromGap
}

const (
	fromFirst = iota
	fromDiag
	fromGap
)

// NewMatcher returns a matcher for query.
func NewMatcher(query string) *Matcher {
	m := &Matcher{}
	m.Reset(query)
	return m
}

// Reset makes the matcher score against query.
func (m *Matcher) Reset(query string) {
	if query == m.query && (query == "" || len(m.pat) > 0) {
		return
	}
	m.query = query
	m.pat, m.lo, m.up, m.ascii = m.pat[:0], m.lo[:0], m.up[:0], true
	for _, r := range query {
		r = lower(r)
		m.pat = append(m.pat, r)
		if r >= utf8.RuneSelf {
			m.ascii = false
			continue
		}
		u := byte(r)
		if u >= 'a' && u <= 'z' {
			u -= 'a' - 'A'
		}
		m.lo, m.up = append(m.lo, byte(r)), append(m.up, u)
	}
}

// Bound is the highest score any text can reach for the query: every character matched at a word
// start after white space, in one run. Callers keeping the best few skip texts that cannot beat
// what they have.
func (m *Matcher) Bound() int {
	if len(m.pat) == 0 {
		return 0
	}
	return len(m.pat)*(scoreMatch+bonusBoundaryWhite) + bonusBoundaryWhite*(bonusFirstCharFactor-1)
}

// Query is the query the matcher scores against.
func (m *Matcher) Query() string { return m.query }

// Score reports whether text matches the query and how well: higher is better. The empty query
// matches everything with score 0.
func (m *Matcher) Score(text string) (int, bool) {
	s, ok := m.run(text, false)
	return int(s), ok
}

// Positions is Score that also appends to dst the byte offsets in text of the matched characters of
// the best match, in increasing order (for highlighting).
func (m *Matcher) Positions(text string, dst []int) (int, []int, bool) {
	s, ok := m.run(text, true)
	if !ok || len(m.pat) == 0 {
		return int(s), dst, ok
	}
	w := len(m.text)
	// The best end: the highest cell of the last row.
	last := (len(m.pat) - 1) * w
	j := -1
	for k := range w {
		if m.full[last+k] > none/2 && (j < 0 || m.full[last+k] > m.full[last+j]) {
			j = k
		}
	}
	start := len(dst)
	for i := len(m.pat) - 1; i >= 0 && j >= 0; i-- {
		dst = append(dst, int(m.offs[j]))
		switch m.from[i*w+j] {
		case fromDiag:
			j--
		case fromGap:
			// The gap's score is what the cell got less the match and its bonus; find the
			// cell of the previous row it came from.
			g := m.full[i*w+j] - scoreMatch - int32(m.bonus[j])
			prev := (i - 1) * w
			k := j - 2
			for ; k >= 0; k-- {
				if m.full[prev+k] > none/2 && m.full[prev+k]+scoreGapStart+scoreGapExtension*int32(j-2-k) == g {
					break
				}
			}
			j = k
		}
	}
	for a, b := start, len(dst)-1; a < b; a, b = a+1, b-1 {
		dst[a], dst[b] = dst[b], dst[a]
	}
	return int(s), dst, true
}

// run scores text; with full it keeps every row for Positions.
func (m *Matcher) run(text string, full bool) (int32, bool) {
	np := len(m.pat)
	if np == 0 {
		m.text = m.text[:0]
		return 0, true
	}
	begin, end, ok := m.window(text)
	if !ok {
		return 0, false
	}
	return m.align(text, begin, end, full)
}

// align scores the best match inside text's window [begin, end).
func (m *Matcher) align(text string, begin, end int, full bool) (int32, bool) {
	np := len(m.pat)
	w := m.decode(text, begin, end)
	if w < np {
		return 0, false
	}
	for i := range m.rows {
		m.rows[i] = grow(m.rows[i], w)
		m.chunk[i] = grow(m.chunk[i], w)
	}
	if full {
		m.full = grow(m.full, np*w)
		m.from = grow(m.from, np*w)
	}
	t, bonus := m.text, m.bonus
	prev, prevChunk := m.rows[0][:w], m.chunk[0][:w]
	p0 := m.pat[0]
	for j := range w {
		if t[j] == p0 {
			prev[j] = scoreMatch + int32(bonus[j])*bonusFirstCharFactor
			prevChunk[j] = bonus[j]
		} else {
			prev[j] = none
		}
	}
	if full {
		copy(m.full[:w], prev)
		clear(m.from[:w])
	}
	cur, curChunk := m.rows[1][:w], m.chunk[1][:w]
	for i := 1; i < np; i++ {
		pc := m.pat[i]
		gap := none // best prev[k] + gap penalty, k ≤ j-2
		for j := range w {
			if j >= 2 {
				gap = max(gap+scoreGapExtension, prev[j-2]+scoreGapStart)
			}
			if t[j] != pc {
				cur[j] = none
				continue
			}
			b := bonus[j]
			best, chunkB, how := none, b, uint8(fromGap)
			if gap > none/2 {
				best = gap + int32(b)
			}
			if j >= 1 && prev[j-1] > none/2 {
				fb := prevChunk[j-1]
				cb, cchunk := b, b // a stronger boundary starts a new run
				if b < bonusBoundary || b <= fb {
					cb, cchunk = max(b, fb, bonusConsecutive), fb
				}
				if d := prev[j-1] + int32(cb); d >= best {
					best, chunkB, how = d, cchunk, fromDiag
				}
			}
			if best <= none/2 {
				cur[j] = none
				continue
			}
			cur[j], curChunk[j] = best+scoreMatch, chunkB
			if full {
				m.from[i*w+j] = how
			}
		}
		if full {
			copy(m.full[i*w:(i+1)*w], cur)
		}
		prev, cur = cur, prev
		prevChunk, curChunk = curChunk, prevChunk
	}
	best := none
	for _, s := range prev {
		best = max(best, s)
	}
	if best <= none/2 {
		return 0, false
	}
	return best, true
}

// window checks that the query is a subsequence of text and returns the byte range where the best
// match must lie: from the first place the first query character can match to the last place the
// last one can.
func (m *Matcher) window(text string) (begin, end int, ok bool) {
	if m.ascii {
		return m.windowASCII(text)
	}
	pat := m.pat
	k, begin := 0, -1
	for i := 0; i < len(text); {
		c := text[i]
		r, size := rune(c), 1
		if c < utf8.RuneSelf {
			r = rune(asciiLower[c])
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			r = unicode.ToLower(r)
		}
		if r == pat[k] {
			if k == 0 {
				begin = i
			}
			k++
			if k == len(pat) {
				break
			}
		}
		i += size
	}
	if k < len(pat) {
		return 0, 0, false
	}
	last := pat[len(pat)-1]
	for end = len(text); end > begin; {
		r, size := utf8.DecodeLastRuneInString(text[:end])
		if lower(r) == last {
			return begin, end, true
		}
		end -= size
	}
	return begin, len(text), true
}

// windowASCII is window for an ASCII query, on bytes: a multi-byte UTF-8 sequence holds no ASCII
// byte, so it needs no decoding. (It misses the rare non-ASCII letters whose lower case is ASCII,
// such as the Kelvin sign.)
func (m *Matcher) windowASCII(text string) (begin, end int, ok bool) {
	lo, up := m.lo, m.up
	np := len(lo)
	k, begin := 0, -1
	l, u := lo[0], up[0]
	for i := 0; i < len(text); i++ {
		if b := text[i]; b == l || b == u {
			if k == 0 {
				begin = i
			}
			k++
			if k == np {
				break
			}
			l, u = lo[k], up[k]
		}
	}
	if k < np {
		return 0, 0, false
	}
	l, u = lo[np-1], up[np-1]
	for end = len(text); end > begin; end-- {
		if b := text[end-1]; b == l || b == u {
			return begin, end, true
		}
	}
	return begin, len(text), true
}

// decode fills text, offs and bonus with the window [begin, end) of s, at most MaxText runes.
func (m *Matcher) decode(s string, begin, end int) int {
	prevClass := classWhite
	if begin > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:begin])
		prevClass = classOf(r)
	}
	n := min(end-begin, MaxText) // runes ≤ bytes
	m.text, m.offs, m.bonus = grow(m.text, n), grow(m.offs, n), grow(m.bonus, n)
	text, offs, bonus := m.text[:n], m.offs[:n], m.bonus[:n]
	w := 0
	for i := begin; i < end && w < n; {
		c := s[i]
		if c < utf8.RuneSelf { // the common case, without decoding or Unicode tables
			cls := asciiClass[c]
			text[w], offs[w], bonus[w] = rune(asciiLower[c]), int32(i), bonusTable[prevClass][cls]
			prevClass = cls
			w++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		cls := classOf(r)
		text[w], offs[w], bonus[w] = unicode.ToLower(r), int32(i), bonusTable[prevClass][cls]
		prevClass = cls
		w++
		i += size
	}
	m.text, m.offs, m.bonus = text[:w], offs[:w], bonus[:w]
	return w
}

// bonusTable is bonusFor for every pair of classes.
var bonusTable = func() (t [classNumber + 1][classNumber + 1]int16) {
	for p := range t {
		for c := range t[p] {
			t[p][c] = bonusFor(charClass(p), charClass(c))
		}
	}
	return t
}()

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/2)
	}
	return s[:n]
}

// Score scores text against query (see Matcher.Score); for one-off use.
func Score(query, text string) (int, bool) { return NewMatcher(query).Score(text) }

// Match scores text against query and returns the byte offsets of the matched characters (see
// Matcher.Positions); for one-off use.
func Match(query, text string) (score int, positions []int, ok bool) {
	return NewMatcher(query).Positions(text, nil)
}
