package graphio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// CSV edge lists: a header "source,target[,weight][,kind][,id][,more...]" (any order, names
// matched case-insensitively; "from"/"to" are accepted for source/target, Gephi's "Type" column of
// Directed/Undirected sets "undirected"), or no header and 2–3 columns source,target[,weight]. The
// optional node file has a header "id[,label][,kind][,cid][,coords][,fx,fy,fz][,more...]" or 1–2
// columns id[,label]. Other columns become properties; a cell is typed by the column's annotation
// ("age:long", "name:string", "tags:json" — Neo4j's convention) or, without one, inferred: true and
// false are booleans, a JSON number is a number, anything else a string. An empty cell is no value.
// Lines starting with '#' are comments (SNAP's edge lists). The separator (',', ';', tab, or a
// space) is detected from the first line unless Options.Comma sets it.

type csvRole uint8

const (
	roleProp csvRole = iota
	roleSource
	roleTarget
	roleWeight
	roleKind
	roleID
	roleLabel
	roleCID
	roleCoords
	rolePinX
	rolePinY
	rolePinZ
	roleType // Gephi's Directed/Undirected
)

type csvCol struct {
	role csvRole
	name string
	typ  Type // "" infers; "json" is raw JSON
}

const typeJSON Type = "json"

type csvTable struct {
	r    *csv.Reader
	file string
	cols []csvCol
	// first holds the first record when it was data rather than a header.
	first []string
}

type csvReader struct {
	nodes   *csvTable
	edges   *csvTable
	meta    metaQueue
	nodeIDs ids
	edgeIDs ids
	edgeN   int
	opt     Options
	edgeR   io.Reader
	started bool
	err     error
}

func newCSVReader(r io.Reader, opt Options) (*csvReader, error) {
	return &csvReader{opt: opt, edgeR: r, nodeIDs: ids{}, edgeIDs: ids{},
		meta: metaQueue{meta: Meta{Directed: true}}}, nil
}

func (r *csvReader) Next() (Item, error) {
	if r.err != nil {
		return Item{}, r.err
	}
	it, err := r.next()
	if err != nil {
		r.err = err
	}
	return it, err
}

func (r *csvReader) next() (Item, error) {
	if !r.started {
		r.started = true
		if r.opt.Nodes != nil {
			t, err := openTable(r.opt.Nodes, r.opt.NodesName, r.opt.Comma, false)
			if err != nil {
				return Item{}, err
			}
			r.nodes = t
		}
		t, err := openTable(r.edgeR, r.opt.Name, r.opt.Comma, true)
		if err != nil {
			return Item{}, err
		}
		r.edges = t
		// Typed header columns are the only declarations a CSV file makes.
		declare := func(cols []csvCol, d Domain) {
			for _, c := range cols {
				if c.role == roleProp && c.typ != "" && c.typ != typeJSON {
					r.meta.meta.Keys = append(r.meta.meta.Keys, Key{Name: c.name, For: d, Type: c.typ})
				}
			}
		}
		if r.nodes != nil {
			declare(r.nodes.cols, DomainNode)
		}
		declare(r.edges.cols, DomainEdge)
		m, _ := r.meta.take()
		return m, nil
	}
	if r.nodes != nil {
		rec, err := r.nodes.record()
		if err == nil {
			return r.node(rec)
		}
		if err != io.EOF {
			return Item{}, err
		}
		r.nodes = nil
	}
	rec, err := r.edges.record()
	if err != nil {
		return Item{}, err
	}
	return r.edge(rec)
}

// openTable detects the separator, reads the first record and decides whether it is a header.
func openTable(src io.Reader, file string, comma rune, edges bool) (*csvTable, error) {
	br := bufio.NewReaderSize(src, 64<<10)
	if comma == 0 {
		head, _ := br.Peek(64 << 10)
		comma = detectComma(head)
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.Comment = '#'
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // counted here, with a message naming the header
	cr.TrimLeadingSpace = comma != ' ' && comma != '\t'
	t := &csvTable{r: cr, file: file}
	rec, err := cr.Read()
	if err == io.EOF {
		if edges {
			t.cols = []csvCol{{role: roleSource}, {role: roleTarget}}
		} else {
			t.cols = []csvCol{{role: roleID}}
		}
		return t, nil
	}
	if err != nil {
		return nil, t.wrap(err)
	}
	for i, s := range rec {
		if !utf8.ValidString(s) {
			line, col := cr.FieldPos(i)
			return nil, posErr(file, line, col, "not valid UTF-8 (convert the file to UTF-8)")
		}
	}
	if cols, ok, err := t.header(rec, edges); err != nil {
		return nil, err
	} else if ok {
		t.cols = cols
		return t, nil
	}
	// No header: positional columns.
	switch {
	case edges && (len(rec) == 2 || len(rec) == 3):
		t.cols = []csvCol{{role: roleSource}, {role: roleTarget}, {role: roleWeight}}[:len(rec)]
	case !edges && (len(rec) == 1 || len(rec) == 2):
		t.cols = []csvCol{{role: roleID}, {role: roleLabel}}[:len(rec)]
	default:
		want := "source,target[,weight]"
		if !edges {
			want = "id[,label]"
		}
		line, _ := cr.FieldPos(0)
		return nil, posErr(file, line, 1, "first line has %d columns and no header: add a header naming them (without one the columns are %s)", len(rec), want)
	}
	t.first = append([]string(nil), rec...)
	return t, nil
}

func detectComma(head []byte) rune {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		best, n := ',', bytes.Count(line, []byte{','})
		for _, c := range []rune{'\t', ';'} {
			if k := bytes.Count(line, []byte{byte(c)}); k > n {
				best, n = c, k
			}
		}
		if n == 0 && bytes.IndexByte(bytes.TrimSpace(line), ' ') > 0 {
			return ' '
		}
		return best
	}
	return ','
}

func (t *csvTable) header(rec []string, edges bool) ([]csvCol, bool, error) {
	cols := make([]csvCol, len(rec))
	isHeader := false
	seen := map[string]bool{}
	for i, name := range rec {
		// The name is kept as written (a property may be called " x"); roles ignore spaces.
		c := csvCol{name: name}
		if j := strings.LastIndexByte(name, ':'); j > 0 {
			switch typ := strings.ToLower(name[j+1:]); typ {
			case "string", "boolean", "int", "long", "float", "double", "json":
				c.typ, c.name = Type(typ), name[:j]
			case "bool":
				c.typ, c.name = TypeBoolean, name[:j]
			case "number":
				c.typ, c.name = TypeDouble, name[:j]
			}
		}
		lower := strings.ToLower(strings.TrimSpace(c.name))
		if edges {
			switch lower {
			case "source", "from":
				c.role, isHeader = roleSource, true
			case "target", "to":
				c.role, isHeader = roleTarget, true
			case "weight":
				c.role = roleWeight
			case "kind":
				c.role = roleKind
			case "id":
				c.role = roleID
			case "type":
				c.role = roleType
			}
		} else {
			switch lower {
			case "id":
				c.role, isHeader = roleID, true
			case "label":
				c.role = roleLabel
			case "kind":
				c.role = roleKind
			case "cid":
				c.role = roleCID
			case "coords":
				c.role = roleCoords
			case "fx":
				c.role = rolePinX
			case "fy":
				c.role = rolePinY
			case "fz":
				c.role = rolePinZ
			}
		}
		key := c.name
		if c.role != roleProp {
			key = "\x00" + strconv.Itoa(int(c.role))
		}
		if seen[key] {
			line, col := t.r.FieldPos(i)
			return nil, false, posErr(t.file, line, col, "column %q appears twice in the header", c.name)
		}
		seen[key] = true
		if c.role == roleProp && c.name == "" {
			line, col := t.r.FieldPos(i)
			return nil, false, posErr(t.file, line, col, "header column %d has no name", i+1)
		}
		cols[i] = c
	}
	if !isHeader {
		return nil, false, nil
	}
	line, _ := t.r.FieldPos(0)
	if edges && (!seen["\x00"+strconv.Itoa(int(roleSource))] || !seen["\x00"+strconv.Itoa(int(roleTarget))]) {
		return nil, false, posErr(t.file, line, 1, "the header must name both a source and a target column")
	}
	return cols, true, nil
}

func (t *csvTable) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &PosError{File: t.file, Line: pe.Line, Col: pe.Column, Msg: "CSV: " + pe.Err.Error()}
	}
	return fmt.Errorf("%s: %w", t.file, err)
}

func (t *csvTable) record() ([]string, error) {
	if t.first != nil {
		rec := t.first
		t.first = nil
		return rec, nil
	}
	rec, err := t.r.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, t.wrap(err)
	}
	for i, s := range rec {
		if !utf8.ValidString(s) {
			line, col := t.r.FieldPos(i)
			return nil, posErr(t.file, line, col, "not valid UTF-8 (convert the file to UTF-8)")
		}
	}
	return rec, nil
}

// cellValue types a property cell.
func cellValue(c *csvCol, s string) (json.RawMessage, string) {
	if c.typ == "" {
		return inferValue(s), ""
	}
	if s == "" {
		return nil, ""
	}
	if c.typ == typeJSON {
		if !json.Valid([]byte(s)) {
			return nil, fmt.Sprintf("column %q: %q is not JSON", c.name, s)
		}
		return json.RawMessage(s), ""
	}
	v, ok := typedValue(c.typ, s)
	if !ok {
		return nil, fmt.Sprintf("column %q: %q is not a %s", c.name, s, c.typ)
	}
	return v, ""
}

func (r *csvReader) node(rec []string) (Item, error) {
	t := r.nodes
	line, _ := t.r.FieldPos(0)
	if len(rec) != len(t.cols) {
		return Item{}, posErr(t.file, line, 1, "%d columns where the header has %d", len(rec), len(t.cols))
	}
	var n graph.Node
	for i := range t.cols {
		c := &t.cols[i]
		s := rec[i]
		var msg string
		switch c.role {
		case roleID:
			n.ID = s
		case roleLabel:
			n.Label = s
		case roleKind:
			n.Kind = s
		case roleCID:
			n.CID = s
		case roleCoords, rolePinX, rolePinY, rolePinZ:
			if s != "" {
				msg = setNodeAttr(&n, map[csvRole]string{roleCoords: "coords", rolePinX: "fx", rolePinY: "fy", rolePinZ: "fz"}[c.role], TypeString, s)
			}
		default:
			v, m := cellValue(c, s)
			if v != nil {
				setProp(&n.Props, c.name, v)
			}
			msg = m
		}
		if msg != "" {
			l, col := t.r.FieldPos(i)
			return Item{}, posErr(t.file, l, col, "node %q: %s", n.ID, msg)
		}
	}
	if n.ID == "" {
		return Item{}, posErr(t.file, line, 1, "node with an empty id")
	}
	if err := r.nodeIDs.add(t.file, "node", n.ID, line, 1); err != nil {
		return Item{}, err
	}
	return Item{Kind: KindNode, Node: n, Line: line}, nil
}

func (r *csvReader) edge(rec []string) (Item, error) {
	t := r.edges
	line, _ := t.r.FieldPos(0)
	if len(rec) != len(t.cols) {
		return Item{}, posErr(t.file, line, 1, "%d columns where the first line has %d", len(rec), len(t.cols))
	}
	e := graph.Edge{Weight: 1}
	for i := range t.cols {
		c := &t.cols[i]
		s := rec[i]
		var msg string
		switch c.role {
		case roleSource:
			e.Source = s
		case roleTarget:
			e.Target = s
		case roleID:
			e.ID = s
		case roleKind:
			e.Kind = s
		case roleWeight:
			if s != "" {
				f, ok := parseFloat(s)
				if !ok {
					msg = fmt.Sprintf("weight %q is not a finite number", s)
				}
				e.Weight = f
			}
		case roleType:
			switch strings.ToLower(s) {
			case "undirected", "mutual":
				setProp(&e.Props, "undirected", jsonTrue)
			case "directed", "":
			default:
				v, _ := cellValue(c, s)
				setProp(&e.Props, c.name, v)
			}
		default:
			v, m := cellValue(c, s)
			if v != nil {
				setProp(&e.Props, c.name, v)
			}
			msg = m
		}
		if msg != "" {
			l, col := t.r.FieldPos(i)
			return Item{}, posErr(t.file, l, col, "%s", msg)
		}
	}
	if e.Source == "" || e.Target == "" {
		return Item{}, posErr(t.file, line, 1, "edge with an empty source or target")
	}
	if e.ID == "" {
		e.ID = edgeID(r.edgeN)
	}
	r.edgeN++
	if err := r.edgeIDs.add(t.file, "edge", e.ID, line, 1); err != nil {
		return Item{}, err
	}
	return Item{Kind: KindEdge, Edge: e, Line: line}, nil
}
