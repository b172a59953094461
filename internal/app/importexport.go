package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/infoalchemist/alchemist/internal/config"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/graphio"
	"github.com/infoalchemist/alchemist/internal/natsx"
)

// ImportOptions are the choices of `alchemist import`.
type ImportOptions struct {
	Config    config.Config
	File      string // path, or "-" for standard input
	NodesFile string // CSV node file, optional
	Format    string // "" detects from the name and first bytes
	Name      string // graph name; default the file's graph name, else the file name
	GraphID   string // default a new UUIDv7; an existing graph receives the records
	Progress  io.Writer
	Log       *slog.Logger
}

// ImportResult reports an import.
type ImportResult struct {
	GraphID string
	Nodes   int
	Edges   int
	Version uint64
	Took    time.Duration
}

// Import reads a graph file twice: a first pass checks every record (format, duplicate ids, dangling
// edges, against the existing graph too) so that a bad file is refused before anything is stored;
// the second streams the records into the store through the bulk path. Neither pass holds the file.
func Import(ctx context.Context, opt ImportOptions, stdin io.Reader, stdout io.Writer) (ImportResult, error) {
	src, cleanup, err := rereadable(opt.File, stdin)
	if err != nil {
		return ImportResult{}, err
	}
	defer cleanup()
	format, err := detectFormat(src, opt.Format)
	if err != nil {
		return ImportResult{}, err
	}
	_, repo, closeRepo, err := openRepository(ctx, opt.Config, opt.Log)
	if err != nil {
		return ImportResult{}, err
	}
	defer closeRepo()

	id := opt.GraphID
	if id == "" {
		u, _ := uuid.NewV7()
		id = u.String()
	} else if err := natsx.ValidToken(id); err != nil {
		return ImportResult{}, fmt.Errorf("%w: --id: %v", ErrUsage, err)
	}
	bar := newProgressBar(opt.Progress, "import")
	res, name, err := importSource(ctx, repo, src, format, opt, id, "alchemist import", importStages{bar: bar})
	bar.finish()
	if err != nil {
		return ImportResult{}, err
	}
	fmt.Fprintln(stdout, id)
	opt.Log.Info("imported", "graph", id, "name", name, "nodes", res.Nodes, "edges", res.Edges, "version", res.Version,
		"seconds", fmt.Sprintf("%.2f", res.Took.Seconds()), "edges_per_s", int(float64(res.Edges)/max(res.Took.Seconds(), 1e-9)))
	return res, nil
}

// importStages is told how an import goes: the CLI draws a byte-progress bar, the workbench a task
// with a status and a count of records. Any of them may be nil.
type importStages struct {
	bar      *progressBar
	status   func(string)
	progress func(done, total int)
}

// importSource checks the whole of src against graph id, then stores it through the repository's bulk
// path with actor. It returns the result and the graph's name.
func importSource(ctx context.Context, repo *eventstore.Repository, src source, format graphio.Format, opt ImportOptions,
	id, actor string, st importStages) (ImportResult, string, error) {
	status := func(s string) {
		if st.status != nil {
			st.status(s)
		}
	}
	existing, err := repo.Open(ctx, id)
	if err != nil {
		return ImportResult{}, "", fmt.Errorf("open graph %s: %w", id, err)
	}
	if existing.Deleted() {
		return ImportResult{}, "", fmt.Errorf("import into %s: %w", id, graph.ErrDeleted)
	}

	// A CSV edge list without a node file names its nodes only as edge ends: they are created
	// on first mention. Every other format declares its nodes.
	status("checking")
	check := newImportCheck(existing, src.name, format == graphio.CSV)
	if err := readAllRecords(src, format, opt, nil, check.record); err != nil {
		return ImportResult{}, "", err
	}
	name := opt.Name
	if name == "" {
		name = check.fileName
	}
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(src.name), filepath.Ext(src.name))
	}

	start := time.Now()
	im, err := repo.Import(ctx, id, eventstore.ImportOptions{Meta: graph.Meta{Actor: actor, CommandID: "import-" + id + "-" + start.UTC().Format(time.RFC3339Nano)}})
	if err != nil {
		return ImportResult{}, "", err
	}
	if !existing.Exists() {
		if err := im.Command(&graph.CreateGraph{Name: name, Tags: []string{"imported"}}); err != nil {
			im.Abort()
			return ImportResult{}, "", err
		}
	}
	status("storing")
	total, done := len(check.nodes)+len(check.edges), 0
	stored := func() {
		done++
		if st.progress != nil {
			st.progress(done, total)
		}
	}
	err = readAllRecords(src, format, opt, st.bar, func(it graphio.Item) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch it.Kind {
		case graphio.KindNode:
			stored()
			return im.Node(it.Node)
		case graphio.KindEdge:
			for _, end := range []string{it.Edge.Source, it.Edge.Target} {
				if check.implied[end] {
					delete(check.implied, end)
					stored()
					if err := im.Node(graph.Node{ID: end}); err != nil {
						return err
					}
				}
			}
			stored()
			return im.Edge(graphio.EdgeInput(&it.Edge))
		}
		return nil
	})
	if err != nil {
		im.Abort()
		n, e := im.Counts()
		return ImportResult{}, "", fmt.Errorf("import interrupted after %d nodes and %d edges (graph %s holds them): %w", n, e, id, err)
	}
	version, err := im.Close()
	if err != nil {
		return ImportResult{}, "", fmt.Errorf("import into %s: %w", id, err)
	}
	n, e := im.Counts()
	return ImportResult{GraphID: id, Nodes: n, Edges: e, Version: version, Took: time.Since(start)}, name, nil
}

// source is an input that can be read twice: the file itself, or standard input spooled to a file.
type source struct {
	name, path, nodes string
	size              int64
}

func rereadable(path string, stdin io.Reader) (source, func(), error) {
	if path != "-" {
		st, err := os.Stat(path)
		if err != nil {
			return source{}, nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		if st.IsDir() {
			return source{}, nil, fmt.Errorf("%w: %s is a directory", ErrUsage, path)
		}
		return source{name: path, path: path, size: st.Size()}, func() {}, nil
	}
	f, err := os.CreateTemp("", "alchemist-import-*")
	if err != nil {
		return source{}, nil, err
	}
	n, err := io.Copy(f, stdin)
	f.Close()
	cleanup := func() { os.Remove(f.Name()) }
	if err != nil {
		cleanup()
		return source{}, nil, fmt.Errorf("read standard input: %w", err)
	}
	return source{name: "stdin", path: f.Name(), size: n}, cleanup, nil
}

func detectFormat(src source, explicit string) (graphio.Format, error) {
	if explicit != "" {
		f, err := graphio.ParseFormat(explicit)
		if err != nil {
			return "", fmt.Errorf("%w: --format: %v", ErrUsage, err)
		}
		return f, nil
	}
	f, err := os.Open(src.path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	return graphio.DetectFormat(src.name, head[:n])
}

// readAllRecords streams the file's records into fn.
func readAllRecords(src source, format graphio.Format, opt ImportOptions, bar *progressBar, fn func(graphio.Item) error) error {
	f, err := os.Open(src.path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	defer f.Close()
	var in io.Reader = f
	if bar != nil {
		in = &countingReader{r: f, total: src.size, bar: bar}
	}
	ropt := graphio.Options{Name: src.name}
	if opt.NodesFile != "" {
		nf, err := os.Open(opt.NodesFile)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUsage, err)
		}
		defer nf.Close()
		ropt.Nodes, ropt.NodesName = nf, opt.NodesFile
	}
	r, err := graphio.Open(in, format, ropt)
	if err != nil {
		return err
	}
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
}

type countingReader struct {
	r     io.Reader
	done  int64
	total int64
	bar   *progressBar
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.done += int64(n)
	c.bar.update(c.done, c.total)
	return n, err
}

// importCheck validates records the way the aggregate would, so a bad file is refused whole.
type importCheck struct {
	g        *graph.Graph
	nodes    map[string]int // id → line
	edges    map[string]int
	implied  map[string]bool // nodes an edge list names only as edge ends; nil: not allowed
	fileName string
	src      string
}

func newImportCheck(g *graph.Graph, src string, implyNodes bool) *importCheck {
	c := &importCheck{g: g, nodes: map[string]int{}, edges: map[string]int{}, src: src}
	if implyNodes {
		c.implied = map[string]bool{}
	}
	return c
}

func (c *importCheck) record(it graphio.Item) error {
	switch it.Kind {
	case graphio.KindMeta:
		if it.Meta != nil && it.Meta.Name != "" {
			c.fileName = it.Meta.Name
		}
	case graphio.KindNode:
		id := it.Node.ID
		if line, dup := c.nodes[id]; dup || c.g.HasNode(id) {
			return c.lineError(it.Line, "node %q already defined%s", id, where(line, dup))
		}
		c.nodes[id] = it.Line
	case graphio.KindEdge:
		e := it.Edge
		if line, dup := c.edges[e.ID]; dup || c.g.HasEdge(e.ID) {
			return c.lineError(it.Line, "edge %q already defined%s", e.ID, where(line, dup))
		}
		for _, end := range []string{e.Source, e.Target} {
			if _, ok := c.nodes[end]; ok || c.g.HasNode(end) {
				continue
			}
			if c.implied == nil {
				return c.lineError(it.Line, "edge %q refers to node %q, which is not defined before it", e.ID, end)
			}
			c.implied[end] = true
			c.nodes[end] = it.Line
		}
		c.edges[e.ID] = it.Line
	}
	return nil
}

func where(line int, inFile bool) string {
	if !inFile {
		return " in the graph"
	}
	if line > 0 {
		return fmt.Sprintf(" on line %d", line)
	}
	return ""
}

func (c *importCheck) lineError(line int, format string, args ...any) error {
	at := c.src
	if line > 0 {
		at = fmt.Sprintf("%s:%d", c.src, line)
	}
	return fmt.Errorf("%s: %s: %w", at, fmt.Sprintf(format, args...), graphio.ErrFormat)
}

// ExportOptions are the choices of `alchemist export`.
type ExportOptions struct {
	Config  config.Config
	GraphID string
	Format  string
	Out     string // "" or "-" for standard output
	Nodes   string // CSV: node file to write beside the edge list
	Log     *slog.Logger
}

// Export writes a stored graph in a file format, streaming from the loaded aggregate.
func Export(ctx context.Context, opt ExportOptions, stdout io.Writer) error {
	format, err := graphio.ParseFormat(opt.Format)
	if err != nil {
		return fmt.Errorf("%w: --format: %v", ErrUsage, err)
	}
	_, repo, closeRepo, err := openRepository(ctx, opt.Config, opt.Log)
	if err != nil {
		return err
	}
	defer closeRepo()
	g, err := repo.Open(ctx, opt.GraphID)
	if err != nil {
		return fmt.Errorf("open graph %s: %w", opt.GraphID, err)
	}
	if !g.Exists() {
		return fmt.Errorf("graph %s: %w", opt.GraphID, eventstore.ErrNotFound)
	}
	w, commit, abort, err := createOutput(opt.Out, stdout)
	if err != nil {
		return err
	}
	wopt := graphio.WriteOptions{}
	var nodesCommit, nodesAbort func() error = func() error { return nil }, func() error { return nil }
	if opt.Nodes != "" {
		nw, c, a, err := createOutput(opt.Nodes, nil)
		if err != nil {
			abort()
			return err
		}
		wopt.Nodes, nodesCommit, nodesAbort = nw, c, a
	}
	err = graphio.Export(w, format, graphio.Meta{Name: g.Name(), Directed: true}, wopt, pointers(g.Nodes()), pointers(g.Edges()))
	if err != nil {
		abort()
		nodesAbort()
		return fmt.Errorf("export %s: %w", opt.GraphID, err)
	}
	if err := nodesCommit(); err != nil {
		return err
	}
	return commit()
}

func pointers[T any](seq iter.Seq[T]) iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for v := range seq {
			if !yield(&v) {
				return
			}
		}
	}
}

// createOutput writes beside path and renames on commit, so a failed export leaves no half file.
func createOutput(path string, stdout io.Writer) (io.Writer, func() error, func() error, error) {
	if path == "" || path == "-" {
		if stdout == nil {
			return nil, nil, nil, fmt.Errorf("%w: no output file", ErrUsage)
		}
		nop := func() error { return nil }
		return stdout, nop, nop, nil
	}
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	commit := func() error {
		if err := f.Close(); err != nil {
			os.Remove(tmp)
			return err
		}
		return os.Rename(tmp, path)
	}
	abort := func() error { f.Close(); return os.Remove(tmp) }
	return f, commit, abort, nil
}
