package ui

import (
	"fmt"

	"github.com/AllenDang/cimgui-go/imgui"
)

// TimelineMarker is a notable event on the scrubber: an agent decision, an import, an undo.
type TimelineMarker struct {
	Index int    // position on the scrubber (events applied)
	Kind  string // "accepted", "rejected", "import", "undo"; the scrubber's tooltip describes the event
}

// TimelineView is what the timeline panel shows, prepared by the caller as plain data.
type TimelineView struct {
	Loading     string // non-empty while the history is read from the store
	Count       int    // events in the history: positions run 1..Count
	Index       int    // the position on screen
	Live        bool
	Playing     bool
	Describe    func(index int) string // one line about the event at a position
	Markers     []TimelineMarker
	CompareFrom int    // 0: not comparing; else the position compared with Index
	CompareText string // summary of the comparison
	Pending     bool   // a past version is being rebuilt
}

// TimelineAction is what the user did in the panel this frame.
type TimelineAction struct {
	Seek        int // the position dragged to; 0 when unchanged
	Live        bool
	PlayToggle  bool
	Compare     bool // start comparing from the current position, or stop
	StepBack    bool
	StepForward bool
	Closed      bool
	// SliderMin, SliderMax are the scrubber's ends in window coordinates (x, y), and LiveButton the
	// centre of the "Live" button: end-to-end tests drive them with xdotool.
	SliderMin, SliderMax, LiveButton [2]float32
}

// col32 packs a colour the way ImGui's IM_COL32 does (no context needed, unlike ColorU32).
func col32(r, g, b, a uint8) uint32 {
	return uint32(a)<<24 | uint32(b)<<16 | uint32(g)<<8 | uint32(r)
}

var markerColours = map[string]uint32{
	"accepted": col32(77, 230, 102, 255),
	"rejected": col32(242, 90, 90, 255),
	"import":   col32(102, 153, 255, 255),
	"undo":     col32(230, 204, 77, 255),
}

// Timeline draws the event timeline along the bottom, above the status bar.
func (c *Context) Timeline(v TimelineView) (act TimelineAction) {
	io := imgui.CurrentIO()
	h := TimelineHeight()
	imgui.SetNextWindowPosV(imgui.Vec2{X: 0, Y: io.DisplaySize().Y - StatusBarHeight() - h}, imgui.CondAlways, imgui.Vec2{})
	imgui.SetNextWindowSizeV(imgui.Vec2{X: io.DisplaySize().X, Y: h}, imgui.CondAlways)
	imgui.SetNextWindowBgAlpha(0.85)
	open := true
	flags := imgui.WindowFlagsNoSavedSettings | imgui.WindowFlagsNoMove | imgui.WindowFlagsNoResize | imgui.WindowFlagsNoCollapse
	if imgui.BeginV("Timeline###timeline", &open, flags) {
		switch {
		case v.Loading != "":
			imgui.TextDisabled(escape(v.Loading))
		case v.Count == 0:
			imgui.TextDisabled("open a stored graph to see its history")
		default:
			act = c.timelineBody(v)
		}
	}
	imgui.End()
	act.Closed = !open
	return act
}

func (c *Context) timelineBody(v TimelineView) (act TimelineAction) {
	play := "Play"
	if v.Playing {
		play = "Pause"
	}
	if imgui.Button("<") {
		act.StepBack = true
	}
	imgui.SameLine()
	if imgui.Button(play) {
		act.PlayToggle = true
	}
	imgui.SameLine()
	if imgui.Button(">") {
		act.StepForward = true
	}
	imgui.SameLine()
	liveLabel := "Live"
	if v.Live {
		imgui.BeginDisabled()
	}
	if imgui.Button(liveLabel) {
		act.Live = true
	}
	lmin, lmax := imgui.ItemRectMin(), imgui.ItemRectMax()
	act.LiveButton = [2]float32{(lmin.X + lmax.X) / 2, (lmin.Y + lmax.Y) / 2}
	if v.Live {
		imgui.EndDisabled()
	}
	imgui.SameLine()
	compare := "Compare from here"
	if v.CompareFrom > 0 {
		compare = "Stop comparing"
	}
	if imgui.Button(compare) {
		act.Compare = true
	}
	imgui.SameLine()
	state := "live"
	switch {
	case v.Pending:
		state = "rebuilding..."
	case !v.Live:
		state = "past"
	}
	text(fmt.Sprintf("%d / %d events  (%s)", v.Index, v.Count, state))

	// The scrubber: a full-width slider over event positions with the markers drawn on its track.
	imgui.SetNextItemWidth(-1)
	index := int32(v.Index)
	changed := imgui.SliderIntV("##scrub", &index, 1, int32(v.Count), "%d", imgui.SliderFlagsAlwaysClamp)
	smin, smax := imgui.ItemRectMin(), imgui.ItemRectMax()
	grab := imgui.CurrentStyle().GrabMinSize()
	// ImGui leaves half a grab (plus the frame padding) at each end of the track.
	pad := grab/2 + 2
	act.SliderMin = [2]float32{smin.X + pad, (smin.Y + smax.Y) / 2}
	act.SliderMax = [2]float32{smax.X - pad, (smin.Y + smax.Y) / 2}
	if changed && int(index) != v.Index {
		act.Seek = int(index)
	}
	if v.Count > 1 {
		dl := imgui.WindowDrawList()
		span := act.SliderMax[0] - act.SliderMin[0]
		for _, m := range v.Markers {
			x := act.SliderMin[0] + span*float32(m.Index-1)/float32(v.Count-1)
			col, ok := markerColours[m.Kind]
			if !ok {
				col = markerColours["import"]
			}
			dl.AddLineV(imgui.Vec2{X: x, Y: smax.Y}, imgui.Vec2{X: x, Y: smax.Y + 6}, col, 3)
		}
		if v.CompareFrom > 0 {
			x := act.SliderMin[0] + span*float32(v.CompareFrom-1)/float32(v.Count-1)
			dl.AddLineV(imgui.Vec2{X: x, Y: smin.Y}, imgui.Vec2{X: x, Y: smax.Y}, col32(255, 153, 26, 255), 2)
		}
		if imgui.IsItemHovered() && v.Describe != nil {
			mouse := imgui.MousePos()
			at := 1 + int(float32(v.Count-1)*(mouse.X-act.SliderMin[0])/max(span, 1)+0.5)
			at = min(max(at, 1), v.Count)
			imgui.SetTooltip(escape(v.Describe(at)))
		}
	}
	imgui.Dummy(imgui.Vec2{X: 1, Y: 4})
	if v.Describe != nil && v.Index > 0 {
		text(v.Describe(v.Index))
	}
	if v.CompareText != "" {
		imgui.SameLine()
		imgui.TextColored(imgui.Vec4{X: 1, Y: 0.7, Z: 0.2, W: 1}, escape("   "+v.CompareText))
	}
	return act
}
