package palette

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// bruteScore tries every placement of the query's characters in text and scores each by the rules
// of doc.go, written out independently of the dynamic programme.
func bruteScore(query, text string) (best int, bestPos []int, ok bool) {
	var pat, txt []rune
	var offs []int
	for _, r := range query {
		pat = append(pat, lower(r))
	}
	prev := classWhite
	var bonus []int
	for i, r := range text {
		txt = append(txt, lower(r))
		offs = append(offs, i)
		c := classOf(r)
		bonus = append(bonus, int(bonusFor(prev, c)))
		prev = c
	}
	if len(pat) == 0 {
		return 0, nil, true
	}
	pos := make([]int, len(pat))
	var try func(i, from int)
	try = func(i, from int) {
		if i == len(pat) {
			s, chunk := 0, 0
			for k, p := range pos {
				b := bonus[p]
				switch {
				case k == 0:
					s += scoreMatch + b*bonusFirstCharFactor
					chunk = b
				case p == pos[k-1]+1:
					if b >= bonusBoundary && b > chunk {
						s += scoreMatch + b
						chunk = b
					} else {
						s += scoreMatch + max(b, chunk, bonusConsecutive)
					}
				default:
					gap := p - pos[k-1] - 1
					s += scoreMatch + b + scoreGapStart + scoreGapExtension*(gap-1)
					chunk = b
				}
			}
			if !ok || s > best {
				best, ok = s, true
				bestPos = bestPos[:0]
				for _, p := range pos {
					bestPos = append(bestPos, offs[p])
				}
			}
			return
		}
		for j := from; j < len(txt); j++ {
			if txt[j] == pat[i] {
				pos[i] = j
				try(i+1, j+1)
			}
		}
	}
	try(0, 0)
	return best, bestPos, ok
}

// placementScore scores given byte positions by the same rules as bruteScore.
func placementScore(t *testing.T, query, text string, positions []int) int {
	t.Helper()
	prev := classWhite
	var bonus []int
	var offs []int
	for i, r := range text {
		c := classOf(r)
		bonus = append(bonus, int(bonusFor(prev, c)))
		offs = append(offs, i)
		prev = c
	}
	qr := []rune(query)
	if len(positions) != len(qr) {
		t.Fatalf("%q in %q: %d positions for %d query characters", query, text, len(positions), len(qr))
	}
	s, chunk, last := 0, 0, -1
	for k, off := range positions {
		p := slices.Index(offs, off)
		if p < 0 || p <= last {
			t.Fatalf("%q in %q: positions %v are not increasing rune starts", query, text, positions)
		}
		r, _ := utf8.DecodeRuneInString(text[off:])
		if lower(r) != lower(qr[k]) {
			t.Fatalf("%q in %q: position %d holds %q, not %q", query, text, off, r, qr[k])
		}
		b := bonus[p]
		switch {
		case k == 0:
			s += scoreMatch + b*bonusFirstCharFactor
			chunk = b
		case p == last+1:
			if b >= bonusBoundary && b > chunk {
				s += scoreMatch + b
				chunk = b
			} else {
				s += scoreMatch + max(b, chunk, bonusConsecutive)
			}
		default:
			s += scoreMatch + b + scoreGapStart + scoreGapExtension*(p-last-2)
			chunk = b
		}
		last = p
	}
	return s
}

// The dynamic programme keeps, per cell, only the best path (as fzf does), while a run's bonus
// depends on where the run started; the brute force knows every path. They must agree on whether
// a text matches, the positions must score what Score says, and the score may fall short of the
// optimum only rarely and by little.
func TestScoreAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aAbB _-/cC1é")
	m := NewMatcher("")
	var pos []int
	short, total := 0, 0
	for range 20000 {
		text := randomString(rng, alphabet, 1+rng.IntN(18))
		query := randomString(rng, []rune("abc _1é"), 1+rng.IntN(6))
		want, _, wantOK := bruteScore(query, text)
		m.Reset(query)
		got, ok := m.Score(text)
		if ok != wantOK {
			t.Fatalf("%q in %q: match %v, brute force %v", query, text, ok, wantOK)
		}
		if !ok {
			continue
		}
		total++
		var ps int
		ps, pos, _ = m.Positions(text, pos[:0])
		if ps != got {
			t.Fatalf("%q in %q: Positions scores %d, Score %d", query, text, ps, got)
		}
		if s := placementScore(t, query, text, pos); s != got {
			t.Fatalf("%q in %q: positions %v score %d, Score says %d", query, text, pos, s, got)
		}
		if got > want {
			t.Fatalf("%q in %q: score %d above the optimum %d", query, text, got, want)
		}
		if got < want {
			short++
			if want-got > bonusBoundaryWhite {
				t.Errorf("%q in %q: score %d, optimum %d", query, text, got, want)
			}
		}
	}
	if total < 2000 {
		t.Fatalf("only %d of the random cases matched: the test is too weak", total)
	}
	if frac := float64(short) / float64(total); frac > 0.01 {
		t.Errorf("%d of %d matches (%.2f%%) score below the optimum", short, total, 100*frac)
	}
	t.Logf("%d matches, %d below the optimum", total, short)
}

func randomString(rng *rand.Rand, alphabet []rune, n int) string {
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[rng.IntN(len(alphabet))])
	}
	return b.String()
}

func TestMatchBasics(t *testing.T) {
	for _, c := range []struct {
		query, text string
		ok          bool
	}{
		{"", "anything", true},
		{"opg", "Open graph", true},
		{"OPG", "open graph", true},
		{"gpo", "Open graph", false},
		{"graphs", "Open graph", false},
		{"über", "Ausgabe ÜBER alles", true},
		{"ÜB", "über", true},
		{"σς", "ΣΣ", false}, // simple lower case: Σ lowers to σ only
		{"σσ", "ΣΣ", true},
		{"日本", "日本語のノード", true},
		{"x", "", false},
	} {
		_, ok := Score(c.query, c.text)
		if ok != c.ok {
			t.Errorf("Score(%q, %q) matched %v, want %v", c.query, c.text, ok, c.ok)
		}
	}
}

func TestPositionsHighlightWordStarts(t *testing.T) {
	for _, c := range []struct {
		query, text string
		want        []int
	}{
		{"opg", "Open graph", []int{0, 1, 5}},
		{"gra", "Open graph", []int{5, 6, 7}},
		{"fv", "Fit view", []int{0, 4}},
		{"rn", "Run agent: similarity", []int{0, 2}}, // "ru" then the n of Run beats the n of agent
		{"sim", "Run agent: similarity", []int{11, 12, 13}},
		{"ts", "toggle timeline; Screenshot", []int{7, 17}}, // the nearer word start: a shorter gap
		{"üb", "aüb Über", []int{5, 7}},                     // the word start beats the earlier letters; byte offsets
		{"nb", "newButton", []int{0, 3}},
	} {
		_, got, ok := Match(c.query, c.text)
		if !ok || !slices.Equal(got, c.want) {
			t.Errorf("Match(%q, %q) = %v (%v), want %v", c.query, c.text, got, ok, c.want)
		}
	}
}

func TestMatcherLongText(t *testing.T) {
	long := strings.Repeat("x", 5000) + "needle"
	if _, ok := Score("needle", long); !ok {
		t.Fatal("a match past MaxText characters of filler was missed: the window starts at the first possible match")
	}
	spread := "n" + strings.Repeat("x", 2*MaxText) + "eedle"
	if _, ok := Score("needle", spread); ok {
		t.Fatal("a match spread over more than MaxText characters was scored")
	}
}

func TestMatcherReuseDoesNotAllocate(t *testing.T) {
	m := NewMatcher("nde")
	texts := []string{"node-123", "Some Node Label", "other", "ndeee", "Ñandú node"}
	for _, s := range texts {
		m.Score(s)
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, s := range texts {
			m.Score(s)
		}
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per run", allocs)
	}
}
