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
  alchemist [run] [flags]     open the workbench (default)
  alchemist serve [flags]     run the embedded NATS server (JetStream) headless for other processes

Run 'alchemist <command> --help' for the flags of a command.
`

// errUsage marks a command line that could not be parsed; the flag package has printed why.
var errUsage = errors.New("usage")

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd {
	case "run":
		err = runGUI(ctx, args, stdout, stderr)
	case "serve":
		err = runServe(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "alchemist: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	return exitCode(err, stderr)
}

func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("alchemist "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: alchemist %s [flags]\n\n%s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, loader *config.Loader, args []string) (config.Config, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config.Config{}, flag.ErrHelp
		}
		return config.Config{}, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		return config.Config{}, errUsage
	}
	return loader.Load(os.Environ())
}

func logger(cfg config.Config, stderr io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}

func runGUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "Open the workbench window on NATS (a cluster with --nats, else a local `alchemist serve`,\nelse an embedded server) and show the graphs it holds.", stderr)
	loader := config.NewLoader(fs)
	screenshot := fs.String("screenshot", "", "render, write a PNG of the last frame to this path, and exit")
	frames := fs.Int("frames", 30, "with --screenshot: frames to render before the capture")
	cfg, err := parse(fs, loader, args)
	if err != nil {
		return err
	}
	if *frames < 1 {
		return fmt.Errorf("%w: --frames %d: must be at least 1", config.ErrInvalid, *frames)
	}
	return app.Run(ctx, app.Options{Config: cfg, Screenshot: *screenshot, Frames: *frames, Log: logger(cfg, stderr), Stdout: stdout})
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "Run the embedded NATS server with JetStream, headless, listening on --listen, with its\nstore in --data. Other alchemist processes find it there when they get no --nats.", stderr)
	loader := config.NewLoader(fs, "nats.listen", "data.dir", "data.sync_always", "log.level")
	cfg, err := parse(fs, loader, args)
	if err != nil {
		return err
	}
	return app.Serve(ctx, cfg, stdout, logger(cfg, stderr))
}
