package render

import (
	"math"

	"github.com/go-gl/mathgl/mgl32"
)

// Pick returns the node under window pixel (x, y) of a w×h viewport: among the nodes whose projected
// sphere (at least minPixelRadius, as the shader draws it) covers the pixel, the one nearest the
// camera. It walks every node once, which at 100K nodes is a millisecond or two: fine for a click,
// and box selection over an R-tree is the tool for regions.
func Pick(cam *Camera, w, h int, x, y float32, positions, radii []float32, radiusScale, minPixelRadius float32) (int, bool) {
	if w <= 0 || h <= 0 {
		return -1, false
	}
	aspect := float32(w) / float32(h)
	view := cam.View()
	proj := cam.Projection(aspect)
	// Pixels per world unit at eye depth 1: the projection's y scale times half the viewport height.
	pixelsAtUnitDepth := proj[5] * float32(h) / 2
	best, bestDepth := -1, float32(math.Inf(1))
	n := min(len(positions)/3, len(radii))
	for i := range n {
		p := mgl32.Vec4{positions[3*i], positions[3*i+1], positions[3*i+2], 1}
		eye := view.Mul4x1(p)
		depth := -eye[2]
		if depth <= 0 {
			continue
		}
		clip := proj.Mul4x1(eye)
		sx := (clip[0]/clip[3] + 1) / 2 * float32(w)
		sy := (1 - clip[1]/clip[3]) / 2 * float32(h)
		r := max(radii[i]*radiusScale*pixelsAtUnitDepth/depth, minPixelRadius)
		dx, dy := sx-x, sy-y
		if dx*dx+dy*dy <= r*r && depth < bestDepth {
			best, bestDepth = i, depth
		}
	}
	return best, best >= 0
}
