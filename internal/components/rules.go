package components

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"sync"

	"github.com/infoalchemist/alchemist/internal/conceptual"
	"github.com/infoalchemist/alchemist/internal/game"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// Rules implements graph.ComponentRules with the conceptual and game engines.
type Rules struct{}

var _ graph.ComponentRules = Rules{}

// Register installs [Rules] as the aggregate's component rules. Calling it again changes nothing.
func Register() { graph.SetComponentRules(Rules{}) }

// fieldErr turns an engine error into the graph's error form, keeping the field it names.
func fieldErr(err error) error {
	var fe *conceptual.FieldError
	if errors.As(err, &fe) {
		return &graph.CommandError{Field: fe.Field, Msg: fe.Err.Error(), Err: graph.ErrInvalid}
	}
	return &graph.CommandError{Msg: err.Error(), Err: graph.ErrInvalid}
}

func invalid(field, format string, args ...any) error {
	return &graph.CommandError{Field: field, Msg: fmt.Sprintf(format, args...), Err: graph.ErrInvalid}
}

// strictDef mirrors conceptual.SpaceDefinition's JSON so that unknown keys can be refused: the
// engine's own decoding defaults weights through custom unmarshalers, which do not see the outer
// decoder's DisallowUnknownFields. TestStrictDefMirrors holds the two equal.
type strictDef struct {
	Domains []struct {
		Name       string   `json:"name"`
		Weight     *float64 `json:"weight"`
		Dimensions []struct {
			Name   string    `json:"name"`
			Weight *float64  `json:"weight"`
			Kind   string    `json:"kind"`
			Range  []float64 `json:"range"`
			Values []string  `json:"values"`
		} `json:"dimensions"`
	} `json:"domains"`
}

// ParseDefinition decodes and compiles a space definition, refusing unknown keys.
func ParseDefinition(def json.RawMessage) (*conceptual.Space, error) {
	dec := json.NewDecoder(bytes.NewReader(def))
	dec.DisallowUnknownFields()
	var strict strictDef
	if err := dec.Decode(&strict); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, invalid(te.Field, "want %v, got JSON %s", te.Type, te.Value)
		}
		return nil, invalid("", "%v", err)
	}
	var d conceptual.SpaceDefinition
	if err := json.Unmarshal(def, &d); err != nil {
		return nil, invalid("", "%v", err)
	}
	s, err := conceptual.Compile(d)
	if err != nil {
		return nil, fieldErr(err)
	}
	return s, nil
}

// compiled caches spaces by definition: set_coordinates compiles its space once per command and the
// read helpers once per definition. A *conceptual.Space in the cache is never mutated; [Space]
// hands out clones because weights may be changed by context.
var compiled struct {
	sync.Mutex
	m map[string]*conceptual.Space
}

const maxCompiled = 256

func compile(def json.RawMessage) (*conceptual.Space, error) {
	compiled.Lock()
	s, ok := compiled.m[string(def)]
	compiled.Unlock()
	if ok {
		return s, nil
	}
	s, err := ParseDefinition(def)
	if err != nil {
		return nil, err
	}
	compiled.Lock()
	if compiled.m == nil || len(compiled.m) >= maxCompiled {
		compiled.m = make(map[string]*conceptual.Space)
	}
	compiled.m[string(def)] = s
	compiled.Unlock()
	return s, nil
}

// Space compiles a definition and returns its canonical JSON (every weight, kind and range explicit)
// with the point rules of the space.
func (Rules) Space(def json.RawMessage) (json.RawMessage, graph.PointRules, error) {
	s, err := compile(def)
	if err != nil {
		return nil, nil, err
	}
	canon, err := json.Marshal(s.Definition())
	if err != nil {
		return nil, nil, invalid("", "%v", err)
	}
	return canon, pointRules{s}, nil
}

type pointRules struct{ s *conceptual.Space }

// Point checks names, finiteness and ranges and wraps circular values into their range.
func (p pointRules) Point(c graph.Coordinates) (graph.Coordinates, error) {
	x, err := p.s.Point(conceptual.Coordinates(c), "")
	if err != nil {
		return nil, fieldErr(err)
	}
	return graph.Coordinates(p.s.Coordinates(x)), nil
}

// Strategy checks that a mixed strategy is a probability vector of exact rationals and writes it in
// lowest terms.
func (Rules) Strategy(st graph.Strategy) (graph.Strategy, error) {
	if len(st.Mixed) == 0 {
		return st, nil
	}
	p, err := parseRats("mixed", st.Mixed)
	if err != nil {
		return st, err
	}
	sum := new(big.Rat)
	one := big.NewRat(1, 1)
	for i, x := range p {
		if x.Sign() < 0 || x.Cmp(one) > 0 {
			return st, invalid(fmt.Sprintf("mixed[%d]", i), "probability %s not in [0, 1]", x.RatString())
		}
		sum.Add(sum, x)
	}
	if sum.Cmp(one) != 0 {
		return st, invalid("mixed", "probabilities sum to %s, not 1", sum.RatString())
	}
	st.Mixed = game.RatStrings(p)
	return st, nil
}

// Utility checks the weights of a weighted-sum utility, writes them in lowest terms and makes the
// default weight 1 per objective explicit.
func (Rules) Utility(u graph.Utility) (graph.Utility, error) {
	if u.Lexicographic || len(u.Objectives) == 0 {
		return u, nil
	}
	if len(u.Weights) == 0 {
		u.Weights = make([]string, len(u.Objectives))
		for i := range u.Weights {
			u.Weights[i] = "1"
		}
		return u, nil
	}
	w, err := parseRats("weights", u.Weights)
	if err != nil {
		return u, err
	}
	zero := true
	for _, x := range w {
		zero = zero && x.Sign() == 0
	}
	if zero {
		return u, invalid("weights", "all weights are 0: the utility would ignore every objective")
	}
	u.Weights = game.RatStrings(w)
	return u, nil
}

// Coalition checks the value v(S) and that no two members are the same player.
func (Rules) Coalition(g *graph.Graph, c graph.Coalition) (graph.Coalition, error) {
	if c.Value != "" {
		v, err := parseRat(c.Value)
		if err != nil {
			return c, invalid("value", "%v", err)
		}
		c.Value = v.RatString()
	}
	players := make(map[int]string, len(c.Members))
	for _, m := range c.Members {
		st, ok := g.NodeStrategy(m)
		if !ok {
			continue
		}
		if other, dup := players[st.Player]; dup {
			return c, invalid(m, "nodes %q and %q are both player %d", other, m, st.Player)
		}
		players[st.Player] = m
	}
	return c, nil
}

func parseRats(field string, s []string) ([]*big.Rat, error) {
	out := make([]*big.Rat, len(s))
	for i, x := range s {
		r, err := parseRat(x)
		if err != nil {
			return nil, invalid(fmt.Sprintf("%s[%d]", field, i), "%v", err)
		}
		out[i] = r
	}
	return out, nil
}

// ratSyntax is what a command may write as an exact number: an integer, a decimal with an
// exponent of at most three digits, or a fraction of integers. game.ParseRat takes all of
// big.Rat's syntax, where "1e99999999" or "0x1p99999999" is read exactly as a 40 MB integer: a
// 12-byte string in a command must not cost that.
var ratSyntax = regexp.MustCompile(`^[+-]?(?:[0-9]+/[0-9]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?)$`)

// parseRat is game.ParseRat on the syntax above.
func parseRat(s string) (*big.Rat, error) {
	if !ratSyntax.MatchString(s) {
		return nil, fmt.Errorf("%q is not a number like 2, -0.25, 1e-3 or 3/4", s)
	}
	return game.ParseRat(s)
}
