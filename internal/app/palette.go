package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/infoalchemist/alchemist/internal/agents/builtin"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/palette"
	"github.com/infoalchemist/alchemist/internal/ui"
	"github.com/infoalchemist/alchemist/internal/world"
)

// paletteRows is how many ranked entries the palette keeps (it shows a dozen, the rest scroll).
const paletteRows = 60

// paletteReRank is how often a graph that keeps changing re-ranks the open palette's nodes.
const paletteReRank = 500 * time.Millisecond

// paletteRecent is how many chosen entries the palette remembers (kept between runs in uistate.go's file).
const paletteRecent = 32

// The chords that open the palette, as in VS Code (Ctrl+Shift+P) and many web apps (Ctrl+K).
var paletteChords = []string{"Ctrl+K", "Ctrl+Shift+P"}

// prompt is a question the palette asks for a command's argument, like VS Code's quick input: free
// text, or one of a list of choices filtered as the user types.
type prompt struct {
	title   string
	hint    string
	initial string
	choices func(l *frameLoop) []choice // nil: free text
	// accept runs on the frame thread with the text typed or the choice's value. An error keeps
	// the prompt open and is shown in it and as a notification.
	accept func(ctx context.Context, l *frameLoop, value string) error
}

// choice is one of a prompt's answers.
type choice struct {
	item  palette.Item
	value string
}

// paletteEntry is one ranked row and what choosing it does.
type paletteEntry struct {
	item  palette.Item
	hit   palette.Hit
	run   func(ctx context.Context, l *frameLoop) // main list
	value string                                  // prompt choices
}

// paletteInputs is what the ranked list depends on; a change re-ranks.
type paletteInputs struct {
	query    string
	asking   *prompt
	graphs   *[]eventstore.GraphInfo
	world    *world.World
	topology uint64
	seq      uint64
	recent   int
	lastUse  string
	agents   *[]ui.AgentInfo
}

// paletteUI is the command palette (Ctrl+K, Ctrl+Shift+P): fuzzy search over the commands, the
// stored graphs, the open graph's nodes, the agents and the layout settings, recently used first.
// It also binds the command table's shortcuts, so they work with the palette closed.
type paletteUI struct {
	shown    bool
	query    string
	asking   *prompt
	err      string
	focus    bool
	scroll   bool
	selected int

	ready  bool
	ranker *palette.Ranker
	saver  uiStateSaver
	cmds   []command
	chords []boundChord
	open2  []ui.Chord // the palette's own chords

	inputs   paletteInputs
	rankedAt time.Time
	items    []palette.Item
	runs     []func(ctx context.Context, l *frameLoop)
	values   []string
	hits     []palette.Hit
	nodeHits []palette.Hit
	recent   map[string]bool
	entries  []paletteEntry
	rows     []ui.PaletteRow
	footer   string
}

// setup parses the command table once.
func (p *paletteUI) setup(l *frameLoop) {
	if p.ready {
		return
	}
	p.ready = true
	p.ranker = palette.NewRanker(paletteRecent)
	p.saver.log = l.logger
	recent := loadUIState(l.logger).Recent
	for i := len(recent) - 1; i >= 0; i-- { // oldest first, so the newest ends on top
		p.ranker.Use(recent[i])
	}
	p.cmds = commandTable()
	var err error
	if p.chords, err = commandChords(p.cmds); err != nil {
		l.logger.Error("palette shortcuts", "err", err)
	}
	for _, s := range paletteChords {
		if ch, err := ui.ParseChord(s); err == nil {
			p.open2 = append(p.open2, ch)
		}
	}
}

// open shows the palette with query typed in.
func (p *paletteUI) open(query string) {
	p.shown, p.query, p.asking, p.err = true, query, nil, ""
	p.focus, p.selected, p.inputs = true, 0, paletteInputs{}
}

func (p *paletteUI) close() {
	p.shown, p.asking, p.err, p.query = false, nil, "", ""
}

// ask switches the palette to a prompt for a command's argument.
func (p *paletteUI) ask(pr *prompt) {
	p.shown, p.asking, p.query, p.err = true, pr, pr.initial, ""
	p.focus, p.selected, p.inputs = true, 0, paletteInputs{}
}

// frame handles the palette's shortcuts and draws it when open. It runs after the other panels so the
// palette is on top.
func (p *paletteUI) frame(ctx context.Context, l *frameLoop) {
	p.setup(l)
	p.shortcuts(ctx, l)
	if !p.shown {
		return
	}
	p.rank(l)
	view := ui.PaletteView{
		Query: &p.query, Rows: p.rows, Selected: p.selected, Footer: p.footer, Error: p.err,
		Focus: p.focus, Scroll: p.scroll,
		Hint: "Type a command, graph, node or agent; > commands only, @ nodes only",
	}
	if p.asking != nil {
		view.Prompt, view.Hint = p.asking.title, p.asking.hint
	}
	p.focus, p.scroll = false, false
	in := l.gui.Palette(&view)
	switch {
	case in.Close:
		p.close()
	case in.Chosen >= 0 && in.Chosen < len(p.entries):
		p.choose(ctx, l, &p.entries[in.Chosen])
	case in.Enter && p.asking != nil && p.asking.choices == nil:
		p.accept(ctx, l, p.query)
	case in.Enter:
		p.err = "nothing matches " + quoteQuery(p.query)
		p.focus = true
	case in.Move != 0 && len(p.entries) > 0:
		p.selected = min(max(p.selected+in.Move, 0), len(p.entries)-1)
		p.scroll = true
	case in.Changed:
		p.selected, p.err = 0, ""
	}
}

func quoteQuery(q string) string {
	if q == "" {
		return "the empty query"
	}
	return fmt.Sprintf("%q", q)
}

// shortcuts opens or closes the palette on its chords and runs the command table's shortcuts
// while no text field has the keyboard.
func (p *paletteUI) shortcuts(ctx context.Context, l *frameLoop) {
	for _, ch := range p.open2 {
		if l.gui.Pressed(ch) {
			// Open: close it; asking for an argument: back to the full list (as VS Code does).
			if p.shown && p.asking == nil {
				p.close()
			} else {
				p.open("")
				l.logger.Info("palette", "command", "open palette")
			}
			return
		}
	}
	if p.shown || l.gui.WantsKeyboard() {
		return
	}
	for _, b := range p.chords {
		if l.gui.Pressed(b.chord) {
			l.logger.Info("palette", "command", b.cmd.name, "via", "shortcut", "shortcut", b.cmd.shortcut)
			p.use(commandKey(b.cmd))
			b.cmd.run(ctx, l)
			return
		}
	}
}

// use records a chosen entry and remembers the recent list for the next run.
func (p *paletteUI) use(key string) {
	p.ranker.Use(key)
	p.saver.save(uiState{Recent: slices.Clone(p.ranker.Recent())})
}

// choose runs an entry: a main-list entry runs (it may open a prompt), a prompt's choice is accepted.
func (p *paletteUI) choose(ctx context.Context, l *frameLoop, e *paletteEntry) {
	p.use(e.item.Key)
	if p.asking != nil {
		p.accept(ctx, l, e.value)
		return
	}
	p.close()
	e.run(ctx, l)
}

// accept hands the prompt's answer to its command; the prompt stays open on an error.
func (p *paletteUI) accept(ctx context.Context, l *frameLoop, value string) {
	pr := p.asking
	if err := pr.accept(ctx, l, value); err != nil {
		p.err, p.focus = err.Error(), true
		l.notify(noteError, "%s: %v", pr.title, err)
		l.logger.Info("palette", "command", pr.title, "refused", err.Error())
		return
	}
	if p.asking == pr { // not followed by another question
		p.close()
	}
}

// rank rebuilds the list when something it shows changed: the query, the prompt, the graphs, the
// open graph (at most every paletteReRank while it keeps changing), the recent entries.
func (p *paletteUI) rank(l *frameLoop) {
	w := l.view.world
	in := paletteInputs{query: p.query, asking: p.asking, graphs: l.ws.graphs.Load(), world: w,
		topology: w.Topology, seq: w.Seq, recent: len(p.ranker.Recent()), agents: l.agentUI.agents()}
	if r := p.ranker.Recent(); len(r) > 0 {
		in.lastUse = r[0]
	}
	if in == p.inputs {
		return
	}
	onlySeq := in.seq != p.inputs.seq && func() bool { c := in; c.seq = p.inputs.seq; return c == p.inputs }()
	if onlySeq && time.Since(p.rankedAt) < paletteReRank {
		return
	}
	if in.seq != p.inputs.seq || in.world != p.inputs.world {
		p.ranker.Forget() // labels may have changed in place
	}
	p.inputs, p.rankedAt = in, time.Now()
	start := time.Now()
	query, scope := p.query, byte(0)
	if p.asking == nil && query != "" && (query[0] == '>' || query[0] == '@') {
		query, scope = strings.TrimLeft(query[1:], " "), query[0]
	}
	p.items, p.runs, p.values = p.items[:0], p.runs[:0], p.values[:0]
	if p.asking != nil {
		if p.asking.choices != nil {
			for _, c := range p.asking.choices(l) {
				p.items, p.values = append(p.items, c.item), append(p.values, c.value)
			}
		}
	} else {
		p.mainItems(l, scope)
	}
	p.hits = p.ranker.Rank(query, p.items, p.hits[:0])
	p.nodeHits = p.nodeHits[:0]
	searchNodes := p.asking == nil && scope != '>' && strings.TrimSpace(query) != "" && w.Nodes.Len() > 0
	if searchNodes {
		p.nodeHits = p.ranker.Top(query, w.Nodes.Label, w.Nodes.ID, paletteRows, p.nodeHits)
	}
	took := time.Since(start)
	p.merge(l, query)
	p.selected = min(p.selected, max(len(p.entries)-1, 0))
	switch {
	case p.asking != nil && p.asking.choices == nil:
		p.footer = "Enter to accept, Esc to cancel"
	case searchNodes:
		p.footer = fmt.Sprintf("%d shown; %d nodes searched in %.1f ms", len(p.entries), w.Nodes.Len(), float64(took.Microseconds())/1000)
	default:
		p.footer = fmt.Sprintf("%d shown", len(p.entries))
	}
}

// mainItems lists the commands, agents, graphs and recently chosen nodes; scope '>' keeps the
// commands (with the agents and layout settings), '@' the nodes.
func (p *paletteUI) mainItems(l *frameLoop, scope byte) {
	if scope != '@' {
		p.commandItems(l.agentUI.agents())
	}
	if scope == 0 {
		for _, g := range l.graphList() {
			id := g.ID
			p.add(graphItem(g), func(ctx context.Context, l *frameLoop) {
				if err := openGraph(ctx, l, id); err != nil {
					l.notify(noteError, "open graph: %v", err)
				}
			})
		}
	}
	// Recently chosen nodes rank with the small lists (where recency counts); the scan over
	// all nodes leaves them out.
	clear(p.recent)
	if p.recent == nil {
		p.recent = map[string]bool{}
	}
	if scope == '>' {
		return
	}
	w := l.view.world
	for _, key := range p.ranker.Recent() {
		id, ok := strings.CutPrefix(key, "node:")
		if !ok {
			continue
		}
		row, ok := w.Nodes.Index(id)
		if !ok {
			continue
		}
		p.recent[id] = true
		p.add(nodeItem(id, w.Nodes.Label[row]), nodeRun(id))
	}
}

// commandItems lists the command table and one entry per agent.
func (p *paletteUI) commandItems(agentsSeen *[]ui.AgentInfo) {
	for i := range p.cmds {
		c := &p.cmds[i]
		p.add(palette.Item{Kind: c.kind, Title: c.name, Shortcut: c.shortcut, Key: commandKey(c)}, func(ctx context.Context, l *frameLoop) {
			l.logger.Info("palette", "command", c.name, "via", "palette")
			c.run(ctx, l)
		})
	}
	names := builtin.Names()
	if agentsSeen != nil { // the agents the agent panel's monitor has found on NATS
		for _, a := range *agentsSeen {
			if !slices.Contains(names, a.Name) {
				names = append(names, a.Name)
			}
		}
	}
	for _, name := range names {
		title := "Run agent: " + name
		p.add(palette.Item{Kind: "agent", Title: title, Key: "agent:" + name}, func(ctx context.Context, l *frameLoop) {
			nodes := l.selectedIDs()
			l.logger.Info("palette", "command", title, "agent", name, "nodes", len(nodes))
			l.agentUI.run(ctx, l, name, nodes)
		})
	}
}

func (p *paletteUI) add(it palette.Item, run func(ctx context.Context, l *frameLoop)) {
	p.items, p.runs = append(p.items, it), append(p.runs, run)
}

func commandKey(c *command) string { return "cmd:" + c.name }

func graphItem(g eventstore.GraphInfo) palette.Item {
	title := g.Name
	if title == "" {
		title = g.ID
	}
	return palette.Item{Kind: "graph", Title: title, Detail: g.ID, Key: "graph:" + g.ID}
}

func nodeItem(id, label string) palette.Item {
	if label == "" {
		return palette.Item{Kind: "node", Title: id, Key: "node:" + id}
	}
	return palette.Item{Kind: "node", Title: label, Detail: id, Key: "node:" + id}
}

// nodeRun selects the node and frames it.
func nodeRun(id string) func(ctx context.Context, l *frameLoop) {
	return func(_ context.Context, l *frameLoop) {
		l.logger.Info("palette", "command", "select node", "node", id)
		l.selectIDs([]string{id})
		l.focusSelection()
	}
}

// merge interleaves the small lists' hits and the node hits by score (the small lists first on a
// tie) into the entries and rows shown.
func (p *paletteUI) merge(l *frameLoop, query string) {
	p.entries, p.rows = p.entries[:0], p.rows[:0]
	w := l.view.world
	m := p.ranker.Matcher(query)
	i, j := 0, 0
	for len(p.entries) < paletteRows && (i < len(p.hits) || j < len(p.nodeHits)) {
		var e paletteEntry
		if j >= len(p.nodeHits) || i < len(p.hits) && p.hits[i].Score >= p.nodeHits[j].Score {
			h := p.hits[i]
			i++
			e = paletteEntry{item: p.items[h.Index], hit: h}
			if p.asking != nil {
				e.value = p.values[h.Index]
			} else {
				e.run = p.runs[h.Index]
			}
		} else {
			h := p.nodeHits[j]
			j++
			id := w.Nodes.ID[h.Index]
			if p.recent[id] {
				continue
			}
			e = paletteEntry{item: nodeItem(id, w.Nodes.Label[h.Index]), hit: h, run: nodeRun(id)}
			if e.item.Detail == "" {
				e.hit.Detail = false // the id is the title
			}
		}
		row := ui.PaletteRow{Kind: e.item.Kind, Title: e.item.Title, Detail: e.item.Detail, Shortcut: e.item.Shortcut,
			MatchDetail: e.hit.Detail}
		if query != "" {
			text := e.item.Title
			if e.hit.Detail {
				text = e.item.Detail
			}
			_, row.Match, _ = m.Positions(text, nil)
		}
		p.entries, p.rows = append(p.entries, e), append(p.rows, row)
	}
}
