package timeline

import "testing"

// TestScheduleBudgetAndWorst: under any budget the checkpoints fit it (down to base and newest), the
// base stays, and worst() finds the position a brute-force scan over every position rates dearest.
func TestScheduleBudgetAndWorst(t *testing.T) {
	evs := genHistory(21, smallSpec)
	for _, budget := range []int64{-1, 3_000_000, 1_200_000, 400_000, 1} {
		h := build(t, evs, Options{EveryEvents: 25, EveryBytes: 1 << 40, Budget: budget})
		st := h.Stats()
		if budget > 0 && st.CheckpointBytes > budget && st.Checkpoints > 2 {
			t.Fatalf("budget %d: %d bytes in %d checkpoints", budget, st.CheckpointBytes, st.Checkpoints)
		}
		if h.cps[0].idx != 0 || h.cps[0].version != h.First() {
			t.Fatalf("budget %d: base checkpoint dropped", budget)
		}
		var want float64
		for n := 0; n <= h.Len(); n++ {
			want = max(want, h.restoreCost(h.checkpointFor(n), n))
		}
		n, got := h.worst()
		if got != want || h.restoreCost(h.checkpointFor(n), n) != got {
			t.Fatalf("budget %d: worst() = %d, %.0f ns; brute force %.0f ns", budget, n, got, want)
		}
		t.Logf("budget %d: %d checkpoints, %d thinned, %d bytes, worst %.2f ms (model)", budget, st.Checkpoints, st.Thinned, st.CheckpointBytes, got/1e6)
	}
}
