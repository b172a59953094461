package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/AllenDang/cimgui-go/imgui"
)

// AgentInfo is one agent as the panel lists it: its running instances taken together.
type AgentInfo struct {
	Name, Version, Description string
	Instances, Healthy         int
	Analyses, Suggests, Params []string
	MaxNodes                   int
	Requests, Errors           int64
	InFlight                   int
}

// AgentRun is an analysis in progress.
type AgentRun struct {
	ID          uint64
	Agent       string
	Scope       string // "the graph" or "3 selected nodes"
	Done, Total int
	Message     string
	Partial     int // suggestions streamed so far
	Elapsed     time.Duration
}

// SuggestionItem is a pending suggestion, prepared as text.
type SuggestionItem struct {
	ID, Title, Agent, Reasoning string
	Confidence                  float64
	Commands                    []string // one summary line per command (the tail summarised)
}

// Decision is an accepted or rejected suggestion.
type Decision struct {
	ID, Title, Agent string
	Accepted         bool
	Actor, Reason    string
	Confidence       float64
	At               time.Time
	Version          uint64 // graph version the verdict landed at
}

// AgentPanelData is what the panel shows this frame; the caller owns every slice.
type AgentPanelData struct {
	Graph    string // name of the graph the suggestions are about; "" when no stored graph is open
	Agents   []AgentInfo
	Selected int // selected nodes (the "run on the selection" button)
	Runs     []AgentRun
	Pending  []SuggestionItem
	Busy     map[string]bool // suggestions with a verdict on its way
	History  []Decision
	Problem  string  // why the lists may be out of date (the suggestion service did not answer)
	LastRun  string  // what the last finished run brought
	Bottom   float32 // height kept free along the bottom (status bar, timeline)
}

// AgentPanelState is the panel's own presentation state, kept by the caller between frames.
type AgentPanelState struct {
	Agent     string  // the agent the Run buttons ask
	Threshold float32 // bulk accept takes suggestions at or above it
	Cursor    string  // the highlighted pending suggestion (arrow keys, A, X act on it)
	Rejecting string  // the suggestion whose rejection reason is being typed
	Reason    string

	focusReason bool
	scrollTo    bool
	historyOpen bool // last frame's: the pending list leaves room for the history below it
}

// AgentAction is what the user asked of the panel this frame.
type AgentAction int

// Panel actions.
const (
	AgentNone       AgentAction = iota
	AgentRunGraph               // run State.Agent on the whole graph
	AgentRunSelect              // run State.Agent on the selection
	AgentCancel                 // cancel run RunID
	AgentAccept                 // accept suggestion ID
	AgentReject                 // reject suggestion ID with Reason
	AgentBulkAccept             // accept IDs (pending at or above the threshold)
)

// AgentPanelResult reports the frame's action, the suggestion to highlight in the 3D view, and
// where the panel is (for tests that click in it).
type AgentPanelResult struct {
	Action  AgentAction
	ID      string
	Reason  string
	IDs     []string
	RunID   uint64
	Hovered string // the pending suggestion under the pointer, else the cursor's
	Closed  bool
	Rect    [4]float32 // x, y, width, height in window units
}

// AgentPanelWidth is the panel's width in window units.
const AgentPanelWidth = 380

// AgentPanel draws the agent side panel on the left, below the stats overlay. Keyboard, when the
// panel has focus: Up/Down move the cursor over the pending suggestions, A accepts the cursor's, X
// asks for a rejection reason (Enter rejects, Escape cancels).
func (c *Context) AgentPanel(d *AgentPanelData, st *AgentPanelState) (r AgentPanelResult) {
	io := imgui.CurrentIO()
	top := float32(10) + 8*imgui.TextLineHeightWithSpacing()
	if w := imgui.InternalFindWindowByName("##stats"); w != nil && w.CData != nil && w.Active() {
		top = w.Pos().Y + w.Size().Y + 8
	}
	height := max(io.DisplaySize().Y-top-d.Bottom-10, 120)
	imgui.SetNextWindowPosV(imgui.Vec2{X: 10, Y: top}, imgui.CondAlways, imgui.Vec2{})
	imgui.SetNextWindowSizeV(imgui.Vec2{X: AgentPanelWidth, Y: height}, imgui.CondAlways)
	imgui.SetNextWindowBgAlpha(0.8)
	open := true
	flags := imgui.WindowFlagsNoSavedSettings | imgui.WindowFlagsNoMove | imgui.WindowFlagsNoResize | imgui.WindowFlagsNoCollapse
	if imgui.BeginV("Agents###agentpanel", &open, flags) {
		pos, size := imgui.WindowPos(), imgui.WindowSize()
		r.Rect = [4]float32{pos.X, pos.Y, size.X, size.Y}
		c.agentKeys(d, st, &r)
		imgui.PushTextWrapPos()
		if d.Graph == "" {
			imgui.TextDisabled("open a stored graph to run agents on it (Ctrl+K)")
		} else {
			imgui.TextDisabled(escape("graph " + d.Graph))
		}
		if d.Problem != "" {
			imgui.TextColored(imgui.Vec4{X: 1, Y: 0.6, Z: 0.3, W: 1}, escape(d.Problem))
		}
		imgui.PopTextWrapPos()
		agentList(d, st, &r)
		runList(d, &r)
		pendingList(d, st, &r)
		historyList(d, st)
	}
	imgui.End()
	r.Closed = !open
	if r.Hovered == "" && !r.Closed {
		r.Hovered = st.Cursor
	}
	return r
}

// agentKeys applies the panel's keys while it has focus and no text field takes them.
func (c *Context) agentKeys(d *AgentPanelData, st *AgentPanelState, r *AgentPanelResult) {
	if len(d.Pending) > 0 && indexOf(d.Pending, st.Cursor) < 0 {
		st.Cursor = d.Pending[0].ID
	}
	io := imgui.CurrentIO()
	// Modified keys belong to the global shortcuts (Ctrl+Shift+A must not accept a suggestion).
	if !imgui.IsWindowFocusedV(imgui.FocusedFlagsRootAndChildWindows) || io.WantTextInput() ||
		io.KeyCtrl() || io.KeyAlt() || io.KeySuper() || io.KeyShift() {
		return
	}
	i := indexOf(d.Pending, st.Cursor)
	switch {
	case imgui.IsKeyPressedBool(imgui.KeyDownArrow) && i+1 < len(d.Pending):
		st.Cursor, st.scrollTo = d.Pending[i+1].ID, true
	case imgui.IsKeyPressedBool(imgui.KeyUpArrow) && i > 0:
		st.Cursor, st.scrollTo = d.Pending[i-1].ID, true
	case imgui.IsKeyPressedBoolV(imgui.KeyA, false) && i >= 0 && !d.Busy[st.Cursor]:
		r.Action, r.ID = AgentAccept, st.Cursor
	case imgui.IsKeyPressedBoolV(imgui.KeyX, false) && i >= 0 && !d.Busy[st.Cursor]:
		st.Rejecting, st.Reason, st.focusReason, st.scrollTo = st.Cursor, "", true, true
	}
}

func indexOf(items []SuggestionItem, id string) int {
	for i := range items {
		if items[i].ID == id {
			return i
		}
	}
	return -1
}

func agentList(d *AgentPanelData, st *AgentPanelState, r *AgentPanelResult) {
	if !imgui.CollapsingHeaderTreeNodeFlagsV(fmt.Sprintf("Agents (%d)###agents", len(d.Agents)), imgui.TreeNodeFlagsDefaultOpen) {
		return
	}
	if len(d.Agents) == 0 {
		imgui.TextDisabled("no agent answers yet")
		return
	}
	known := false
	for _, a := range d.Agents {
		known = known || a.Name == st.Agent
	}
	if !known {
		st.Agent = d.Agents[0].Name
	}
	for _, a := range d.Agents {
		health, colour := "ok", imgui.Vec4{X: 0.45, Y: 0.85, Z: 0.45, W: 1}
		switch {
		case a.Healthy == 0:
			health, colour = "down", imgui.Vec4{X: 1, Y: 0.4, Z: 0.4, W: 1}
		case a.Healthy < a.Instances:
			health, colour = "degraded", imgui.Vec4{X: 1, Y: 0.8, Z: 0.3, W: 1}
		}
		label := fmt.Sprintf("%s  v%s  %d/%d up", a.Name, a.Version, a.Healthy, a.Instances)
		if a.InFlight > 0 {
			label += fmt.Sprintf("  %d running", a.InFlight)
		}
		if imgui.SelectableBoolV(escape(label)+"##agent-"+a.Name, a.Name == st.Agent, imgui.SelectableFlagsAllowOverlap, imgui.Vec2{X: AgentPanelWidth - 110, Y: 0}) {
			st.Agent = a.Name
		}
		if imgui.BeginItemTooltip() {
			imgui.PushTextWrapPosV(360)
			if a.Description != "" {
				text(a.Description)
			}
			text("analyses: " + strings.Join(a.Analyses, ", "))
			text("suggests: " + strings.Join(a.Suggests, ", "))
			if len(a.Params) > 0 {
				text("parameters: " + strings.Join(a.Params, ", "))
			}
			if a.MaxNodes > 0 {
				text(fmt.Sprintf("at most %d nodes", a.MaxNodes))
			}
			text(fmt.Sprintf("%d requests, %d errors", a.Requests, a.Errors))
			imgui.PopTextWrapPos()
			imgui.EndTooltip()
		}
		imgui.SameLineV(AgentPanelWidth-90, 0)
		imgui.TextColored(colour, health)
	}
	imgui.BeginDisabledV(d.Graph == "")
	if imgui.Button(escape("Run "+st.Agent) + " on the graph##run") {
		r.Action = AgentRunGraph
	}
	imgui.SameLine()
	imgui.BeginDisabledV(d.Selected == 0)
	if imgui.Button(fmt.Sprintf("on the selection (%d)##runsel", d.Selected)) {
		r.Action = AgentRunSelect
	}
	imgui.EndDisabled()
	imgui.EndDisabled()
	if d.LastRun != "" {
		imgui.PushTextWrapPos()
		imgui.TextDisabled(escape(d.LastRun))
		imgui.PopTextWrapPos()
	}
}

func runList(d *AgentPanelData, r *AgentPanelResult) {
	if len(d.Runs) == 0 {
		return
	}
	imgui.SeparatorText("Running")
	for _, run := range d.Runs {
		label := fmt.Sprintf("%s on %s", run.Agent, run.Scope)
		if run.Message != "" {
			label += ": " + run.Message
		}
		if run.Partial > 0 {
			label += fmt.Sprintf(" (%d so far)", run.Partial)
		}
		text(label)
		frac := float32(-1) * float32(imgui.Time())
		overlay := fmt.Sprintf("%.1f s", run.Elapsed.Seconds())
		if run.Total > 0 {
			frac = float32(run.Done) / float32(run.Total)
			overlay = fmt.Sprintf("%d/%d  %s", run.Done, run.Total, overlay)
		}
		imgui.ProgressBarV(frac, imgui.Vec2{X: AgentPanelWidth - 100, Y: 0}, escape(overlay))
		imgui.SameLine()
		if imgui.Button(fmt.Sprintf("Cancel##run%d", run.ID)) {
			r.Action, r.RunID = AgentCancel, run.ID
		}
	}
}

func pendingList(d *AgentPanelData, st *AgentPanelState, r *AgentPanelResult) {
	if !imgui.CollapsingHeaderTreeNodeFlagsV(fmt.Sprintf("Pending suggestions (%d)###pending", len(d.Pending)), imgui.TreeNodeFlagsDefaultOpen) {
		return
	}
	if len(d.Pending) == 0 {
		imgui.TextDisabled("none: run an agent")
		return
	}
	above := 0
	for _, s := range d.Pending {
		if float32(s.Confidence) >= st.Threshold && !d.Busy[s.ID] {
			above++
		}
	}
	imgui.SetNextItemWidth(140)
	imgui.SliderFloatV("##threshold", &st.Threshold, 0, 1, "%.2f", 0)
	imgui.SameLine()
	imgui.BeginDisabledV(above == 0)
	if imgui.Button(fmt.Sprintf("Accept %d at or above##bulk", above)) {
		r.Action, r.IDs = AgentBulkAccept, make([]string, 0, above)
		for _, s := range d.Pending {
			if float32(s.Confidence) >= st.Threshold && !d.Busy[s.ID] {
				r.IDs = append(r.IDs, s.ID)
			}
		}
	}
	imgui.EndDisabled()
	imgui.TextDisabled("click or Up/Down: choose; A: accept; X: reject")
	// The rows scroll in their own region so that the history below stays in view.
	h := imgui.ContentRegionAvail().Y - imgui.FrameHeightWithSpacing()
	if st.historyOpen {
		h = h * 0.65
	}
	if imgui.BeginChildStrV("pendingrows", imgui.Vec2{X: 0, Y: max(h, 4*imgui.FrameHeightWithSpacing())}, imgui.ChildFlagsNone, 0) {
		for i := range d.Pending {
			suggestionRow(&d.Pending[i], d.Busy[d.Pending[i].ID], st, r)
		}
	}
	imgui.EndChild()
}

func suggestionRow(s *SuggestionItem, busy bool, st *AgentPanelState, r *AgentPanelResult) {
	imgui.PushIDStr(s.ID)
	defer imgui.PopID()
	cursor := s.ID == st.Cursor
	imgui.BeginDisabledV(busy)
	label := fmt.Sprintf("%.2f  %s", s.Confidence, s.Title)
	if busy {
		label += "  (sending...)"
	}
	if imgui.SelectableBoolV(escape(label)+"##row", cursor, 0, imgui.Vec2{}) {
		st.Cursor = s.ID
	}
	if cursor && st.scrollTo {
		imgui.SetScrollHereYV(0.3)
		st.scrollTo = false
	}
	if imgui.IsItemHoveredV(imgui.HoveredFlagsAllowWhenDisabled) {
		r.Hovered = s.ID
	}
	imgui.Indent()
	if cursor {
		imgui.PushTextWrapPos()
		if s.Reasoning != "" {
			imgui.TextDisabled(escape(s.Reasoning))
		}
		for _, line := range s.Commands {
			text("- " + line)
		}
		imgui.PopTextWrapPos()
	}
	if st.Rejecting == s.ID {
		if st.focusReason {
			imgui.SetKeyboardFocusHere()
			st.focusReason = false
		}
		imgui.SetNextItemWidth(AgentPanelWidth - 170)
		enter := imgui.InputTextWithHint("##reason", "reason (optional)", &st.Reason, imgui.InputTextFlagsEnterReturnsTrue, nil)
		escapePressed := imgui.IsItemFocused() && imgui.IsKeyPressedBoolV(imgui.KeyEscape, false)
		imgui.SameLine()
		if imgui.SmallButton("Reject") || enter {
			r.Action, r.ID, r.Reason = AgentReject, s.ID, strings.TrimSpace(st.Reason)
			st.Rejecting, st.Reason = "", ""
		}
		imgui.SameLine()
		if imgui.SmallButton("Cancel") || escapePressed {
			st.Rejecting, st.Reason = "", ""
		}
	} else if cursor {
		if imgui.SmallButton("Accept") {
			r.Action, r.ID = AgentAccept, s.ID
			st.Cursor = s.ID
		}
		imgui.SameLine()
		if imgui.SmallButton("Reject...") {
			st.Cursor, st.Rejecting, st.Reason, st.focusReason = s.ID, s.ID, "", true
		}
		if s.Agent != "" {
			imgui.SameLine()
			imgui.TextDisabled(escape("by " + s.Agent))
		}
	}
	imgui.Unindent()
	imgui.EndDisabled()
}

func historyList(d *AgentPanelData, st *AgentPanelState) {
	st.historyOpen = imgui.CollapsingHeaderTreeNodeFlagsV(fmt.Sprintf("History (%d)###history", len(d.History)), imgui.TreeNodeFlagsDefaultOpen)
	if !st.historyOpen {
		return
	}
	if len(d.History) == 0 {
		imgui.TextDisabled("no decisions yet")
		return
	}
	defer imgui.EndChild()
	if !imgui.BeginChildStrV("historyrows", imgui.Vec2{}, imgui.ChildFlagsNone, 0) {
		return
	}
	imgui.PushTextWrapPos()
	for _, h := range d.History {
		verdict, colour := "rejected", imgui.Vec4{X: 1, Y: 0.55, Z: 0.45, W: 1}
		if h.Accepted {
			verdict, colour = "accepted", imgui.Vec4{X: 0.45, Y: 0.85, Z: 0.45, W: 1}
		}
		imgui.TextColored(colour, verdict)
		imgui.SameLine()
		imgui.TextDisabled(escape(fmt.Sprintf("by %s  %s  v%d", h.Actor, h.At.Local().Format("15:04:05"), h.Version)))
		imgui.Indent()
		text(fmt.Sprintf("%.2f  %s", h.Confidence, h.Title))
		if h.Reason != "" {
			imgui.TextDisabled(escape("reason: " + h.Reason))
		}
		imgui.Unindent()
	}
	imgui.PopTextWrapPos()
}
