package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"

	"github.com/infoalchemist/alchemist/internal/app"
	"github.com/infoalchemist/alchemist/internal/config"
)

// natsKeys are the flags of every subcommand that talks to NATS.
var natsKeys = []string{"nats.url", "nats.ca_file", "nats.cert_file", "nats.key_file", "nats.creds_file",
	"nats.nkey_seed_file", "nats.user", "nats.password", "nats.token", "data.dir", "log.level"}

// needArgs parses and insists on exactly n positional arguments.
func needArgs(fs *flag.FlagSet, loader *config.Loader, args []string, n int, what string) (config.Config, []string, error) {
	cfg, pos, err := parse(fs, loader, args, n)
	if err != nil {
		return cfg, nil, err
	}
	if len(pos) < n {
		fmt.Fprintf(fs.Output(), "missing %s (see --help)\n", what)
		return cfg, nil, errUsage
	}
	return cfg, pos, nil
}

func runCID(_ context.Context, args []string, std stdio) error {
	fs := newFlags("cid FILE|-", "Print the root CID of FILE (or standard input) exactly as\nipfs add --cid-version=1 --raw-leaves --chunker=size-262144 names it.", std.errOut)
	raw := fs.Bool("raw", false, "print the raw CIDv1 (sha2-256) of the whole content as one block instead")
	_, pos, err := needArgs(fs, config.NewLoader(fs, "log.level"), args, 1, "FILE")
	if err != nil {
		return err
	}
	return app.PrintCID(pos[0], *raw, std.in, std.out)
}

func runObject(ctx context.Context, args []string, std stdio) error {
	if err := needVerb(args, std, "Usage: alchemist object put FILE|- | alchemist object get CID [-o FILE]\n", "put", "get"); err != nil {
		return err
	}
	verb := args[0]
	fs := newFlags("object "+verb, map[string]string{
		"put": "Store FILE (or standard input) in the content-addressed object store on NATS; print its root CID.",
		"get": "Fetch the content named by CID, verifying every block, into -o FILE (default standard output).",
	}[verb], std.errOut)
	bucket := fs.String("bucket", "content", "object store bucket")
	out := fs.String("o", "", "(get) output file; standard output when empty")
	quiet := fs.Bool("quiet", false, "no progress bar")
	what := map[string]string{"put": "FILE", "get": "CID"}[verb]
	cfg, pos, err := needArgs(fs, config.NewLoader(fs, natsKeys...), args[1:], 1, what)
	if err != nil {
		return err
	}
	opts := app.ObjectOptions{Config: cfg, Bucket: *bucket, Log: logger(cfg, std.errOut)}
	if !*quiet && isTerminal(std.errOut) {
		opts.Progress = std.errOut
	}
	if verb == "put" {
		return app.ObjectPut(ctx, opts, pos[0], std.in, std.out)
	}
	return app.ObjectGet(ctx, opts, pos[0], *out, std.out)
}

func runGame(_ context.Context, args []string, std stdio) error {
	if err := needVerb(args, std, "Usage: alchemist game solve FILE [--method support|vertex|lemke-howson] [--label K]\n       alchemist game coop FILE [--sample N]\n", "solve", "coop"); err != nil {
		return err
	}
	verb := args[0]
	if verb == "solve" {
		fs := newFlags("game solve FILE", "Equilibria, pure equilibria and Pareto-optimal outcomes of a normal-form game: Gambit .nfg\n(payoff or outcome version) or JSON, as exact rationals. See docs/game-theory.md.", std.errOut)
		method := fs.String("method", "", "two-player method: support, vertex (all extreme equilibria) or lemke-howson; default vertex")
		label := fs.Int("label", 0, "(lemke-howson) missing label: k < m is row strategy k, k >= m column strategy k-m")
		_, pos, err := needArgs(fs, config.NewLoader(fs, "log.level"), args[1:], 1, "FILE")
		if err != nil {
			return err
		}
		return app.GameSolve(pos[0], *method, *label, std.in, std.out)
	}
	fs := newFlags("game coop FILE", "Shapley value, core and nucleolus of a cooperative TU game (JSON). See docs/game-theory.md.", std.errOut)
	sample := fs.Int("sample", 0, "estimate the Shapley value from N random orders (needed above 20 players)")
	seed := fs.Uint64("seed", 1, "(with --sample) random seed")
	confidence := fs.Float64("confidence", 0.95, "(with --sample) confidence level of the reported intervals")
	_, pos, err := needArgs(fs, config.NewLoader(fs, "log.level"), args[1:], 1, "FILE")
	if err != nil {
		return err
	}
	return app.GameCoop(pos[0], *sample, *seed, *confidence, std.in, std.out)
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func runConcept(_ context.Context, args []string, std stdio) error {
	if err := needVerb(args, std, "Usage: alchemist concept eval SPACE.json|-\n", "eval"); err != nil {
		return err
	}
	fs := newFlags("concept eval SPACE.json", "Evaluate the queries of a conceptual space (domains, prototypes, queries, c) against its\nprototypes: distances per domain, similarity, nearest prototype. See docs/conceptual.md.", std.errOut)
	_, pos, err := needArgs(fs, config.NewLoader(fs, "log.level"), args[1:], 1, "SPACE.json")
	if err != nil {
		return err
	}
	return app.ConceptEval(pos[0], std.in, std.out)
}

func runBench(ctx context.Context, args []string, std stdio) error {
	if err := needVerb(args, std, "Usage: alchemist bench layout [--nodes N] [--edges M] [--theta T]\n", "layout"); err != nil {
		return err
	}
	fs := newFlags("bench layout", "Time Barnes-Hut layout steps on a seeded Barabási–Albert graph; print ms per step as JSON.", std.errOut)
	nodes := fs.Int("nodes", 100_000, "nodes")
	edges := fs.Int("edges", 200_000, "edges (about; the generator adds round(edges/nodes) links per node)")
	theta := fs.Float64("theta", 0.8, "Barnes-Hut opening angle")
	workers := fs.Int("workers", 0, "worker goroutines (0: GOMAXPROCS)")
	warm := fs.Int("warm", 5, "untimed steps first")
	steps := fs.Int("steps", 20, "timed steps")
	if _, _, err := parse(fs, config.NewLoader(fs, "log.level"), args[1:], 0); err != nil {
		return err
	}
	return app.BenchLayout(ctx, *nodes, *edges, *theta, *workers, *warm, *steps, std.out)
}

func runImport(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("import FILE|-", "Import a graph file (GraphML, GEXF, CSV edge list, JSON node-link as networkx and d3 write it)\nas a new stored graph, or into an existing one with --id. The whole file is checked before anything\nis stored; a bad record is refused with its line. Prints the graph id.", std.errOut)
	name := fs.String("graph", "", "graph name (default: the name in the file, else the file name)")
	format := fs.String("format", "", "graphml, gexf, csv or json (default: from the file name and first bytes)")
	id := fs.String("id", "", "graph id (default: a new UUIDv7); an existing graph receives the records")
	nodes := fs.String("nodes", "", "(csv) node file: id[,label][,kind][,more columns as properties]")
	quiet := fs.Bool("quiet", false, "no progress bar")
	cfg, pos, err := needArgs(fs, config.NewLoader(fs, natsKeys...), args, 1, "FILE")
	if err != nil {
		return err
	}
	opt := app.ImportOptions{Config: cfg, File: pos[0], NodesFile: *nodes, Format: *format, Name: *name, GraphID: *id, Log: logger(cfg, std.errOut)}
	if !*quiet && isTerminal(std.errOut) {
		opt.Progress = std.errOut
	}
	_, err = app.Import(ctx, opt, std.in, std.out)
	return err
}

func runExport(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("export GRAPH", "Write a stored graph (by id) as GraphML, GEXF, a CSV edge list (with --nodes for the node file)\nor JSON node-link.", std.errOut)
	format := fs.String("format", "graphml", "graphml, gexf, csv or json")
	out := fs.String("o", "", "output file (default standard output)")
	nodes := fs.String("nodes", "", "(csv) also write the node file here")
	cfg, pos, err := needArgs(fs, config.NewLoader(fs, natsKeys...), args, 1, "GRAPH")
	if err != nil {
		return err
	}
	return app.Export(ctx, app.ExportOptions{Config: cfg, GraphID: pos[0], Format: *format, Out: *out, Nodes: *nodes, Log: logger(cfg, std.errOut)}, std.out)
}

func runLayout(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("layout FILE|-", "Lay out a graph file (any import format) headlessly with the Barnes-Hut kernel and write\nits positions as CSV rows id,x,y,z.", std.errOut)
	steps := fs.Int("steps", 300, "layout iterations")
	theta := fs.Float64("theta", 0.8, "Barnes-Hut opening angle")
	seed := fs.Uint64("seed", 1, "seed of the start positions")
	out := fs.String("out", "", "output CSV (default standard output)")
	format := fs.String("format", "", "graphml, gexf, csv or json (default: detected)")
	nodes := fs.String("nodes", "", "(csv) node file")
	_, pos, err := needArgs(fs, config.NewLoader(fs, "log.level"), args, 1, "FILE")
	if err != nil {
		return err
	}
	return app.LayoutFile(ctx, app.LayoutOptions{File: pos[0], NodesFile: *nodes, Format: *format, Steps: *steps,
		Theta: *theta, Seed: *seed, Out: *out}, std.in, std.out)
}

func runContent(ctx context.Context, args []string, std stdio) error {
	if err := needVerb(args, std, "Usage: alchemist content put GRAPH NODE FILE|- | alchemist content get GRAPH NODE [-o FILE]\n", "put", "get"); err != nil {
		return err
	}
	verb := args[0]
	fs := newFlags("content "+verb, map[string]string{
		"put": "Attach FILE (or standard input) to a node as its content: up to 64 KiB inline in the event,\nlarger content in the object store with the node carrying its CID. Prints the CID when stored by CID.",
		"get": "Write a node's content to -o FILE (default standard output), fetching it by CID when needed.",
	}[verb], std.errOut)
	out := fs.String("o", "", "(get) output file")
	want, what := 2, "GRAPH NODE"
	if verb == "put" {
		want, what = 3, "GRAPH NODE FILE"
	}
	cfg, pos, err := needArgs(fs, config.NewLoader(fs, natsKeys...), args[1:], want, what)
	if err != nil {
		return err
	}
	opt := app.ContentOptions{Config: cfg, GraphID: pos[0], NodeID: pos[1], Log: logger(cfg, std.errOut)}
	if isTerminal(std.errOut) {
		opt.Progress = std.errOut
	}
	if verb == "put" {
		return app.ContentPut(ctx, opt, pos[2], std.in, std.out)
	}
	return app.ContentGet(ctx, opt, *out, std.out)
}

func runAgent(ctx context.Context, args []string, std stdio) error {
	fs := newFlags("agent NAME", "Run a built-in agent (structure, similarity, categories, coalitions) as a NATS micro service\nagent-NAME against a running server (alchemist serve or --nats) until interrupted. serve also runs\nall of them in-process. See docs/agents.md.", std.errOut)
	cfg, pos, err := needArgs(fs, config.NewLoader(fs, natsKeys...), args, 1, "NAME")
	if err != nil {
		return err
	}
	err = app.RunAgent(ctx, cfg, pos[0], logger(cfg, std.errOut))
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// needVerb insists that args start with one of verbs, printing usage otherwise.
func needVerb(args []string, std stdio, usage string, verbs ...string) error {
	if len(args) > 0 && slices.Contains(verbs, args[0]) {
		return nil
	}
	fmt.Fprint(std.errOut, usage)
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		return flag.ErrHelp
	}
	return errUsage
}
