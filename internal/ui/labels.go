package ui

import (
	"github.com/AllenDang/cimgui-go/imgui"
)

// Label is a node's name drawn beside it in the 3D view. X, Y is the left end of the text's middle
// line, in window coordinates.
type Label struct {
	X, Y   float32
	Text   string
	Strong bool // hovered or selected: drawn brighter, over a darker backdrop
}

// Ring marks a node in the 3D view: a circle of radius R around window point X, Y.
type Ring struct {
	X, Y, R float32
	Hover   bool // the node under the pointer (selected nodes get a thinner ring)
}

// TextSize is the size of s in window units at the current font, for placing labels without
// overlap. It needs a UI frame in progress (between NewFrame and Render).
func TextSize(s string) (w, h float32) {
	v := imgui.CalcTextSizeV(s, false, -1)
	return v.X, v.Y
}

var (
	labelText       = packColour(0.92, 0.94, 0.97, 0.95)
	labelStrongText = packColour(1, 1, 1, 1)
	labelBackdrop   = packColour(0.05, 0.06, 0.08, 0.55)
	labelStrongBack = packColour(0.02, 0.03, 0.05, 0.8)
	ringHover       = packColour(1, 0.85, 0.3, 0.95)
	ringSelected    = packColour(1, 1, 1, 0.8)
	boxEdge         = packColour(0.45, 0.7, 1, 0.95)
	boxFill         = packColour(0.45, 0.7, 1, 0.15)
)

// DrawLabels draws node labels over the 3D scene and under the windows (ImGui's background draw
// list). Text goes to the draw list verbatim: no printf formatting here.
func DrawLabels(labels []Label) {
	if len(labels) == 0 {
		return
	}
	dl := imgui.BackgroundDrawList()
	for _, l := range labels {
		w, h := TextSize(l.Text)
		top := l.Y - h/2
		back, fore := labelBackdrop, labelText
		if l.Strong {
			back, fore = labelStrongBack, labelStrongText
		}
		dl.AddRectFilledV(imgui.Vec2{X: l.X - 3, Y: top - 1}, imgui.Vec2{X: l.X + w + 3, Y: top + h + 1}, back, 3, 0)
		dl.AddTextVec2(imgui.Vec2{X: l.X, Y: top}, fore, l.Text)
	}
}

// DrawRings circles the hovered and the selected nodes.
func DrawRings(rings []Ring) {
	if len(rings) == 0 {
		return
	}
	dl := imgui.BackgroundDrawList()
	for _, r := range rings {
		col, thick := ringSelected, float32(1.5)
		if r.Hover {
			col, thick = ringHover, 2.5
		}
		dl.AddCircleV(imgui.Vec2{X: r.X, Y: r.Y}, r.R, col, 0, thick)
	}
}

// DrawBox draws the rectangle of a box selection in progress, corners in window coordinates.
func DrawBox(x0, y0, x1, y1 float32) {
	dl := imgui.BackgroundDrawList()
	lo, hi := imgui.Vec2{X: min(x0, x1), Y: min(y0, y1)}, imgui.Vec2{X: max(x0, x1), Y: max(y0, y1)}
	dl.AddRectFilled(lo, hi, boxFill)
	dl.AddRectV(lo, hi, boxEdge, 0, 0, 1.5)
}

// packColour is ImGui's IM_COL32 from 0..1 components (bytes R, G, B, A from the low end), computed
// in Go so that the package-level colours need no ImGui context at init.
func packColour(r, g, b, a float32) uint32 {
	u := func(v float32) uint32 { return uint32(min(max(v, 0), 1)*255 + 0.5) }
	return u(r) | u(g)<<8 | u(b)<<16 | u(a)<<24
}

// DrawSegment highlights a line between two window points (the inspected edge).
func DrawSegment(x0, y0, x1, y1 float32) {
	imgui.BackgroundDrawList().AddLineV(imgui.Vec2{X: x0, Y: y0}, imgui.Vec2{X: x1, Y: y1}, ringHover, 3)
}
