package graphio

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"

	"github.com/infoalchemist/alchemist/internal/graph"
)

type graphMLWriter struct {
	outBase
	used     Fields
	nodeIDs  []string // key ids parallel to nodeKeys
	edgeIDs  []string
	wroteHdr bool
}

const graphMLHeader = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
`

func newGraphMLWriter(w io.Writer, meta Meta) (*graphMLWriter, error) {
	g := &graphMLWriter{outBase: newOutBase(w, meta), used: meta.Used}
	b := append(g.b[:0], graphMLHeader...)
	// Record fields first, under fixed ids, then the properties under d<i>.
	key := func(id string, d Domain, name string, t Type) {
		b = append(b, `  <key id="`...)
		b = appendXML(b, id, true)
		b = append(b, `" for="`...)
		b = append(b, d...)
		b = append(b, `" attr.name="`...)
		b = appendXML(b, name, true)
		b = append(b, `" attr.type="`...)
		b = append(b, t...)
		b = append(b, "\"/>\n"...)
	}
	key("label", DomainNode, "label", TypeString)
	key("kind", DomainNode, "kind", TypeString)
	if g.used&FieldPin != 0 {
		key("fx", DomainNode, "fx", TypeDouble)
		key("fy", DomainNode, "fy", TypeDouble)
		key("fz", DomainNode, "fz", TypeDouble)
	}
	if g.used&FieldCID != 0 {
		key("cid", DomainNode, "cid", TypeString)
	}
	if g.used&FieldCoords != 0 {
		key("coords", DomainNode, "coords", TypeString)
	}
	key("weight", DomainEdge, "weight", TypeDouble)
	key("edgekind", DomainEdge, "kind", TypeString)
	n := 0
	for _, k := range g.nodeKeys {
		id := "d" + strconv.Itoa(n)
		n++
		g.nodeIDs = append(g.nodeIDs, id)
		key(id, DomainNode, k.Name, k.Type)
	}
	for _, k := range g.edgeKeys {
		id := "d" + strconv.Itoa(n)
		n++
		g.edgeIDs = append(g.edgeIDs, id)
		key(id, DomainEdge, k.Name, k.Type)
	}
	// Graph-level properties, typed by their values.
	names := make([]string, 0, len(meta.Props))
	for name := range meta.Props {
		names = append(names, name)
	}
	if meta.Name != "" && meta.Props["name"] == nil {
		names = append(names, "name")
	}
	slices.Sort(names)
	graphVals := make([]json.RawMessage, len(names))
	for i, name := range names {
		v := meta.Props[name]
		if name == "name" && v == nil {
			v = quoteJSON(meta.Name)
		}
		graphVals[i] = v
		t := TypeString
		switch classify(v) {
		case classInt:
			t = TypeLong
		case classFloat:
			t = TypeDouble
		case classBool:
			t = TypeBoolean
		}
		key("g"+strconv.Itoa(i), DomainGraph, name, t)
	}
	b = append(b, `  <graph id="G" edgedefault="directed">`+"\n"...)
	for i, v := range graphVals {
		b = appendData(b, "    ", "g"+strconv.Itoa(i), valueText(v))
	}
	g.b = b
	if _, err := g.w.Write(b); err != nil {
		return nil, err
	}
	return g, nil
}

func appendData(b []byte, indent, key, text string) []byte {
	b = append(b, indent...)
	b = append(b, `<data key="`...)
	b = append(b, key...)
	b = append(b, `">`...)
	b = appendXML(b, text, false)
	return append(b, "</data>\n"...)
}

func (g *graphMLWriter) WriteNode(n *graph.Node) error {
	if err := g.checkNode(); err != nil {
		return err
	}
	b := append(g.b[:0], `    <node id="`...)
	b = appendXML(b, n.ID, true)
	b = append(b, "\">\n"...)
	if n.Label != "" {
		b = appendData(b, "      ", "label", n.Label)
	}
	if n.Kind != "" {
		b = appendData(b, "      ", "kind", n.Kind)
	}
	if n.Pin != nil {
		if g.used&FieldPin == 0 {
			return undeclaredField("node", n.ID, "pin")
		}
		for i, k := range [...]string{"fx", "fy", "fz"} {
			b = appendData(b, "      ", k, formatFloat(n.Pin[i]))
		}
	}
	if n.CID != "" {
		if g.used&FieldCID == 0 {
			return undeclaredField("node", n.ID, "cid")
		}
		b = appendData(b, "      ", "cid", n.CID)
	}
	if len(n.Coords) > 0 {
		if g.used&FieldCoords == 0 {
			return undeclaredField("node", n.ID, "coords")
		}
		b = appendData(b, "      ", "coords", formatCoords(n.Coords))
	}
	matched := 0
	for i := range g.nodeKeys {
		k := &g.nodeKeys[i]
		v, ok := n.Props[k.Name]
		if !ok {
			continue
		}
		matched++
		if err := fitsType("node", n.ID, k, v); err != nil {
			return err
		}
		b = appendData(b, "      ", g.nodeIDs[i], valueText(v))
	}
	if matched != len(n.Props) {
		return undeclared("node", n.ID, n.Props, g.nodeKeys)
	}
	b = append(b, "    </node>\n"...)
	g.b = b
	_, err := g.w.Write(b)
	return err
}

func (g *graphMLWriter) WriteEdge(e *graph.Edge) error {
	if err := g.checkEdge(); err != nil {
		return err
	}
	b := append(g.b[:0], `    <edge id="`...)
	b = appendXML(b, e.ID, true)
	b = append(b, `" source="`...)
	b = appendXML(b, e.Source, true)
	b = append(b, `" target="`...)
	b = appendXML(b, e.Target, true)
	b = append(b, '"')
	undirected := string(e.Props["undirected"]) == "true"
	if undirected {
		b = append(b, ` directed="false"`...)
	}
	b = append(b, ">\n"...)
	b = appendData(b, "      ", "weight", formatFloat(e.Weight))
	if e.Kind != "" {
		b = appendData(b, "      ", "edgekind", e.Kind)
	}
	matched := 0
	for i := range g.edgeKeys {
		k := &g.edgeKeys[i]
		v, ok := e.Props[k.Name]
		if !ok {
			continue
		}
		matched++
		if k.Name == "undirected" && undirected {
			continue
		}
		if err := fitsType("edge", e.ID, k, v); err != nil {
			return err
		}
		b = appendData(b, "      ", g.edgeIDs[i], valueText(v))
	}
	if matched != len(e.Props) {
		return undeclared("edge", e.ID, e.Props, g.edgeKeys)
	}
	b = append(b, "    </edge>\n"...)
	g.b = b
	_, err := g.w.Write(b)
	return err
}

func (g *graphMLWriter) Close() error {
	if g.closed {
		return nil
	}
	g.closed = true
	if _, err := g.w.WriteString("  </graph>\n</graphml>\n"); err != nil {
		return err
	}
	return g.w.Flush()
}
