package graphio

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// GEXF 1.2/1.3 (https://gexf.net/schema.html): <attributes class="node|edge"> declare typed
// attributes, <attvalues> hold them. Node labels become Node.Label, edge weight/kind/label fill the
// edge, an undirected or mutual edge carries "undirected": true. viz:position becomes the
// properties x, y, z; viz:size "size"; viz:color "color" ("#rrggbb", or "rgba(r,g,b,a)" with an
// alpha); viz:thickness "thickness"; viz:shape "shape". Hierarchies (nested <nodes>, pid) are
// flattened with a "parent" property. Dynamic data (spells, start/end) is not read: of several
// values of one attribute, the last wins.

type gexfFrameKind uint8

const (
	xfRoot gexfFrameKind = iota
	xfGEXF
	xfMeta
	xfMetaText
	xfGraph
	xfAttributes
	xfAttribute
	xfDefault
	xfNodes
	xfEdges
	xfNode
	xfEdge
	xfAttvalues
	xfSkip
)

type gexfFrame struct {
	kind   gexfFrameKind
	class  Domain    // xfAttributes, xfAttribute, xfAttvalues
	attr   *gexfAttr // xfAttribute, xfDefault
	parent string    // xfNodes: the node holding a nested <nodes>
	name   string    // xfMetaText: element name
}

type gexfAttr struct {
	Key
	defText string
	hasDef  bool
	serial  int
}

type gexfReader struct {
	x        *xmlIn
	attrs    [2]map[string]*gexfAttr // node, edge: by id and by title
	defaults [2][]*gexfAttr
	meta     metaQueue
	directed bool
	stack    []gexfFrame
	cur      Item
	serial   int
	edgeN    int
	graphs   int
	nodeIDs  ids
	edgeIDs  ids
	nested   string // the node whose nested <nodes> are being read
	pump
}

func newGEXFReader(r io.Reader, opt Options) *gexfReader {
	return &gexfReader{x: newXMLIn(r, opt.Name), attrs: [2]map[string]*gexfAttr{{}, {}},
		stack: []gexfFrame{{kind: xfRoot}}, nodeIDs: ids{}, edgeIDs: ids{}, directed: true}
}

func (r *gexfReader) Next() (Item, error) { return r.next(r.step) }

func (r *gexfReader) step() error {
	kind, err := r.x.token()
	if err == io.EOF {
		if len(r.stack) == 1 && r.graphs == 0 {
			return r.x.errorf("no <gexf> element: not a GEXF file")
		}
		if m, ok := r.meta.take(); ok {
			r.queue = append(r.queue, m)
		}
		r.eof = true
		return nil
	}
	if err != nil {
		return err
	}
	switch kind {
	case tokStart:
		return r.start(&r.x.s.start)
	case tokEnd:
		return r.end()
	case tokText:
		switch r.stack[len(r.stack)-1].kind {
		case xfMetaText, xfDefault:
			r.x.text = append(r.x.text, r.x.s.chars...)
		}
	}
	return nil
}

func (r *gexfReader) push(f gexfFrame) { r.stack = append(r.stack, f) }

func classIndex(d Domain) int {
	if d == DomainEdge {
		return 1
	}
	return 0
}

func (r *gexfReader) start(e *xml.StartElement) error {
	top := &r.stack[len(r.stack)-1]
	name := e.Name.Local
	switch top.kind {
	case xfRoot:
		if name != "gexf" {
			return r.x.errorf("root element is <%s>, not <gexf>: not a GEXF file", name)
		}
		r.graphs = -1 // root seen; no graph yet
		r.push(gexfFrame{kind: xfGEXF})
		return nil
	case xfGEXF:
		switch name {
		case "meta":
			r.push(gexfFrame{kind: xfMeta})
			return nil
		case "graph":
			if r.graphs > 0 {
				return r.x.errorf("a second <graph>: only one graph per file is supported")
			}
			r.graphs = 1
			switch t := attrOr(e, "defaultedgetype", "directed"); t {
			case "directed":
			case "undirected", "mutual":
				r.directed = false
			default:
				return r.x.errorf("defaultedgetype=%q: want directed, undirected or mutual", t)
			}
			r.meta.meta.Directed = r.directed
			if n, ok := attr(e, "name"); ok {
				r.meta.meta.Name = n
			}
			r.push(gexfFrame{kind: xfGraph})
			return nil
		}
	case xfMeta:
		r.x.text = r.x.text[:0]
		r.push(gexfFrame{kind: xfMetaText, name: name})
		return nil
	case xfGraph:
		switch name {
		case "attributes":
			class := Domain(attrOr(e, "class", "node"))
			if class != DomainNode && class != DomainEdge {
				break // graph-class attributes are not part of the standard; skip them
			}
			r.push(gexfFrame{kind: xfAttributes, class: class})
			return nil
		case "nodes":
			r.push(gexfFrame{kind: xfNodes})
			return nil
		case "edges":
			r.push(gexfFrame{kind: xfEdges})
			return nil
		}
	case xfAttributes:
		if name == "attribute" {
			return r.startAttr(e, top.class)
		}
	case xfAttribute:
		if name == "default" {
			r.x.text = r.x.text[:0]
			r.push(gexfFrame{kind: xfDefault, attr: top.attr})
			return nil
		}
	case xfNodes:
		if name == "node" {
			return r.startNode(e, top.parent)
		}
	case xfEdges:
		if name == "edge" {
			return r.startEdge(e)
		}
	case xfNode, xfEdge:
		return r.startInRecord(e, top.kind)
	case xfAttvalues:
		if name == "attvalue" {
			return r.attvalue(e, top.class)
		}
	}
	r.push(gexfFrame{kind: xfSkip})
	return nil
}

func (r *gexfReader) startAttr(e *xml.StartElement, class Domain) error {
	id, _ := attr(e, "id")
	title := attrOr(e, "title", "")
	if title == "" {
		title = id
	}
	if id == "" {
		return r.x.errorf("<attribute> without an id")
	}
	a := &gexfAttr{Key: Key{ID: id, Name: title, For: class, Type: gexfType(attrOr(e, "type", "string"))}}
	m := r.attrs[classIndex(class)]
	if _, dup := m[id]; dup {
		return r.x.errorf("%s attribute id %q declared twice", class, id)
	}
	m[id] = a
	if _, taken := m["\x00"+title]; !taken {
		m["\x00"+title] = a // GEXF 1.1 files refer to attributes by title
	}
	r.push(gexfFrame{kind: xfAttribute, class: class, attr: a})
	return nil
}

func gexfType(t string) Type {
	switch strings.ToLower(t) {
	case "integer", "long", "short", "byte", "biginteger":
		return TypeLong
	case "float", "double", "bigdecimal":
		return TypeDouble
	case "boolean":
		return TypeBoolean
	}
	return TypeString // string, char, anyURI, date, list types
}

func (r *gexfReader) startNode(e *xml.StartElement, parent string) error {
	id, _ := attr(e, "id")
	if id == "" {
		return r.x.errorf("<node> without an id")
	}
	line, col := r.x.pos()
	if err := r.nodeIDs.add(r.x.file, "node", id, line, col); err != nil {
		return err
	}
	r.serial++
	r.cur = Item{Kind: KindNode, Node: graph.Node{ID: id, Label: attrOr(e, "label", "")}, Line: line}
	if pid, ok := attr(e, "pid"); ok && pid != "" {
		parent = pid
	}
	if parent != "" {
		setProp(&r.cur.Node.Props, "parent", quoteJSON(parent))
	}
	r.push(gexfFrame{kind: xfNode})
	return nil
}

func (r *gexfReader) startEdge(e *xml.StartElement) error {
	line, col := r.x.pos()
	src, _ := attr(e, "source")
	dst, _ := attr(e, "target")
	if src == "" || dst == "" {
		return r.x.errorf("<edge> without a source or target")
	}
	id, _ := attr(e, "id")
	if id == "" {
		id = edgeID(r.edgeN)
	}
	r.edgeN++
	if err := r.edgeIDs.add(r.x.file, "edge", id, line, col); err != nil {
		return err
	}
	r.serial++
	r.cur = Item{Kind: KindEdge, Edge: graph.Edge{ID: id, Source: src, Target: dst, Weight: 1}, Line: line}
	ed := &r.cur.Edge
	directed := r.directed
	if t, ok := attr(e, "type"); ok {
		switch t {
		case "directed":
			directed = true
		case "undirected", "mutual":
			directed = false
		default:
			return r.x.errorf("edge %q: type=%q: want directed, undirected or mutual", id, t)
		}
	}
	if !directed {
		setProp(&ed.Props, "undirected", jsonTrue)
	}
	if w, ok := attr(e, "weight"); ok {
		f, ok := parseFloat(w)
		if !ok {
			return r.x.errorf("edge %q: weight %q is not a finite number", id, w)
		}
		ed.Weight = f
	}
	ed.Kind = attrOr(e, "kind", "")
	if l, ok := attr(e, "label"); ok {
		setProp(&ed.Props, "label", quoteJSON(l))
	}
	r.push(gexfFrame{kind: xfEdge})
	return nil
}

// startInRecord handles a child of <node> or <edge>: attvalues, viz, nested nodes.
func (r *gexfReader) startInRecord(e *xml.StartElement, kind gexfFrameKind) error {
	name := e.Name.Local
	class := DomainNode
	if kind == xfEdge {
		class = DomainEdge
	}
	if r.cur.Kind == 0 {
		// The node was already emitted because nested nodes or edges followed.
		if name == "nodes" && kind == xfNode {
			r.push(gexfFrame{kind: xfNodes, parent: r.lastNode()})
			return nil
		}
		if name == "edges" && kind == xfNode {
			r.push(gexfFrame{kind: xfEdges})
			return nil
		}
		if name == "attvalues" || e.Name.Space != "" {
			return r.x.errorf("<%s> after the node's nested nodes", name)
		}
		r.push(gexfFrame{kind: xfSkip})
		return nil
	}
	switch name {
	case "attvalues":
		r.push(gexfFrame{kind: xfAttvalues, class: class})
		return nil
	case "nodes", "edges":
		if kind == xfNode {
			id := r.cur.Node.ID
			if err := r.finishRecord(); err != nil {
				return err
			}
			r.nested = id
			if name == "nodes" {
				r.push(gexfFrame{kind: xfNodes, parent: id})
			} else {
				r.push(gexfFrame{kind: xfEdges})
			}
			return nil
		}
	case "position", "size", "color", "thickness", "shape":
		if err := r.viz(e, class); err != nil {
			return err
		}
	}
	r.push(gexfFrame{kind: xfSkip})
	return nil
}

func (r *gexfReader) lastNode() string { return r.nested }

func (r *gexfReader) props() *graph.Props {
	if r.cur.Kind == KindNode {
		return &r.cur.Node.Props
	}
	return &r.cur.Edge.Props
}

func (r *gexfReader) viz(e *xml.StartElement, class Domain) error {
	num := func(name, prop string, def string) error {
		v, ok := attr(e, name)
		if !ok {
			if def == "" {
				return nil
			}
			v = def
		}
		num, ok := numberValue(v)
		if _, finite := parseFloat(v); !ok || !finite {
			return r.x.errorf("viz:%s %s=%q is not a finite number", e.Name.Local, name, v)
		}
		setProp(r.props(), prop, num)
		return nil
	}
	switch e.Name.Local {
	case "position":
		if class != DomainNode {
			return nil
		}
		for _, c := range [...]string{"x", "y", "z"} {
			if err := num(c, c, ""); err != nil {
				return err
			}
		}
	case "size":
		return num("value", "size", "")
	case "thickness":
		return num("value", "thickness", "")
	case "shape":
		if v, ok := attr(e, "value"); ok {
			setProp(r.props(), "shape", quoteJSON(v))
		}
	case "color":
		var rgb [3]int
		for i, c := range [...]string{"r", "g", "b"} {
			v := attrOr(e, c, "0")
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 255 {
				return r.x.errorf("viz:color %s=%q is not an integer in 0..255", c, v)
			}
			rgb[i] = n
		}
		s := fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2])
		if a, ok := attr(e, "a"); ok {
			f, ok := parseFloat(a)
			if !ok || f < 0 || f > 1 {
				return r.x.errorf("viz:color a=%q is not a number in 0..1", a)
			}
			s = fmt.Sprintf("rgba(%d,%d,%d,%s)", rgb[0], rgb[1], rgb[2], formatFloat(f))
		}
		setProp(r.props(), "color", quoteJSON(s))
	}
	return nil
}

func (r *gexfReader) attvalue(e *xml.StartElement, class Domain) error {
	if r.cur.Kind == 0 {
		return r.x.errorf("<attvalue> outside a node or edge")
	}
	ref, ok := attr(e, "for")
	if !ok {
		ref, _ = attr(e, "id") // GEXF 1.1
	}
	m := r.attrs[classIndex(class)]
	a := m[ref]
	if a == nil {
		a = m["\x00"+ref]
	}
	if a == nil {
		return r.x.errorf("<attvalue for=%q>: no such %s attribute declared", ref, class)
	}
	val, _ := attr(e, "value")
	if val == "" && a.Type != TypeString {
		r.push(gexfFrame{kind: xfSkip})
		return nil
	}
	if msg := r.setAttr(a, val); msg != "" {
		return r.x.errorf("%s %q: %s", r.cur.Kind, r.recordID(), msg)
	}
	a.serial = r.serial
	r.push(gexfFrame{kind: xfSkip})
	return nil
}

func (r *gexfReader) setAttr(a *gexfAttr, text string) string {
	if r.cur.Kind == KindNode {
		if a.Name == "label" && r.cur.Node.Label != "" {
			return "" // the label attribute of <node> wins over a "label" attvalue
		}
		return setNodeAttr(&r.cur.Node, a.Name, a.Type, text)
	}
	return setEdgeAttr(&r.cur.Edge, a.Name, a.Type, text)
}

func (r *gexfReader) recordID() string {
	if r.cur.Kind == KindNode {
		return r.cur.Node.ID
	}
	return r.cur.Edge.ID
}

func (r *gexfReader) end() error {
	f := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	switch f.kind {
	case xfMetaText:
		text := strings.TrimSpace(string(r.x.text))
		setProp(&r.meta.meta.Props, f.name, quoteJSON(text))
	case xfAttribute:
		a := f.attr
		if a.hasDef {
			r.defaults[classIndex(a.For)] = append(r.defaults[classIndex(a.For)], a)
		}
		r.meta.meta.Keys = append(r.meta.meta.Keys, a.Key)
	case xfDefault:
		a := f.attr
		text := string(r.x.text)
		v, ok := typedValue(a.Type, text)
		if !ok {
			return r.x.errorf("attribute %q: default %q is not a %s", a.ID, text, a.Type)
		}
		a.Default, a.defText, a.hasDef = v, text, true
	case xfNode, xfEdge:
		if r.cur.Kind != 0 {
			return r.finishRecord()
		}
	}
	return nil
}

func (r *gexfReader) finishRecord() error {
	for _, a := range r.defaults[classIndex(Domain(r.cur.Kind.String()))] {
		if a.serial == r.serial {
			continue
		}
		if msg := r.setAttr(a, a.defText); msg != "" {
			return r.x.errorf("attribute %q default: %s", a.ID, msg)
		}
	}
	if m, ok := r.meta.take(); ok {
		r.queue = append(r.queue, m)
	}
	r.queue = append(r.queue, r.cur)
	r.cur = Item{}
	return nil
}
