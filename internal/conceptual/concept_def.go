package conceptual

import (
	"fmt"
	"math"
)

// CuboidDef is a serialisable cuboid: bounds by dimension name over the
// dimensions of the concept's domains (JSON cannot carry the ±Inf of the
// other dimensions).
type CuboidDef struct {
	Min map[string]float64 `json:"min"`
	Max map[string]float64 `json:"max"`
}

// ConceptDef is the serialisable form of a fuzzy concept. Its domains are
// the keys of DomainWeights; DimensionWeights may leave dimensions out
// (weight 1).
type ConceptDef struct {
	Name             string             `json:"name"`
	Core             []CuboidDef        `json:"core"`
	Mu               float64            `json:"mu"`
	C                float64            `json:"c"`
	DomainWeights    map[string]float64 `json:"domain_weights"`
	DimensionWeights map[string]float64 `json:"dimension_weights,omitempty"`
}

// CompileConcept validates a definition against the space.
func (s *Space) CompileConcept(d ConceptDef) (*Concept, error) {
	if len(d.DomainWeights) == 0 {
		return nil, fieldErrf("domain_weights", ErrEmptySpace, "a concept needs at least one domain")
	}
	w, err := s.NewWeights(d.DomainWeights, d.DimensionWeights)
	if err != nil {
		return nil, err
	}
	core := make([]Cuboid, len(d.Core))
	for i, cd := range d.Core {
		f := fmt.Sprintf("core[%d]", i)
		c := Cuboid{Min: make([]float64, len(s.dims)), Max: make([]float64, len(s.dims))}
		for name := range cd.Min {
			if _, ok := s.dimIdx[name]; !ok {
				return nil, fieldErrf(f+".min."+name, ErrUnknownDimension, "%q", name)
			}
		}
		for name := range cd.Max {
			if _, ok := s.dimIdx[name]; !ok {
				return nil, fieldErrf(f+".max."+name, ErrUnknownDimension, "%q", name)
			}
		}
		for k, dim := range s.dims {
			if w.Domain[dim.domain] == 0 {
				continue
			}
			lo, okLo := cd.Min[dim.name]
			hi, okHi := cd.Max[dim.name]
			if !okLo || !okHi {
				return nil, fieldErrf(f+"."+dim.name, ErrMalformed, "bounds missing for dimension %q of domain %q", dim.name, s.domains[dim.domain].name)
			}
			c.Min[k], c.Max[k] = lo, hi
		}
		core[i] = c
	}
	return s.NewConcept(core, d.Mu, d.C, w)
}

// Def returns the serialisable form of the concept.
func (k *Concept) Def(name string) ConceptDef {
	s := k.s
	d := ConceptDef{Name: name, Mu: k.Mu, C: k.C, DomainWeights: map[string]float64{}, DimensionWeights: map[string]float64{}}
	for i, v := range k.W.Domain {
		if v > 0 {
			d.DomainWeights[s.domains[i].name] = v
			for kk := s.domains[i].start; kk < s.domains[i].end; kk++ {
				d.DimensionWeights[s.dims[kk].name] = k.W.Dimension[kk]
			}
		}
	}
	for _, c := range k.Core {
		cd := CuboidDef{Min: map[string]float64{}, Max: map[string]float64{}}
		for kk, dim := range s.dims {
			if math.IsInf(c.Min[kk], 0) && math.IsInf(c.Max[kk], 0) {
				continue
			}
			cd.Min[dim.name], cd.Max[dim.name] = c.Min[kk], c.Max[kk]
		}
		d.Core = append(d.Core, cd)
	}
	return d
}
