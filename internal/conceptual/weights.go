package conceptual

import "math"

// Weights are normalised salience weights over a space's layout: Domain[i]
// for domain i (0 when a concept is not defined on that domain) and
// Dimension[k] for flat dimension k. Normalised means, after Bechberger &
// Kühnberger (2017): the domain weights that are non-zero sum to their count
// and the dimension weights of every used domain sum to 1.
type Weights struct {
	Domain    []float64 `json:"domain"`
	Dimension []float64 `json:"dimension"`
}

// Clone returns a deep copy.
func (w Weights) Clone() Weights {
	return Weights{Domain: append([]float64(nil), w.Domain...), Dimension: append([]float64(nil), w.Dimension...)}
}

// NewWeights builds normalised weights for a subset of the domains of s.
// domain maps domain name → relative salience; dimension maps dimension name
// → relative weight (dimensions of a listed domain that are not named get 1).
// A nil domain map means all domains with equal salience.
func (s *Space) NewWeights(domain map[string]float64, dimension map[string]float64) (Weights, error) {
	rawDom := make([]float64, len(s.domains))
	rawDim := make([]float64, len(s.dims))
	if domain == nil {
		for i := range rawDom {
			rawDom[i] = 1
		}
	}
	for name, v := range domain {
		i, ok := s.domIdx[name]
		if !ok {
			return Weights{}, fieldErrf("weights.domain."+name, ErrUnknownDomain, "%q", name)
		}
		if !validWeight(v) {
			return Weights{}, fieldErrf("weights.domain."+name, ErrInvalidWeight, "got %v", v)
		}
		rawDom[i] = v
	}
	for k := range rawDim {
		rawDim[k] = 1
	}
	for name, v := range dimension {
		k, ok := s.dimIdx[name]
		if !ok {
			return Weights{}, fieldErrf("weights.dimension."+name, ErrUnknownDimension, "%q", name)
		}
		if !validWeight(v) {
			return Weights{}, fieldErrf("weights.dimension."+name, ErrInvalidWeight, "got %v", v)
		}
		rawDim[k] = v
	}
	return normaliseWeights(s, rawDom, rawDim), nil
}

// MergeWeights interpolates two weight sets as in Bechberger's implementation
// of concept intersection and union: on shared domains the domain weight is
// s·a + (1−s)·b and the dimension weights t·a + (1−t)·b; a domain used by only
// one side keeps that side's weights; the result is renormalised.
func (s *Space) MergeWeights(a, b Weights, sDom, tDim float64) Weights {
	rawDom := make([]float64, len(s.domains))
	rawDim := make([]float64, len(s.dims))
	for i, d := range s.domains {
		wa, wb := a.Domain[i], b.Domain[i]
		switch {
		case wa > 0 && wb > 0:
			rawDom[i] = sDom*wa + (1-sDom)*wb
			for k := d.start; k < d.end; k++ {
				rawDim[k] = tDim*a.Dimension[k] + (1-tDim)*b.Dimension[k]
			}
		case wa > 0:
			rawDom[i] = wa
			copy(rawDim[d.start:d.end], a.Dimension[d.start:d.end])
		case wb > 0:
			rawDom[i] = wb
			copy(rawDim[d.start:d.end], b.Dimension[d.start:d.end])
		}
	}
	return normaliseWeights(s, rawDom, rawDim)
}

// ProjectWeights keeps only the listed domains (by index) and renormalises.
func (s *Space) ProjectWeights(w Weights, domains []int) Weights {
	rawDom := make([]float64, len(s.domains))
	rawDim := make([]float64, len(s.dims))
	for _, i := range domains {
		rawDom[i] = w.Domain[i]
		d := s.domains[i]
		copy(rawDim[d.start:d.end], w.Dimension[d.start:d.end])
	}
	return normaliseWeights(s, rawDom, rawDim)
}

// usedDomains lists the domains with a non-zero weight.
func (w Weights) usedDomains() []int {
	var out []int
	for i, v := range w.Domain {
		if v > 0 {
			out = append(out, i)
		}
	}
	return out
}

func (w Weights) approxEqual(o Weights, tol float64) bool {
	if len(w.Domain) != len(o.Domain) || len(w.Dimension) != len(o.Dimension) {
		return false
	}
	for i := range w.Domain {
		if math.Abs(w.Domain[i]-o.Domain[i]) > tol {
			return false
		}
	}
	for i := range w.Dimension {
		if math.Abs(w.Dimension[i]-o.Dimension[i]) > tol {
			return false
		}
	}
	return true
}
