package graphio

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// csvWriter writes the edge list to w and, when given, the node file to opt.Nodes. Columns are
// fixed by the Meta: source,target,weight,id[,kind] then the edge properties; id,label,kind
// [,cid][,coords][,fx,fy,fz] then the node properties. A property column is annotated ":string"
// when the Schema found values an untyped reader would not read back as strings.
type csvWriter struct {
	outBase
	nodes     *bufio.Writer
	comma     byte
	used      Fields
	nodeHdr   bool
	edgeHdr   bool
	cellsDone bool
}

func newCSVWriter(w io.Writer, meta Meta, opt WriteOptions) (*csvWriter, error) {
	c := &csvWriter{outBase: newOutBase(w, meta), comma: ',', used: meta.Used}
	if opt.Comma != 0 {
		if opt.Comma >= 0x80 || opt.Comma == '"' || opt.Comma == '\n' || opt.Comma == '\r' || opt.Comma == '#' {
			return nil, fmt.Errorf("graphio: CSV separator %q is not supported", opt.Comma)
		}
		c.comma = byte(opt.Comma)
	}
	if opt.Nodes != nil {
		c.nodes = bufio.NewWriterSize(opt.Nodes, 64<<10)
	}
	return c, nil
}

// appendCell quotes a cell when a reader would otherwise split, trim, or skip it.
func (c *csvWriter) appendCell(b []byte, s string, first bool) []byte {
	if !first {
		b = append(b, c.comma)
	}
	quote := s == `\.` || (first && strings.HasPrefix(s, "#"))
	if !quote && s != "" {
		r, _ := utf8.DecodeRuneInString(s)
		quote = unicode.IsSpace(r) || strings.ContainsAny(s, "\"\r\n") || strings.IndexByte(s, c.comma) >= 0
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

func (c *csvWriter) header(b []byte, fixed []string, keys []Key) []byte {
	for i, f := range fixed {
		b = c.appendCell(b, f, i == 0)
	}
	for i := range keys {
		name := keys[i].Name
		if keys[i].Ambiguous {
			name += ":string"
		} else if strings.IndexByte(name, ':') >= 0 {
			name += ":" + string(keys[i].Type) // keep a colon in the name from reading as a type
		}
		b = c.appendCell(b, name, false)
	}
	return append(b, '\n')
}

func (c *csvWriter) nodeFixed() []string {
	f := []string{"id", "label", "kind"}
	if c.used&FieldCID != 0 {
		f = append(f, "cid")
	}
	if c.used&FieldCoords != 0 {
		f = append(f, "coords")
	}
	if c.used&FieldPin != 0 {
		f = append(f, "fx", "fy", "fz")
	}
	return f
}

func (c *csvWriter) WriteNode(n *graph.Node) error {
	if err := c.checkNode(); err != nil {
		return err
	}
	if c.nodes == nil {
		return nil
	}
	b := c.b[:0]
	if !c.nodeHdr {
		c.nodeHdr = true
		b = c.header(b, c.nodeFixed(), c.nodeKeys)
	}
	b = c.appendCell(b, n.ID, true)
	b = c.appendCell(b, n.Label, false)
	b = c.appendCell(b, n.Kind, false)
	if c.used&FieldCID != 0 {
		b = c.appendCell(b, n.CID, false)
	} else if n.CID != "" {
		return undeclaredField("node", n.ID, "cid")
	}
	if c.used&FieldCoords != 0 {
		s := ""
		if len(n.Coords) > 0 {
			s = formatCoords(n.Coords)
		}
		b = c.appendCell(b, s, false)
	} else if len(n.Coords) > 0 {
		return undeclaredField("node", n.ID, "coords")
	}
	if c.used&FieldPin != 0 {
		for i := range 3 {
			s := ""
			if n.Pin != nil {
				s = formatFloat(n.Pin[i])
			}
			b = c.appendCell(b, s, false)
		}
	} else if n.Pin != nil {
		return undeclaredField("node", n.ID, "pin")
	}
	b, err := c.props(b, "node", n.ID, n.Props, c.nodeKeys)
	if err != nil {
		return err
	}
	c.b = b
	_, err = c.nodes.Write(b)
	return err
}

func (c *csvWriter) props(b []byte, what, id string, p graph.Props, keys []Key) ([]byte, error) {
	matched := 0
	for i := range keys {
		k := &keys[i]
		v, ok := p[k.Name]
		s := ""
		if ok {
			matched++
			if err := fitsType(what, id, k, v); err != nil {
				return b, err
			}
			s = valueText(v)
		}
		b = c.appendCell(b, s, false)
	}
	if matched != len(p) {
		return b, undeclared(what, id, p, keys)
	}
	return append(b, '\n'), nil
}

func (c *csvWriter) WriteEdge(e *graph.Edge) error {
	if err := c.checkEdge(); err != nil {
		return err
	}
	b := c.b[:0]
	if !c.edgeHdr {
		c.edgeHdr = true
		fixed := []string{"source", "target", "weight", "id"}
		if c.used&FieldEdgeKind != 0 {
			fixed = append(fixed, "kind")
		}
		b = c.header(b, fixed, c.edgeKeys)
	}
	b = c.appendCell(b, e.Source, true)
	b = c.appendCell(b, e.Target, false)
	b = c.appendCell(b, formatFloat(e.Weight), false)
	b = c.appendCell(b, e.ID, false)
	if c.used&FieldEdgeKind != 0 {
		b = c.appendCell(b, e.Kind, false)
	} else if e.Kind != "" {
		return undeclaredField("edge", e.ID, "kind")
	}
	b, err := c.props(b, "edge", e.ID, e.Props, c.edgeKeys)
	if err != nil {
		return err
	}
	c.b = b
	_, err = c.w.Write(b)
	return err
}

func (c *csvWriter) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	if c.nodes != nil {
		if !c.nodeHdr {
			c.nodes.Write(c.header(nil, c.nodeFixed(), c.nodeKeys))
		}
		if err := c.nodes.Flush(); err != nil {
			return err
		}
	}
	if !c.edgeHdr {
		fixed := []string{"source", "target", "weight", "id"}
		if c.used&FieldEdgeKind != 0 {
			fixed = append(fixed, "kind")
		}
		c.w.Write(c.header(nil, fixed, c.edgeKeys))
	}
	return c.w.Flush()
}
