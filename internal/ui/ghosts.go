package ui

import (
	"math"

	"github.com/AllenDang/cimgui-go/imgui"
)

// GhostLine is a proposed edge, projected to window coordinates by the caller.
type GhostLine struct {
	A, B      [2]float32
	Highlight bool
}

// GhostCircle marks a proposed node (Filled) or an existing node a suggestion changes (a ring).
type GhostCircle struct {
	C         [2]float32
	Radius    float32 // window units; 0: the default
	Filled    bool
	Highlight bool
}

// GhostLabel names the highlighted suggestion next to its preview.
type GhostLabel struct {
	At   [2]float32
	Text string
}

// Dash pattern of ghost edges in window units: dashed so a proposal never reads as an edge that is.
const (
	ghostDash = 7
	ghostGap  = 5
)

// DrawGhosts draws the preview of pending suggestions on ImGui's background draw list: over the 3D
// scene, under every window. Highlighted ghosts (the hovered or chosen suggestion) are drawn last,
// brighter and thicker.
func (c *Context) DrawGhosts(lines []GhostLine, circles []GhostCircle, labels []GhostLabel) {
	if len(lines) == 0 && len(circles) == 0 && len(labels) == 0 {
		return
	}
	dl := imgui.BackgroundDrawList()
	normal, bright := ghostColours(c.theme)
	for pass := 0; pass < 2; pass++ {
		hi := pass == 1
		col, thick := normal, float32(1.5)
		if hi {
			col, thick = bright, 3
		}
		for _, l := range lines {
			if l.Highlight == hi {
				dashed(dl, l.A, l.B, col, thick)
			}
		}
		for _, ci := range circles {
			if ci.Highlight != hi {
				continue
			}
			r := ci.Radius
			if r <= 0 {
				r = 7
			}
			if hi {
				r += 2
			}
			centre := imgui.Vec2{X: ci.C[0], Y: ci.C[1]}
			if ci.Filled {
				dl.AddCircleFilledV(centre, r, col&0x00ffffff|(col>>25)<<24, 24) // half the outline's alpha
			}
			dl.AddCircleV(centre, r, col, 24, thick)
		}
	}
	for _, lb := range labels {
		size := imgui.CalcTextSize(lb.Text)
		p := imgui.Vec2{X: lb.At[0] + 8, Y: lb.At[1] - size.Y - 4}
		dl.AddRectFilledV(imgui.Vec2{X: p.X - 4, Y: p.Y - 2}, imgui.Vec2{X: p.X + size.X + 4, Y: p.Y + size.Y + 2}, 0xb0000000, 3, 0)
		dl.AddTextVec2(p, 0xffffffff, lb.Text)
	}
}

// ghostColours are ImGui's packed ABGR colours for ordinary and highlighted ghosts: translucent cyan
// and opaque amber, darker on the light theme.
func ghostColours(theme Theme) (normal, bright uint32) {
	if theme == ThemeLight {
		return 0x99a06000, 0xff0070e0
	}
	return 0x99ffd060, 0xff30c0ff
}

func dashed(dl *imgui.DrawList, a, b [2]float32, col uint32, thick float32) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	length := float32(math.Hypot(float64(dx), float64(dy)))
	if length < 1 {
		return
	}
	ux, uy := dx/length, dy/length
	// A line across the whole window is a few hundred dashes; past that the pattern is invisible
	// anyway, so draw it solid rather than spend the frame on segments.
	if length > 4000 {
		dl.AddLineV(imgui.Vec2{X: a[0], Y: a[1]}, imgui.Vec2{X: b[0], Y: b[1]}, col, thick)
		return
	}
	for t := float32(0); t < length; t += ghostDash + ghostGap {
		e := min(t+ghostDash, length)
		dl.AddLineV(imgui.Vec2{X: a[0] + ux*t, Y: a[1] + uy*t}, imgui.Vec2{X: a[0] + ux*e, Y: a[1] + uy*e}, col, thick)
	}
}
