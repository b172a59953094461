// Package render holds everything about drawing that needs no OpenGL: the camera, the scene's flat
// buffers, the overlay draw lists and picking math. internal/render/gl turns these into GL calls.
package render

import (
	"math"

	"github.com/go-gl/mathgl/mgl32"
)

// Camera orbits a target point: yaw and pitch turn around it, distance zooms, the target pans.
type Camera struct {
	Target   mgl32.Vec3
	Distance float32
	Yaw      float32 // radians around +Y
	Pitch    float32 // radians above the XZ plane, kept inside ±89°
	FovY     float32 // radians
}

// NewCamera looks at the origin from a slight elevation.
func NewCamera() Camera {
	return Camera{Distance: 10, Yaw: 0.6, Pitch: 0.35, FovY: mgl32.DegToRad(45)}
}

const maxPitch = 89 * math.Pi / 180

// Orbit turns the camera by angles in radians.
func (c *Camera) Orbit(dYaw, dPitch float32) {
	c.Yaw += dYaw
	c.Pitch = mgl32.Clamp(c.Pitch+dPitch, -maxPitch, maxPitch)
}

// Zoom multiplies the distance; factor < 1 moves closer.
func (c *Camera) Zoom(factor float32) {
	c.Distance = mgl32.Clamp(c.Distance*factor, 1e-3, 1e7)
}

// Pan moves the target in the view plane by fractions of the visible height.
func (c *Camera) Pan(dx, dy float32) {
	right, up := c.basis()
	visible := 2 * c.Distance * float32(math.Tan(float64(c.FovY/2)))
	c.Target = c.Target.Add(right.Mul(-dx * visible)).Add(up.Mul(dy * visible))
}

// Eye is the camera position in world space.
func (c *Camera) Eye() mgl32.Vec3 {
	cp, sp := float32(math.Cos(float64(c.Pitch))), float32(math.Sin(float64(c.Pitch)))
	cy, sy := float32(math.Cos(float64(c.Yaw))), float32(math.Sin(float64(c.Yaw)))
	return c.Target.Add(mgl32.Vec3{cp * sy, sp, cp * cy}.Mul(c.Distance))
}

func (c *Camera) basis() (right, up mgl32.Vec3) {
	forward := c.Target.Sub(c.Eye()).Normalize()
	right = forward.Cross(mgl32.Vec3{0, 1, 0}).Normalize()
	up = right.Cross(forward)
	return right, up
}

// View is the world → eye matrix.
func (c *Camera) View() mgl32.Mat4 {
	return mgl32.LookAtV(c.Eye(), c.Target, mgl32.Vec3{0, 1, 0})
}

// Projection is the eye → clip matrix; near and far follow the distance so depth precision holds at
// every zoom level.
func (c *Camera) Projection(aspect float32) mgl32.Mat4 {
	near := max(c.Distance*1e-3, 1e-4)
	far := c.Distance * 1e3
	return mgl32.Perspective(c.FovY, aspect, near, far)
}

// Fit centres the box and moves back until its bounding sphere fills the view.
func (c *Camera) Fit(b Bounds, aspect float32) {
	if b.Empty() {
		return
	}
	c.fitSphere(b.Center(), b.Max.Sub(b.Min).Len()/2, aspect)
}

// FitPoints frames xyz triples tightly: the sphere around the box centre that holds every point,
// which for round clouds is far smaller than the box's own bounding sphere.
func (c *Camera) FitPoints(xyz []float32, aspect float32) {
	b := BoundsOf(xyz)
	if b.Empty() {
		return
	}
	center := b.Center()
	var r2 float32
	for i := 0; i+2 < len(xyz); i += 3 {
		dx, dy, dz := xyz[i]-center[0], xyz[i+1]-center[1], xyz[i+2]-center[2]
		r2 = max(r2, dx*dx+dy*dy+dz*dz)
	}
	c.fitSphere(center, float32(math.Sqrt(float64(r2))), aspect)
}

func (c *Camera) fitSphere(center mgl32.Vec3, radius, aspect float32) {
	c.Target = center
	radius = max(radius, 1e-3)
	fov := c.FovY
	if aspect < 1 {
		fov = 2 * float32(math.Atan(math.Tan(float64(c.FovY/2))*float64(aspect)))
	}
	c.Distance = radius / float32(math.Sin(float64(fov/2))) * 1.05
}

// Project maps a world point to window pixels (origin top-left) for a viewport of w×h pixels.
// ok is false behind the camera.
func (c *Camera) Project(p mgl32.Vec3, w, h int) (x, y float32, ok bool) {
	clip := c.Projection(float32(w) / float32(h)).Mul4(c.View()).Mul4x1(p.Vec4(1))
	if clip[3] <= 0 {
		return 0, 0, false
	}
	ndcX, ndcY := clip[0]/clip[3], clip[1]/clip[3]
	return (ndcX + 1) / 2 * float32(w), (1 - ndcY) / 2 * float32(h), true
}

// Bounds is an axis-aligned box.
type Bounds struct{ Min, Max mgl32.Vec3 }

// Empty reports a box that holds no point.
func (b Bounds) Empty() bool { return b.Min[0] > b.Max[0] }

// Center is the box's middle.
func (b Bounds) Center() mgl32.Vec3 { return b.Min.Add(b.Max).Mul(0.5) }

// BoundsOf spans xyz triples in a flat slice.
func BoundsOf(xyz []float32) Bounds {
	inf := float32(math.Inf(1))
	b := Bounds{Min: mgl32.Vec3{inf, inf, inf}, Max: mgl32.Vec3{-inf, -inf, -inf}}
	for i := 0; i+2 < len(xyz); i += 3 {
		for a := range 3 {
			b.Min[a] = min(b.Min[a], xyz[i+a])
			b.Max[a] = max(b.Max[a], xyz[i+a])
		}
	}
	return b
}
