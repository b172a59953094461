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

// The projector agrees with Camera.Project, and a pixel's ray at depth d projects back to the pixel at
// depth d.
func TestProjectorAgreesWithCamera(t *testing.T) {
	cam := NewCamera()
	cam.Target, cam.Distance, cam.Yaw, cam.Pitch = [3]float32{1, -2, 0.5}, 14, 0.9, -0.4
	p := NewProjector(&cam, 800, 600)
	for i := range 50 {
		pt := [3]float32{float32(i%7) - 3, float32(i%5) - 2, float32(i%3) - 1}
		wx, wy, wok := cam.Project(pt, 800, 600)
		sx, sy, _, ok := p.Project(pt[0], pt[1], pt[2])
		if ok != wok || abs32(sx-wx) > 1e-2 || abs32(sy-wy) > 1e-2 {
			t.Fatalf("point %v: projector (%v,%v,%v), camera (%v,%v,%v)", pt, sx, sy, ok, wx, wy, wok)
		}
	}
	for _, px := range [][2]float32{{0, 0}, {800, 600}, {123, 456}, {400, 300}} {
		o, d := cam.Ray(px[0], px[1], 800, 600)
		for _, depth := range []float32{0.5, 3, 40} {
			q := o.Add(d.Mul(depth))
			sx, sy, z, ok := p.Project(q[0], q[1], q[2])
			if !ok || abs32(sx-px[0]) > 1e-2 || abs32(sy-px[1]) > 1e-2 || abs32(z-depth)/depth > 1e-4 {
				t.Fatalf("ray of %v at depth %v projects to (%v,%v) depth %v", px, depth, sx, sy, z)
			}
		}
	}
}

// InRect selects exactly the nodes whose projected centres the brute-force test puts inside.
func TestInRectMatchesBruteForce(t *testing.T) {
	positions := make([]float32, 3*1000)
	for i := range positions {
		positions[i] = float32((i*7919)%2000)/100 - 10
	}
	cam := NewCamera()
	cam.Fit(BoundsOf(positions), 640.0/480)
	p := NewProjector(&cam, 640, 480)
	r := Rect{500, 400, 100, 120}
	got := p.InRect(r, positions, nil)
	var want []int32
	for i := range 1000 {
		x, y, ok := cam.Project([3]float32{positions[3*i], positions[3*i+1], positions[3*i+2]}, 640, 480)
		if ok && x >= 100 && x <= 500 && y >= 120 && y <= 400 {
			want = append(want, int32(i))
		}
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("InRect found %d nodes, brute force %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("InRect %v, brute force %v", got, want)
		}
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

func BenchmarkInRect100K(b *testing.B) {
	const n = 100_000
	positions := make([]float32, 3*n)
	for i := range n {
		positions[3*i], positions[3*i+1], positions[3*i+2] = float32(i%317), float32(i%211), float32(i%97)
	}
	cam := NewCamera()
	cam.Fit(BoundsOf(positions), 1)
	p := NewProjector(&cam, 1000, 1000)
	dst := make([]int32, 0, n)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst = p.InRect(Rect{300, 300, 700, 700}, positions, dst[:0])
	}
	b.ReportMetric(float64(len(dst)), "selected")
}
