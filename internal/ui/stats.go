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
	Graph       string
	Version     uint64
	Queued      int    // events waiting to be applied
	Skipped     int64  // events that could not be decoded
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
		switch {
		case s.Graph != "" && s.Version > 0:
			text(fmt.Sprintf("%s  (version %d)", s.Graph, s.Version))
		case s.Graph != "":
			text(s.Graph)
		}
		text(fmt.Sprintf("%d nodes  %d edges", s.Nodes, s.Edges))
		if s.Queued > 0 || s.Skipped > 0 {
			text(fmt.Sprintf("events: %d queued, %d skipped", s.Queued, s.Skipped))
		}
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

// GraphEntry is one stored graph in the list.
type GraphEntry struct {
	ID, Name string
	Version  uint64
	Deleted  bool
}

// GraphList draws the list of stored graphs on the right and returns the id the user clicked, or "".
// status is a line about the last open (progress or error).
func (c *Context) GraphList(graphs []GraphEntry, current, status string) (picked string) {
	io := imgui.CurrentIO()
	width := float32(260)
	imgui.SetNextWindowPosV(imgui.Vec2{X: io.DisplaySize().X - width - 10, Y: 10}, imgui.CondAlways, imgui.Vec2{})
	imgui.SetNextWindowSizeV(imgui.Vec2{X: width, Y: 0}, imgui.CondAlways)
	imgui.SetNextWindowBgAlpha(0.55)
	flags := imgui.WindowFlagsNoSavedSettings | imgui.WindowFlagsNoMove | imgui.WindowFlagsAlwaysAutoResize | imgui.WindowFlagsNoResize
	if imgui.BeginV("Graphs", nil, flags) {
		if len(graphs) == 0 {
			imgui.PushTextWrapPos()
			imgui.TextDisabled(escape("no stored graphs yet: alchemist import FILE, or send commands (docs/protocol.md)"))
			imgui.PopTextWrapPos()
		}
		for _, g := range graphs {
			if g.Deleted {
				continue
			}
			name := g.Name
			if name == "" {
				name = g.ID
			}
			label := fmt.Sprintf("%s  v%d##%s", name, g.Version, g.ID)
			if imgui.SelectableBoolV(label, g.ID == current, 0, imgui.Vec2{}) && g.ID != current {
				picked = g.ID
			}
		}
		if status != "" {
			imgui.Separator()
			imgui.TextWrapped(escape(status))
		}
	}
	imgui.End()
	return picked
}
