package game

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
)

// MaxExactShapley is the largest n for the exact Shapley value (2ⁿ coalitions).
const MaxExactShapley = 20

// Shapley computes the exact Shapley value (Shapley 1953),
//
//	φᵢ = Σ_{S∌i} |S|!(n−|S|−1)!/n! · (v(S∪i) − v(S)),
//
// regrouped by coalition size so one pass over the 2ⁿ coalitions suffices:
// with Aᵢ[k] = Σ_{S∋i,|S|=k} v(S) and T[k] = Σ_{|S|=k} v(S),
// φᵢ = Σ_k Aᵢ[k]/(k·C(n,k)) − Σ_k (T[k]−Aᵢ[k])/((n−k)·C(n,k)).
// The sums run on integers: in int64 when the values are integers small
// enough that no sum can overflow, otherwise in big.Int on the values scaled
// by their common denominator.
func Shapley(g TU) ([]*big.Rat, error) {
	n := g.Players()
	if n < 1 || n > MaxExactShapley {
		return nil, fmt.Errorf("%w: exact Shapley value needs 1 ≤ n ≤ %d players, got %d (use sampling)", ErrTooLarge, MaxExactShapley, n)
	}
	size := 1 << uint(n)
	acc := make([]big.Int, n*(n+1)) // Aᵢ[k] at acc[i*(n+1)+k]
	tot := make([]big.Int, n+1)
	scale := big.NewInt(1)
	if !shapleyInt64(g, n, acc, tot) {
		scale = shapleyBig(g, n, size, acc, tot)
	}
	phi := newRats(n)
	var binom, den big.Int
	var term, num big.Rat
	for i := 0; i < n; i++ {
		for k := 0; k <= n; k++ {
			binom.Binomial(int64(n), int64(k))
			a := &acc[i*(n+1)+k]
			if k >= 1 && a.Sign() != 0 {
				den.Mul(&binom, big.NewInt(int64(k)))
				term.SetFrac(a, &den)
				phi[i].Add(phi[i], &term)
			}
			if k <= n-1 {
				var b big.Int
				b.Sub(&tot[k], a)
				if b.Sign() != 0 {
					den.Mul(&binom, big.NewInt(int64(n-k)))
					term.SetFrac(&b, &den)
					phi[i].Sub(phi[i], &term)
				}
			}
		}
		num.SetInt(scale)
		phi[i].Quo(phi[i], &num)
	}
	return phi, nil
}

// shapleyInt64 is the fast path for integer games whose sums provably fit
// in int64 (|v| < 2^(62−n)): one pass, no allocation per coalition. It
// reports false, leaving acc and tot untouched, when the game does not fit.
func shapleyInt64(g TU, n int, acc, tot []big.Int) bool {
	size := 1 << uint(n)
	vals := make([]int64, size)
	limit := int64(1) << uint(62-n)
	var v big.Rat
	for s := 1; s < size; s++ {
		g.Value(&v, Coalition(s))
		if !v.IsInt() || !v.Num().IsInt64() {
			return false
		}
		x := v.Num().Int64()
		if x >= limit || x <= -limit {
			return false
		}
		vals[s] = x
	}
	ai := make([]int64, n*(n+1))
	ti := make([]int64, n+1)
	for s := 1; s < size; s++ {
		x := vals[s]
		if x == 0 {
			continue
		}
		k := bits.OnesCount64(uint64(s))
		ti[k] += x
		for m := uint64(s); m != 0; m &= m - 1 {
			ai[bits.TrailingZeros64(m)*(n+1)+k] += x
		}
	}
	for i := range ai {
		acc[i].SetInt64(ai[i])
	}
	for k := range ti {
		tot[k].SetInt64(ti[k])
	}
	return true
}

// shapleyBig accumulates exactly in big.Int after scaling every value by the
// common denominator, which it returns.
func shapleyBig(g TU, n, size int, acc, tot []big.Int) *big.Int {
	vals := newRats(size)
	for s := 1; s < size; s++ {
		g.Value(vals[s], Coalition(s))
	}
	scale := lcmDenominators(vals)
	var q, num big.Int
	for s := 1; s < size; s++ {
		q.Quo(scale, vals[s].Denom())
		num.Mul(vals[s].Num(), &q)
		if num.Sign() == 0 {
			continue
		}
		k := bits.OnesCount64(uint64(s))
		tot[k].Add(&tot[k], &num)
		for x := uint64(s); x != 0; x &= x - 1 {
			a := &acc[bits.TrailingZeros64(x)*(n+1)+k]
			a.Add(a, &num)
		}
	}
	return scale
}

// FloatValuer is an optional fast path for sampling: v(S) as float64.
type FloatValuer interface {
	ValueFloat(s Coalition) float64
}

// ShapleyEstimate is a Monte Carlo Shapley value with a confidence interval
// of half-width HalfWidth[i] around Mean[i] at level Confidence.
type ShapleyEstimate struct {
	Mean       []float64
	HalfWidth  []float64
	StdErr     []float64
	Samples    int
	Confidence float64
}

// ShapleySample estimates the Shapley value by sampling random player orders
// (Castro, Gómez & Tejada 2009): each order gives every player one marginal
// contribution, an unbiased draw of φᵢ; the interval is the normal one,
// mean ± z·s/√m, with z for the requested two-sided confidence (e.g. 0.95).
// rng is the caller's, so results are reproducible from a seed.
func ShapleySample(g TU, samples int, confidence float64, rng *rand.Rand) (*ShapleyEstimate, error) {
	n := g.Players()
	if n < 1 || n > MaxTUPlayers {
		return nil, fmt.Errorf("%w: sampling needs 1 ≤ n ≤ %d players, got %d", ErrTooLarge, MaxTUPlayers, n)
	}
	if samples < 2 {
		return nil, fmt.Errorf("%w: need at least 2 samples, got %d", ErrInvalidGame, samples)
	}
	if !(confidence > 0 && confidence < 1) {
		return nil, fmt.Errorf("%w: confidence must lie in (0,1), got %v", ErrInvalidGame, confidence)
	}
	fv, fast := g.(FloatValuer)
	var r big.Rat
	value := func(s Coalition) float64 {
		if fast {
			return fv.ValueFloat(s)
		}
		return ratFloat(g.Value(&r, s))
	}
	mean := make([]float64, n)
	m2 := make([]float64, n)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	for t := 1; t <= samples; t++ {
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		var s Coalition
		prev := 0.0
		for _, p := range perm {
			s |= 1 << uint(p)
			cur := value(s)
			x := cur - prev
			prev = cur
			// Welford's update keeps the variance numerically stable.
			d := x - mean[p]
			mean[p] += d / float64(t)
			m2[p] += d * (x - mean[p])
		}
	}
	z := normalQuantile(0.5 + confidence/2)
	est := &ShapleyEstimate{Mean: mean, HalfWidth: make([]float64, n), StdErr: make([]float64, n), Samples: samples, Confidence: confidence}
	for i := range mean {
		se := math.Sqrt(m2[i]/float64(samples-1)) / math.Sqrt(float64(samples))
		est.StdErr[i] = se
		est.HalfWidth[i] = z * se
	}
	return est, nil
}

// normalQuantile inverts the standard normal CDF by bisection on math.Erf,
// plenty for confidence levels.
func normalQuantile(p float64) float64 {
	lo, hi := -40.0, 40.0
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if 0.5*(1+math.Erf(mid/math.Sqrt2)) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
