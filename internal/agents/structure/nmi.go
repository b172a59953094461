package structure

import "math"

// NMI is the normalised mutual information of two labelings of the same items,
// I(A;B) / sqrt(H(A) H(B)) (Strehl & Ghosh, "Cluster ensembles", JMLR 2002; the measure of
// Danon, Díaz-Guilera, Duch & Arenas, J. Stat. Mech. 2005, for comparing community structures
// uses the arithmetic mean instead, and both are 1 exactly for identical partitions). Two trivial
// partitions (one block each) have NMI 1.
func NMI(a, b []int32) float64 {
	n := len(a)
	if n == 0 || n != len(b) {
		return 0
	}
	type pair struct{ x, y int32 }
	joint := map[pair]float64{}
	pa := map[int32]float64{}
	pb := map[int32]float64{}
	for i := range a {
		joint[pair{a[i], b[i]}]++
		pa[a[i]]++
		pb[b[i]]++
	}
	fn := float64(n)
	h := func(p map[int32]float64) float64 {
		s := 0.0
		for _, c := range p {
			s -= c / fn * math.Log(c/fn)
		}
		return s
	}
	ha, hb := h(pa), h(pb)
	if ha == 0 && hb == 0 {
		return 1
	}
	if ha == 0 || hb == 0 {
		return 0
	}
	mi := 0.0
	for p, c := range joint {
		mi += c / fn * math.Log(c*fn/(pa[p.x]*pb[p.y]))
	}
	return mi / math.Sqrt(ha*hb)
}
