package game

import (
	"fmt"
	"math/big"
	"strings"
)

// ParseRat reads an exact number: an integer, a decimal ("0.25", "1e-3") or a
// fraction "p/q". Decimals are read exactly, never through float64.
func ParseRat(s string) (*big.Rat, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, fmt.Errorf("%w: empty number", ErrParse)
	}
	// big.Rat reads "1e99999999" exactly, as a 40 MB integer: refuse exponents no payoff needs, and
	// the binary-exponent and hexadecimal forms, before they cost memory.
	if exp := strings.IndexAny(t, "eEpP"); exp >= 0 {
		digits := strings.TrimLeft(t[exp+1:], "+-")
		if len(digits) > 3 || strings.ContainsAny(t, "xXpP") {
			return nil, fmt.Errorf("%w: %q: exponent out of range (at most 3 digits)", ErrParse, s)
		}
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a number", ErrParse, s)
	}
	return r, nil
}

// RatString formats r as "p" or "p/q" (the JSON wire form).
func RatString(r *big.Rat) string { return r.RatString() }

// RatStrings formats a vector with RatString.
func RatStrings(v []*big.Rat) []string {
	out := make([]string, len(v))
	for i, r := range v {
		out[i] = r.RatString()
	}
	return out
}

func newRats(n int) []*big.Rat {
	backing := make([]big.Rat, n)
	out := make([]*big.Rat, n)
	for i := range out {
		out[i] = &backing[i]
	}
	return out
}

func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

// lcmDenominators returns the least common multiple of the denominators.
func lcmDenominators(vals []*big.Rat) *big.Int {
	l := big.NewInt(1)
	var g big.Int
	for _, v := range vals {
		d := v.Denom()
		if d.Cmp(l) == 0 || d.IsInt64() && d.Int64() == 1 {
			continue
		}
		g.GCD(nil, nil, l, d)
		l.Mul(l, new(big.Int).Quo(d, &g))
	}
	return l
}
