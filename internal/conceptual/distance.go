package conceptual

import "math"

// coordDiff is the per-dimension difference |x_k − y_k| under the kind's
// scale: the shorter arc on a circular dimension, 0/1 on a categorical one.
func coordDiff(kind Kind, period, a, b float64) float64 {
	d := math.Abs(a - b)
	switch kind {
	case Circular:
		d = math.Mod(d, period)
		if period-d < d {
			d = period - d
		}
	case Categorical:
		if d != 0 {
			d = 1
		}
	}
	return d
}

// Distance is d(x,y) = Σ_D W_D · sqrt(Σ_{k∈D} w_k (x_k − y_k)²) with the
// space's current weights: Euclidean inside a domain, Manhattan across
// domains (Gärdenfors 2000; Bechberger & Kühnberger 2017). A NaN coordinate
// marks a missing value: a domain with a missing value in either point is
// skipped and the remaining domain weights are scaled up so they keep their
// total. If no domain is present in both points the result is NaN.
// It does not allocate.
func (s *Space) Distance(x, y []float64) float64 { return s.DistanceW(&s.w, x, y) }

// DistanceW is Distance under explicit weights (a concept's or a context's).
// Domains whose weight is 0 do not take part.
func (s *Space) DistanceW(w *Weights, x, y []float64) float64 {
	_ = x[len(s.kind)-1]
	_ = y[len(s.kind)-1]
	var total, all, present float64
	for di := range s.domains {
		wd := w.Domain[di]
		if wd == 0 {
			continue
		}
		all += wd
		d, ok := s.domainDist(w, di, x, y)
		if !ok {
			continue
		}
		present += wd
		total += wd * d
	}
	if present == all {
		return total
	}
	if present == 0 {
		return math.NaN()
	}
	return total * all / present
}

// domainDist is d_D(x,y) = sqrt(Σ_{k∈D} w_k (x_k − y_k)²); ok is false when a
// coordinate of the domain is missing (NaN).
func (s *Space) domainDist(w *Weights, di int, x, y []float64) (float64, bool) {
	d := s.domains[di]
	var sum float64
	for k := d.start; k < d.end; k++ {
		a, b := x[k], y[k]
		if a != a || b != b { // NaN: missing value
			return 0, false
		}
		var diff float64
		if s.kind[k] == Continuous || s.kind[k] == Ordinal {
			diff = a - b
		} else {
			diff = coordDiff(s.kind[k], s.period[k], a, b)
		}
		sum += w.Dimension[k] * diff * diff
	}
	return math.Sqrt(sum), true
}

// DomainDistance returns d_D(x,y) for domain i under the space's weights and
// whether both points have all of that domain's coordinates.
func (s *Space) DomainDistance(i int, x, y []float64) (float64, bool) {
	return s.domainDist(&s.w, i, x, y)
}

// DomainDistances writes d_D(x,y) of every domain into dst (NaN where a value
// is missing) and returns dst; it allocates only if dst is too short.
func (s *Space) DomainDistances(x, y, dst []float64) []float64 {
	if cap(dst) < len(s.domains) {
		dst = make([]float64, len(s.domains))
	}
	dst = dst[:len(s.domains)]
	for i := range s.domains {
		d, ok := s.domainDist(&s.w, i, x, y)
		if !ok {
			d = math.NaN()
		}
		dst[i] = d
	}
	return dst
}

// Similarity is sim(x,y) = exp(−c · d(x,y)) (Shepard 1987), c > 0 the
// sensitivity. It is NaN where Distance is.
func (s *Space) Similarity(x, y []float64, c float64) float64 {
	return math.Exp(-c * s.Distance(x, y))
}

// AxisBound is a lower bound on Distance(q, y) over all complete points y
// whose coordinate k lies on the other side of split from q[k] (y[k] ≥ split
// when q[k] < split, y[k] ≤ split otherwise). Spatial trees use it to prune
// branches while searching under the conceptual metric: for any y,
// d(q,y) ≥ W_D·sqrt(w_k)·|q_k − y_k|.
func (s *Space) AxisBound(q []float64, k int, split float64) float64 {
	wd := s.w.Domain[s.dims[k].domain]
	scale := wd * math.Sqrt(s.w.Dimension[k])
	gap := math.Abs(q[k] - split)
	switch s.kind[k] {
	case Circular:
		// The far side runs from split to the end of the range, which wraps
		// onto the start: the arc may be shorter that way round.
		di := s.dims[k]
		if q[k] < split {
			gap = math.Min(gap, q[k]-di.lo)
		} else {
			gap = math.Min(gap, di.hi-q[k])
		}
		if gap < 0 {
			gap = 0
		}
	case Categorical:
		if gap > 0 {
			gap = 1
		}
	}
	return scale * gap
}

// Betweenness returns the soft betweenness of y between x and z,
// d(x,z) / (d(x,y) + d(y,z)) ∈ [0,1], which is 1 exactly when y lies on a
// shortest path from x to z (Bechberger & Kühnberger 2017, "betweenness").
// Coincident x = y = z gives 1.
func (s *Space) Betweenness(x, y, z []float64) float64 {
	den := s.Distance(x, y) + s.Distance(y, z)
	if den == 0 {
		return 1
	}
	return s.Distance(x, z) / den
}

// Between reports crisp betweenness: d(x,y) + d(y,z) ≤ d(x,z) + tol.
func (s *Space) Between(x, y, z []float64, tol float64) bool {
	return s.Distance(x, y)+s.Distance(y, z) <= s.Distance(x, z)+tol
}

// BoxDistance is the distance from q to the nearest point of the box
// [lo, hi] under the space's weights; spatial indices use it as an exact
// pruning bound. It does not allocate.
func (s *Space) BoxDistance(q, lo, hi []float64) float64 {
	c := Cuboid{Min: lo, Max: hi}
	return s.cuboidDistance(&s.w, &c, q)
}
