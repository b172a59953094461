// Package app wires the packages into the running program and owns start-up, the frame loop and
// shutdown. It is the only package that sees all the others.
package app

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/infoalchemist/alchemist/internal/components"
	"github.com/infoalchemist/alchemist/internal/config"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/platform"
	"github.com/infoalchemist/alchemist/internal/render"
	rgl "github.com/infoalchemist/alchemist/internal/render/gl"
	"github.com/infoalchemist/alchemist/internal/ui"
	"github.com/infoalchemist/alchemist/internal/world"
)

// Options are the run-time choices that are not configuration.
type Options struct {
	Config     config.Config
	Screenshot string // write a PNG of frame Frames, then exit
	Frames     int
	Graph      string // open this graph at start-up
	// Show opens workbench panels at start-up: "palette", "agents", "timeline" (screenshots, demos).
	Show []string
	// PaletteQuery is typed into the palette when Show opens it.
	PaletteQuery string
	// At shows the graph as it was at this version at start-up (the timeline opens on it).
	At uint64
	// CompareFrom, with At, opens the timeline comparing this version with At.
	CompareFrom uint64
	// RunAgent asks this agent to analyse the graph at start-up (with Show "agents": screenshots).
	RunAgent string
	Log      *slog.Logger
	Stdout   io.Writer
}

// Run opens NATS, the window and the renderer, and runs the frame loop until the window closes, ctx
// ends, or the screenshot is written. It must run on the main, OS-locked thread.
func Run(ctx context.Context, opts Options) error {
	cfg := opts.Config
	logger := opts.Log
	if logger == nil {
		logger = slog.Default()
	}
	link, err := openLink(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer link.Close()

	surface, err := platform.Open(platform.Options{
		Width: cfg.Window.Width, Height: cfg.Window.Height, Title: cfg.Window.Title,
		VSync: cfg.Window.VSync && opts.Screenshot == "", Debug: cfg.Window.DebugGL, Headless: cfg.Window.Headless,
	})
	if err != nil {
		return err
	}
	defer surface.Close()
	info, err := rgl.Init(surface.ProcAddress, cfg.Window.DebugGL)
	if err != nil {
		return err
	}
	logger.Debug("opengl", "renderer", info.Renderer, "version", info.Version)
	renderer, err := rgl.New(info, rgl.Options{
		Samples: cfg.Window.MSAA, Headless: surface.Headless(), RadiusScale: float32(cfg.Render.NodeRadius),
	})
	if err != nil {
		return err
	}
	defer renderer.Close()
	gui := ui.New(renderer.Textures())
	defer gui.Close()

	ws, err := openWorkspace(ctx, link, logger)
	if err != nil {
		return err
	}
	defer ws.close()
	listCtx, stopList := context.WithCancel(ctx)
	defer stopList()
	go ws.refreshList(listCtx, 2*time.Second)

	background, _ := render.ParseHexColor(cfg.Render.Background)
	var edgeColor [4]float32
	if cfg.Render.ShowEdges {
		edgeColor = [4]float32{0.7, 0.75, 0.85, float32(cfg.Render.EdgeAlpha)}
	}
	params := layoutParams(cfg.Layout)
	view, err := initialView(ctx, ws, opts, params, logger)
	if err != nil {
		return err
	}
	if err := view.runner.Start(ctx); err != nil {
		view.close()
		return err
	}

	loop := frameLoop{
		surface: surface, renderer: renderer, gui: gui, view: view, ws: ws, link: link, params: params,
		seed: cfg.Demo.Seed, background: background, edgeColor: edgeColor, sel: selection{row: -1},
		radiusScale: float32(cfg.Render.NodeRadius),
		camera:      render.NewCamera(), gpu: info.Renderer, opts: opts, logger: logger,
	}
	defer func() { // the loop may have swapped in another graph
		if loop.live != nil {
			loop.live.close()
		}
		loop.view.close()
	}()
	loop.setLook(ui.ParseTheme(cfg.UI.Theme), float32(cfg.UI.FontScale))
	loop.showAtStart(ctx)
	return loop.run(ctx)
}

// layoutParams applies the configured opening angle and force weights to the defaults.
func layoutParams(c config.Layout) layout.Params {
	p := layout.DefaultParams()
	p.Theta = c.Theta
	p.Weights.Similarity, p.Weights.Category = c.Similarity, c.Category
	p.Weights.Coalition, p.Weights.Competition = c.Coalition, c.Competition
	return p
}

// initialView is what the window shows first: the graph named by --graph, else the demo, else nothing
// until the user opens a graph from the list.
func initialView(ctx context.Context, ws *workspace, opts Options, params layout.Params, logger *slog.Logger) (*graphView, error) {
	cfg := opts.Config
	switch {
	case opts.Graph != "":
		v, took, err := ws.openNow(ctx, opts.Graph, params, cfg.Demo.Seed)
		if err != nil {
			return nil, err
		}
		logger.Info("graph opened", "graph", opts.Graph, "nodes", v.world.Nodes.Len(), "edges", v.world.Edges.Len(), "ms", took.Milliseconds())
		return v, nil
	case cfg.Demo.Nodes > 0:
		w, err := demoWorld(cfg.Demo.Nodes, cfg.Demo.Seed)
		if err != nil {
			return nil, err
		}
		return newGraphView(w, nil, params, cfg.Demo.Seed, logger)
	}
	return newGraphView(world.New(""), nil, params, cfg.Demo.Seed, logger)
}

// layoutWorkers leaves one core to the frame loop on machines that have several.
func layoutWorkers() int {
	return max(1, runtime.NumCPU()-1)
}

func openLink(ctx context.Context, cfg config.Config, logger *slog.Logger) (*natsx.Link, error) {
	connectCtx, cancel := context.WithTimeout(ctx, cfg.NATS.ConnectTimeout+2*time.Second)
	defer cancel()
	link, err := natsx.Open(connectCtx, linkConfig(cfg, "", logger))
	if err != nil {
		return nil, err
	}
	logger.Debug("nats", "mode", link.Mode, "server", link.State.Server())
	return link, nil
}

// openRepository is what a one-shot command needs: a NATS link and the event store's repository on it.
func openRepository(ctx context.Context, cfg config.Config, logger *slog.Logger) (*natsx.Link, *eventstore.Repository, func(), error) {
	link, err := openLink(ctx, cfg, logger)
	if err != nil {
		return nil, nil, nil, err
	}
	repo, _, err := esjs.OpenRepository(ctx, link.Conn, esjs.RepoConfig{})
	if err != nil {
		link.Close()
		return nil, nil, nil, fmt.Errorf("open event store: %w", err)
	}
	return link, repo, func() { repo.Close(); link.Close() }, nil
}

func linkConfig(cfg config.Config, listen string, logger *slog.Logger) natsx.LinkConfig {
	n := cfg.NATS
	return natsx.LinkConfig{
		Client: natsx.ClientConfig{
			URLs: n.URLs, Name: "alchemist", CAFile: n.CAFile, CertFile: n.CertFile, KeyFile: n.KeyFile,
			CredsFile: n.CredsFile, NKeySeedFile: n.NKeySeedFile, User: n.User, Password: n.Password, Token: n.Token,
			ConnectTimeout: n.ConnectTimeout, ReconnectBufferBytes: n.ReconnectBufferMB << 20,
		},
		LocalURL: n.LocalURL,
		Embedded: natsx.EmbeddedConfig{DataDir: cfg.Data.Dir, SyncAlways: cfg.Data.SyncAlways, Listen: listen,
			Logf: func(format string, args ...any) { logger.Debug(fmt.Sprintf(format, args...)) }},
		Logf: func(format string, args ...any) { logger.Warn(fmt.Sprintf(format, args...)) },
	}
}

type frameLoop struct {
	surface     platform.Surface
	renderer    *rgl.Renderer
	gui         *ui.Context
	view        *graphView // what the window shows: live, or a past version from the timeline
	live        *graphView // the live graph while the timeline shows a past version, else nil
	ws          *workspace
	link        *natsx.Link
	params      layout.Params
	seed        uint64
	background  [3]float32
	edgeColor   [4]float32
	camera      render.Camera
	controls    cameraControls
	sel         selection
	radiusScale float32
	fitted      bool
	status      string
	tasks       tasks
	palette     paletteUI
	agentUI     agentPanel
	timeline    timelineUI
	look        ui.Theme
	notes       []ui.Note
	running     []ui.Task
	rate        eventRate
	gpu         string
	opts        Options
	logger      *slog.Logger
}

func (l *frameLoop) run(ctx context.Context) error {
	var events []platform.Event
	last := time.Now()
	frameMs := float32(16)
	for frame := 1; ; frame++ {
		if ctx.Err() != nil || l.surface.ShouldClose() {
			return nil
		}
		events = l.surface.Poll(events[:0])
		now := time.Now()
		dt := float32(now.Sub(last).Seconds())
		last = now
		frameMs = 0.9*frameMs + 0.1*dt*1000

		l.swapOpenedGraph(ctx)
		l.timeline.update(ctx, l)
		l.view.frame()
		if l.live != nil && l.live != l.view {
			l.live.frame() // the live graph keeps streaming while the timeline shows the past
		}
		scene := &l.view.scene
		scene.Background, scene.EdgeColor = ui.Background(l.look, l.background), l.edgeColor

		fbW, fbH := l.surface.FramebufferSize()
		winW, winH := l.surface.WindowSize()
		l.controls.handle(events, &l.camera, winH, l.gui.WantsMouse(), l.gui.WantsKeyboard())
		if l.controls.isDragging {
			l.fitted = true // the user has taken the camera
		}
		// Keep fitting while the layout unfolds unless the user has taken the camera.
		if l.controls.fitAsked || !l.fitted {
			l.camera.FitPoints(scene.Positions, float32(fbW)/float32(max(fbH, 1)))
			l.controls.fitAsked = false
		}
		if l.controls.quitAsked {
			return nil
		}
		l.handlePointer()
		l.paint()
		if err := l.renderer.BeginFrame(fbW, fbH); err != nil {
			return err
		}
		l.renderer.DrawScene(scene, &l.camera)

		l.gui.NewFrame(winW, winH, fbW, fbH, dt, events)
		l.gui.StatsOverlay(l.stats(frameMs))
		if pick := l.gui.GraphList(l.graphEntries(), l.view.world.GraphID, l.status); pick != "" && l.opts.Screenshot == "" {
			l.status = "opening " + pick + "..."
			l.ws.open(ctx, pick, l.params, l.seed)
		}
		l.selectionPanels(ctx)
		l.agentUI.frame(ctx, l)
		l.timeline.frame(ctx, l)
		l.statusBar(now, frameMs)
		l.palette.frame(ctx, l) // last: the palette is drawn over everything
		l.renderer.DrawOverlay(l.gui.Render())

		if l.opts.Screenshot != "" && frame >= max(l.opts.Frames, 1) && (l.quiet() || frame >= max(l.opts.Frames, 1)+screenshotPatience) {
			return l.writeScreenshot()
		}
		l.surface.Swap()
	}
}

// swapOpenedGraph replaces the view when a graph finished opening in the background.
func (l *frameLoop) swapOpenedGraph(ctx context.Context) {
	select {
	case r := <-l.ws.opened:
		if r.err != nil {
			l.status = r.err.Error()
			l.notify(noteError, "%v", r.err)
			l.logger.Warn("open graph", "graph", r.id, "err", r.err)
			return
		}
		if err := r.view.runner.Start(ctx); err != nil {
			l.status = err.Error()
			r.view.close()
			return
		}
		l.timeline.reset(l)
		l.view.close()
		l.view, l.fitted, l.sel = r.view, false, selection{row: -1}
		l.status = fmt.Sprintf("opened %s: %d nodes in %d ms", r.id, r.nodes, r.took.Milliseconds())
		l.logger.Info("graph opened", "graph", r.id, "nodes", r.nodes, "ms", r.took.Milliseconds())
	default:
	}
}

func (l *frameLoop) graphEntries() []ui.GraphEntry {
	p := l.ws.graphs.Load()
	if p == nil {
		return nil
	}
	out := make([]ui.GraphEntry, 0, len(*p))
	for _, g := range *p {
		out = append(out, ui.GraphEntry{ID: g.ID, Name: g.Name, Version: g.Version, Deleted: g.Deleted})
	}
	return out
}

func (l *frameLoop) stats(frameMs float32) ui.Stats {
	w := l.view.world
	rs := l.view.runner.Stats()
	s := ui.Stats{
		FPS: 1000 / max(frameMs, 0.01), FrameMs: frameMs, Nodes: w.Nodes.Len(), Edges: w.Edges.Len(),
		Graph: w.Name, Version: w.Seq, LayoutSteps: rs.Steps, LayoutMs: float32(rs.LastStep.Seconds() * 1000), Settled: rs.Settled,
		NATS: l.link.Mode + " · " + l.link.State.State().String(), GPU: l.gpu,
	}
	if f := l.view.follower; f != nil {
		s.Queued, s.Skipped = len(f.Events()), f.Skipped()
	}
	return s
}

func (l *frameLoop) writeScreenshot() error {
	img := l.renderer.Screenshot()
	path := l.opts.Screenshot
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("screenshot: %w", err)
		}
	}
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
		return fmt.Errorf("screenshot %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	l.logger.Info("screenshot written", "path", path, "width", img.Rect.Dx(), "height", img.Rect.Dy(),
		"graph", l.view.world.GraphID, "nodes", l.view.world.Nodes.Len(), "edges", l.view.world.Edges.Len())
	return nil
}

// The domain rules of conceptual spaces and game components (validation and canonical forms for
// define_space, set_coordinates, set_strategy, …) hold in every command path this process runs: the
// in-process command service, serve, and imports.
func init() { components.Register() }
