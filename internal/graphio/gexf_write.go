package graphio

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/infoalchemist/alchemist/internal/graph"
)

type gexfWriter struct {
	outBase
	used         Fields
	fieldIDs     map[string]string // node field name → attribute id (kind, cid, coords, fx, fy, fz)
	startedEdges bool
}

const gexfHeader = `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
`

func gexfTypeName(t Type) string {
	switch t {
	case TypeInt:
		return "integer"
	case TypeLong, TypeFloat, TypeDouble, TypeBoolean:
		return string(t)
	}
	return "string"
}

func newGEXFWriter(w io.Writer, meta Meta) (*gexfWriter, error) {
	g := &gexfWriter{outBase: newOutBase(w, meta), used: meta.Used, fieldIDs: map[string]string{}}
	b := append(g.b[:0], gexfHeader...)
	b = append(b, "  <meta>\n    <creator>Information Alchemist</creator>\n"...)
	for _, name := range []string{"description", "keywords"} {
		text := ""
		if v, ok := meta.Props[name]; ok {
			text = valueText(v)
		} else if name == "description" {
			text = meta.Name
		}
		if text != "" {
			b = append(b, "    <"+name+">"...)
			b = appendXML(b, text, false)
			b = append(b, "</"+name+">\n"...)
		}
	}
	b = append(b, "  </meta>\n  <graph defaultedgetype=\"directed\" mode=\"static\">\n"...)
	attr := func(id, title string, t Type) {
		b = append(b, `      <attribute id="`...)
		b = append(b, id...)
		b = append(b, `" title="`...)
		b = appendXML(b, title, true)
		b = append(b, `" type="`...)
		b = append(b, gexfTypeName(t)...)
		b = append(b, "\"/>\n"...)
	}
	b = append(b, "    <attributes class=\"node\" mode=\"static\">\n"...)
	n := 0
	field := func(name string, t Type) {
		id := strconv.Itoa(n)
		n++
		g.fieldIDs[name] = id
		attr(id, name, t)
	}
	field("kind", TypeString)
	if g.used&FieldCID != 0 {
		field("cid", TypeString)
	}
	if g.used&FieldCoords != 0 {
		field("coords", TypeString)
	}
	if g.used&FieldPin != 0 {
		field("fx", TypeDouble)
		field("fy", TypeDouble)
		field("fz", TypeDouble)
	}
	for i := range g.nodeKeys {
		g.nodeKeys[i].ID = strconv.Itoa(n)
		n++
		attr(g.nodeKeys[i].ID, g.nodeKeys[i].Name, g.nodeKeys[i].Type)
	}
	b = append(b, "    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n"...)
	for i := range g.edgeKeys {
		g.edgeKeys[i].ID = strconv.Itoa(i)
		attr(g.edgeKeys[i].ID, g.edgeKeys[i].Name, g.edgeKeys[i].Type)
	}
	b = append(b, "    </attributes>\n    <nodes>\n"...)
	g.b = b
	if _, err := g.w.Write(b); err != nil {
		return nil, err
	}
	return g, nil
}

func appendAttvalue(b []byte, open *bool, id, value string) []byte {
	if !*open {
		b = append(b, "        <attvalues>\n"...)
		*open = true
	}
	b = append(b, `          <attvalue for="`...)
	b = append(b, id...)
	b = append(b, `" value="`...)
	b = appendXML(b, value, true)
	return append(b, "\"/>\n"...)
}

func isNumber(v json.RawMessage) bool {
	c := classify(v)
	return c == classInt || c == classFloat
}

// parseColor reads the "color" property the GEXF reader writes: "#rrggbb" or "rgba(r,g,b,a)".
func parseColor(v json.RawMessage) (rgb [3]int, alpha string, ok bool) {
	s, isStr := unquoteJSON(v)
	if !isStr {
		return rgb, "", false
	}
	if len(s) == 7 && s[0] == '#' {
		for i := range 3 {
			n, err := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
			if err != nil {
				return rgb, "", false
			}
			rgb[i] = int(n)
		}
		return rgb, "", fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]) == s
	}
	if !strings.HasPrefix(s, "rgba(") || !strings.HasSuffix(s, ")") {
		return rgb, "", false
	}
	parts := strings.Split(s[5:len(s)-1], ",")
	if len(parts) != 4 {
		return rgb, "", false
	}
	for i := range 3 {
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 0 || n > 255 {
			return rgb, "", false
		}
		rgb[i] = n
	}
	f, err := strconv.ParseFloat(parts[3], 64)
	if err != nil || f < 0 || f > 1 || formatFloat(f) != parts[3] {
		return rgb, "", false
	}
	return rgb, parts[3], fmt.Sprintf("rgba(%d,%d,%d,%s)", rgb[0], rgb[1], rgb[2], parts[3]) == s
}

var nodeShapes = map[string]bool{"disc": true, "square": true, "triangle": true, "diamond": true}
var edgeShapes = map[string]bool{"solid": true, "dotted": true, "dashed": true, "double": true}

// vizProp says whether property name of a record goes to a viz element instead of an attvalue.
func vizProp(name string, v json.RawMessage, node bool) bool {
	switch name {
	case "x", "y", "z", "size":
		return node && isNumber(v)
	case "thickness":
		return !node && isNumber(v)
	case "color":
		_, _, ok := parseColor(v)
		return ok
	case "shape":
		s, ok := unquoteJSON(v)
		if node {
			return ok && nodeShapes[s]
		}
		return ok && edgeShapes[s]
	}
	return false
}

func appendViz(b []byte, p graph.Props, node bool) []byte {
	if node {
		if vizProp("x", p["x"], true) || vizProp("y", p["y"], true) || vizProp("z", p["z"], true) {
			b = append(b, "        <viz:position"...)
			for _, c := range [...]string{"x", "y", "z"} {
				if v := p[c]; vizProp(c, v, true) {
					b = append(b, ' ')
					b = append(b, c...)
					b = append(b, `="`...)
					b = append(b, v...)
					b = append(b, '"')
				}
			}
			b = append(b, "/>\n"...)
		}
		if v := p["size"]; vizProp("size", v, true) {
			b = append(b, `        <viz:size value="`...)
			b = append(b, v...)
			b = append(b, "\"/>\n"...)
		}
	} else if v := p["thickness"]; vizProp("thickness", v, false) {
		b = append(b, `        <viz:thickness value="`...)
		b = append(b, v...)
		b = append(b, "\"/>\n"...)
	}
	if v := p["color"]; v != nil {
		if rgb, a, ok := parseColor(v); ok {
			b = fmt.Appendf(b, `        <viz:color r="%d" g="%d" b="%d"`, rgb[0], rgb[1], rgb[2])
			if a != "" {
				b = append(b, ` a="`+a+`"`...)
			}
			b = append(b, "/>\n"...)
		}
	}
	if v := p["shape"]; vizProp("shape", v, node) {
		b = append(b, `        <viz:shape value="`...)
		b = append(b, valueText(v)...)
		b = append(b, "\"/>\n"...)
	}
	return b
}

func (g *gexfWriter) WriteNode(n *graph.Node) error {
	if err := g.checkNode(); err != nil {
		return err
	}
	b := append(g.b[:0], `      <node id="`...)
	b = appendXML(b, n.ID, true)
	b = append(b, '"')
	if n.Label != "" {
		b = append(b, ` label="`...)
		b = appendXML(b, n.Label, true)
		b = append(b, '"')
	}
	b = append(b, ">\n"...)
	open := false
	if n.Kind != "" {
		b = appendAttvalue(b, &open, g.fieldIDs["kind"], n.Kind)
	}
	if n.CID != "" {
		if g.used&FieldCID == 0 {
			return undeclaredField("node", n.ID, "cid")
		}
		b = appendAttvalue(b, &open, g.fieldIDs["cid"], n.CID)
	}
	if len(n.Coords) > 0 {
		if g.used&FieldCoords == 0 {
			return undeclaredField("node", n.ID, "coords")
		}
		b = appendAttvalue(b, &open, g.fieldIDs["coords"], formatCoords(n.Coords))
	}
	if n.Pin != nil {
		if g.used&FieldPin == 0 {
			return undeclaredField("node", n.ID, "pin")
		}
		for i, c := range [...]string{"fx", "fy", "fz"} {
			b = appendAttvalue(b, &open, g.fieldIDs[c], formatFloat(n.Pin[i]))
		}
	}
	matched := 0
	for i := range g.nodeKeys {
		k := &g.nodeKeys[i]
		v, ok := n.Props[k.Name]
		if !ok {
			continue
		}
		matched++
		if vizProp(k.Name, v, true) {
			continue
		}
		if err := fitsType("node", n.ID, k, v); err != nil {
			return err
		}
		b = appendAttvalue(b, &open, k.ID, valueText(v))
	}
	if matched != len(n.Props) {
		return undeclared("node", n.ID, n.Props, g.nodeKeys)
	}
	if open {
		b = append(b, "        </attvalues>\n"...)
	}
	b = appendViz(b, n.Props, true)
	b = append(b, "      </node>\n"...)
	g.b = b
	_, err := g.w.Write(b)
	return err
}

func (g *gexfWriter) WriteEdge(e *graph.Edge) error {
	if err := g.checkEdge(); err != nil {
		return err
	}
	b := g.b[:0]
	if !g.startedEdges {
		g.startedEdges = true
		b = append(b, "    </nodes>\n    <edges>\n"...)
	}
	b = append(b, `      <edge id="`...)
	b = appendXML(b, e.ID, true)
	b = append(b, `" source="`...)
	b = appendXML(b, e.Source, true)
	b = append(b, `" target="`...)
	b = appendXML(b, e.Target, true)
	b = append(b, `" weight="`...)
	b = strconv.AppendFloat(b, e.Weight, 'g', -1, 64)
	b = append(b, '"')
	if e.Kind != "" {
		b = append(b, ` kind="`...)
		b = appendXML(b, e.Kind, true)
		b = append(b, '"')
	}
	undirected := string(e.Props["undirected"]) == "true"
	if undirected {
		b = append(b, ` type="undirected"`...)
	}
	label, labelAttr := unquoteJSON(e.Props["label"])
	if labelAttr {
		b = append(b, ` label="`...)
		b = appendXML(b, label, true)
		b = append(b, '"')
	}
	b = append(b, ">\n"...)
	open := false
	matched := 0
	for i := range g.edgeKeys {
		k := &g.edgeKeys[i]
		v, ok := e.Props[k.Name]
		if !ok {
			continue
		}
		matched++
		if (k.Name == "undirected" && undirected) || (k.Name == "label" && labelAttr) || vizProp(k.Name, v, false) {
			continue
		}
		if err := fitsType("edge", e.ID, k, v); err != nil {
			return err
		}
		b = appendAttvalue(b, &open, k.ID, valueText(v))
	}
	if matched != len(e.Props) {
		return undeclared("edge", e.ID, e.Props, g.edgeKeys)
	}
	if open {
		b = append(b, "        </attvalues>\n"...)
	}
	b = appendViz(b, e.Props, false)
	b = append(b, "      </edge>\n"...)
	g.b = b
	_, err := g.w.Write(b)
	return err
}

func (g *gexfWriter) Close() error {
	if g.closed {
		return nil
	}
	g.closed = true
	tail := "    </edges>\n  </graph>\n</gexf>\n"
	if !g.startedEdges {
		tail = "    </nodes>\n    <edges>\n" + tail
	}
	if _, err := g.w.WriteString(tail); err != nil {
		return err
	}
	return g.w.Flush()
}
