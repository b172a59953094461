package game

import "sort"

// ParetoOptimal returns the pure profiles whose payoff vectors no other
// profile Pareto-dominates (≥ for every player, > for one), in index order.
func (g *Game) ParetoOptimal() [][]int {
	front, _ := g.paretoSets()
	return g.profilesOf(front)
}

// WeaklyParetoOptimal returns the profiles that no other profile improves
// strictly for every player.
func (g *Game) WeaklyParetoOptimal() [][]int {
	_, weak := g.paretoSets()
	return g.profilesOf(weak)
}

func (g *Game) profilesOf(idx []int) [][]int {
	out := make([][]int, len(idx))
	for k, i := range idx {
		out[k] = g.Profile(i, nil)
	}
	return out
}

// paretoSets computes both sets with a sort-filter skyline (Börzsönyi,
// Kossmann & Stocker 2001): after sorting profiles lexicographically by
// payoff vector, descending, a dominator always precedes what it dominates,
// so each profile is tested only against the Pareto front found so far. A
// profile strictly improved on by some profile is strictly improved on by a
// front member (the front member dominating that improver), so the weak test
// also needs the front only.
func (g *Game) paretoSets() (front, weak []int) {
	n := len(g.shape)
	order := make([]int, g.profiles)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		for i := 0; i < n; i++ {
			if c := g.cmp(order[a], order[b], i); c != 0 {
				return c > 0
			}
		}
		return false
	})
	for _, p := range order {
		dominated, strictly := false, false
		for _, f := range front {
			ge, gt, allGt := true, false, true
			for i := 0; i < n; i++ {
				switch g.cmp(f, p, i) {
				case -1:
					ge, allGt = false, false
				case 0:
					allGt = false
				case 1:
					gt = true
				}
			}
			if ge && gt {
				dominated = true
			}
			if allGt {
				strictly = true
				break
			}
		}
		if !dominated {
			front = append(front, p)
		}
		if !strictly {
			weak = append(weak, p)
		}
	}
	sort.Ints(front)
	sort.Ints(weak)
	return front, weak
}
