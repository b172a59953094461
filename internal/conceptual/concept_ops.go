package conceptual

import (
	"math"
)

// muTol is the tolerance under which two candidate memberships count as
// equal when the intersection keeps only the best cuboids (Bechberger's
// implementation rounds to 10 decimals for the same purpose).
const muTol = 1e-9

// Intersect is Bechberger & Kühnberger's intersection of fuzzy concepts.
// For every pair of cuboids it finds the region of highest membership in
// both fuzzified cuboids: their crisp intersection if they overlap, else the
// set of points x maximising min(μ̃₁(x), μ̃₂(x)) between the closest points
// of the two cuboids, extruded along dimensions where the cuboids overlap.
// The cuboids reaching the highest such membership form the (repaired) core;
// μ is that membership, c = min, weights merged half-and-half. Where the
// optimum is interior and several dimensions differ it is found numerically
// (as Bechberger does) and returned as a single point, not the full cuboid
// of optima that linearly dependent weights can produce.
func (k *Concept) Intersect(o *Concept) (*Concept, error) {
	type cand struct {
		mu  float64
		cub Cuboid
	}
	var cands []cand
	best := 0.0
	for i := range k.Core {
		for j := range o.Core {
			mu, cub := intersectFuzzyCuboids(k, &k.Core[i], o, &o.Core[j])
			cands = append(cands, cand{mu, cub})
			best = math.Max(best, mu)
		}
	}
	var core []Cuboid
	for _, c := range cands {
		if c.mu >= best-muTol {
			core = append(core, c.cub)
		}
	}
	return &Concept{Core: repair(core), Mu: best, C: math.Min(k.C, o.C),
		W: k.s.MergeWeights(k.W, o.W, 0.5, 0.5), s: k.s}, nil
}

func intersectFuzzyCuboids(A *Concept, c1 *Cuboid, B *Concept, c2 *Cuboid) (float64, Cuboid) {
	if crisp, ok := c1.intersect(*c2); ok {
		return math.Min(A.Mu, B.Mu), crisp
	}
	s := A.s
	n := len(c1.Min)
	a, b := make([]float64, n), make([]float64, n)
	extrudeHi := make([]float64, n)
	extrude := make([]bool, n)
	for d := 0; d < n; d++ {
		switch {
		case c2.Max[d] < c1.Min[d]:
			a[d], b[d] = c1.Min[d], c2.Max[d]
		case c2.Min[d] > c1.Max[d]:
			a[d], b[d] = c1.Max[d], c2.Min[d]
		default:
			lo, hi := math.Max(c1.Min[d], c2.Min[d]), math.Min(c1.Max[d], c2.Max[d])
			a[d], b[d] = lo, lo
			extrude[d] = lo != hi
			extrudeHi[d] = hi
		}
	}
	var mu float64
	var pmin, pmax []float64
	switch {
	case A.Mu*math.Exp(-A.C*s.DistanceW(&A.W, a, b)) >= B.Mu:
		mu = B.Mu
		pmin, pmax = muSpecialCase(A, a, c2, b, mu)
	case B.Mu*math.Exp(-B.C*s.DistanceW(&B.W, b, a)) >= A.Mu:
		mu = A.Mu
		pmin, pmax = muSpecialCase(B, b, c1, a, mu)
	default:
		var x []float64
		mu, x = bestMeetingPoint(A, a, B, b)
		pmin, pmax = x, append([]float64(nil), x...)
	}
	for d := 0; d < n; d++ {
		if extrude[d] {
			pmax[d] = extrudeHi[d]
		}
	}
	return mu, Cuboid{Min: pmin, Max: pmax}
}

// muSpecialCase handles a pair where the fuzzified cuboid of P reaches
// membership ≥ mu (the other concept's maximum) already at the other
// cuboid: the intersection is the part of cub within P's mu-cut, found per
// dimension in closed form by moving b away from a until d_P(a, y) equals
// r = −ln(mu/μ_P)/c_P.
func muSpecialCase(P *Concept, a []float64, cub *Cuboid, b []float64, mu float64) ([]float64, []float64) {
	s := P.s
	r := -math.Log(mu/P.Mu) / P.C
	n := len(a)
	pmin, pmax := make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		y := a[i]
		if a[i] != b[i] {
			di := s.dims[i].domain
			wd, wi := P.W.Domain[di], P.W.Dimension[i]
			if wd == 0 || wi == 0 {
				y = math.Copysign(math.Inf(1), b[i]-a[i])
			} else {
				var rest float64
				for dj := range s.domains {
					if dj == di || P.W.Domain[dj] == 0 {
						continue
					}
					dd, _ := s.domainDist(&P.W, dj, a, b)
					rest += P.W.Domain[dj] * dd
				}
				var srest float64
				dom := s.domains[di]
				for kk := dom.start; kk < dom.end; kk++ {
					if kk != i {
						g := a[kk] - b[kk]
						srest += P.W.Dimension[kk] * g * g
					}
				}
				q := (r - rest) / wd
				t2 := (q*q - srest) / wi
				t := math.Sqrt(math.Max(t2, 0))
				y = a[i] + math.Copysign(t, b[i]-a[i])
			}
		}
		pmin[i] = math.Max(math.Min(b[i], y), cub.Min[i])
		pmax[i] = math.Min(math.Max(b[i], y), cub.Max[i])
	}
	return pmin, pmax
}

// bestMeetingPoint maximises min(μ_A e^{−c_A d_A(a,x)}, μ_B e^{−c_B d_B(x,b)})
// over the box spanned by a and b. Both terms are log-concave in x, so the
// problem min_x max(g_A, g_B) with g = c·d − ln μ is convex; it starts from
// the point on segment ab where the two memberships are equal (bisection),
// which is optimal whenever a single dimension differs, and refines it with
// Nelder–Mead over the differing dimensions.
func bestMeetingPoint(A *Concept, a []float64, B *Concept, b []float64) (float64, []float64) {
	s := A.s
	n := len(a)
	x := make([]float64, n)
	g := func(x []float64) float64 {
		return math.Max(A.C*s.DistanceW(&A.W, a, x)-math.Log(A.Mu), B.C*s.DistanceW(&B.W, x, b)-math.Log(B.Mu))
	}
	at := func(t float64) {
		for d := range x {
			x[d] = a[d] + t*(b[d]-a[d])
			if a[d] == b[d] {
				x[d] = a[d]
			}
		}
	}
	lo, hi := 0.0, 1.0
	for it := 0; it < 100; it++ {
		m := 0.5 * (lo + hi)
		at(m)
		ga := A.C*s.DistanceW(&A.W, a, x) - math.Log(A.Mu)
		gb := B.C*s.DistanceW(&B.W, x, b) - math.Log(B.Mu)
		if ga < gb {
			lo = m
		} else {
			hi = m
		}
	}
	at(0.5 * (lo + hi))
	var free []int
	for d := range a {
		if a[d] != b[d] {
			free = append(free, d)
		}
	}
	best := g(x)
	if len(free) > 1 {
		y := make([]float64, n)
		// Clamping into the box plus a penalty for the distance outside it
		// keeps the simplex from drifting over the flat clamped region.
		f := func(z []float64) float64 {
			copy(y, x)
			var out float64
			for i, d := range free {
				lo, hi := math.Min(a[d], b[d]), math.Max(a[d], b[d])
				y[d] = math.Max(lo, math.Min(hi, z[i]))
				out += math.Abs(z[i] - y[d])
			}
			return g(y) + out
		}
		z0 := make([]float64, len(free))
		var span float64
		for i, d := range free {
			z0[i] = x[d]
			span = math.Max(span, math.Abs(b[d]-a[d]))
		}
		z, fz := nelderMead(f, z0, span/4, 1e-13, 4000)
		if fz < best {
			best = fz
			for i, d := range free {
				lo, hi := math.Min(a[d], b[d]), math.Max(a[d], b[d])
				x[d] = math.Max(lo, math.Min(hi, z[i]))
			}
		}
	}
	return math.Exp(-best), x
}

// Size is the hypervolume ∫ μ̃(x) dx over the concept's domains, computed in
// closed form per fuzzified cuboid (Bechberger & Kühnberger 2017, "Measuring
// relations between concepts in conceptual spaces", Prop. 4) and combined
// over the core by inclusion–exclusion. Circular and categorical dimensions
// are treated as linear here.
func (k *Concept) Size() float64 {
	var total float64
	m := len(k.Core)
	for mask := 1; mask < 1<<m; mask++ {
		var inter Cuboid
		bits := 0
		first := true
		for i := 0; i < m; i++ {
			if mask&(1<<i) == 0 {
				continue
			}
			bits++
			if first {
				inter, first = k.Core[i], false
				continue
			}
			inter, _ = inter.intersect(k.Core[i]) // star-shaped: never empty
		}
		v := k.cuboidVolume(&inter)
		if bits%2 == 1 {
			total += v
		} else {
			total -= v
		}
	}
	return total
}

// cuboidVolume integrates μ e^{−c d(x, C)} for one cuboid C: summing over
// the subsets S of dimensions that lie "outside" C, each term is the product
// of the side lengths not in S times, per domain δ, the volume of the
// weighted unit ball in |S∩δ| dimensions integrated against the exponential.
func (k *Concept) cuboidVolume(c *Cuboid) float64 {
	s := k.s
	var dims []int
	for d := range s.dims {
		if k.W.Domain[s.dims[d].domain] > 0 {
			dims = append(dims, d)
		}
	}
	n := len(dims)
	scale := make([]float64, n) // W_δ·sqrt(w_d)
	prod := 1.0
	for i, d := range dims {
		scale[i] = k.W.Domain[s.dims[d].domain] * math.Sqrt(k.W.Dimension[d])
		prod *= scale[i]
	}
	factor := k.Mu / (math.Pow(k.C, float64(n)) * prod)
	perDomain := make([]int, len(s.domains))
	var sum float64
	for mask := 0; mask < 1<<n; mask++ {
		first := 1.0
		for i := range perDomain {
			perDomain[i] = 0
		}
		for i, d := range dims {
			if mask&(1<<i) == 0 {
				first *= scale[i] * (c.Max[d] - c.Min[d]) * k.C
			} else {
				perDomain[s.dims[d].domain]++
			}
		}
		second := 1.0
		for _, nd := range perDomain {
			if nd > 0 {
				f := float64(nd)
				second *= math.Gamma(f+1) * math.Pow(math.Pi, f/2) / math.Gamma(f/2+1)
			}
		}
		sum += first * second
	}
	return factor * sum
}

func commonDomains(a, b *Concept) []int {
	var out []int
	for i := range a.W.Domain {
		if a.W.Domain[i] > 0 && b.W.Domain[i] > 0 {
			out = append(out, i)
		}
	}
	return out
}

// Subsethood is the degree to which k is a subset of o (Bechberger &
// Kühnberger 2017, "Measuring relations…", Def. 8): both are projected onto
// their common domains, and the result is size(k ∩ o)/size(k) with both
// sizes measured under o's sensitivity and weights. No common domain gives 0.
func (k *Concept) Subsethood(o *Concept) (float64, error) {
	common := commonDomains(k, o)
	if len(common) == 0 {
		return 0, nil
	}
	pk, po := k.projectIdx(common), o.projectIdx(common)
	inter, err := pk.Intersect(po)
	if err != nil {
		return 0, err
	}
	inter.C, inter.W = po.C, po.W.Clone()
	pk.C, pk.W = po.C, po.W.Clone()
	return inter.Size() / pk.Size(), nil
}

// Implies is the degree to which k implies o; it equals Subsethood.
func (k *Concept) Implies(o *Concept) (float64, error) { return k.Subsethood(o) }

// Similarity is the Jaccard index size(k ∩ o) / size(k ∪ o) over the common
// domains (Bechberger & Kühnberger 2017, "Measuring relations…"); no common
// domain gives 0.
func (k *Concept) Similarity(o *Concept) (float64, error) {
	common := commonDomains(k, o)
	if len(common) == 0 {
		return 0, nil
	}
	pk, po := k.projectIdx(common), o.projectIdx(common)
	inter, err := pk.Intersect(po)
	if err != nil {
		return 0, err
	}
	union, err := pk.Union(po)
	if err != nil {
		return 0, err
	}
	return inter.Size() / union.Size(), nil
}
