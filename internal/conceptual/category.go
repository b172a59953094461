package conceptual

import (
	"fmt"
	"math"
)

// Prototype is a named point: the centre of a category (Rosch's prototype
// theory as used by Gärdenfors 2000, ch. 3). It is what an add_prototype
// event carries.
type Prototype struct {
	Name   string      `json:"name"`
	Point  Coordinates `json:"point"`
	Source string      `json:"source,omitempty"` // e.g. "kmeans", "dbscan", "user"
}

// Categorizer classifies points by their nearest prototype, which
// partitions the space into the (generalised) Voronoi cells of the
// prototypes under the conceptual metric (Gärdenfors 2000, §3.9).
type Categorizer struct {
	s      *Space
	names  []string
	points [][]float64
}

// NewCategorizer compiles prototypes against s. Prototype points may have
// missing dimensions; names must be unique and non-empty.
func NewCategorizer(s *Space, protos []Prototype) (*Categorizer, error) {
	c := &Categorizer{s: s}
	seen := map[string]bool{}
	for i, p := range protos {
		f := fmt.Sprintf("prototypes[%d]", i)
		if p.Name == "" {
			return nil, fieldErrf(f+".name", ErrMalformed, "empty prototype name")
		}
		if seen[p.Name] {
			return nil, fieldErrf(f+".name", ErrDuplicateName, "prototype %q", p.Name)
		}
		seen[p.Name] = true
		x, err := s.Point(p.Point, "prototypes."+p.Name)
		if err != nil {
			return nil, err
		}
		c.names = append(c.names, p.Name)
		c.points = append(c.points, x)
	}
	return c, nil
}

// Len is the number of prototypes.
func (c *Categorizer) Len() int { return len(c.names) }

// Name returns prototype i's name.
func (c *Categorizer) Name(i int) string { return c.names[i] }

// PointOf returns prototype i's flat point (do not modify).
func (c *Categorizer) PointOf(i int) []float64 { return c.points[i] }

// Nearest returns the index of the nearest prototype and its distance; ties
// go to the earlier prototype, and prototypes with no domain in common with
// x are skipped (index −1 if none remains). It does not allocate.
func (c *Categorizer) Nearest(x []float64) (int, float64) {
	best, bd := -1, math.Inf(1)
	for i, p := range c.points {
		d := c.s.Distance(x, p)
		if d < bd { // NaN compares false and is skipped
			best, bd = i, d
		}
	}
	return best, bd
}

// Memberships writes exp(−c·d(x, p_i)) for every prototype into dst.
func (c *Categorizer) Memberships(x []float64, sens float64, dst []float64) []float64 {
	if cap(dst) < len(c.points) {
		dst = make([]float64, len(c.points))
	}
	dst = dst[:len(c.points)]
	for i, p := range c.points {
		dst[i] = math.Exp(-sens * c.s.Distance(x, p))
	}
	return dst
}

// HalfSpace is {x : Normal·x ≤ Offset} over the flat coordinates.
type HalfSpace struct {
	Normal []float64 `json:"normal"`
	Offset float64   `json:"offset"`
}

// ConvexRegion is a crisp convex category: the intersection of half-spaces
// (Gärdenfors' criterion P: natural properties are convex regions).
type ConvexRegion struct {
	Name       string      `json:"name"`
	HalfSpaces []HalfSpace `json:"half_spaces"`
}

// Validate checks the region against a space's dimensionality.
func (r *ConvexRegion) Validate(s *Space) error {
	for i, h := range r.HalfSpaces {
		f := fmt.Sprintf("regions.%s.half_spaces[%d]", r.Name, i)
		if len(h.Normal) != s.Dims() {
			return fieldErrf(f+".normal", ErrDimensionCount, "got %d, want %d", len(h.Normal), s.Dims())
		}
		for k, v := range h.Normal {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fieldErrf(fmt.Sprintf("%s.normal[%d]", f, k), ErrNaN, "got %v", v)
			}
		}
		if math.IsNaN(h.Offset) || math.IsInf(h.Offset, 0) {
			return fieldErrf(f+".offset", ErrNaN, "got %v", h.Offset)
		}
	}
	return nil
}

// Contains reports whether x satisfies every half-space. Missing coordinates
// with a non-zero normal component make the answer false.
func (r *ConvexRegion) Contains(x []float64) bool {
	for _, h := range r.HalfSpaces {
		var dot float64
		for k, a := range h.Normal {
			if a != 0 {
				dot += a * x[k]
			}
		}
		if !(dot <= h.Offset) {
			return false
		}
	}
	return true
}

// BoxRegion returns the convex region of the axis-aligned box [lo, hi]
// (dimensions where lo/hi are ±Inf are unconstrained).
func BoxRegion(name string, lo, hi []float64) ConvexRegion {
	r := ConvexRegion{Name: name}
	for k := range lo {
		if !math.IsInf(hi[k], 1) {
			n := make([]float64, len(lo))
			n[k] = 1
			r.HalfSpaces = append(r.HalfSpaces, HalfSpace{Normal: n, Offset: hi[k]})
		}
		if !math.IsInf(lo[k], -1) {
			n := make([]float64, len(lo))
			n[k] = -1
			r.HalfSpaces = append(r.HalfSpaces, HalfSpace{Normal: n, Offset: -lo[k]})
		}
	}
	return r
}

// VoronoiRegion returns prototype i's Voronoi cell as a convex region. It is
// exact only in a space with a single domain whose dimensions are all
// continuous or ordinal (the cell under a weighted Euclidean metric is a
// polytope: d(x,p_i)² ≤ d(x,p_j)² is linear in x); otherwise it returns
// ErrInvalidParameter, because with several domains the cells are not
// polytopes and Nearest must be used.
func (c *Categorizer) VoronoiRegion(i int) (ConvexRegion, error) {
	s := c.s
	if len(s.domains) != 1 {
		return ConvexRegion{}, fieldErrf("space", ErrInvalidParameter, "Voronoi cells are polytopes only in a one-domain space")
	}
	for k := range s.dims {
		if s.kind[k] == Circular || s.kind[k] == Categorical {
			return ConvexRegion{}, fieldErrf("space", ErrInvalidParameter, "dimension %q is %s", s.dims[k].name, s.kind[k])
		}
	}
	pi := c.points[i]
	for k, v := range pi {
		if IsMissing(v) {
			return ConvexRegion{}, fieldErrf("prototypes."+c.names[i]+"."+s.dims[k].name, ErrNaN, "prototype has a missing coordinate")
		}
	}
	r := ConvexRegion{Name: c.names[i]}
	w := s.w.Dimension
	for j, pj := range c.points {
		if j == i {
			continue
		}
		// Σ w_k (x_k − p_ik)² ≤ Σ w_k (x_k − p_jk)²
		// ⇔ Σ 2 w_k (p_jk − p_ik) x_k ≤ Σ w_k (p_jk² − p_ik²)
		n := make([]float64, len(pi))
		var off float64
		for k := range pi {
			n[k] = 2 * w[k] * (pj[k] - pi[k])
			off += w[k] * (pj[k]*pj[k] - pi[k]*pi[k])
		}
		r.HalfSpaces = append(r.HalfSpaces, HalfSpace{Normal: n, Offset: off})
	}
	return r, nil
}
