package game

import (
	"errors"
	"testing"
)

func TestParseRatRefusesHugeExponents(t *testing.T) {
	for _, s := range []string{"1e99999999", "0x1p99999999", "1E-12345"} {
		if _, err := ParseRat(s); !errors.Is(err, ErrParse) {
			t.Errorf("ParseRat(%q) = %v, want ErrParse", s, err)
		}
	}
	for s, want := range map[string]string{"1e3": "1000", "25e-2": "1/4", "3/6": "1/2", "-0.5": "-1/2"} {
		r, err := ParseRat(s)
		if err != nil || r.RatString() != want {
			t.Errorf("ParseRat(%q) = %v, %v, want %s", s, r, err, want)
		}
	}
}
