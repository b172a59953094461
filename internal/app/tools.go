package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/infoalchemist/alchemist/internal/conceptual"
	"github.com/infoalchemist/alchemist/internal/config"
	"github.com/infoalchemist/alchemist/internal/game"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/objectstore"
	objjs "github.com/infoalchemist/alchemist/internal/objectstore/jetstream"
)

// openInput opens FILE, or standard input for "-".
func openInput(path string, stdin io.Reader) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%w: %s is a directory", ErrUsage, path)
	}
	return f, nil
}

// PrintCID writes the root CID of FILE (as `ipfs add --cid-version=1 --raw-leaves` names it), or with
// raw the CIDv1 of the whole content as one raw block.
func PrintCID(path string, raw bool, stdin io.Reader, stdout io.Writer) error {
	in, err := openInput(path, stdin)
	if err != nil {
		return err
	}
	defer in.Close()
	compute := objectstore.RootCID
	if raw {
		compute = objectstore.RawCID
	}
	c, err := compute(in)
	if err != nil {
		return fmt.Errorf("cid %s: %w", path, err)
	}
	_, err = fmt.Fprintln(stdout, c.String())
	return err
}

// ObjectOptions are the common choices of `alchemist object`.
type ObjectOptions struct {
	Config   config.Config
	Bucket   string
	Progress io.Writer // progress bar target, nil for none
	Log      *slog.Logger
}

func openObjects(ctx context.Context, o ObjectOptions) (*objectstore.Client, func(), error) {
	link, err := openLink(ctx, o.Config, o.Log)
	if err != nil {
		return nil, nil, err
	}
	store, err := objjs.OpenConn(ctx, link.Conn, objjs.Config{Bucket: o.Bucket})
	if err != nil {
		link.Close()
		return nil, nil, fmt.Errorf("open object bucket: %w", err)
	}
	client, err := objectstore.NewClient(store, objectstore.Options{})
	if err != nil {
		link.Close()
		return nil, nil, err
	}
	return client, func() { link.Close() }, nil
}

// ObjectPut stores FILE (or standard input) and prints its root CID.
func ObjectPut(ctx context.Context, o ObjectOptions, path string, stdin io.Reader, stdout io.Writer) error {
	in, err := openInput(path, stdin)
	if err != nil {
		return err
	}
	defer in.Close()
	client, done, err := openObjects(ctx, o)
	if err != nil {
		return err
	}
	defer done()
	bar := newProgressBar(o.Progress, "put")
	res, err := client.Put(ctx, in, objectstore.WithProgress(bar.progress))
	bar.finish()
	if err != nil {
		return fmt.Errorf("put %s: %w", path, err)
	}
	fmt.Fprintln(stdout, res.Root.String())
	o.Log.Info("stored", "cid", res.Root.String(), "bytes", res.Size, "blocks", res.Blocks, "new_blocks", res.Stored, "deduplicated", res.Deduped)
	return nil
}

// ObjectGet writes the content named by a CID to outPath (or standard output for "" or "-"). A file
// is written beside its final name and renamed only once every block has been verified.
func ObjectGet(ctx context.Context, o ObjectOptions, cidText, outPath string, stdout io.Writer) error {
	root, err := objectstore.ParseCID(cidText)
	if err != nil {
		return err
	}
	client, done, err := openObjects(ctx, o)
	if err != nil {
		return err
	}
	defer done()
	bar := newProgressBar(o.Progress, "get")
	if outPath == "" || outPath == "-" {
		_, err = client.Get(ctx, root, stdout, objectstore.WithProgress(bar.progress))
		bar.finish()
		return err
	}
	tmp := outPath + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("get %s: %w", cidText, err)
	}
	_, err = client.Get(ctx, root, f, objectstore.WithProgress(bar.progress))
	bar.finish()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("get %s: %w", cidText, err)
	}
	return os.Rename(tmp, outPath)
}

// progressBar draws "put  45% [=====>    ] 12.0/26.5 MiB  38.2 MiB/s" on a terminal, at most 10×/s.
type progressBar struct {
	w     io.Writer
	verb  string
	start time.Time
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, verb string) *progressBar {
	return &progressBar{w: w, verb: verb, start: time.Now()}
}

func (b *progressBar) progress(p objectstore.Progress) { b.update(p.Done, p.Total) }

func (b *progressBar) update(done, total int64) {
	if b == nil || b.w == nil || (time.Since(b.last) < 100*time.Millisecond && done != total) {
		return
	}
	p := objectstore.Progress{Done: done, Total: total}
	b.last = time.Now()
	b.drawn = true
	const width = 30
	mib := float64(p.Done) / (1 << 20)
	rate := mib / max(time.Since(b.start).Seconds(), 1e-3)
	if p.Total <= 0 {
		fmt.Fprintf(b.w, "\r%s %.1f MiB  %.1f MiB/s   ", b.verb, mib, rate)
		return
	}
	frac := float64(p.Done) / float64(p.Total)
	filled := int(frac * width)
	bar := make([]byte, width)
	for i := range bar {
		switch {
		case i < filled:
			bar[i] = '='
		case i == filled:
			bar[i] = '>'
		default:
			bar[i] = ' '
		}
	}
	fmt.Fprintf(b.w, "\r%s %3.0f%% [%s] %.1f/%.1f MiB  %.1f MiB/s ", b.verb, 100*frac, bar, mib, float64(p.Total)/(1<<20), rate)
}

func (b *progressBar) finish() {
	if b != nil && b.w != nil && b.drawn {
		fmt.Fprintln(b.w)
	}
}

// GameSolve reads a normal-form game (.nfg or JSON) and prints its equilibria as JSON.
func GameSolve(path, method string, label int, stdin io.Reader, stdout io.Writer) error {
	data, err := readAll(path, stdin)
	if err != nil {
		return err
	}
	g, err := game.ParseGame(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	res, err := game.Solve(g, game.SolveOptions{Method: method, Label: label})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeJSON(stdout, res)
}

// GameCoop reads a TU game (JSON) and prints Shapley value, core and nucleolus as JSON.
// sample > 0 estimates the Shapley value from that many random orders.
func GameCoop(path string, sample int, seed uint64, confidence float64, stdin io.Reader, stdout io.Writer) error {
	data, err := readAll(path, stdin)
	if err != nil {
		return err
	}
	spec, err := game.ParseCoop(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	res, err := game.SolveCoop(spec, game.CoopOptions{Sample: sample, Seed: seed, Confidence: confidence})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeJSON(stdout, res)
}

// ConceptEval evaluates the queries of a conceptual-space file (SPACE.json) against its prototypes.
func ConceptEval(path string, stdin io.Reader, stdout io.Writer) error {
	in, err := openInput(path, stdin)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := conceptual.EvalSpaceJSON(in, stdout); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readAll(path string, stdin io.Reader) ([]byte, error) {
	in, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	data, err := io.ReadAll(io.LimitReader(in, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// BenchLayout times layout steps on a seeded Barabási–Albert graph of about nodes nodes and edges
// edges and prints the result as JSON.
func BenchLayout(ctx context.Context, nodes, edges int, theta float64, workers, warm, steps int, stdout io.Writer) error {
	if nodes < 3 {
		return fmt.Errorf("%w: --nodes %d: need at least 3", ErrUsage, nodes)
	}
	m := max(1, int(math.Round(float64(edges)/float64(nodes))))
	res, err := layout.Bench(ctx, nodes, m, theta, workers, warm, steps, 1)
	if err != nil {
		return fmt.Errorf("bench layout: %w", err)
	}
	return writeJSON(stdout, res)
}
