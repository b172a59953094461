package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/infoalchemist/alchemist/internal/ui"
)

// agentPanel is the agent side panel (Ctrl+Shift+A): the agents with their health and capabilities,
// runs in progress, pending suggestions with a ghost preview in the 3D view, accept/reject, bulk
// accept and the history of decisions. Everything that waits on NATS runs in agentBackground; the
// frame only reads its snapshots.
type agentPanel struct {
	shown bool

	bg      *agentBackground // started on the first frame
	st      ui.AgentPanelState
	data    ui.AgentPanelData
	busy    map[string]bool
	ghosts  ghostPainter
	laidOut [4]int // the panel's rectangle last logged
}

// defaultThreshold is where the bulk-accept slider starts.
const defaultThreshold = 0.8

// frame draws the panel (when shown) and the ghost preview of the pending suggestions.
func (p *agentPanel) frame(ctx context.Context, l *frameLoop) {
	p.start(ctx, l)
	p.bg.setGraph(p.graphOf(l))
	p.bg.shown.Store(p.shown)
	if !p.shown {
		return
	}
	snap := p.bg.suggS.Load()
	d := &p.data
	d.Graph, d.Selected, d.Bottom, d.Problem = "", len(l.selectedIDs()), l.bottomInset(), ""
	if live := l.liveView(); live.agg != nil {
		d.Graph = live.world.Name
		if d.Graph == "" {
			d.Graph = live.world.GraphID
		}
	}
	d.Agents = nil
	if a := p.bg.agentsS.Load(); a != nil {
		d.Agents = *a
	}
	d.Runs = p.bg.runRows(d.Runs, time.Now())
	d.LastRun = p.bg.lastRunText()
	d.Pending, d.History = nil, nil
	if snap != nil && snap.graph == p.graphOf(l) {
		d.Pending, d.History, d.Problem = snap.pending, snap.history, snap.problem
	}
	p.bg.busyInto(p.busy)
	d.Busy = p.busy

	asking := p.st.Rejecting
	res := l.gui.AgentPanel(d, &p.st)
	if p.st.Rejecting != "" && p.st.Rejecting != asking {
		l.logger.Info("rejection reason asked", "id", p.st.Rejecting)
	}
	if res.Closed {
		p.shown = false
	}
	if r := [4]int{int(res.Rect[0]), int(res.Rect[1]), int(res.Rect[2]), int(res.Rect[3])}; r != p.laidOut && r[2] > 0 {
		p.laidOut = r
		l.logger.Info("agent panel layout", "x", r[0], "y", r[1], "width", r[2], "height", r[3])
	}
	p.act(ctx, l, res)
	if p.shown {
		p.ghosts.paint(l, snap, res.Hovered)
	}
}

// start launches the background half on the first frame: the agent monitor and the refresher live
// as long as the window.
func (p *agentPanel) start(ctx context.Context, l *frameLoop) {
	if p.bg != nil {
		return
	}
	p.bg = startAgentBackground(ctx, l.ws.nc, l.logger, l.tasks.notify)
	p.busy = map[string]bool{}
	p.st.Threshold = defaultThreshold
}

// agents is the latest list of agents the monitor found (nil before the first poll). The palette
// lists them too.
func (p *agentPanel) agents() *[]ui.AgentInfo {
	if p.bg == nil {
		return nil
	}
	return p.bg.agentsS.Load()
}

// graphOf is the stored graph the suggestions are about: the live one, whatever the timeline shows.
func (p *agentPanel) graphOf(l *frameLoop) string {
	live := l.liveView()
	if live.agg == nil {
		return ""
	}
	return live.world.GraphID
}

// act carries out what the user asked of the panel.
func (p *agentPanel) act(ctx context.Context, l *frameLoop, res ui.AgentPanelResult) {
	graphID := p.graphOf(l)
	switch res.Action {
	case ui.AgentRunGraph:
		p.run(ctx, l, p.st.Agent, nil)
	case ui.AgentRunSelect:
		p.run(ctx, l, p.st.Agent, l.selectedIDs())
	case ui.AgentCancel:
		p.bg.cancelRun(res.RunID)
	case ui.AgentAccept:
		title := p.title(res.ID)
		p.bg.setBusy(true, res.ID)
		p.advanceCursor(res.ID)
		l.tasks.start(ctx, "accept suggestion", func(ctx context.Context, t *task) (string, error) {
			return p.bg.accept(ctx, graphID, res.ID, title)
		})
	case ui.AgentReject:
		title := p.title(res.ID)
		p.bg.setBusy(true, res.ID)
		p.advanceCursor(res.ID)
		l.tasks.start(ctx, "reject suggestion", func(ctx context.Context, t *task) (string, error) {
			return p.bg.reject(ctx, graphID, res.ID, title, res.Reason)
		})
	case ui.AgentBulkAccept:
		ids := slices.Clone(res.IDs)
		p.bg.setBusy(true, ids...)
		l.logger.Info("bulk accept", "graph", graphID, "count", len(ids), "threshold", p.st.Threshold)
		l.tasks.start(ctx, fmt.Sprintf("accept %d suggestions", len(ids)), func(ctx context.Context, t *task) (string, error) {
			return p.bg.acceptAll(ctx, t, graphID, ids)
		})
	}
}

// advanceCursor moves the cursor off a suggestion being decided, to the next one still open, so
// that A or X pressed again acts on the next suggestion.
func (p *agentPanel) advanceCursor(id string) {
	if p.st.Cursor != id {
		return
	}
	pending := p.data.Pending
	i := slices.IndexFunc(pending, func(s ui.SuggestionItem) bool { return s.ID == id })
	for j := 1; i >= 0 && j < len(pending); j++ {
		next := pending[(i+j)%len(pending)].ID
		if !p.busy[next] && next != id {
			p.st.Cursor = next
			return
		}
	}
}

func (p *agentPanel) title(id string) string {
	for _, s := range p.data.Pending {
		if s.ID == id {
			return s.Title
		}
	}
	return id
}

// toggle shows or hides the panel.
func (p *agentPanel) toggle() { p.shown = !p.shown }

// run asks agent to analyse the open graph, or only nodes when given, in the background; its
// suggestions are recorded as pending through the suggestion service.
func (p *agentPanel) run(ctx context.Context, l *frameLoop, agent string, nodes []string) {
	p.start(ctx, l)
	graphID := p.graphOf(l)
	switch {
	case agent == "":
		l.notify(noteWarn, "run agent: choose an agent")
		return
	case graphID == "":
		l.notify(noteWarn, "run agent %s: open a stored graph first", agent)
		return
	}
	p.shown = true
	p.bg.shown.Store(true)
	p.bg.setGraph(graphID)
	p.st.Agent = agent
	nodes = slices.Clone(nodes)
	l.tasks.start(ctx, "agent "+agent, func(ctx context.Context, t *task) (string, error) {
		return p.bg.runAgent(ctx, t, agent, graphID, nodes)
	})
}
