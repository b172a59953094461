package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/graphio"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/ui"
)

// command is one entry of the workbench's command table: the palette lists it, and its shortcut
// runs it without the palette. This table is the one place shortcuts are bound, except the camera
// keys input.go reads every frame (F, R, Escape, Ctrl+Q), which are listed here for display.
type command struct {
	name     string // the palette's title; the log's command=
	kind     string // command or layout
	shortcut string // a chord ui.ParseChord reads
	// external: the shortcut is handled by input.go; the palette shows it and does not bind it.
	external bool
	run      func(ctx context.Context, l *frameLoop)
}

// commandTable is the command table, in the order the palette lists it with an empty query. (A
// function, not a variable: the commands reach the palette, which reads the table.)
func commandTable() []command {
	return []command{
		{name: "Open graph...", kind: "command", shortcut: "Ctrl+O", run: askOpenGraph},
		{name: "Create graph...", kind: "command", shortcut: "Ctrl+N", run: askCreateGraph},
		{name: "Rename graph...", kind: "command", run: askRenameGraph},
		{name: "Delete graph...", kind: "command", run: askDeleteGraph},
		{name: "Import file...", kind: "command", shortcut: "Ctrl+I", run: askImport},
		{name: "Export file...", kind: "command", shortcut: "Ctrl+E", run: askExport},
		{name: "Add node...", kind: "command", run: askAddNode},
		{name: "Add edge...", kind: "command", run: askAddEdge},
		{name: "Toggle agent panel", kind: "command", shortcut: "Ctrl+G", run: func(_ context.Context, l *frameLoop) { l.agentUI.toggle() }},
		{name: "Toggle layout", kind: "layout", shortcut: "Ctrl+Space", run: toggleLayout},
		{name: "Reheat layout", kind: "layout", run: func(_ context.Context, l *frameLoop) { l.liveView().runner.Wake() }},
		{name: "Set similarity weight...", kind: "layout", run: askWeight("similarity", func(p *layout.Params) *float64 { return &p.Weights.Similarity })},
		{name: "Set category weight...", kind: "layout", run: askWeight("category", func(p *layout.Params) *float64 { return &p.Weights.Category })},
		{name: "Set coalition weight...", kind: "layout", run: askWeight("coalition", func(p *layout.Params) *float64 { return &p.Weights.Coalition })},
		{name: "Set competition weight...", kind: "layout", run: askWeight("competition", func(p *layout.Params) *float64 { return &p.Weights.Competition })},
		{name: "Set temporal weight...", kind: "layout", run: askWeight("temporal", func(p *layout.Params) *float64 { return &p.Weights.Temporal })},
		{name: "Set gravity...", kind: "layout", run: askWeight("gravity", func(p *layout.Params) *float64 { return &p.Gravity })},
		{name: "Set repulsion...", kind: "layout", run: askWeight("repulsion", func(p *layout.Params) *float64 { return &p.Repulsion })},
		{name: "Set Barnes-Hut theta...", kind: "layout", run: askWeight("theta", func(p *layout.Params) *float64 { return &p.Theta })},
		{name: "Toggle LinLog layout", kind: "layout", run: func(_ context.Context, l *frameLoop) {
			setParams(l, "linlog", func(p *layout.Params) { p.LinLog = !p.LinLog })
		}},
		// F frames the selection, else the whole graph (input.go); the second entry always the graph.
		{name: "Fit view / focus selection", kind: "command", shortcut: "F", external: true, run: func(_ context.Context, l *frameLoop) { l.focusSelection() }},
		{name: "Fit whole graph", kind: "command", run: func(_ context.Context, l *frameLoop) { l.controls.fitAsked = true }},
		{name: "Reset view", kind: "command", shortcut: "R", external: true, run: func(_ context.Context, l *frameLoop) { l.resetView() }},
		{name: "Clear selection", kind: "command", shortcut: "Escape", external: true, run: func(_ context.Context, l *frameLoop) { l.selectIDs(nil) }},
		{name: "Screenshot...", kind: "command", shortcut: "Ctrl+Shift+S", run: askScreenshot},
		{name: "Jump to version...", kind: "command", shortcut: "Ctrl+J", run: askJump},
		{name: "Toggle timeline", kind: "command", shortcut: "Ctrl+T", run: func(_ context.Context, l *frameLoop) { l.timeline.toggle(l) }},
		{name: "Back to live", kind: "command", shortcut: "Ctrl+L", run: func(_ context.Context, l *frameLoop) { l.timeline.goLive(l) }},
		{name: "Undo", kind: "command", shortcut: "Ctrl+Z", run: func(ctx context.Context, l *frameLoop) { l.undo(ctx) }},
		{name: "Redo", kind: "command", shortcut: "Ctrl+Shift+Z", run: func(ctx context.Context, l *frameLoop) { l.redo(ctx) }},
		{name: "Toggle theme (light/dark)", kind: "command", shortcut: "Ctrl+Shift+T", run: toggleTheme},
		{name: "Font size bigger", kind: "command", shortcut: "Ctrl+=", run: fontStep(1.25)},
		{name: "Font size smaller", kind: "command", shortcut: "Ctrl+-", run: fontStep(0.8)},
		{name: "Quit", kind: "command", shortcut: "Ctrl+Q", external: true, run: func(_ context.Context, l *frameLoop) { l.controls.quitAsked = true }},
	}
}

// boundChord is a command's parsed shortcut.
type boundChord struct {
	chord ui.Chord
	cmd   *command
}

// commandChords parses the table's own shortcuts (those input.go does not handle).
func commandChords(commands []command) ([]boundChord, error) {
	var out []boundChord
	for i := range commands {
		c := &commands[i]
		if c.shortcut == "" || c.external {
			continue
		}
		ch, err := ui.ParseChord(c.shortcut)
		if err != nil {
			return nil, fmt.Errorf("command %q: %w", c.name, err)
		}
		out = append(out, boundChord{chord: ch, cmd: c})
	}
	return out, nil
}

// ---- graphs ----

func askOpenGraph(_ context.Context, l *frameLoop) {
	l.palette.ask(&prompt{
		title: "Open graph", hint: "type to filter the stored graphs",
		choices: func(l *frameLoop) []choice {
			var out []choice
			for _, g := range l.graphList() {
				out = append(out, choice{item: graphItem(g), value: g.ID})
			}
			return out
		},
		accept: func(ctx context.Context, l *frameLoop, id string) error { return openGraph(ctx, l, id) },
	})
}

// openGraph starts opening a stored graph; the frame loop swaps it in when it is loaded.
func openGraph(ctx context.Context, l *frameLoop, id string) error {
	if id == "" {
		return errors.New("no graph chosen")
	}
	l.status = "opening " + id + "..."
	l.ws.open(ctx, id, l.params, l.seed)
	l.logger.Info("palette", "command", "open graph", "graph", id)
	return nil
}

func askCreateGraph(_ context.Context, l *frameLoop) {
	l.palette.ask(&prompt{
		title: "Create graph: its name", hint: "e.g. Paris metro",
		accept: func(ctx context.Context, l *frameLoop, name string) error {
			name = strings.TrimSpace(name)
			if name == "" {
				return errors.New("the graph needs a name")
			}
			id, err := l.newGraphID(name)
			if err != nil {
				return err
			}
			params, seed := l.params, l.seed
			l.logger.Info("palette", "command", "create graph", "graph", id, "name", name)
			l.executeOn(ctx, id, "create graph "+id, &graph.CreateGraph{Name: name}, func(eventstore.Result) {
				l.ws.open(ctx, id, params, seed) // the new graph is what the user works on next
			})
			return nil
		},
	})
}

// newGraphID makes an id from a graph name: lower case, letters, digits, '-' and '_', with a
// number appended when a graph already has it.
func (l *frameLoop) newGraphID(name string) (string, error) {
	base := slug(name)
	if base == "" {
		return "", fmt.Errorf("cannot make a graph id from %q: use letters or digits", name)
	}
	taken := map[string]bool{}
	for _, g := range l.graphList() {
		taken[g.ID] = true
	}
	id := base
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	if err := natsx.ValidToken(id); err != nil {
		return "", fmt.Errorf("graph id: %w", err)
	}
	return id, nil
}

// slug keeps letters and digits (lower case), turns runs of anything else into one '-'.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > graph.MaxIDLen {
		out = out[:graph.MaxIDLen]
	}
	return out
}

func askRenameGraph(_ context.Context, l *frameLoop) {
	id := l.liveView().world.GraphID
	if id == "" || l.liveView().agg == nil {
		l.notify(noteWarn, "rename graph: open a stored graph first")
		return
	}
	l.palette.ask(&prompt{
		title: "Rename graph " + id + " to", initial: l.liveView().world.Name,
		accept: func(ctx context.Context, l *frameLoop, name string) error {
			name = strings.TrimSpace(name)
			if name == "" {
				return errors.New("the new name is empty")
			}
			l.logger.Info("palette", "command", "rename graph", "graph", id, "name", name)
			l.executeOn(ctx, id, "rename graph "+id, &graph.RenameGraph{Name: name}, nil)
			return nil
		},
	})
}

func askDeleteGraph(_ context.Context, l *frameLoop) {
	id := l.liveView().world.GraphID
	if id == "" || l.liveView().agg == nil {
		l.notify(noteWarn, "delete graph: open a stored graph first")
		return
	}
	l.palette.ask(&prompt{
		title: fmt.Sprintf("Delete graph %s? Type its id to confirm (its history stays)", id), hint: id,
		accept: func(ctx context.Context, l *frameLoop, typed string) error {
			if strings.TrimSpace(typed) != id {
				return fmt.Errorf("type %q exactly to delete that graph", id)
			}
			l.logger.Info("palette", "command", "delete graph", "graph", id)
			l.executeOn(ctx, id, "delete graph "+id, &graph.DeleteGraph{Reason: "deleted from the command palette"}, nil)
			return nil
		},
	})
}

// ---- files ----

// expandPath resolves ~ and makes the path absolute, so messages name the file unambiguously.
func expandPath(p string) (string, error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return "", errors.New("no path given")
	}
	if rest, ok := strings.CutPrefix(p, "~"); ok && (rest == "" || rest[0] == '/') {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = home + rest
	}
	return filepath.Abs(p)
}

func askImport(_ context.Context, l *frameLoop) {
	l.palette.ask(&prompt{
		title: "Import file: path of a GraphML, GEXF, CSV or node-link JSON file", hint: "~/graphs/metro.graphml",
		accept: func(ctx context.Context, l *frameLoop, in string) error {
			path, err := expandPath(in)
			if err != nil {
				return err
			}
			st, err := os.Stat(path)
			switch {
			case err != nil:
				return fmt.Errorf("cannot read %s: %w", path, err)
			case st.IsDir():
				return fmt.Errorf("%s is a directory, not a graph file", path)
			}
			stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
			l.palette.ask(&prompt{
				title: "Import " + filepath.Base(path) + " into the graph with id (new or existing)", initial: slug(stem),
				accept: func(ctx context.Context, l *frameLoop, id string) error {
					id = strings.TrimSpace(id)
					if err := natsx.ValidToken(id); err != nil {
						return fmt.Errorf("graph id: %w", err)
					}
					l.logger.Info("palette", "command", "import file", "path", path, "graph", id)
					params, seed, appCtx := l.params, l.seed, ctx
					l.tasks.start(ctx, "import "+filepath.Base(path), func(ctx context.Context, t *task) (string, error) {
						res, err := importInto(ctx, l.ws.repo, path, id, t)
						if err != nil {
							return "", err
						}
						l.logger.Info("imported", "graph", id, "nodes", res.Nodes, "edges", res.Edges, "version", res.Version)
						// The task's context ends with the task: the graph opens on the app's.
						l.ws.open(appCtx, id, params, seed)
						return fmt.Sprintf("imported %d nodes and %d edges into %s", res.Nodes, res.Edges, id), nil
					})
					return nil
				},
			})
			return nil
		},
	})
}

// importInto is Import on the workbench's own repository (the embedded server takes no second
// connection from outside): the same check of the whole file first, then the bulk path.
func importInto(ctx context.Context, repo *eventstore.Repository, path, id string, t *task) (ImportResult, error) {
	src, cleanup, err := rereadable(path, nil)
	if err != nil {
		return ImportResult{}, err
	}
	defer cleanup()
	format, err := detectFormat(src, "")
	if err != nil {
		return ImportResult{}, err
	}
	res, _, err := importSource(ctx, repo, src, format, ImportOptions{File: path}, id, "ui", importStages{status: t.Status, progress: t.Progress})
	return res, err
}

func askExport(_ context.Context, l *frameLoop) {
	id := l.liveView().world.GraphID
	if id == "" || l.liveView().agg == nil {
		l.notify(noteWarn, "export file: open a stored graph first")
		return
	}
	l.palette.ask(&prompt{
		title: "Export " + id + " to: a path ending in .graphml, .gexf, .csv or .json", initial: id + ".graphml",
		accept: func(ctx context.Context, l *frameLoop, in string) error {
			path, err := expandPath(in)
			if err != nil {
				return err
			}
			ext := strings.TrimPrefix(filepath.Ext(path), ".")
			format, err := graphio.ParseFormat(ext)
			if ext == "" || err != nil {
				return fmt.Errorf("cannot tell the format from %q: end the name in .graphml, .gexf, .csv or .json", filepath.Base(path))
			}
			l.logger.Info("palette", "command", "export file", "graph", id, "path", path, "format", format)
			l.tasks.start(ctx, "export "+filepath.Base(path), func(ctx context.Context, t *task) (string, error) {
				// A fresh aggregate: the view's own is the frame thread's.
				g, err := l.ws.repo.Open(ctx, id)
				if err != nil {
					return "", fmt.Errorf("open graph %s: %w", id, err)
				}
				w, commit, abort, err := createOutput(path, nil)
				if err != nil {
					return "", err
				}
				err = graphio.Export(w, format, graphio.Meta{Name: g.Name(), Directed: true}, graphio.WriteOptions{}, pointers(g.Nodes()), pointers(g.Edges()))
				if err != nil {
					abort()
					return "", fmt.Errorf("export %s: %w", id, err)
				}
				if err := commit(); err != nil {
					return "", err
				}
				return fmt.Sprintf("exported %s (%d nodes, %d edges) to %s", id, g.NodeCount(), g.EdgeCount(), path), nil
			})
			return nil
		},
	})
}

// ---- nodes and edges ----

func askAddNode(_ context.Context, l *frameLoop) {
	if l.liveView().agg == nil {
		l.notify(noteWarn, "add node: open a stored graph first")
		return
	}
	l.palette.ask(&prompt{
		title: "Add node: id[,label]", hint: "paris,Paris",
		accept: func(ctx context.Context, l *frameLoop, in string) error {
			id, label, _ := strings.Cut(in, ",")
			id, label = strings.TrimSpace(id), strings.TrimSpace(label)
			switch {
			case id == "":
				return errors.New("the node needs an id: write id or id,label")
			case l.liveView().agg.HasNode(id):
				return fmt.Errorf("node %q already exists", id)
			}
			l.logger.Info("palette", "command", "add node", "node", id, "label", label)
			l.execute(ctx, "add node "+id, &graph.AddNodes{Nodes: []graph.Node{{ID: id, Label: label}}}, nil)
			return nil
		},
	})
}

func askAddEdge(ctx context.Context, l *frameLoop) {
	g := l.liveView().agg
	if g == nil {
		l.notify(noteWarn, "add edge: open a stored graph first")
		return
	}
	if sel := l.selectedIDs(); len(sel) == 2 {
		if err := addEdge(ctx, l, sel[0], sel[1]); err != nil {
			l.notify(noteError, "add edge: %v", err)
		}
		return
	}
	l.palette.ask(&prompt{
		title: "Add edge: source target (or select two nodes first)", hint: "paris london",
		accept: func(ctx context.Context, l *frameLoop, in string) error {
			f := strings.Fields(in)
			if len(f) != 2 {
				return fmt.Errorf("write two node ids separated by a space, got %d words", len(f))
			}
			return addEdge(ctx, l, f[0], f[1])
		},
	})
}

func addEdge(ctx context.Context, l *frameLoop, src, dst string) error {
	g := l.liveView().agg
	for _, id := range []string{src, dst} {
		if !g.HasNode(id) {
			return fmt.Errorf("no node %q in this graph", id)
		}
	}
	id := src + "->" + dst
	for n := 2; g.HasEdge(id); n++ {
		id = fmt.Sprintf("%s->%s#%d", src, dst, n)
	}
	l.logger.Info("palette", "command", "add edge", "edge", id, "source", src, "target", dst)
	l.execute(ctx, "add edge "+id, &graph.AddEdges{Edges: []graph.EdgeInput{{ID: id, Source: src, Target: dst}}}, nil)
	return nil
}

// ---- layout and look ----

func toggleLayout(_ context.Context, l *frameLoop) {
	r := l.liveView().runner
	r.SetPaused(!r.Paused())
	l.logger.Info("palette", "command", "toggle layout", "paused", r.Paused())
}

// askWeight asks for a number and sets the layout parameter field points to.
func askWeight(what string, field func(*layout.Params) *float64) func(context.Context, *frameLoop) {
	return func(_ context.Context, l *frameLoop) {
		current := *field(&l.params)
		l.palette.ask(&prompt{
			title: fmt.Sprintf("Set %s (now %g)", what, current), initial: strconv.FormatFloat(current, 'g', -1, 64),
			accept: func(_ context.Context, l *frameLoop, in string) error {
				v, err := strconv.ParseFloat(strings.TrimSpace(in), 64)
				if err != nil {
					return fmt.Errorf("%s: %q is not a number", what, in)
				}
				return setParams(l, what, func(p *layout.Params) { *field(p) = v })
			},
		})
	}
}

// setParams changes the layout parameters of the live graph (and the past version shown, if any);
// the runner validates them.
func setParams(l *frameLoop, what string, change func(*layout.Params)) error {
	p := l.params
	change(&p)
	if err := l.liveView().runner.SetParams(p); err != nil {
		l.notify(noteError, "layout %s: %v", what, err)
		return fmt.Errorf("%s: %w", what, err)
	}
	if l.view != l.liveView() {
		_ = l.view.runner.SetParams(p)
	}
	l.params = p
	l.liveView().runner.Wake()
	l.logger.Info("palette", "command", "layout", "param", what, "weights", fmt.Sprintf("%+v", p.Weights),
		"gravity", p.Gravity, "repulsion", p.Repulsion, "theta", p.Theta, "linlog", p.LinLog)
	return nil
}

func toggleTheme(_ context.Context, l *frameLoop) {
	theme, scale := l.gui.Look()
	next := ui.ThemeLight
	if theme == ui.ThemeLight {
		next = ui.ThemeDark
	}
	l.setLook(next, scale)
}

// fontStep doubles or halves the UI scale, between 1 and 4. Whole doublings because ui.SetLook
// scales ImGui's style sizes relative to the previous scale and ImGui truncates them: any other
// factor drifts, and going back below the start truncates the separator's 1-pixel thickness to 0,
// which fails an ImGui assertion. Halving an exact doubling is exact.
func fontStep(factor float32) func(context.Context, *frameLoop) {
	return func(_ context.Context, l *frameLoop) {
		theme, scale := l.gui.Look()
		next := scale * factor
		if next < 0.5 || next > 4 {
			l.notify(noteInfo, "font size: already at its %s", map[bool]string{true: "largest", false: "smallest"}[factor > 1])
			return
		}
		l.setLook(theme, next)
		l.logger.Info("palette", "command", "font size", "scale", next)
	}
}

// ---- screenshot and timeline ----

func askScreenshot(_ context.Context, l *frameLoop) {
	l.palette.ask(&prompt{
		title: "Screenshot: PNG file to write", initial: "alchemist-" + time.Now().Format("20060102-150405") + ".png",
		accept: func(ctx context.Context, l *frameLoop, in string) error {
			path, err := expandPath(in)
			if err != nil {
				return err
			}
			if !strings.EqualFold(filepath.Ext(path), ".png") {
				return fmt.Errorf("%s: a screenshot is a .png file", filepath.Base(path))
			}
			if dir := filepath.Dir(path); dir != "" {
				if st, err := os.Stat(dir); err != nil || !st.IsDir() {
					return fmt.Errorf("no directory %s to write the screenshot into", dir)
				}
			}
			// The palette runs after the scene is drawn and before the UI is: the capture
			// shows the graph without the panels. Reading it is the frame thread's; encoding
			// and writing are not.
			img := l.renderer.Screenshot()
			l.logger.Info("palette", "command", "screenshot", "path", path)
			l.tasks.start(ctx, "screenshot", func(context.Context, *task) (string, error) {
				if err := writePNG(path, img); err != nil {
					return "", err
				}
				l.logger.Info("palette screenshot written", "path", path, "width", img.Rect.Dx(), "height", img.Rect.Dy())
				return "screenshot saved to " + path, nil
			})
			return nil
		},
	})
}

// writePNG writes img beside path and renames it, so a reader never sees half a file.
func writePNG(path string, img image.Image) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("screenshot %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("screenshot %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

func askJump(_ context.Context, l *frameLoop) {
	live := l.liveView()
	if live.agg == nil {
		l.notify(noteWarn, "jump to version: open a stored graph first")
		return
	}
	last := live.world.Seq
	l.palette.ask(&prompt{
		title: fmt.Sprintf("Jump to version (1 to %d)", last), hint: strconv.FormatUint(last, 10),
		accept: func(ctx context.Context, l *frameLoop, in string) error {
			v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(in), "v"), 10, 64)
			switch {
			case err != nil:
				return fmt.Errorf("%q is not a version number", in)
			case v == 0 || v > l.liveView().world.Seq:
				return fmt.Errorf("version %d is outside 1 to %d", v, l.liveView().world.Seq)
			}
			l.logger.Info("palette", "command", "jump to version", "version", v)
			l.timeline.jump(ctx, l, v)
			return nil
		},
	})
}

// graphList is the stored graphs, deleted ones left out.
func (l *frameLoop) graphList() []eventstore.GraphInfo {
	p := l.ws.graphs.Load()
	if p == nil {
		return nil
	}
	out := make([]eventstore.GraphInfo, 0, len(*p))
	for _, g := range *p {
		if !g.Deleted {
			out = append(out, g)
		}
	}
	return out
}
