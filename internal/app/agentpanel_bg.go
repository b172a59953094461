package app

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/ui"
	"github.com/nats-io/nats.go"
)

// How often the agent panel's background refreshes what it shows. Agents come from the monitor's
// memory (cheap); suggestions are a request to the suggestion service.
const (
	agentTick        = time.Second
	suggestionsEvery = 3 // ticks
	historyMax       = 200
)

// agentBackground is the agent panel's off-frame half: it watches the agents, lists the graph's
// suggestions through the suggestion service and runs the user's requests. The frame thread only
// reads its snapshots (atomic pointers to values that are never changed after they are stored)
// and the small run and busy tables under mu.
type agentBackground struct {
	ctx    context.Context
	log    *slog.Logger
	notify func(level noteLevel, format string, args ...any)
	ask    *agents.Client
	sugg   *agents.SuggestionClient
	mon    *agents.Monitor

	graph   atomic.Pointer[string] // the graph whose suggestions are wanted
	kick    chan struct{}
	agentsS atomic.Pointer[[]ui.AgentInfo]
	suggS   atomic.Pointer[suggestionSnapshot]

	refreshMu   sync.Mutex // one suggestion refresh at a time (the loop, and tasks after an action)
	lastPending int
	lastGraph   string
	lastProblem string

	shown atomic.Bool // the panel is on screen (it reports run results itself)

	mu      sync.Mutex
	lastRun string
	runs    []*agentRun
	busy    map[string]bool // suggestions with a verdict on its way
	nextID  uint64
}

// suggestionSnapshot is one listing of a graph's suggestions, prepared for the panel and the ghosts.
type suggestionSnapshot struct {
	graph   string
	pending []ui.SuggestionItem // most confident first
	ghosts  []ghost             // pending[i]'s preview
	history []ui.Decision       // newest first
	problem string
}

// agentRun is an analysis in progress.
type agentRun struct {
	id        uint64
	agent     string
	scope     string
	requestID string
	started   time.Time
	cancel    context.CancelFunc
	cancelled atomic.Bool

	mu          sync.Mutex
	done, total int
	message     string
	partial     int
}

func startAgentBackground(ctx context.Context, nc *nats.Conn, log *slog.Logger, notify func(noteLevel, string, ...any)) *agentBackground {
	b := &agentBackground{ctx: ctx, log: log, notify: notify, ask: agents.NewClient(nc),
		sugg: agents.NewSuggestionClient(nc), kick: make(chan struct{}, 1), busy: map[string]bool{}, lastPending: -1}
	b.mon = agents.NewMonitor(nc, agents.MonitorOptions{OnChange: b.refreshAgents})
	empty := ""
	b.graph.Store(&empty)
	go b.mon.Run(ctx)
	go b.loop(ctx)
	return b
}

// setGraph names the graph the panel shows; a change refreshes at once.
func (b *agentBackground) setGraph(id string) {
	if cur := b.graph.Load(); cur != nil && *cur == id {
		return
	}
	b.graph.Store(&id)
	b.refreshSoon()
}

func (b *agentBackground) refreshSoon() {
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

func (b *agentBackground) loop(ctx context.Context) {
	t := time.NewTicker(agentTick)
	defer t.Stop()
	for n := 0; ; n++ {
		b.refreshAgents()
		if n%suggestionsEvery == 0 {
			b.refreshSuggestions(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-b.kick:
			n = -1 // the next pass refreshes the suggestions
		}
	}
}

// refreshAgents turns the monitor's instances into one row per agent.
func (b *agentBackground) refreshAgents() {
	var out []ui.AgentInfo
	for _, st := range b.mon.Snapshot() { // sorted by name
		if len(out) == 0 || out[len(out)-1].Name != st.Name {
			c := st.Capabilities
			out = append(out, ui.AgentInfo{Name: st.Name, Version: st.Version, Description: st.Description,
				Analyses: c.Analyses, Suggests: c.Suggests, Params: c.Params, MaxNodes: c.MaxNodes})
		}
		a := &out[len(out)-1]
		a.Instances++
		if st.Healthy {
			a.Healthy++
		}
		a.Requests += st.Requests
		a.Errors += st.Errors
		a.InFlight += st.InFlight
		if cmp.Compare(st.Version, a.Version) > 0 {
			a.Version = st.Version
		}
	}
	b.agentsS.Store(&out)
}

// refreshSuggestions lists the wanted graph's suggestions and stores a new snapshot.
func (b *agentBackground) refreshSuggestions(ctx context.Context) {
	b.refreshMu.Lock()
	defer b.refreshMu.Unlock()
	graphID := *b.graph.Load()
	snap := &suggestionSnapshot{graph: graphID}
	if graphID == "" {
		b.suggS.Store(snap)
		return
	}
	entries, err := b.sugg.List(ctx, graphID, "")
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		snap.problem = "suggestions: " + err.Error()
		if old := b.suggS.Load(); old != nil && old.graph == graphID { // keep showing what we had
			snap.pending, snap.ghosts, snap.history = old.pending, old.ghosts, old.history
		}
		if snap.problem != b.lastProblem {
			b.notify(noteWarn, "%s", snap.problem)
			b.log.Warn("suggestions refresh", "graph", graphID, "err", err)
		}
		b.lastProblem = snap.problem
		b.suggS.Store(snap)
		return
	}
	b.lastProblem = ""
	var pending []agents.Entry
	for _, e := range entries {
		if e.Status == agents.StatusPending {
			pending = append(pending, e)
			continue
		}
		snap.history = append(snap.history, ui.Decision{ID: e.ID, Title: fontSafe.Replace(e.Title), Agent: e.Agent,
			Accepted: e.Status == agents.StatusAccepted, Actor: e.DecidedBy, Reason: fontSafe.Replace(e.Reason),
			Confidence: e.Confidence, At: e.Time, Version: e.DecidedAt})
	}
	slices.SortStableFunc(pending, func(a, b agents.Entry) int { return cmp.Compare(b.Confidence, a.Confidence) })
	for _, e := range pending {
		snap.pending = append(snap.pending, ui.SuggestionItem{ID: e.ID, Title: fontSafe.Replace(e.Title), Agent: e.Agent,
			Reasoning: fontSafe.Replace(e.Reasoning), Confidence: e.Confidence, Commands: summariseCommands(e.Commands)})
		snap.ghosts = append(snap.ghosts, ghostOf(e.Commands))
	}
	slices.SortStableFunc(snap.history, func(a, b ui.Decision) int { return cmp.Compare(b.Version, a.Version) })
	if len(snap.history) > historyMax {
		snap.history = snap.history[:historyMax]
	}
	if len(snap.pending) != b.lastPending || graphID != b.lastGraph {
		b.log.Info("suggestions pending", "graph", graphID, "count", len(snap.pending), "decided", len(snap.history))
		b.lastPending, b.lastGraph = len(snap.pending), graphID
	}
	b.suggS.Store(snap)
}

// ---- runs ----

// runAgent asks agent to analyse graphID (or only nodes) and records its suggestions as pending
// through the suggestion service; it runs on a task goroutine.
func (b *agentBackground) runAgent(ctx context.Context, t *task, agent, graphID string, nodes []string) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reqID, err := graph.NewEventID()
	if err != nil {
		return "", err
	}
	scope := "the graph"
	if len(nodes) > 0 {
		scope = fmt.Sprintf("%d selected nodes", len(nodes))
	}
	run := &agentRun{agent: agent, scope: scope, requestID: reqID, started: time.Now(), cancel: cancel}
	b.mu.Lock()
	b.nextID++
	run.id = b.nextID
	b.runs = append(b.runs, run)
	b.mu.Unlock()
	defer b.dropRun(run)

	b.log.Info("agent run", "agent", agent, "graph", graphID, "selection", len(nodes), "request", reqID)
	t.Status("asking")
	res, err := b.ask.Ask(ctx, agent, agents.Request{RequestID: reqID, GraphID: graphID, Selection: nodes}, func(p agents.Progress) {
		run.mu.Lock()
		if p.Total > 0 || p.Done > 0 {
			run.done, run.total = p.Done, p.Total
		}
		if p.Message != "" && len(p.Suggestions) == 0 {
			run.message = p.Message
		}
		run.partial += len(p.Suggestions)
		run.mu.Unlock()
		t.Progress(p.Done, p.Total)
		if p.Message != "" {
			t.Status(p.Message)
		}
	})
	if err != nil {
		if run.cancelled.Load() {
			b.log.Info("agent cancelled", "agent", agent, "request", reqID)
			return fmt.Sprintf("agent %s: cancelled", agent), nil
		}
		return "", err
	}
	t.Status(fmt.Sprintf("recording %d suggestions", len(res.Suggestions)))
	proposed, skipped, err := b.proposeNew(ctx, t, res)
	b.log.Info("agent result", "agent", agent, "graph", graphID, "suggestions", len(res.Suggestions),
		"proposed", proposed, "duplicates", skipped, "elapsed_ms", res.ElapsedMS)
	b.refreshSuggestions(ctx)
	if err != nil {
		return "", fmt.Errorf("%d of %d suggestions recorded: %w", proposed, len(res.Suggestions), err)
	}
	msg := fmt.Sprintf("%s: %d new suggestions", agent, proposed)
	if skipped > 0 {
		msg += fmt.Sprintf(" (%d already pending or rejected)", skipped)
	}
	if res.Summary != "" {
		msg += " - " + fontSafe.Replace(res.Summary)
	}
	b.mu.Lock()
	b.lastRun = msg
	b.mu.Unlock()
	if b.shown.Load() { // the panel says it; a notification would only cover it
		return "", nil
	}
	return msg, nil
}

// lastRunText is what the last finished run brought, for the panel.
func (b *agentBackground) lastRunText() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lastRun
}

// proposeNew records the result's suggestions, skipping those whose commands are already pending
// or were rejected (asking an agent twice must neither double the list nor bring back what the
// user turned down). It goes on past a refused suggestion and reports the first refusal.
func (b *agentBackground) proposeNew(ctx context.Context, t *task, res *agents.Result) (proposed, skipped int, first error) {
	known, err := b.sugg.List(ctx, res.GraphID, "")
	if err != nil {
		return 0, 0, err
	}
	seen := map[string]bool{}
	for _, e := range known {
		if e.Status != agents.StatusAccepted {
			seen[commandsKey(e.Commands)] = true
		}
	}
	for i, s := range res.Suggestions {
		t.Progress(i, len(res.Suggestions))
		key := commandsKey(s.Commands)
		if seen[key] {
			skipped++
			continue
		}
		if _, err := b.sugg.Propose(ctx, res.GraphID, s, "ui"); err != nil {
			if first == nil {
				first = fmt.Errorf("suggestion %q: %w", s.Title, err)
			}
			if ctx.Err() != nil {
				return proposed, skipped, first
			}
			continue
		}
		seen[key] = true
		proposed++
	}
	return proposed, skipped, first
}

func commandsKey(cmds []agents.CommandSpec) string {
	var sb strings.Builder
	for _, c := range cmds {
		sb.WriteString(c.Op)
		sb.WriteByte(0)
		sb.Write(c.Args)
		sb.WriteByte(0)
	}
	return sb.String()
}

func (b *agentBackground) dropRun(run *agentRun) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.runs = slices.DeleteFunc(b.runs, func(r *agentRun) bool { return r == run })
}

// cancelRun tells the agent to stop request id and stops waiting for it.
func (b *agentBackground) cancelRun(id uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range b.runs {
		if r.id == id {
			r.cancelled.Store(true)
			b.ask.Cancel(r.requestID)
			r.cancel()
		}
	}
}

// runRows copies the runs in progress for the panel.
func (b *agentBackground) runRows(out []ui.AgentRun, now time.Time) []ui.AgentRun {
	out = out[:0]
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range b.runs {
		r.mu.Lock()
		out = append(out, ui.AgentRun{ID: r.id, Agent: r.agent, Scope: r.scope, Done: r.done, Total: r.total,
			Message: r.message, Partial: r.partial, Elapsed: now.Sub(r.started)})
		r.mu.Unlock()
	}
	return out
}

// ---- verdicts ----

// setBusy marks suggestions as waiting for their verdict (true) or done with it (false).
func (b *agentBackground) setBusy(busy bool, ids ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, id := range ids {
		if busy {
			b.busy[id] = true
		} else {
			delete(b.busy, id)
		}
	}
}

// busyInto copies the busy set into dst (the frame's own map).
func (b *agentBackground) busyInto(dst map[string]bool) {
	clear(dst)
	b.mu.Lock()
	defer b.mu.Unlock()
	for id := range b.busy {
		dst[id] = true
	}
}

func (b *agentBackground) accept(ctx context.Context, graphID, id, title string) (string, error) {
	defer func() { b.refreshSuggestions(ctx); b.setBusy(false, id) }()
	rep, err := b.sugg.Accept(ctx, graphID, id, "ui")
	if err != nil {
		b.log.Warn("suggestion not accepted", "id", id, "err", err)
		return "", fmt.Errorf("accept %q: %w", title, err)
	}
	if rep.Duplicate { // a retry of an accept that landed: nothing new happened
		return fmt.Sprintf("%q was already accepted (version %d)", title, rep.Version), nil
	}
	b.log.Info("suggestion accepted", "graph", graphID, "id", id, "version", rep.Version)
	return fmt.Sprintf("accepted %q (version %d)", title, rep.Version), nil
}

func (b *agentBackground) reject(ctx context.Context, graphID, id, title, reason string) (string, error) {
	defer func() { b.refreshSuggestions(ctx); b.setBusy(false, id) }()
	rep, err := b.sugg.Reject(ctx, graphID, id, reason, "ui")
	if err != nil {
		b.log.Warn("suggestion not rejected", "id", id, "err", err)
		return "", fmt.Errorf("reject %q: %w", title, err)
	}
	b.log.Info("suggestion rejected", "graph", graphID, "id", id, "reason", reason, "version", rep.Version)
	return fmt.Sprintf("rejected %q", title), nil
}

// acceptAll accepts ids in order; a refused one (a conflict with an earlier accept) does not stop
// the rest.
func (b *agentBackground) acceptAll(ctx context.Context, t *task, graphID string, ids []string) (string, error) {
	defer func() { b.refreshSuggestions(ctx); b.setBusy(false, ids...) }()
	var failed []string
	var first error
	accepted := 0
	for i, id := range ids {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		t.Progress(i, len(ids))
		rep, err := b.sugg.Accept(ctx, graphID, id, "ui")
		b.setBusy(false, id)
		if err != nil {
			failed = append(failed, id)
			if first == nil {
				first = err
			}
			b.log.Warn("suggestion not accepted", "id", id, "err", err)
			continue
		}
		accepted++
		b.log.Info("suggestion accepted", "graph", graphID, "id", id, "version", rep.Version)
	}
	if first != nil {
		return "", fmt.Errorf("accepted %d of %d; %d refused, the first: %w", accepted, len(ids), len(failed), first)
	}
	return fmt.Sprintf("accepted %d suggestions", accepted), nil
}
