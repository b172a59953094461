package ui

import (
	"github.com/AllenDang/cimgui-go/imgui"
)

// Inspection is what the inspector shows about the selected node, prepared by the caller as plain
// rows so the UI needs no domain types.
type Inspection struct {
	Title   string
	Rows    [][2]string // name, value
	Content string      // content preview, or a line saying it is loading
}

// Inspector draws the selected node's panel at the bottom right; it returns true when the user closed it.
func (c *Context) Inspector(in *Inspection) (closed bool) {
	if in == nil {
		return false
	}
	io := imgui.CurrentIO()
	width := float32(340)
	imgui.SetNextWindowPosV(imgui.Vec2{X: io.DisplaySize().X - width - 10, Y: io.DisplaySize().Y - 10}, imgui.CondAlways, imgui.Vec2{X: 0, Y: 1})
	imgui.SetNextWindowSizeV(imgui.Vec2{X: width, Y: 0}, imgui.CondAlways)
	imgui.SetNextWindowBgAlpha(0.75)
	open := true
	flags := imgui.WindowFlagsNoSavedSettings | imgui.WindowFlagsNoMove | imgui.WindowFlagsAlwaysAutoResize | imgui.WindowFlagsNoResize
	if imgui.BeginV(escape(in.Title)+"###inspector", &open, flags) {
		imgui.PushTextWrapPos()
		for _, r := range in.Rows {
			imgui.TextDisabled(escape(r[0]))
			imgui.SameLine()
			text(r[1])
		}
		if in.Content != "" {
			imgui.Separator()
			text(in.Content)
		}
		imgui.PopTextWrapPos()
	}
	imgui.End()
	return !open
}
