package ui

import (
	"fmt"

	"github.com/AllenDang/cimgui-go/imgui"
)

// Inspection is what the inspector shows about the selection, prepared by the caller as plain rows so
// the UI needs no domain types.
type Inspection struct {
	Title   string
	Rows    [][2]string // name, value
	Content string      // content preview, or a line saying it is loading

	// Selected lists some of the selected node ids when several are selected (SelectedTotal of them);
	// clicking one inspects it.
	Selected      []string
	SelectedTotal int
	// Edges are the inspected node's incident edges (EdgesTotal of them); clicking one inspects it.
	Edges      []EdgeRow
	EdgesTotal int
	// BackTo names the node to return to when an edge is inspected.
	BackTo string

	// Provenance lists the events that touched the inspected node or edge, newest first.
	Provenance      []Provenance
	ProvenanceShown bool   // false for the demo graph, which has no history
	ProvenanceNote  string // "loading ...", an error, or "" when complete
}

// EdgeRow is one incident edge in the node inspector.
type EdgeRow struct {
	ID   string
	Text string // e.g. "→ leaf3  kind 1.0"
}

// Provenance is one event in the inspected item's history.
type Provenance struct {
	Version uint64
	Time    string
	Actor   string
	Type    string
	What    string // what the event did to the item, briefly
}

// InspectorAction is what the user did in the inspector this frame.
type InspectorAction struct {
	Closed bool
	Node   string // a node id clicked in the selection summary
	Edge   string // an edge id clicked in the node's edge list
	Back   bool   // back from an edge to its node
}

const inspectorWidth = 380

// Inspector draws the inspection at the bottom right, above bottomInset (the status bar and the
// timeline).
func (c *Context) Inspector(in *Inspection, bottomInset float32) (act InspectorAction) {
	if in == nil {
		return act
	}
	io := imgui.CurrentIO()
	size := io.DisplaySize()
	bottom := size.Y - bottomInset - 8
	imgui.SetNextWindowPosV(imgui.Vec2{X: size.X - inspectorWidth - 10, Y: bottom}, imgui.CondAlways, imgui.Vec2{X: 0, Y: 1})
	imgui.SetNextWindowSizeConstraints(imgui.Vec2{X: inspectorWidth, Y: 0}, imgui.Vec2{X: inspectorWidth, Y: max(bottom*0.62, 160)})
	imgui.SetNextWindowBgAlpha(0.82)
	open := true
	flags := imgui.WindowFlagsNoSavedSettings | imgui.WindowFlagsNoMove | imgui.WindowFlagsAlwaysAutoResize |
		imgui.WindowFlagsNoResize | imgui.WindowFlagsNoFocusOnAppearing
	if imgui.BeginV(in.Title+"###inspector", &open, flags) {
		imgui.PushTextWrapPos()
		if in.BackTo != "" && imgui.SmallButton("< back to "+in.BackTo) {
			act.Back = true
		}
		if len(in.Selected) > 0 {
			act.Node = selectionSummary(in)
		}
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
		if len(in.Edges) > 0 {
			act.Edge = edgeList(in)
		}
		if in.ProvenanceShown {
			provenanceTable(in)
		}
	}
	imgui.End()
	act.Closed = !open
	return act
}

func selectionSummary(in *Inspection) (picked string) {
	text(fmt.Sprintf("%d nodes selected", in.SelectedTotal))
	// The ids flow left to right and wrap at the window's edge.
	style := imgui.CurrentStyle()
	avail, gap, pad := imgui.ContentRegionAvail().X, style.ItemSpacing().X, 2*style.FramePadding().X
	used := float32(0)
	for i, id := range in.Selected {
		w := imgui.CalcTextSizeV(id, false, -1).X + pad
		if i > 0 && used+gap+w <= avail {
			imgui.SameLine()
			used += gap + w
		} else {
			used = w
		}
		imgui.PushIDStr("sel" + id)
		if imgui.SmallButton(id) {
			picked = id
		}
		imgui.PopID()
	}
	if in.SelectedTotal > len(in.Selected) {
		imgui.SameLine()
		imgui.TextDisabled(escape(fmt.Sprintf("and %d more", in.SelectedTotal-len(in.Selected))))
	}
	imgui.Separator()
	return picked
}

func edgeList(in *Inspection) (picked string) {
	if !imgui.CollapsingHeaderTreeNodeFlagsV(fmt.Sprintf("Edges (%d)###edges", in.EdgesTotal), 0) {
		return ""
	}
	rows := min(len(in.Edges), 8)
	h := float32(rows)*imgui.TextLineHeightWithSpacing() + 8
	if imgui.BeginChildStrV("##edges", imgui.Vec2{X: 0, Y: h}, imgui.ChildFlagsBorders, 0) {
		clip := imgui.NewListClipper()
		clip.Begin(int32(len(in.Edges)))
		for clip.Step() {
			for i := clip.DisplayStart(); i < clip.DisplayEnd(); i++ {
				e := in.Edges[i]
				if imgui.SelectableBool(e.Text + "##" + e.ID) {
					picked = e.ID
				}
			}
		}
		clip.End()
		clip.Destroy()
		if in.EdgesTotal > len(in.Edges) {
			imgui.TextDisabled(escape(fmt.Sprintf("and %d more", in.EdgesTotal-len(in.Edges))))
		}
	}
	imgui.EndChild()
	return picked
}

func provenanceTable(in *Inspection) {
	title := fmt.Sprintf("Provenance (%d events)###provenance", len(in.Provenance))
	if !imgui.CollapsingHeaderTreeNodeFlagsV(title, imgui.TreeNodeFlagsDefaultOpen) {
		return
	}
	if in.ProvenanceNote != "" {
		imgui.TextDisabled(escape(in.ProvenanceNote))
	}
	if len(in.Provenance) == 0 {
		return
	}
	rows := min(len(in.Provenance), 10)
	h := float32(rows+1)*imgui.TextLineHeightWithSpacing() + 8
	flags := imgui.TableFlagsRowBg | imgui.TableFlagsScrollY | imgui.TableFlagsBordersInnerV | imgui.TableFlagsSizingStretchProp
	if !imgui.BeginTableV("##provenance", 4, flags, imgui.Vec2{X: 0, Y: h}, 0) {
		return
	}
	imgui.TableSetupColumnV("v", imgui.TableColumnFlagsWidthFixed, 0, 0)
	imgui.TableSetupColumnV("time", imgui.TableColumnFlagsWidthFixed, 0, 0)
	imgui.TableSetupColumnV("actor", 0, 1.4, 0)
	imgui.TableSetupColumnV("event", 0, 1, 0)
	imgui.TableHeadersRow()
	// Only the visible rows are submitted: a hub's history can run to thousands of events.
	clip := imgui.NewListClipper()
	clip.Begin(int32(len(in.Provenance)))
	for clip.Step() {
		for i := clip.DisplayStart(); i < clip.DisplayEnd(); i++ {
			p := in.Provenance[i]
			imgui.TableNextRow()
			imgui.TableNextColumn()
			text(fmt.Sprintf("%d", p.Version))
			imgui.TableNextColumn()
			text(p.Time)
			imgui.TableNextColumn()
			text(p.Actor)
			imgui.TableNextColumn()
			text(p.Type)
			if p.What != "" && imgui.IsItemHovered() {
				imgui.SetTooltip(escape(p.What))
			}
		}
	}
	clip.End()
	clip.Destroy()
	imgui.EndTable()
}
