package conceptual

import "sort"

// nelderMead minimises f from x0 with the downhill simplex method (Nelder &
// Mead 1965) using the standard coefficients, restarting the simplex around
// the best point until a restart no longer improves it. It is small,
// deterministic and goroutine-free (gonum's optimize runs worker goroutines,
// which a pure package avoids). f must treat its argument as read-only.
func nelderMead(f func([]float64) float64, x0 []float64, step, tol float64, maxEval int) ([]float64, float64) {
	n := len(x0)
	best := append([]float64(nil), x0...)
	fbest := f(best)
	evals := 1
	for restart := 0; restart < 4 && evals < maxEval; restart++ {
		simplex := make([][]float64, n+1)
		vals := make([]float64, n+1)
		simplex[0] = append([]float64(nil), best...)
		vals[0] = fbest
		for i := 0; i < n; i++ {
			v := append([]float64(nil), best...)
			v[i] += step
			simplex[i+1] = v
			vals[i+1] = f(v)
			evals++
		}
		idx := make([]int, n+1)
		cen := make([]float64, n)
		xr := make([]float64, n)
		xe := make([]float64, n)
		xc := make([]float64, n)
		for evals < maxEval {
			for i := range idx {
				idx[i] = i
			}
			sort.Slice(idx, func(a, b int) bool { return vals[idx[a]] < vals[idx[b]] })
			lo, hi, nh := idx[0], idx[n], idx[n-1]
			if vals[hi]-vals[lo] <= tol {
				break
			}
			for k := range cen {
				cen[k] = 0
			}
			for _, i := range idx[:n] {
				for k := range cen {
					cen[k] += simplex[i][k] / float64(n)
				}
			}
			for k := range xr {
				xr[k] = cen[k] + (cen[k] - simplex[hi][k])
			}
			fr := f(xr)
			evals++
			switch {
			case fr < vals[lo]:
				for k := range xe {
					xe[k] = cen[k] + 2*(xr[k]-cen[k])
				}
				fe := f(xe)
				evals++
				if fe < fr {
					copy(simplex[hi], xe)
					vals[hi] = fe
				} else {
					copy(simplex[hi], xr)
					vals[hi] = fr
				}
			case fr < vals[nh]:
				copy(simplex[hi], xr)
				vals[hi] = fr
			default:
				for k := range xc {
					xc[k] = cen[k] + 0.5*(simplex[hi][k]-cen[k])
				}
				fc := f(xc)
				evals++
				if fc < vals[hi] {
					copy(simplex[hi], xc)
					vals[hi] = fc
				} else {
					for _, i := range idx[1:] {
						for k := range simplex[i] {
							simplex[i][k] = simplex[lo][k] + 0.5*(simplex[i][k]-simplex[lo][k])
						}
						vals[i] = f(simplex[i])
						evals++
					}
				}
			}
		}
		bi := 0
		for i := range vals {
			if vals[i] < vals[bi] {
				bi = i
			}
		}
		if !(vals[bi] < fbest-tol) {
			if vals[bi] < fbest {
				copy(best, simplex[bi])
				fbest = vals[bi]
			}
			break
		}
		copy(best, simplex[bi])
		fbest = vals[bi]
		step /= 2
	}
	return best, fbest
}
