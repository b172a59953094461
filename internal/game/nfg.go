package game

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"
)

// ParseNFG reads a strategic game in Gambit's .nfg format, both the payoff
// version ({ 3 2 } strategy counts followed by payoffs) and the outcome
// version (named strategy lists, an outcome list, then outcome indices with
// 0 as the all-zero null outcome). Profiles are listed with the first
// player's strategy changing fastest, which is Game's own order. Numbers are
// read exactly (integers, decimals, p/q). Errors name the line.
func ParseNFG(data []byte) (*Game, error) {
	toks, err := tokenizeNFG(data)
	if err != nil {
		return nil, err
	}
	p := &nfgParser{toks: toks}
	return p.parse()
}

type nfgTok struct {
	kind byte // '{', '}', '"' (string), 'w' (word)
	text string
	line int
}

func tokenizeNFG(data []byte) ([]nfgTok, error) {
	var out []nfgTok
	line := 1
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == ',':
			i++
		case c == '{' || c == '}':
			out = append(out, nfgTok{kind: c, line: line})
			i++
		case c == '"':
			start := line
			var sb strings.Builder
			i++
			for {
				if i >= len(data) {
					return nil, fmt.Errorf("%w: .nfg line %d: unterminated string", ErrParse, start)
				}
				if data[i] == '\\' && i+1 < len(data) {
					sb.WriteByte(data[i+1])
					i += 2
					continue
				}
				if data[i] == '"' {
					i++
					break
				}
				if data[i] == '\n' {
					line++
				}
				sb.WriteByte(data[i])
				i++
			}
			out = append(out, nfgTok{kind: '"', text: sb.String(), line: start})
		default:
			j := i
			for j < len(data) && !bytes.ContainsRune([]byte(" \t\r\n,{}\""), rune(data[j])) {
				j++
			}
			out = append(out, nfgTok{kind: 'w', text: string(data[i:j]), line: line})
			i = j
		}
	}
	return out, nil
}

func (t *nfgTok) describe() string {
	switch t.kind {
	case '{', '}':
		return "'" + string(t.kind) + "'"
	case '"':
		return fmt.Sprintf("string %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

type nfgParser struct {
	toks []nfgTok
	pos  int
}

func (p *nfgParser) errf(format string, args ...any) error {
	line := 0
	if p.pos < len(p.toks) {
		line = p.toks[p.pos].line
	} else if len(p.toks) > 0 {
		line = p.toks[len(p.toks)-1].line
	}
	return fmt.Errorf("%w: .nfg line %d: %s", ErrParse, line, fmt.Sprintf(format, args...))
}

func (p *nfgParser) peek() *nfgTok {
	if p.pos < len(p.toks) {
		return &p.toks[p.pos]
	}
	return nil
}

func (p *nfgParser) expect(kind byte, what string) (nfgTok, error) {
	t := p.peek()
	if t == nil {
		return nfgTok{}, p.errf("unexpected end of file, expected %s", what)
	}
	if t.kind != kind {
		return nfgTok{}, p.errf("expected %s, found %s", what, t.describe())
	}
	p.pos++
	return *t, nil
}

func (p *nfgParser) strings(what string) ([]string, error) {
	if _, err := p.expect('{', "'{' opening "+what); err != nil {
		return nil, err
	}
	var out []string
	for {
		t := p.peek()
		if t == nil {
			return nil, p.errf("unterminated %s", what)
		}
		if t.kind == '}' {
			p.pos++
			return out, nil
		}
		s, err := p.expect('"', "a quoted name in "+what)
		if err != nil {
			return nil, err
		}
		out = append(out, s.text)
	}
}

func (p *nfgParser) number(what string) (*big.Rat, error) {
	t, err := p.expect('w', what)
	if err != nil {
		return nil, err
	}
	v, err := ParseRat(t.text)
	if err != nil {
		p.pos--
		return nil, p.errf("%s: %q is not a number", what, t.text)
	}
	return v, nil
}

func (p *nfgParser) parse() (*Game, error) {
	if t, err := p.expect('w', "NFG header"); err != nil || t.text != "NFG" {
		return nil, p.errf("file does not start with NFG")
	}
	if t, err := p.expect('w', "version"); err != nil || t.text != "1" {
		return nil, p.errf("unsupported .nfg version (want 1)")
	}
	if t, err := p.expect('w', "number type R or D"); err != nil || t.text != "R" && t.text != "D" {
		return nil, p.errf("expected number type R or D")
	}
	title, err := p.expect('"', "title")
	if err != nil {
		return nil, err
	}
	players, err := p.strings("player list")
	if err != nil {
		return nil, err
	}
	if len(players) == 0 {
		return nil, p.errf("no players")
	}
	if _, err := p.expect('{', "'{' opening the strategy list"); err != nil {
		return nil, err
	}
	t := p.peek()
	if t == nil {
		return nil, p.errf("unexpected end of file in strategy list")
	}
	outcomeVersion := t.kind == '{'
	shape := make([]int, len(players))
	var names [][]string
	if outcomeVersion {
		for i := range players {
			s, err := p.strings(fmt.Sprintf("strategies of player %d", i+1))
			if err != nil {
				return nil, err
			}
			shape[i] = len(s)
			names = append(names, s)
		}
	} else {
		for i := range players {
			v, err := p.number(fmt.Sprintf("strategy count of player %d", i+1))
			if err != nil {
				return nil, err
			}
			if !v.IsInt() || v.Sign() <= 0 || v.Num().BitLen() > 31 {
				p.pos--
				return nil, p.errf("strategy count of player %d must be a positive integer", i+1)
			}
			shape[i] = int(v.Num().Int64())
		}
	}
	if _, err := p.expect('}', fmt.Sprintf("'}' closing the strategy list (%d players)", len(players))); err != nil {
		return nil, err
	}
	if t := p.peek(); t != nil && t.kind == '"' {
		p.pos++ // optional comment
	}
	g, err := NewGame(shape, true)
	if err != nil {
		return nil, fmt.Errorf("%w: .nfg: %v", ErrParse, err)
	}
	g.Title, g.PlayerNames, g.StrategyNames = title.text, players, names
	n := len(players)
	if !outcomeVersion {
		for k := 0; k < g.profiles*n; k++ {
			if p.peek() == nil {
				return nil, p.errf("payoff list ends after %d of %d numbers (%d profiles × %d players)", k, g.profiles*n, g.profiles, n)
			}
			v, err := p.number(fmt.Sprintf("payoff %d", k+1))
			if err != nil {
				return nil, err
			}
			g.rat[k].Set(v)
		}
	} else {
		if _, err := p.expect('{', "'{' opening the outcome list"); err != nil {
			return nil, err
		}
		var outcomes [][]*big.Rat
		for {
			t := p.peek()
			if t == nil {
				return nil, p.errf("unterminated outcome list")
			}
			if t.kind == '}' {
				p.pos++
				break
			}
			if _, err := p.expect('{', "'{' opening an outcome"); err != nil {
				return nil, err
			}
			if _, err := p.expect('"', "outcome name"); err != nil {
				return nil, err
			}
			var pay []*big.Rat
			for p.peek() != nil && p.peek().kind == 'w' {
				v, err := p.number(fmt.Sprintf("payoff in outcome %d", len(outcomes)+1))
				if err != nil {
					return nil, err
				}
				pay = append(pay, v)
			}
			if len(pay) != n {
				return nil, p.errf("outcome %d has %d payoffs for %d players", len(outcomes)+1, len(pay), n)
			}
			if _, err := p.expect('}', "'}' closing an outcome"); err != nil {
				return nil, err
			}
			outcomes = append(outcomes, pay)
		}
		for idx := 0; idx < g.profiles; idx++ {
			if p.peek() == nil {
				return nil, p.errf("outcome table ends after %d of %d profiles", idx, g.profiles)
			}
			v, err := p.number(fmt.Sprintf("outcome index of profile %d", idx+1))
			if err != nil {
				return nil, err
			}
			if !v.IsInt() || v.Sign() < 0 || v.Num().Cmp(big.NewInt(int64(len(outcomes)))) > 0 {
				p.pos--
				return nil, p.errf("outcome index %s outside 0..%d", v.RatString(), len(outcomes))
			}
			o := int(v.Num().Int64())
			if o == 0 {
				continue
			}
			for i := 0; i < n; i++ {
				g.rat[idx*n+i].Set(outcomes[o-1][i])
			}
		}
	}
	if t := p.peek(); t != nil {
		return nil, p.errf("unexpected trailing %s", t.describe())
	}
	return g, nil
}
