package conceptual

import (
	"encoding/json"
	"fmt"
	"math"
)

// Kind is the scale type of a quality dimension.
type Kind string

// The four kinds of quality dimension. Continuous and ordinal dimensions
// compare by difference; a categorical dimension contributes 0 when the two
// category codes are equal and 1 otherwise; a circular dimension (hue, angle,
// time of day) wraps around its range and uses the shorter arc.
const (
	Continuous  Kind = "continuous"
	Ordinal     Kind = "ordinal"
	Categorical Kind = "categorical"
	Circular    Kind = "circular"
)

func (k Kind) valid() bool {
	switch k {
	case Continuous, Ordinal, Categorical, Circular:
		return true
	}
	return false
}

// DimensionDef declares one quality dimension. It is a plain serialisable
// value so that space definitions can travel inside graph events.
type DimensionDef struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Kind   Kind    `json:"kind"`
	// Range is [min, max]. Required for circular dimensions (it fixes the
	// period); optional otherwise, where it bounds the accepted values.
	Range []float64 `json:"range,omitempty"`
	// Values are labels: the categories of a categorical dimension or the
	// ordered levels of an ordinal one. A label maps to its index.
	Values []string `json:"values,omitempty"`
}

// DomainDef groups dimensions that are measured together (colour: hue,
// saturation, lightness) and so combine by a Euclidean metric.
type DomainDef struct {
	Name       string         `json:"name"`
	Weight     float64        `json:"weight"`
	Dimensions []DimensionDef `json:"dimensions"`
}

// SpaceDefinition is the serialisable description of a conceptual space.
// Weights are relative; Compile normalises them.
type SpaceDefinition struct {
	Domains []DomainDef `json:"domains"`
}

// UnmarshalJSON defaults an absent weight to 1 so that only an explicit
// non-positive weight is an error.
func (d *DimensionDef) UnmarshalJSON(b []byte) error {
	type plain DimensionDef
	p := plain{Weight: 1, Kind: Continuous}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = DimensionDef(p)
	return nil
}

// UnmarshalJSON defaults an absent weight to 1.
func (d *DomainDef) UnmarshalJSON(b []byte) error {
	type plain DomainDef
	p := plain{Weight: 1}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = DomainDef(p)
	return nil
}

type dimInfo struct {
	name     string
	kind     Kind
	domain   int
	lo, hi   float64
	hasRange bool
	labels   map[string]int
	values   []string
}

type domInfo struct {
	name       string
	start, end int // dimensions [start, end) of the flat coordinate vector
}

// Space is a compiled conceptual space: dimensions laid out flat, domain by
// domain, so a point is a []float64 of length Dims() and the distance kernel
// walks contiguous slices. Methods that change weights mutate the space and
// are not safe for concurrent use; Clone gives an independent copy.
type Space struct {
	dims    []dimInfo
	domains []domInfo
	dimIdx  map[string]int
	domIdx  map[string]int

	// Flat per-dimension tables read by the distance kernel.
	kind   []Kind
	period []float64 // circular period (max-min), 0 for other kinds

	rawDom []float64 // weights as given, kept so a change can renormalise
	rawDim []float64
	w      Weights
}

// Compile validates a definition and builds the space. Errors name the field,
// e.g. "domains[0].dimensions[2].weight", and wrap a sentinel.
func Compile(def SpaceDefinition) (*Space, error) {
	if len(def.Domains) == 0 {
		return nil, fieldErr("domains", ErrEmptySpace)
	}
	s := &Space{dimIdx: map[string]int{}, domIdx: map[string]int{}}
	for di, dd := range def.Domains {
		f := fmt.Sprintf("domains[%d]", di)
		if dd.Name == "" {
			return nil, fieldErrf(f+".name", ErrMalformed, "empty domain name")
		}
		if _, dup := s.domIdx[dd.Name]; dup {
			return nil, fieldErrf(f+".name", ErrDuplicateName, "domain %q", dd.Name)
		}
		if !validWeight(dd.Weight) {
			return nil, fieldErrf(f+".weight", ErrInvalidWeight, "got %v", dd.Weight)
		}
		if len(dd.Dimensions) == 0 {
			return nil, fieldErrf(f+".dimensions", ErrEmptyDomain, "domain %q", dd.Name)
		}
		s.domIdx[dd.Name] = len(s.domains)
		dom := domInfo{name: dd.Name, start: len(s.dims)}
		for ki, dim := range dd.Dimensions {
			g := fmt.Sprintf("%s.dimensions[%d]", f, ki)
			info, err := compileDim(g, dim, di)
			if err != nil {
				return nil, err
			}
			if _, dup := s.dimIdx[dim.Name]; dup {
				return nil, fieldErrf(g+".name", ErrDuplicateName, "dimension %q", dim.Name)
			}
			s.dimIdx[dim.Name] = len(s.dims)
			s.dims = append(s.dims, info)
			s.kind = append(s.kind, info.kind)
			p := 0.0
			if info.kind == Circular {
				p = info.hi - info.lo
			}
			s.period = append(s.period, p)
			s.rawDim = append(s.rawDim, dim.Weight)
		}
		dom.end = len(s.dims)
		s.domains = append(s.domains, dom)
		s.rawDom = append(s.rawDom, dd.Weight)
	}
	s.renormalise()
	return s, nil
}

func validWeight(w float64) bool { return w > 0 && !math.IsInf(w, 0) && !math.IsNaN(w) }

func compileDim(f string, d DimensionDef, domain int) (dimInfo, error) {
	info := dimInfo{name: d.Name, kind: d.Kind, domain: domain}
	if d.Name == "" {
		return info, fieldErrf(f+".name", ErrMalformed, "empty dimension name")
	}
	if info.kind == "" {
		info.kind = Continuous
	}
	if !info.kind.valid() {
		return info, fieldErrf(f+".kind", ErrInvalidKind, "%q (want continuous, ordinal, categorical or circular)", d.Kind)
	}
	if !validWeight(d.Weight) {
		return info, fieldErrf(f+".weight", ErrInvalidWeight, "got %v", d.Weight)
	}
	switch len(d.Range) {
	case 0:
	case 2:
		lo, hi := d.Range[0], d.Range[1]
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || !(lo < hi) {
			return info, fieldErrf(f+".range", ErrInvalidRange, "[%v, %v] (want finite min < max)", lo, hi)
		}
		info.lo, info.hi, info.hasRange = lo, hi, true
	default:
		return info, fieldErrf(f+".range", ErrInvalidRange, "want [min, max], got %d numbers", len(d.Range))
	}
	if len(d.Values) > 0 {
		if info.kind != Categorical && info.kind != Ordinal {
			return info, fieldErrf(f+".values", ErrMalformed, "labels only apply to categorical or ordinal dimensions")
		}
		info.labels = make(map[string]int, len(d.Values))
		for i, v := range d.Values {
			if _, dup := info.labels[v]; dup {
				return info, fieldErrf(fmt.Sprintf("%s.values[%d]", f, i), ErrDuplicateName, "label %q", v)
			}
			info.labels[v] = i
		}
		info.values = append([]string(nil), d.Values...)
		if !info.hasRange {
			info.lo, info.hi, info.hasRange = 0, float64(len(d.Values)-1), len(d.Values) > 1
		}
	}
	if info.kind == Circular && !info.hasRange {
		return info, fieldErrf(f+".range", ErrInvalidRange, "a circular dimension needs a range (its period)")
	}
	return info, nil
}

// renormalise applies Bechberger's constraints (Bechberger & Kühnberger
// 2017, Def. "weights"): dimension weights inside each domain sum to 1 and
// domain (salience) weights sum to the number of domains, so a space with
// all weights equal reduces to the plain Euclidean/Manhattan combination.
func (s *Space) renormalise() {
	s.w = normaliseWeights(s, s.rawDom, s.rawDim)
}

func normaliseWeights(s *Space, dom, dim []float64) Weights {
	w := Weights{Domain: make([]float64, len(dom)), Dimension: make([]float64, len(dim))}
	var total float64
	n := 0
	for _, v := range dom {
		if v > 0 {
			total += v
			n++
		}
	}
	for i, v := range dom {
		if v > 0 {
			w.Domain[i] = v * float64(n) / total
		}
	}
	for di, d := range s.domains {
		var sum float64
		for k := d.start; k < d.end; k++ {
			sum += dim[k]
		}
		for k := d.start; k < d.end; k++ {
			if sum > 0 && w.Domain[di] > 0 {
				w.Dimension[k] = dim[k] / sum
			}
		}
	}
	return w
}

// Clone returns an independent copy (weights included).
func (s *Space) Clone() *Space {
	c := *s
	c.rawDom = append([]float64(nil), s.rawDom...)
	c.rawDim = append([]float64(nil), s.rawDim...)
	c.w = s.w.Clone()
	return &c
}

// Dims is the length of a point vector.
func (s *Space) Dims() int { return len(s.dims) }

// NumDomains is the number of domains.
func (s *Space) NumDomains() int { return len(s.domains) }

// DomainName returns the name of domain i.
func (s *Space) DomainName(i int) string { return s.domains[i].name }

// DomainDims returns the half-open range of flat indices of domain i.
func (s *Space) DomainDims(i int) (start, end int) { return s.domains[i].start, s.domains[i].end }

// DimensionName returns the name of flat dimension k.
func (s *Space) DimensionName(k int) string { return s.dims[k].name }

// DimensionKind returns the kind of flat dimension k.
func (s *Space) DimensionKind(k int) Kind { return s.dims[k].kind }

// DimensionDomain returns the domain index of flat dimension k.
func (s *Space) DimensionDomain(k int) int { return s.dims[k].domain }

// DimensionRange returns the declared range of dimension k and whether one was declared.
func (s *Space) DimensionRange(k int) (lo, hi float64, ok bool) {
	d := s.dims[k]
	return d.lo, d.hi, d.hasRange
}

// Dimension returns the flat index of the named dimension.
func (s *Space) Dimension(name string) (int, bool) { k, ok := s.dimIdx[name]; return k, ok }

// Domain returns the index of the named domain.
func (s *Space) Domain(name string) (int, bool) { i, ok := s.domIdx[name]; return i, ok }

// Weights returns a copy of the normalised weights.
func (s *Space) Weights() Weights { return s.w.Clone() }

// SetDomainWeight changes the salience of a domain (for example by context)
// and renormalises all domain weights.
func (s *Space) SetDomainWeight(domain string, w float64) error {
	i, ok := s.domIdx[domain]
	if !ok {
		return fieldErrf("domain", ErrUnknownDomain, "%q", domain)
	}
	if !validWeight(w) {
		return fieldErrf("weight", ErrInvalidWeight, "got %v", w)
	}
	s.rawDom[i] = w
	s.renormalise()
	return nil
}

// SetDimensionWeight changes one dimension's weight inside its domain and
// renormalises that domain.
func (s *Space) SetDimensionWeight(dimension string, w float64) error {
	k, ok := s.dimIdx[dimension]
	if !ok {
		return fieldErrf("dimension", ErrUnknownDimension, "%q", dimension)
	}
	if !validWeight(w) {
		return fieldErrf("weight", ErrInvalidWeight, "got %v", w)
	}
	s.rawDim[k] = w
	s.renormalise()
	return nil
}

// Definition returns the serialisable definition with the current (raw)
// weights, so Compile(s.Definition()) rebuilds an equal space.
func (s *Space) Definition() SpaceDefinition {
	def := SpaceDefinition{Domains: make([]DomainDef, len(s.domains))}
	for i, d := range s.domains {
		dd := DomainDef{Name: d.name, Weight: s.rawDom[i]}
		for k := d.start; k < d.end; k++ {
			di := s.dims[k]
			dim := DimensionDef{Name: di.name, Weight: s.rawDim[k], Kind: di.kind, Values: append([]string(nil), di.values...)}
			if di.hasRange && !(len(di.values) > 0 && di.lo == 0 && di.hi == float64(len(di.values)-1)) {
				dim.Range = []float64{di.lo, di.hi}
			}
			dd.Dimensions = append(dd.Dimensions, dim)
		}
		def.Domains[i] = dd
	}
	return def
}
