package conceptual

import (
	"fmt"
	"math"
	"strings"
)

// Normalization says how a raw property value becomes a coordinate.
type Normalization string

// Normalisations. MinMax and Range map a source interval linearly onto the
// dimension's declared range (or [0,1] without one); MinMax learns the
// source interval from data (Mapper.Fit), Range takes it from the rule.
// ZScore learns mean and standard deviation. Values that fall outside the
// target range after the transform are clamped to it.
const (
	NormNone   Normalization = "none"
	NormMinMax Normalization = "minmax"
	NormZScore Normalization = "zscore"
	NormRange  Normalization = "range"
)

// MappingRule extracts one dimension from a node's property map.
type MappingRule struct {
	// Property is the key in the property map; dots walk nested maps
	// ("geo.lat").
	Property  string        `json:"property"`
	Dimension string        `json:"dimension"`
	Normalize Normalization `json:"normalize,omitempty"`
	// From is the source [min, max] for NormRange.
	From []float64 `json:"from,omitempty"`
}

type mapRule struct {
	src       MappingRule
	path      []string
	dim       int
	lo, hi    float64 // source interval (minmax, range)
	mean, std float64 // zscore
	fitted    bool
}

// Mapper turns property maps (as decoded from JSON: map[string]any) into
// flat points of a space.
type Mapper struct {
	s     *Space
	rules []mapRule
}

// NewMapper validates the rules against the space.
func NewMapper(s *Space, rules []MappingRule) (*Mapper, error) {
	m := &Mapper{s: s}
	seen := map[int]bool{}
	for i, r := range rules {
		f := fmt.Sprintf("rules[%d]", i)
		k, ok := s.dimIdx[r.Dimension]
		if !ok {
			return nil, fieldErrf(f+".dimension", ErrUnknownDimension, "%q", r.Dimension)
		}
		if seen[k] {
			return nil, fieldErrf(f+".dimension", ErrDuplicateName, "dimension %q mapped twice", r.Dimension)
		}
		seen[k] = true
		if r.Property == "" {
			return nil, fieldErrf(f+".property", ErrMalformed, "empty property name")
		}
		mr := mapRule{src: r, path: strings.Split(r.Property, "."), dim: k}
		switch r.Normalize {
		case "", NormNone:
			mr.src.Normalize = NormNone
			mr.fitted = true
		case NormMinMax, NormZScore:
			if s.kind[k] == Categorical {
				return nil, fieldErrf(f+".normalize", ErrInvalidParameter, "%s on categorical dimension %q", r.Normalize, r.Dimension)
			}
		case NormRange:
			if len(r.From) != 2 || !(r.From[0] < r.From[1]) || math.IsInf(r.From[0], 0) || math.IsInf(r.From[1], 0) {
				return nil, fieldErrf(f+".from", ErrInvalidRange, "want finite [min, max] with min < max, got %v", r.From)
			}
			mr.lo, mr.hi, mr.fitted = r.From[0], r.From[1], true
		default:
			return nil, fieldErrf(f+".normalize", ErrInvalidParameter, "%q (want none, minmax, zscore or range)", r.Normalize)
		}
		m.rules = append(m.rules, mr)
	}
	return m, nil
}

func lookup(props map[string]any, path []string) any {
	var cur any = props
	for _, p := range path {
		mp, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mp[p]
	}
	return cur
}

// Fit learns the statistics of the minmax and zscore rules from a sample of
// property maps; missing values are ignored.
func (m *Mapper) Fit(nodes []map[string]any) error {
	for ri := range m.rules {
		r := &m.rules[ri]
		if r.src.Normalize != NormMinMax && r.src.Normalize != NormZScore {
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		var n, mean, m2 float64
		for ni, p := range nodes {
			v, ok, err := toFloat(lookup(p, r.path), m.s.dims[r.dim].labels)
			if err != nil {
				return fieldErr(fmt.Sprintf("nodes[%d].%s", ni, r.src.Property), err)
			}
			if !ok {
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fieldErrf(fmt.Sprintf("nodes[%d].%s", ni, r.src.Property), ErrNaN, "got %v", v)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			n++ // Welford: stable single-pass mean and variance
			d := v - mean
			mean += d / n
			m2 += d * (v - mean)
		}
		if n == 0 {
			return fieldErrf("rules."+r.src.Property, ErrTooFewPoints, "no values to fit %s", r.src.Normalize)
		}
		r.lo, r.hi, r.mean, r.std, r.fitted = lo, hi, mean, math.Sqrt(m2/n), true
	}
	return nil
}

// Map extracts the point of one node into dst (allocated if short). Missing
// properties give NaN (missing) coordinates; dimensions without a rule are
// missing too. A non-numeric value where a number is needed is an error that
// names the property.
func (m *Mapper) Map(props map[string]any, dst []float64) ([]float64, error) {
	n := len(m.s.dims)
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	for k := range dst {
		dst[k] = Missing
	}
	for _, r := range m.rules {
		if !r.fitted {
			return nil, fieldErrf(r.src.Property, ErrInvalidParameter, "%s rule used before Fit", r.src.Normalize)
		}
		raw := lookup(props, r.path)
		v, ok, err := toFloat(raw, m.s.dims[r.dim].labels)
		if err != nil {
			return nil, fieldErr(r.src.Property, err)
		}
		if !ok {
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fieldErrf(r.src.Property, ErrNaN, "got %v", v)
		}
		d := m.s.dims[r.dim]
		tlo, thi := 0.0, 1.0
		if d.hasRange {
			tlo, thi = d.lo, d.hi
		}
		switch r.src.Normalize {
		case NormMinMax, NormRange:
			if r.hi > r.lo {
				v = tlo + (v-r.lo)/(r.hi-r.lo)*(thi-tlo)
			} else {
				v = (tlo + thi) / 2
			}
		case NormZScore:
			if r.std > 0 {
				v = (v - r.mean) / r.std
			} else {
				v = 0
			}
		}
		if r.src.Normalize != NormNone && d.kind != Circular && d.hasRange {
			v = math.Max(d.lo, math.Min(d.hi, v))
		}
		cv, err := m.s.checkValue(r.dim, v, r.src.Property)
		if err != nil {
			return nil, err
		}
		dst[r.dim] = cv
	}
	return dst, nil
}
