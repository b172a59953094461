package conceptual

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Coordinates is the serialisable form of a point: dimension name → value.
// An absent dimension is a missing value. It is what a set_coordinates event
// carries.
type Coordinates map[string]float64

// Missing is the in-memory marker of a missing coordinate in a flat point.
var Missing = math.NaN()

// IsMissing reports whether a flat coordinate is missing.
func IsMissing(v float64) bool { return v != v }

// Point converts named coordinates to a flat point (missing dimensions are
// NaN), validating names, finiteness and ranges. field prefixes error names.
func (s *Space) Point(c Coordinates, field string) ([]float64, error) {
	x := make([]float64, len(s.dims))
	for k := range x {
		x[k] = Missing
	}
	for name, v := range c {
		k, ok := s.dimIdx[name]
		if !ok {
			return nil, fieldErrf(joinField(field, name), ErrUnknownDimension, "%q", name)
		}
		cv, err := s.checkValue(k, v, joinField(field, name))
		if err != nil {
			return nil, err
		}
		x[k] = cv
	}
	return x, nil
}

// Coordinates converts a flat point back to named coordinates.
func (s *Space) Coordinates(x []float64) Coordinates {
	c := make(Coordinates, len(x))
	for k, v := range x {
		if !IsMissing(v) {
			c[s.dims[k].name] = v
		}
	}
	return c
}

// CheckPoint validates a flat point: right length, every present coordinate
// finite and in range (NaN means missing and is allowed when allowMissing).
func (s *Space) CheckPoint(x []float64, allowMissing bool, field string) error {
	if len(x) != len(s.dims) {
		return fieldErrf(field, ErrDimensionCount, "got %d, want %d", len(x), len(s.dims))
	}
	for k, v := range x {
		f := joinField(field, s.dims[k].name)
		if IsMissing(v) {
			if !allowMissing {
				return fieldErr(f, ErrNaN)
			}
			continue
		}
		if _, err := s.checkValue(k, v, f); err != nil {
			return err
		}
	}
	return nil
}

// checkValue validates one coordinate and wraps circular values into range.
func (s *Space) checkValue(k int, v float64, field string) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fieldErrf(field, ErrNaN, "got %v", v)
	}
	d := s.dims[k]
	switch d.kind {
	case Circular:
		p := d.hi - d.lo
		v = math.Mod(v-d.lo, p)
		if v < 0 {
			v += p
		}
		return v + d.lo, nil
	case Categorical:
		if d.labels != nil && (v != math.Trunc(v) || v < 0 || int(v) >= len(d.values)) {
			return 0, fieldErrf(field, ErrOutOfRange, "category index %v (have %d categories)", v, len(d.values))
		}
		return v, nil
	}
	if d.hasRange && (v < d.lo || v > d.hi) {
		return 0, fieldErrf(field, ErrOutOfRange, "%v not in [%v, %v]", v, d.lo, d.hi)
	}
	return v, nil
}

// ParseValue converts a JSON-like value (float64, integers, json.Number,
// numeric or label string, bool) to a coordinate of dimension k. nil means
// missing and returns NaN with ok=false.
func (s *Space) ParseValue(k int, v any, field string) (float64, bool, error) {
	f, ok, err := toFloat(v, s.dims[k].labels)
	if err != nil {
		return 0, false, fieldErr(field, err)
	}
	if !ok {
		return Missing, false, nil
	}
	f, err = s.checkValue(k, f, field)
	return f, err == nil, err
}

func toFloat(v any, labels map[string]int) (float64, bool, error) {
	switch t := v.(type) {
	case nil:
		return 0, false, nil
	case float64:
		return t, true, nil
	case float32:
		return float64(t), true, nil
	case int:
		return float64(t), true, nil
	case int8:
		return float64(t), true, nil
	case int16:
		return float64(t), true, nil
	case int32:
		return float64(t), true, nil
	case int64:
		return float64(t), true, nil
	case uint:
		return float64(t), true, nil
	case uint8:
		return float64(t), true, nil
	case uint16:
		return float64(t), true, nil
	case uint32:
		return float64(t), true, nil
	case uint64:
		return float64(t), true, nil
	case bool:
		if t {
			return 1, true, nil
		}
		return 0, true, nil
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return 0, false, fmt.Errorf("%w: number %q", ErrMalformed, string(t))
		}
		return f, true, nil
	case string:
		if i, ok := labels[t]; ok {
			return float64(i), true, nil
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			if labels != nil {
				return 0, false, fmt.Errorf("%w: unknown label %q", ErrOutOfRange, t)
			}
			return 0, false, fmt.Errorf("%w: %q is not a number", ErrMalformed, t)
		}
		return f, true, nil
	}
	return 0, false, fmt.Errorf("%w: unsupported value of type %T", ErrMalformed, v)
}

func joinField(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
