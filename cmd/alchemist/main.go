// Command alchemist is the Information Alchemist workbench: the desktop GUI (`run`, the default) and
// its headless companions. main stays thin: parse, load config, run, map errors to exit codes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/infoalchemist/alchemist/internal/app"
	"github.com/infoalchemist/alchemist/internal/config"
)

func init() {
	// GLFW and the GL context must stay on the main OS thread.
	runtime.LockOSThread()
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `alchemist — Information Alchemist, a 3D graph workbench on NATS JetStream

Usage:
  alchemist [run] [flags]            open the workbench (default)
  alchemist serve [flags]            run the embedded NATS server (JetStream) headless for other processes
  alchemist import FILE [flags]      import a GraphML, GEXF, CSV or JSON node-link file as a graph
  alchemist export GRAPH --format F  write a stored graph as GraphML, GEXF, CSV or JSON node-link
  alchemist layout FILE --steps N    lay out a graph file headlessly, write id,x,y,z CSV
  alchemist content put GRAPH NODE FILE   attach content to a node (inline ≤ 64 KiB, else by CID)
  alchemist content get GRAPH NODE [-o F] write a node's content
  alchemist agent NAME               run a built-in agent (structure, similarity, categories, coalitions)
  alchemist cid FILE|-               print the IPFS-compatible root CID of a file
  alchemist object put FILE|-        store content in the object store, print its CID
  alchemist object get CID [-o FILE] fetch content by CID
  alchemist game solve FILE          equilibria of a normal-form game (.nfg or JSON)
  alchemist game coop FILE           Shapley value, core and nucleolus of a TU game (JSON)
  alchemist concept eval SPACE.json  distances and similarities of query points to prototypes
  alchemist bench layout [flags]     time layout steps on a seeded scale-free graph (JSON)

Run 'alchemist <command> --help' for the flags of a command.
`

// errUsage marks a command line that could not be parsed; the flag package has printed why.
var errUsage = errors.New("usage")

// helpText prints a subcommand's full usage.
var helpText = map[*flag.FlagSet]func(){}

// commands maps each subcommand to its runner.
var commands = map[string]func(ctx context.Context, args []string, io stdio) error{
	"run":     runGUI,
	"serve":   runServe,
	"cid":     runCID,
	"object":  runObject,
	"game":    runGame,
	"concept": runConcept,
	"bench":   runBench,
	"import":  runImport,
	"export":  runExport,
	"layout":  runLayout,
	"content": runContent,
	"agent":   runAgent,
}

type stdio struct {
	in          io.Reader
	out, errOut io.Writer
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cmd == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	runner, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(stderr, "alchemist: unknown command %q\n\n%s", cmd, usage)
		return app.ExitUsage
	}
	err := runner(ctx, args, stdio{in: os.Stdin, out: stdout, errOut: stderr})
	if errors.Is(err, errUsage) {
		return app.ExitUsage
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stderr, "alchemist: %v\n", err)
	}
	return app.ExitCode(err)
}

func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("alchemist "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	// A bad flag gets the flag package's one-line reason; the full text only on --help.
	fs.Usage = func() {}
	helpText[fs] = func() {
		fmt.Fprintf(fs.Output(), "Usage: alchemist %s [flags]\n\n%s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags (interleaved with up to maxArgs positional arguments) and loads the configuration.
func parse(fs *flag.FlagSet, loader *config.Loader, args []string, maxArgs int) (config.Config, []string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				helpText[fs]()
				return config.Config{}, nil, flag.ErrHelp
			}
			return config.Config{}, nil, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) > maxArgs {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", positional[maxArgs])
		return config.Config{}, nil, errUsage
	}
	cfg, err := loader.Load(os.Environ())
	return cfg, positional, err
}

func logger(cfg config.Config, stderr io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}

func runGUI(ctx context.Context, args []string, std stdio) error {
	stdout, stderr := std.out, std.errOut
	fs := newFlags("run", "Open the workbench window on NATS (a cluster with --nats, else a local alchemist serve,\nelse an embedded server) and show the graphs it holds.", stderr)
	loader := config.NewLoader(fs, config.FlagKeysExcept("nats.listen")...)
	screenshot := fs.String("screenshot", "", "render, write a PNG of the last frame to this path, and exit")
	frames := fs.Int("frames", 30, "with --screenshot: frames to render before the capture")
	graphID := fs.String("graph", "", "open this stored graph (its id) at start-up")
	show := fs.String("show", "", "open these panels at start-up, comma-separated: palette, agents, timeline")
	query := fs.String("palette-query", "", "with --show palette: text typed into the palette")
	at := fs.Uint64("at", 0, "show the graph as it was at this version (opens the timeline there)")
	compareFrom := fs.Uint64("compare-from", 0, "with --at: compare this version with that one (added green, removed red)")
	agent := fs.String("run-agent", "", "ask this agent to analyse the graph at start-up (opens the agent panel)")
	cfg, _, err := parse(fs, loader, args, 0)
	if err != nil {
		return err
	}
	if *frames < 1 {
		return fmt.Errorf("%w: --frames %d: must be at least 1", config.ErrInvalid, *frames)
	}
	panels, err := app.ParsePanels(*show)
	if err != nil {
		return err
	}
	return app.Run(ctx, app.Options{Config: cfg, Screenshot: *screenshot, Frames: *frames, Graph: *graphID,
		Show: panels, PaletteQuery: *query, RunAgent: *agent, At: *at, CompareFrom: *compareFrom, Log: logger(cfg, stderr), Stdout: stdout})
}

func runServe(ctx context.Context, args []string, std stdio) error {
	stdout, stderr := std.out, std.errOut
	fs := newFlags("serve", "Run the embedded NATS server with JetStream and the graph command service, headless,\nlistening on --listen, with its store in --data. Other alchemist processes find it there when\nthey get no --nats; the nats CLI can send commands to it (docs/protocol.md).", stderr)
	loader := config.NewLoader(fs, "nats.listen", "data.dir", "data.sync_always", "log.level")
	cfg, _, err := parse(fs, loader, args, 0)
	if err != nil {
		return err
	}
	return app.Serve(ctx, cfg, stdout, logger(cfg, stderr))
}
