package graphio

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// GraphML (http://graphml.graphdrawing.org/specification.html): keys declare typed attributes,
// <data> holds values. Nested graphs (a node's <graph>, as yEd writes for group nodes) are
// flattened: their nodes and edges join the graph and each nested node gets the property
// "parent" naming the node that contained it. Ports, locators, <desc> and any element of another
// namespace (yEd's y:* graphics) are skipped; a yEd NodeLabel supplies a node's label when no
// "label" attribute does. Hyperedges are refused.

type gmlFrameKind uint8

const (
	gfRoot gmlFrameKind = iota
	gfGraphML
	gfKey
	gfDefault
	gfGraph
	gfNode
	gfEdge
	gfData
	gfSkip
	gfYLabel
)

type gmlFrame struct {
	kind     gmlFrameKind
	key      *gmlKey // gfKey, gfData
	parent   string  // gfGraph: the node holding a nested graph
	directed bool    // gfGraph: edgedefault
	yfiles   bool    // inside a yfiles graphics <data>
}

type gmlKey struct {
	Key
	ignored bool // yfiles graphics or a domain we do not read (port, endpoint, graphml)
	defText string
	hasDef  bool
	serial  int // record serial that last set it, for defaults
}

type graphMLReader struct {
	x        *xmlIn
	keys     map[string]*gmlKey
	defaults [2][]*gmlKey // node, edge keys with a default
	meta     metaQueue
	stack    []gmlFrame
	cur      Item
	curCol   int
	yLabel   string
	serial   int
	graphs   int // top-level graphs seen
	root     bool
	prefix   string // the namespace prefix of <graphml>, normally none
	edgeN    int
	nodeIDs  ids
	edgeIDs  ids
	pump
}

func newGraphMLReader(r io.Reader, opt Options) *graphMLReader {
	return &graphMLReader{x: newXMLIn(r, opt.Name), keys: map[string]*gmlKey{}, stack: []gmlFrame{{kind: gfRoot}},
		nodeIDs: ids{}, edgeIDs: ids{}}
}

func (r *graphMLReader) Next() (Item, error) { return r.next(r.step) }

// step consumes one token.
func (r *graphMLReader) step() error {
	kind, err := r.x.token()
	if err == io.EOF {
		if !r.root {
			return r.x.errorf("no <graphml> element: not a GraphML file")
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
		case gfData, gfDefault, gfYLabel:
			r.x.text = append(r.x.text, r.x.s.chars...)
		}
	}
	return nil
}

func (r *graphMLReader) push(f gmlFrame) { r.stack = append(r.stack, f) }

func (r *graphMLReader) start(e *xml.StartElement) error {
	top := &r.stack[len(r.stack)-1]
	name := e.Name.Local
	// Elements under another prefix than the root's (yEd's y:) are never GraphML structure.
	foreign := e.Name.Space != r.prefix
	switch top.kind {
	case gfRoot:
		if name != "graphml" {
			return r.x.errorf("root element is <%s>, not <graphml>: not a GraphML file", name)
		}
		r.root = true
		r.prefix = e.Name.Space
		r.push(gmlFrame{kind: gfGraphML})
		return nil
	case gfGraphML:
		switch {
		case foreign:
		case name == "key":
			return r.startKey(e)
		case name == "graph":
			if r.graphs > 0 {
				return r.x.errorf("a second top-level <graph>: only one graph per file is supported")
			}
			r.graphs++
			directed := attrOr(e, "edgedefault", "directed") != "undirected"
			r.meta.meta.Directed = directed
			if id, _ := attr(e, "id"); id != "" && r.meta.meta.Name == "" {
				r.meta.meta.Name = id
			}
			r.push(gmlFrame{kind: gfGraph, directed: directed})
			return nil
		}
	case gfKey:
		if name == "default" && !foreign {
			r.x.text = r.x.text[:0]
			r.push(gmlFrame{kind: gfDefault, key: top.key})
			return nil
		}
	case gfGraph:
		switch {
		case foreign:
		case name == "node":
			return r.startNode(e, top.parent)
		case name == "edge":
			return r.startEdge(e, top.directed)
		case name == "data":
			return r.startData(e, DomainGraph)
		case name == "hyperedge":
			return r.x.errorf("<hyperedge> is not supported: edges join exactly two nodes")
		}
	case gfNode:
		switch {
		case foreign:
		case name == "data":
			return r.startData(e, DomainNode)
		case name == "graph":
			// A nested graph: emit its owner now, then read its content as part of this graph.
			parent := r.cur.Node.ID
			r.finishRecord()
			directed := attrOr(e, "edgedefault", "directed") != "undirected"
			r.push(gmlFrame{kind: gfGraph, parent: parent, directed: directed})
			return nil
		}
	case gfEdge:
		if name == "data" && !foreign {
			return r.startData(e, DomainEdge)
		}
	case gfData:
		// Structured content: an extension (yEd graphics). Its value is not an attribute.
		top.key = nil
		if top.yfiles && (name == "NodeLabel" || name == "EdgeLabel") {
			r.push(gmlFrame{kind: gfYLabel})
			r.x.text = r.x.text[:0]
			return nil
		}
		r.push(gmlFrame{kind: gfSkip, yfiles: top.yfiles})
		return nil
	case gfSkip:
		if top.yfiles && (name == "NodeLabel" || name == "EdgeLabel") && r.yLabel == "" {
			r.push(gmlFrame{kind: gfYLabel})
			r.x.text = r.x.text[:0]
			return nil
		}
		r.push(gmlFrame{kind: gfSkip, yfiles: top.yfiles})
		return nil
	}
	r.push(gmlFrame{kind: gfSkip})
	return nil
}

func (r *graphMLReader) startKey(e *xml.StartElement) error {
	id, ok := attr(e, "id")
	if !ok || id == "" {
		return r.x.errorf("<key> without an id")
	}
	name := attrOr(e, "attr.name", "")
	if name == "" {
		name = id
	}
	k := &gmlKey{Key: Key{ID: id, Name: name, For: Domain(attrOr(e, "for", "all")),
		Type: Type(strings.ToLower(attrOr(e, "attr.type", "string")))}}
	if _, y := attr(e, "yfiles.type"); y {
		k.ignored = true
	}
	switch k.For {
	case DomainNode, DomainEdge, DomainGraph, DomainAll:
	default:
		k.ignored = true // port, endpoint, hyperedge, graphml
	}
	switch k.Type {
	case TypeString, TypeBoolean, TypeInt, TypeLong, TypeFloat, TypeDouble:
	default:
		return r.x.errorf("key %q: unknown attr.type %q", id, k.Type)
	}
	if _, dup := r.keys[id]; dup {
		return r.x.errorf("key id %q declared twice", id)
	}
	r.keys[id] = k
	r.push(gmlFrame{kind: gfKey, key: k})
	return nil
}

func (r *graphMLReader) startNode(e *xml.StartElement, parent string) error {
	id, ok := attr(e, "id")
	if !ok || id == "" {
		return r.x.errorf("<node> without an id")
	}
	line, col := r.x.pos()
	if err := r.nodeIDs.add(r.x.file, "node", id, line, col); err != nil {
		return err
	}
	r.serial++
	r.cur = Item{Kind: KindNode, Node: graph.Node{ID: id}, Line: line}
	r.curCol = col
	r.yLabel = ""
	if parent != "" {
		setProp(&r.cur.Node.Props, "parent", quoteJSON(parent))
	}
	r.push(gmlFrame{kind: gfNode})
	return nil
}

func (r *graphMLReader) startEdge(e *xml.StartElement, directed bool) error {
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
	r.yLabel = ""
	if d, ok := attr(e, "directed"); ok {
		switch d {
		case "true", "1":
			directed = true
		case "false", "0":
			directed = false
		default:
			return r.x.errorf("edge %q: directed=%q is not a boolean", id, d)
		}
	}
	if !directed {
		setProp(&r.cur.Edge.Props, "undirected", jsonTrue)
	}
	for _, p := range [...]string{"sourceport", "targetport"} {
		if v, ok := attr(e, p); ok {
			setProp(&r.cur.Edge.Props, p, quoteJSON(v))
		}
	}
	r.push(gmlFrame{kind: gfEdge})
	return nil
}

func (r *graphMLReader) startData(e *xml.StartElement, d Domain) error {
	id, _ := attr(e, "key")
	k := r.keys[id]
	if k == nil {
		return r.x.errorf("<data key=%q>: no such <key> declared", id)
	}
	if k.For != d && k.For != DomainAll {
		return r.x.errorf("<data key=%q> in a %s, but the key is declared for %s", id, d, k.For)
	}
	r.x.text = r.x.text[:0]
	if k.ignored {
		r.push(gmlFrame{kind: gfData, yfiles: true})
		return nil
	}
	r.push(gmlFrame{kind: gfData, key: k})
	return nil
}

func (r *graphMLReader) end() error {
	f := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	switch f.kind {
	case gfKey:
		k := f.key
		if !k.ignored {
			if k.hasDef {
				if k.For == DomainNode || k.For == DomainAll {
					r.defaults[0] = append(r.defaults[0], k)
				}
				if k.For == DomainEdge || k.For == DomainAll {
					r.defaults[1] = append(r.defaults[1], k)
				}
			}
			r.meta.meta.Keys = append(r.meta.meta.Keys, k.Key)
		}
	case gfDefault:
		k := f.key
		text := string(r.x.text)
		v, ok := typedValue(k.Type, text)
		if !ok {
			return r.x.errorf("key %q: default %q is not a %s", k.ID, text, k.Type)
		}
		k.Default, k.defText, k.hasDef = v, text, true
	case gfData:
		if f.key == nil {
			return nil
		}
		return r.setData(f.key, string(r.x.text))
	case gfYLabel:
		if r.yLabel == "" {
			r.yLabel = strings.TrimSpace(string(r.x.text))
		}
	case gfNode, gfEdge:
		if r.cur.Kind != 0 {
			return r.finishRecord()
		}
	}
	return nil
}

func (r *graphMLReader) setData(k *gmlKey, text string) error {
	var msg string
	switch r.stack[len(r.stack)-1].kind {
	case gfGraph:
		v, ok := typedValue(k.Type, text)
		if !ok {
			return r.x.errorf("graph attribute %q: value %q is not a %s", k.Name, text, k.Type)
		}
		if k.Name == "name" {
			if s, isStr := unquoteJSON(v); isStr {
				r.meta.meta.Name = s
			}
		}
		setProp(&r.meta.meta.Props, k.Name, v)
		if r.meta.sent {
			r.meta.dirty = true
		}
		return nil
	case gfNode:
		if r.cur.Kind != KindNode {
			return r.x.errorf("node <data> after the node's nested <graph>")
		}
		if text == "" && k.Type != TypeString {
			return nil
		}
		msg = setNodeAttr(&r.cur.Node, k.Name, k.Type, text)
	case gfEdge:
		if text == "" && k.Type != TypeString {
			return nil
		}
		msg = setEdgeAttr(&r.cur.Edge, k.Name, k.Type, text)
	}
	if msg != "" {
		return r.x.errorf("%s %q: %s", r.cur.Kind, r.recordID(), msg)
	}
	k.serial = r.serial
	return nil
}

func (r *graphMLReader) recordID() string {
	if r.cur.Kind == KindNode {
		return r.cur.Node.ID
	}
	return r.cur.Edge.ID
}

// finishRecord applies key defaults and the yEd label, then queues the record behind any pending
// metadata.
func (r *graphMLReader) finishRecord() error {
	it := r.cur
	r.cur = Item{}
	di := 0
	if it.Kind == KindEdge {
		di = 1
	}
	for _, k := range r.defaults[di] {
		if k.serial == r.serial {
			continue
		}
		var msg string
		if di == 0 {
			msg = setNodeAttr(&it.Node, k.Name, k.Type, k.defText)
		} else {
			msg = setEdgeAttr(&it.Edge, k.Name, k.Type, k.defText)
		}
		if msg != "" {
			return r.x.errorf("key %q default: %s", k.ID, msg)
		}
	}
	if r.yLabel != "" {
		if it.Kind == KindNode && it.Node.Label == "" {
			it.Node.Label = r.yLabel
		} else if it.Kind == KindEdge {
			if _, has := it.Edge.Props["label"]; !has {
				setProp(&it.Edge.Props, "label", quoteJSON(r.yLabel))
			}
		}
		r.yLabel = ""
	}
	if m, ok := r.meta.take(); ok {
		r.queue = append(r.queue, m)
	}
	r.queue = append(r.queue, it)
	return nil
}
