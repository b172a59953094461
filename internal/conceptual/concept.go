package conceptual

import (
	"fmt"
	"math"
)

// Cuboid is an axis-parallel box over the flat coordinates. Dimensions a
// concept is not defined on are (−Inf, +Inf).
type Cuboid struct {
	Min []float64 `json:"min"`
	Max []float64 `json:"max"`
}

func (c Cuboid) clone() Cuboid {
	return Cuboid{Min: append([]float64(nil), c.Min...), Max: append([]float64(nil), c.Max...)}
}

// Contains reports whether x lies in the cuboid (bounds inclusive).
func (c Cuboid) Contains(x []float64) bool {
	for k := range c.Min {
		if x[k] < c.Min[k] || x[k] > c.Max[k] {
			return false
		}
	}
	return true
}

func (c Cuboid) containsCuboid(o Cuboid) bool {
	for k := range c.Min {
		if o.Min[k] < c.Min[k] || o.Max[k] > c.Max[k] {
			return false
		}
	}
	return true
}

// intersect returns the crisp intersection and whether it is non-empty.
func (c Cuboid) intersect(o Cuboid) (Cuboid, bool) {
	r := Cuboid{Min: make([]float64, len(c.Min)), Max: make([]float64, len(c.Min))}
	for k := range c.Min {
		r.Min[k] = math.Max(c.Min[k], o.Min[k])
		r.Max[k] = math.Min(c.Max[k], o.Max[k])
		if r.Min[k] > r.Max[k] {
			return Cuboid{}, false
		}
	}
	return r, true
}

// Concept is a fuzzy concept after Bechberger & Kühnberger (2017, "A
// thorough formalization of conceptual spaces"): a crisp core S that is a
// union of cuboids sharing a common point (a simple star-shaped set), a
// maximal membership μ ∈ (0,1], a sensitivity c > 0 and its own salience
// weights W, with membership μ̃(x) = μ · exp(−c · min_{y∈S} d_W(x, y)).
// The concept is defined on the domains with a non-zero weight in W.
type Concept struct {
	Core []Cuboid `json:"core"`
	Mu   float64  `json:"mu"`
	C    float64  `json:"c"`
	W    Weights  `json:"weights"`
	s    *Space
}

// Space returns the space the concept lives in.
func (k *Concept) Space() *Space { return k.s }

// NewConcept validates and builds a concept. Coordinates of dimensions
// outside the concept's domains are set to ±Inf; inside them they must be
// finite with Min ≤ Max. The cuboids must share a point.
func (s *Space) NewConcept(core []Cuboid, mu, c float64, w Weights) (*Concept, error) {
	if len(core) == 0 {
		return nil, fieldErr("core", ErrEmptyCore)
	}
	if !(mu > 0 && mu <= 1) {
		return nil, fieldErrf("mu", ErrInvalidParameter, "want 0 < mu ≤ 1, got %v", mu)
	}
	if !(c > 0) || math.IsInf(c, 0) {
		return nil, fieldErrf("c", ErrInvalidParameter, "want finite c > 0, got %v", c)
	}
	if len(w.Domain) != len(s.domains) || len(w.Dimension) != len(s.dims) {
		return nil, fieldErrf("weights", ErrDimensionCount, "weights do not match the space")
	}
	used := false
	for _, v := range w.Domain {
		used = used || v > 0
	}
	if !used {
		return nil, fieldErrf("weights", ErrInvalidWeight, "no domain has a positive weight")
	}
	k := &Concept{Mu: mu, C: c, W: w.Clone(), s: s}
	for i, cub := range core {
		f := fmt.Sprintf("core[%d]", i)
		if len(cub.Min) != len(s.dims) || len(cub.Max) != len(s.dims) {
			return nil, fieldErrf(f, ErrDimensionCount, "want %d coordinates", len(s.dims))
		}
		cc := cub.clone()
		for d := range s.dims {
			if w.Domain[s.dims[d].domain] == 0 {
				cc.Min[d], cc.Max[d] = math.Inf(-1), math.Inf(1)
				continue
			}
			lo, hi := cc.Min[d], cc.Max[d]
			if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
				return nil, fieldErrf(fmt.Sprintf("%s.%s", f, s.dims[d].name), ErrNaN, "bounds [%v, %v] must be finite", lo, hi)
			}
			if lo > hi {
				return nil, fieldErrf(fmt.Sprintf("%s.%s", f, s.dims[d].name), ErrInvalidRange, "min %v > max %v", lo, hi)
			}
		}
		k.Core = append(k.Core, cc)
	}
	if _, ok := centralRegion(k.Core); !ok {
		return nil, fieldErr("core", ErrCoreNotStar)
	}
	k.Core = simplify(k.Core)
	return k, nil
}

func centralRegion(core []Cuboid) (Cuboid, bool) {
	r := core[0]
	for _, c := range core[1:] {
		var ok bool
		if r, ok = r.intersect(c); !ok {
			return Cuboid{}, false
		}
	}
	return r, true
}

// simplify drops cuboids contained in another one (keeping one of equals).
func simplify(cs []Cuboid) []Cuboid {
	keep := make([]bool, len(cs))
	for i := range keep {
		keep[i] = true
	}
	for i := range cs {
		for j := range cs {
			if i != j && keep[j] && cs[j].containsCuboid(cs[i]) {
				keep[i] = false
				break
			}
		}
	}
	var out []Cuboid
	for i, c := range cs {
		if keep[i] {
			out = append(out, c)
		}
	}
	return out
}

// repair makes a set of cuboids star-shaped as Bechberger's implementation
// does: if they share no point, every cuboid is stretched to contain the
// mean of their midpoints.
func repair(cs []Cuboid) []Cuboid {
	if _, ok := centralRegion(cs); ok {
		return simplify(cs)
	}
	n := len(cs[0].Min)
	mid := make([]float64, n)
	for _, c := range cs {
		for k := 0; k < n; k++ {
			mid[k] += 0.5 * (c.Min[k] + c.Max[k]) / float64(len(cs))
		}
	}
	out := make([]Cuboid, len(cs))
	for i, c := range cs {
		c = c.clone()
		for k := 0; k < n; k++ {
			if math.IsInf(c.Min[k], -1) && math.IsInf(c.Max[k], 1) {
				continue
			}
			c.Min[k] = math.Min(c.Min[k], mid[k])
			c.Max[k] = math.Max(c.Max[k], mid[k])
		}
		out[i] = c
	}
	return simplify(out)
}

// gapToInterval is the distance from v to [lo, hi] under the kind's scale.
func gapToInterval(kind Kind, period, v, lo, hi float64) float64 {
	if v >= lo && v <= hi {
		return 0
	}
	switch kind {
	case Circular:
		return math.Min(coordDiff(kind, period, v, lo), coordDiff(kind, period, v, hi))
	case Categorical:
		return 1
	}
	if v < lo {
		return lo - v
	}
	return v - hi
}

// cuboidDistance is min_{y∈cub} d_W(x, y), with the missing-value rule of
// DistanceW. It does not allocate.
func (s *Space) cuboidDistance(w *Weights, cub *Cuboid, x []float64) float64 {
	var total, all, present float64
	for di, d := range s.domains {
		wd := w.Domain[di]
		if wd == 0 {
			continue
		}
		all += wd
		var sum float64
		ok := true
		for k := d.start; k < d.end; k++ {
			v := x[k]
			if v != v {
				ok = false
				break
			}
			g := gapToInterval(s.kind[k], s.period[k], v, cub.Min[k], cub.Max[k])
			sum += w.Dimension[k] * g * g
		}
		if !ok {
			continue
		}
		present += wd
		total += wd * math.Sqrt(sum)
	}
	if present == all {
		return total
	}
	if present == 0 {
		return math.NaN()
	}
	return total * all / present
}

// DistanceToCore is min over the core of d_W(x, y).
func (k *Concept) DistanceToCore(x []float64) float64 {
	best := math.Inf(1)
	for i := range k.Core {
		if d := k.s.cuboidDistance(&k.W, &k.Core[i], x); d < best {
			best = d
		}
	}
	return best
}

// Membership is μ · exp(−c · d(x, core)) ∈ [0, μ].
func (k *Concept) Membership(x []float64) float64 {
	return k.Mu * math.Exp(-k.C*k.DistanceToCore(x))
}

// Domains lists the indices of the domains the concept is defined on.
func (k *Concept) Domains() []int { return k.W.usedDomains() }

func sameDomains(a, b *Concept) bool {
	for i := range a.W.Domain {
		if (a.W.Domain[i] > 0) != (b.W.Domain[i] > 0) {
			return false
		}
	}
	return true
}

// Union is Bechberger's union: the cores' cuboids together, repaired to be
// star-shaped; μ = max, c = min, weights merged half-and-half. Both concepts
// must be defined on the same domains.
func (k *Concept) Union(o *Concept) (*Concept, error) {
	if !sameDomains(k, o) {
		return nil, fieldErrf("concept", ErrInvalidParameter, "union needs concepts on the same domains")
	}
	cs := make([]Cuboid, 0, len(k.Core)+len(o.Core))
	for _, c := range k.Core {
		cs = append(cs, c.clone())
	}
	for _, c := range o.Core {
		cs = append(cs, c.clone())
	}
	return &Concept{Core: repair(cs), Mu: math.Max(k.Mu, o.Mu), C: math.Min(k.C, o.C),
		W: k.s.MergeWeights(k.W, o.W, 0.5, 0.5), s: k.s}, nil
}

// Project keeps the named domains (a subset of the concept's): other
// dimensions become unbounded and the weights are renormalised.
func (k *Concept) Project(domains ...string) (*Concept, error) {
	idx := make([]int, 0, len(domains))
	for _, name := range domains {
		i, ok := k.s.domIdx[name]
		if !ok {
			return nil, fieldErrf("domains", ErrUnknownDomain, "%q", name)
		}
		if k.W.Domain[i] == 0 {
			return nil, fieldErrf("domains", ErrInvalidParameter, "concept is not defined on domain %q", name)
		}
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		return nil, fieldErrf("domains", ErrInvalidParameter, "project onto no domain")
	}
	return k.projectIdx(idx), nil
}

func (k *Concept) projectIdx(idx []int) *Concept {
	w := k.s.ProjectWeights(k.W, idx)
	out := &Concept{Mu: k.Mu, C: k.C, W: w, s: k.s}
	for _, c := range k.Core {
		c = c.clone()
		for d := range c.Min {
			if w.Domain[k.s.dims[d].domain] == 0 {
				c.Min[d], c.Max[d] = math.Inf(-1), math.Inf(1)
			}
		}
		out.Core = append(out.Core, c)
	}
	out.Core = simplify(out.Core)
	return out
}

// Cut splits the concept at value on dimension dim into the part below and
// the part above (nil where empty), as in Bechberger's implementation.
func (k *Concept) Cut(dim string, value float64) (lower, upper *Concept, err error) {
	d, ok := k.s.dimIdx[dim]
	if !ok {
		return nil, nil, fieldErrf("dimension", ErrUnknownDimension, "%q", dim)
	}
	var lo, up []Cuboid
	for _, c := range k.Core {
		switch {
		case value >= c.Max[d]:
			lo = append(lo, c.clone())
		case value <= c.Min[d]:
			up = append(up, c.clone())
		default:
			l, u := c.clone(), c.clone()
			l.Max[d], u.Min[d] = value, value
			lo, up = append(lo, l), append(up, u)
		}
	}
	if len(lo) > 0 {
		lower = &Concept{Core: simplify(lo), Mu: k.Mu, C: k.C, W: k.W.Clone(), s: k.s}
	}
	if len(up) > 0 {
		upper = &Concept{Core: simplify(up), Mu: k.Mu, C: k.C, W: k.W.Clone(), s: k.s}
	}
	return lower, upper, nil
}
