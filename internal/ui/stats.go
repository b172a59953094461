package ui

import (
	"fmt"
	"strings"

	"github.com/AllenDang/cimgui-go/imgui"
)

// Stats is what the corner overlay shows each frame.
type Stats struct {
	FPS         float32
	FrameMs     float32
	Nodes       int
	Edges       int
	LayoutSteps uint64
	LayoutMs    float32
	Settled     bool
	NATS        string // e.g. "embedded · connected"
	GPU         string
}

// StatsOverlay draws the translucent corner panel.
func (c *Context) StatsOverlay(s Stats) {
	imgui.SetNextWindowPosV(imgui.Vec2{X: 10, Y: 10}, imgui.CondAlways, imgui.Vec2{})
	imgui.SetNextWindowBgAlpha(0.55)
	flags := imgui.WindowFlagsNoDecoration | imgui.WindowFlagsAlwaysAutoResize | imgui.WindowFlagsNoSavedSettings |
		imgui.WindowFlagsNoFocusOnAppearing | imgui.WindowFlagsNoNav | imgui.WindowFlagsNoMove
	if imgui.BeginV("##stats", nil, flags) {
		text(fmt.Sprintf("%.0f FPS  %.2f ms/frame", s.FPS, s.FrameMs))
		text(fmt.Sprintf("%d nodes  %d edges", s.Nodes, s.Edges))
		layout := "running"
		if s.Settled {
			layout = "settled"
		}
		text(fmt.Sprintf("layout: %d steps, %.1f ms/step, %s", s.LayoutSteps, s.LayoutMs, layout))
		text("NATS: " + s.NATS)
		if s.GPU != "" {
			imgui.TextDisabled(escape(s.GPU))
		}
	}
	imgui.End()
}

// text shows s verbatim: ImGui reads its argument as a printf format.
func text(s string) { imgui.Text(escape(s)) }

func escape(s string) string { return strings.ReplaceAll(s, "%", "%%") }
