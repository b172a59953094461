package graphio

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Writer streams a graph out: every node, then every edge, then Close. Close writes the file's
// closing part and flushes; it does not close the underlying io.Writer.
type Writer interface {
	WriteNode(n *graph.Node) error
	WriteEdge(e *graph.Edge) error
	Close() error
}

// WriteOptions tune writing.
type WriteOptions struct {
	// Nodes receives the CSV node file; nil writes the edge list only (isolated nodes and node
	// attributes are then not exported). Ignored by the other formats.
	Nodes io.Writer
	// Comma is the CSV separator; 0 means ','.
	Comma rune
}

// NewWriter starts writing format f to w. meta.Keys must declare every property the records carry
// (build it with [Schema], or let [Export] do so); the writer fails on an undeclared property
// rather than write a file that does not read back.
func NewWriter(w io.Writer, f Format, meta Meta, opt WriteOptions) (Writer, error) {
	switch f {
	case GraphML:
		return newGraphMLWriter(w, meta)
	case GEXF:
		return newGEXFWriter(w, meta)
	case CSV:
		return newCSVWriter(w, meta, opt)
	case NodeLink:
		return newNodeLinkWriter(w, meta)
	}
	return nil, fmt.Errorf("%w: unknown format %q", ErrFormat, string(f))
}

// outBase is what every writer shares: a buffered output, a scratch buffer, the declared keys and
// the nodes-then-edges order.
type outBase struct {
	w        *bufio.Writer
	b        []byte
	nodeKeys []Key
	edgeKeys []Key
	edges    bool // an edge was written: no more nodes
	closed   bool
}

func newOutBase(w io.Writer, meta Meta) outBase {
	o := outBase{w: bufio.NewWriterSize(w, 64<<10)}
	for _, k := range meta.Keys {
		switch k.For {
		case DomainNode:
			o.nodeKeys = append(o.nodeKeys, k)
		case DomainEdge:
			o.edgeKeys = append(o.edgeKeys, k)
		case DomainAll:
			o.nodeKeys = append(o.nodeKeys, k)
			o.edgeKeys = append(o.edgeKeys, k)
		}
	}
	return o
}

func (o *outBase) checkNode() error {
	if o.closed {
		return fmt.Errorf("graphio: write after Close")
	}
	if o.edges {
		return fmt.Errorf("graphio: node written after an edge (write every node first)")
	}
	return nil
}

func (o *outBase) checkEdge() error {
	if o.closed {
		return fmt.Errorf("graphio: write after Close")
	}
	o.edges = true
	return nil
}

// undeclared names a property of p that keys do not declare; writers call it when fewer declared
// keys matched than p holds.
func undeclared(what, id string, p graph.Props, keys []Key) error {
	for name := range p {
		if !hasKey(keys, name) {
			return fmt.Errorf("%w: %s %q: property %q is not declared in the schema", ErrFormat, what, id, name)
		}
	}
	return fmt.Errorf("%w: %s %q: properties do not match the schema", ErrFormat, what, id)
}

func hasKey(keys []Key, name string) bool {
	for i := range keys {
		if keys[i].Name == name {
			return true
		}
	}
	return false
}

func fitsType(what, id string, k *Key, v json.RawMessage) error {
	c := classify(v)
	ok := true
	switch k.Type {
	case TypeBoolean:
		ok = c == classBool
	case TypeInt, TypeLong:
		ok = c == classInt
	case TypeFloat, TypeDouble:
		ok = c == classInt || c == classFloat
	}
	if !ok {
		return fmt.Errorf("%w: %s %q: property %q = %s is not a %s as declared", ErrFormat, what, id, k.Name, v, k.Type)
	}
	return nil
}

// appendXML escapes s for XML text or a double-quoted attribute. Characters XML 1.0 cannot carry
// (most C0 controls, invalid UTF-8) become U+FFFD; CR, LF and tab are written as character
// references where a parser would otherwise normalise them away.
func appendXML(b []byte, s string, inAttr bool) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
				b = append(b, s[start:i]...)
				b = append(b, "\uFFFD"...)
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			if inAttr {
				esc = "&quot;"
			}
		case '\r':
			esc = "&#xD;"
		case '\n':
			if inAttr {
				esc = "&#xA;"
			}
		case '\t':
			if inAttr {
				esc = "&#x9;"
			}
		default:
			if c < 0x20 {
				esc = "\uFFFD"
			}
		}
		if esc == "" {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		i++
		start = i
	}
	return append(b, s[start:]...)
}

func undeclaredField(what, id, field string) error {
	return fmt.Errorf("%w: %s %q has a %s, but the meta does not mark the field used (build it with Schema)",
		ErrFormat, what, id, field)
}
