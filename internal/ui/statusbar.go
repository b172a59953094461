package ui

import (
	"fmt"
	"time"

	"github.com/AllenDang/cimgui-go/imgui"
)

// NoteLevel orders notifications by the attention they need.
type NoteLevel int

// Notification levels.
const (
	NoteInfo NoteLevel = iota
	NoteWarn
	NoteError
)

// Note is one dismissable notification.
type Note struct {
	ID    uint64
	Level NoteLevel
	Text  string
	At    time.Time
}

// Task is a long operation in progress; Total 0 means its length is unknown.
type Task struct {
	ID          uint64
	Name        string
	Status      string
	Done, Total int
}

// Status is what the status bar shows.
type Status struct {
	NATS         string // e.g. "embedded · connected"
	NATSHealthy  bool
	Graph        string
	Version      uint64
	Live         bool    // false while the timeline shows a past version
	ShownVersion uint64  // the version on screen when not live
	EventsPerSec float32 // events applied to the view per second
	Layout       string  // running, settled, paused
	FPS          float32
	Selected     int
	Tasks        []Task
}

// StatusBarHeight is the bar's height in screen units at the current font size.
func StatusBarHeight() float32 { return imgui.FrameHeight() + 6 }

// StatusBar draws the bar along the bottom edge. It returns the id of a task whose cancel button was
// pressed, or 0.
func (c *Context) StatusBar(s Status) (cancel uint64) {
	io := imgui.CurrentIO()
	h := StatusBarHeight()
	imgui.SetNextWindowPosV(imgui.Vec2{X: 0, Y: io.DisplaySize().Y - h}, imgui.CondAlways, imgui.Vec2{})
	imgui.SetNextWindowSizeV(imgui.Vec2{X: io.DisplaySize().X, Y: h}, imgui.CondAlways)
	imgui.SetNextWindowBgAlpha(0.85)
	flags := imgui.WindowFlagsNoDecoration | imgui.WindowFlagsNoSavedSettings | imgui.WindowFlagsNoMove |
		imgui.WindowFlagsNoFocusOnAppearing | imgui.WindowFlagsNoNav | imgui.WindowFlagsNoBringToFrontOnFocus
	imgui.PushStyleVarVec2(imgui.StyleVarWindowPadding, imgui.Vec2{X: 8, Y: 3})
	if imgui.BeginV("##statusbar", nil, flags) {
		natsColour := imgui.Vec4{X: 0.45, Y: 0.85, Z: 0.45, W: 1}
		if !s.NATSHealthy {
			natsColour = imgui.Vec4{X: 0.95, Y: 0.55, Z: 0.3, W: 1}
		}
		imgui.TextColored(natsColour, escape("NATS "+s.NATS))
		sep()
		switch {
		case s.Graph == "":
			imgui.TextDisabled("no graph open (Ctrl+K)")
		case s.Live:
			text(fmt.Sprintf("%s  v%d  live", s.Graph, s.Version))
		default:
			imgui.TextColored(imgui.Vec4{X: 0.95, Y: 0.8, Z: 0.3, W: 1},
				escape(fmt.Sprintf("%s  showing v%d of v%d", s.Graph, s.ShownVersion, s.Version)))
		}
		sep()
		text(fmt.Sprintf("%.0f events/s", s.EventsPerSec))
		sep()
		text("layout " + s.Layout)
		sep()
		text(fmt.Sprintf("%.0f FPS", s.FPS))
		if s.Selected > 0 {
			sep()
			text(fmt.Sprintf("%d selected", s.Selected))
		}
		for _, t := range s.Tasks {
			sep()
			label := t.Name
			if t.Status != "" {
				label += ": " + t.Status
			}
			frac := float32(-1) * float32(imgui.Time()) // indeterminate: ImGui animates a negative fraction
			overlay := label
			if t.Total > 0 {
				frac = float32(t.Done) / float32(t.Total)
				overlay = fmt.Sprintf("%s %d/%d", label, t.Done, t.Total)
			}
			imgui.ProgressBarV(frac, imgui.Vec2{X: 220, Y: 0}, escape(overlay))
			imgui.SameLine()
			if imgui.SmallButton(fmt.Sprintf("x##task%d", t.ID)) {
				cancel = t.ID
			}
		}
	}
	imgui.End()
	imgui.PopStyleVar()
	return cancel
}

func sep() {
	imgui.SameLine()
	imgui.TextDisabled("|")
	imgui.SameLine()
}

// Notifications draws the notifications stacked above the status bar at the bottom left and returns
// the id of one the user dismissed, or 0.
func (c *Context) Notifications(notes []Note) (dismissed uint64) {
	io := imgui.CurrentIO()
	y := io.DisplaySize().Y - StatusBarHeight() - 8
	for i := len(notes) - 1; i >= 0; i-- {
		n := notes[i]
		imgui.SetNextWindowPosV(imgui.Vec2{X: 10, Y: y}, imgui.CondAlways, imgui.Vec2{X: 0, Y: 1})
		imgui.SetNextWindowSizeV(imgui.Vec2{X: 420, Y: 0}, imgui.CondAlways)
		imgui.SetNextWindowBgAlpha(0.9)
		flags := imgui.WindowFlagsNoDecoration | imgui.WindowFlagsNoSavedSettings | imgui.WindowFlagsNoMove |
			imgui.WindowFlagsAlwaysAutoResize | imgui.WindowFlagsNoFocusOnAppearing | imgui.WindowFlagsNoNav
		if imgui.BeginV(fmt.Sprintf("##note%d", n.ID), nil, flags) {
			colour := imgui.Vec4{X: 0.6, Y: 0.8, Z: 1, W: 1}
			prefix := "info"
			switch n.Level {
			case NoteWarn:
				colour, prefix = imgui.Vec4{X: 1, Y: 0.8, Z: 0.3, W: 1}, "warning"
			case NoteError:
				colour, prefix = imgui.Vec4{X: 1, Y: 0.4, Z: 0.4, W: 1}, "error"
			}
			imgui.TextColored(colour, prefix)
			imgui.SameLine()
			imgui.PushTextWrapPos()
			text(n.Text)
			imgui.PopTextWrapPos()
			if imgui.SmallButton(fmt.Sprintf("dismiss##n%d", n.ID)) {
				dismissed = n.ID
			}
			y -= imgui.WindowHeight() + 6
		}
		imgui.End()
	}
	return dismissed
}

// TimelineHeight is the timeline panel's height in screen units at the current font size.
func TimelineHeight() float32 { return 5*imgui.FrameHeightWithSpacing() + 16 }
