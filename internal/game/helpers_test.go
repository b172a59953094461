package game

import (
	"math/big"
	"testing"
)

func r(s string) *big.Rat {
	x, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return x
}

func rs(ss ...string) []*big.Rat {
	out := make([]*big.Rat, len(ss))
	for i, s := range ss {
		out[i] = r(s)
	}
	return out
}

func ints(xs ...int64) []*big.Rat {
	out := make([]*big.Rat, len(xs))
	for i, x := range xs {
		out[i] = big.NewRat(x, 1)
	}
	return out
}

func eqRats(a, b []*big.Rat) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Cmp(b[i]) != 0 {
			return false
		}
	}
	return true
}

func wantRats(t *testing.T, what string, got, want []*big.Rat) {
	t.Helper()
	if !eqRats(got, want) {
		t.Fatalf("%s = %v, want %v", what, RatStrings(got), RatStrings(want))
	}
}
