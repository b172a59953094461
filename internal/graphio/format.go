package graphio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Format names a file format.
type Format string

// The supported formats. Their names double as the CLI's --format values.
const (
	GraphML  Format = "graphml"
	GEXF     Format = "gexf"
	CSV      Format = "csv"
	NodeLink Format = "json" // node-link JSON (networkx node_link_data, d3-force)
)

// Formats lists every supported format.
var Formats = []Format{GraphML, GEXF, CSV, NodeLink}

// ParseFormat accepts a format name as typed on a command line ("graphml", "gexf", "csv", "tsv",
// "json", "nodelink").
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "graphml", "xml":
		return GraphML, nil
	case "gexf":
		return GEXF, nil
	case "csv", "tsv", "edgelist":
		return CSV, nil
	case "json", "nodelink", "node-link", "node_link":
		return NodeLink, nil
	}
	return "", fmt.Errorf("%w: unknown format %q (want graphml, gexf, csv or json)", ErrFormat, s)
}

// DetectFormat guesses the format of a file from its name and its first bytes (512 are plenty; nil
// is fine). The content wins over the extension where it is unambiguous: an XML root element names
// GraphML or GEXF, a leading '{' names node-link JSON.
func DetectFormat(filename string, head []byte) (Format, error) {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case bytes.HasPrefix(h, []byte("{")):
		return NodeLink, nil
	case bytes.HasPrefix(h, []byte("<")):
		// Skip the prolog (declaration, comments, doctype) to the root element's name.
		rest := h
		for len(rest) > 1 && rest[0] == '<' && (rest[1] == '?' || rest[1] == '!') {
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				rest = nil
				break
			}
			rest = bytes.TrimLeft(rest[end+1:], " \t\r\n")
		}
		name := rest
		if len(name) > 0 && name[0] == '<' {
			name = name[1:]
		}
		if i := bytes.IndexAny(name, " \t\r\n/>"); i >= 0 {
			name = name[:i]
		}
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		switch string(bytes.ToLower(name)) {
		case "graphml":
			return GraphML, nil
		case "gexf":
			return GEXF, nil
		}
	}
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".graphml", ".xml":
		return GraphML, nil
	case ".gexf":
		return GEXF, nil
	case ".csv", ".tsv", ".txt", ".edges", ".edgelist":
		return CSV, nil
	case ".json":
		return NodeLink, nil
	}
	if len(h) > 0 && !bytes.HasPrefix(h, []byte("<")) {
		return CSV, nil // plain text that is neither XML nor JSON: an edge list is the only candidate
	}
	return "", fmt.Errorf("%w: cannot tell the format of %q (use --format graphml|gexf|csv|json)", ErrFormat, filename)
}

// ItemKind says which field of an [Item] is set.
type ItemKind uint8

const (
	KindMeta ItemKind = iota + 1 // Item.Meta: graph name, direction, attribute declarations
	KindNode                     // Item.Node
	KindEdge                     // Item.Edge
)

func (k ItemKind) String() string {
	switch k {
	case KindMeta:
		return "meta"
	case KindNode:
		return "node"
	case KindEdge:
		return "edge"
	}
	return fmt.Sprintf("ItemKind(%d)", uint8(k))
}

// Item is one record of a graph file. Each Node and Edge is freshly allocated: the caller may keep
// it (its Props map included) without copying.
type Item struct {
	Kind ItemKind
	Node graph.Node
	Edge graph.Edge
	Meta *Meta
	// Line is the 1-based line in the file where the record starts (0 when unknown), so that a
	// later refusal by the domain (dangling edge) can still name a place in the file.
	Line int
}

// Meta is what a file says about the graph as a whole. A reader emits it before the first node;
// a format that allows graph-level data after nodes (GraphML) emits an updated Meta again.
type Meta struct {
	Name string
	// Directed is the file's default edge direction. Edges read as undirected carry the property
	// "undirected": true whatever this says, because the domain's edges are all directed.
	Directed   bool
	Multigraph bool
	// Props are graph-level attributes (GraphML <data> of the graph, GEXF <meta>, node-link "graph").
	Props graph.Props
	// Keys declares node and edge attributes: what the file declared on reading, what a writer
	// must declare up front on writing (see [Schema]).
	Keys []Key
	// Used marks the optional fields present in the records (set by [Schema]); writers of columnar
	// formats (CSV) add a column only for a used field.
	Used Fields
}

// Domain says which records a [Key] applies to.
type Domain string

const (
	DomainNode  Domain = "node"
	DomainEdge  Domain = "edge"
	DomainGraph Domain = "graph"
	DomainAll   Domain = "all"
)

// Type is an attribute type, spelled as GraphML's attr.type.
type Type string

const (
	TypeString  Type = "string"
	TypeBoolean Type = "boolean"
	TypeInt     Type = "int"
	TypeLong    Type = "long"
	TypeFloat   Type = "float"
	TypeDouble  Type = "double"
)

// Key declares one attribute.
type Key struct {
	ID   string // the file's own id for it (GraphML key id, GEXF attribute id); may be empty
	Name string // the property name in Props
	For  Domain
	Type Type
	// Default is the JSON value records lacking the attribute get on reading (nil: none).
	Default json.RawMessage
	// Ambiguous is set by [Schema] on a string key some of whose values would read back as another
	// type from an untyped format (a string "12" in CSV): the CSV writer then annotates the column.
	Ambiguous bool
}

// Fields is a set of optional record fields.
type Fields uint16

const (
	FieldLabel    Fields = 1 << iota // Node.Label
	FieldKind                        // Node.Kind
	FieldPin                         // Node.Pin
	FieldCID                         // Node.CID
	FieldCoords                      // Node.Coords
	FieldEdgeKind                    // Edge.Kind
	FieldEdgeID                      // Edge.ID (always written where the format allows)
)

// Reader yields a file's records one at a time; Next returns io.EOF after the last one. Errors
// other than io.EOF wrap [ErrFormat] (malformed input, with the position) or the underlying
// reader's error.
type Reader interface {
	Next() (Item, error)
}

// Options tune reading.
type Options struct {
	// Name is the file name used in error messages ("g.graphml:12:5: ...").
	Name string
	// Nodes is the optional CSV node file (id[,label][,kind][,...]); its nodes come before the
	// edge list's edges. NodesName names it in errors.
	Nodes     io.Reader
	NodesName string
	// Comma is the CSV separator; 0 detects ',', ';' or tab from the first line.
	Comma rune
}

// Open starts reading r in format f. It reads nothing until the first Next, except for the
// few bytes needed to check the file's start.
func Open(r io.Reader, f Format, opt Options) (Reader, error) {
	switch f {
	case GraphML:
		return newGraphMLReader(r, opt), nil
	case GEXF:
		return newGEXFReader(r, opt), nil
	case CSV:
		return newCSVReader(r, opt)
	case NodeLink:
		return newNodeLinkReader(r, opt), nil
	}
	return nil, fmt.Errorf("%w: unknown format %q", ErrFormat, string(f))
}
