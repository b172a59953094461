package render

import "testing"

func TestPickFindsTheNodeUnderThePointer(t *testing.T) {
	positions := []float32{-2, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, -5}
	radii := []float32{0.3, 0.3, 0.3, 0.3}
	cam := NewCamera()
	cam.Yaw, cam.Pitch = 0, 0
	cam.Fit(BoundsOf(positions[:9]), 640.0/480)
	for i := range 3 {
		x, y, _ := cam.Project([3]float32{positions[3*i], positions[3*i+1], positions[3*i+2]}, 640, 480)
		got, ok := Pick(&cam, 640, 480, x+1, y-1, positions, radii, 1, 1.5)
		if !ok || got != i {
			t.Errorf("pointer on node %d picked %d (ok %v)", i, got, ok)
		}
	}
	// Node 3 is straight behind node 1: the nearer one wins.
	x, y, _ := cam.Project([3]float32{0, 0, 0}, 640, 480)
	if got, _ := Pick(&cam, 640, 480, x, y, positions, radii, 1, 1.5); got != 1 {
		t.Errorf("occluded pick returned %d, want the nearer node 1", got)
	}
	if _, ok := Pick(&cam, 640, 480, 5, 5, positions, radii, 1, 1.5); ok {
		t.Error("a pick in the empty corner found a node")
	}
}

func BenchmarkPick100K(b *testing.B) {
	const n = 100_000
	positions, radii := make([]float32, 3*n), make([]float32, n)
	for i := range n {
		positions[3*i], positions[3*i+1], positions[3*i+2] = float32(i%317), float32(i%211), float32(i%97)
		radii[i] = 1
	}
	cam := NewCamera()
	cam.Fit(BoundsOf(positions), 1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Pick(&cam, 1000, 1000, 500, 500, positions, radii, 1, 1.5)
	}
}
