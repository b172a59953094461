package game

// PureNash returns every pure-strategy Nash equilibrium (profiles where no
// player can strictly gain by deviating), in flat-index order.
//
// Rather than testing every deviation of every profile (O(|S|·Σmᵢ)), it
// sweeps each player's lines — the profiles that differ only in that
// player's strategy — once, keeping the profiles that attain the line's
// maximum: O(|S|·n) comparisons and one bit set of scratch.
func (g *Game) PureNash() [][]int {
	ok := g.pureNashMask()
	var out [][]int
	for idx, b := range ok {
		if b {
			out = append(out, g.Profile(idx, nil))
		}
	}
	return out
}

func (g *Game) pureNashMask() []bool {
	ok := make([]bool, g.profiles)
	for i := range ok {
		ok[i] = true
	}
	for i, m := range g.shape {
		st := g.stride[i]
		for base := 0; base < g.profiles; base++ {
			if g.strategyAt(base, i) != 0 {
				continue
			}
			best := base
			for s := 1; s < m; s++ {
				if g.cmp(base+s*st, best, i) > 0 {
					best = base + s*st
				}
			}
			for s := 0; s < m; s++ {
				if p := base + s*st; ok[p] && g.cmp(p, best, i) < 0 {
					ok[p] = false
				}
			}
		}
	}
	return ok
}
