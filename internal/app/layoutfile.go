package app

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"strconv"

	"github.com/infoalchemist/alchemist/internal/graphio"
	"github.com/infoalchemist/alchemist/internal/layout"
)

// LayoutOptions are the choices of `alchemist layout`.
type LayoutOptions struct {
	File, NodesFile, Format string
	Steps                   int
	Theta                   float64
	Seed                    uint64
	Out                     string // "" or "-" for standard output
}

// LayoutFile lays out a graph file headlessly and writes id,x,y,z rows.
func LayoutFile(ctx context.Context, opt LayoutOptions, stdin io.Reader, stdout io.Writer) error {
	if opt.Steps < 0 {
		return fmt.Errorf("%w: --steps %d: must not be negative", ErrUsage, opt.Steps)
	}
	src, cleanup, err := rereadable(opt.File, stdin)
	if err != nil {
		return err
	}
	defer cleanup()
	format, err := detectFormat(src, opt.Format)
	if err != nil {
		return err
	}
	index := map[string]int32{}
	var ids []string
	var g layout.Graph
	node := func(id string) int32 {
		if i, ok := index[id]; ok {
			return i
		}
		i := int32(len(ids))
		index[id] = i
		ids = append(ids, id)
		return i
	}
	err = readAllRecords(src, format, ImportOptions{NodesFile: opt.NodesFile}, nil, func(it graphio.Item) error {
		switch it.Kind {
		case graphio.KindNode:
			node(it.Node.ID)
		case graphio.KindEdge:
			g.Src = append(g.Src, node(it.Edge.Source))
			g.Dst = append(g.Dst, node(it.Edge.Target))
			g.Weight = append(g.Weight, float32(it.Edge.Weight))
		}
		return nil
	})
	if err != nil {
		return err
	}
	g.N = len(ids)
	p := layout.DefaultParams()
	p.Theta = opt.Theta
	x, y, z, err := layout.Run(ctx, g, opt.Steps, p, opt.Seed)
	if err != nil {
		return fmt.Errorf("layout %s: %w", src.name, err)
	}
	w, commit, abort, err := createOutput(opt.Out, stdout)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("id,x,y,z\n")
	var line []byte
	for i, id := range ids {
		line = appendCSVField(line[:0], id)
		for _, v := range []float32{x[i], y[i], z[i]} {
			line = append(line, ',')
			line = strconv.AppendFloat(line, float64(v), 'g', -1, 32)
		}
		line = append(line, '\n')
		bw.Write(line)
	}
	if err := bw.Flush(); err != nil {
		abort()
		return fmt.Errorf("write positions: %w", err)
	}
	return commit()
}

// appendCSVField quotes a field when it holds a separator, quote or line break (RFC 4180).
func appendCSVField(b []byte, s string) []byte {
	needs := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			needs = true
			break
		}
	}
	if !needs {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
