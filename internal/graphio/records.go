package graphio

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// setNodeAttr stores one attribute of a text format (GraphML <data>, GEXF <attvalue>, CSV cell)
// into a node: reserved names fill fields, every other name becomes a property typed by t. It
// returns a message describing a bad value, or "".
func setNodeAttr(n *graph.Node, name string, t Type, text string) string {
	switch name {
	case "id":
		if text == n.ID {
			return "" // some tools repeat the id as an attribute
		}
		return fmt.Sprintf("an attribute named \"id\" (%q) differs from the node's id", text)
	case "label":
		n.Label = text
		return ""
	case "kind":
		n.Kind = text
		return ""
	case "cid":
		n.CID = text
		return ""
	case "coords":
		c, ok := parseCoords(text)
		if !ok {
			return fmt.Sprintf("coords %q is not a JSON array of finite numbers", text)
		}
		n.Coords = c
		return ""
	case "fx", "fy", "fz":
		f, ok := parseFloat(text)
		if !ok {
			return fmt.Sprintf("%s %q is not a finite number", name, text)
		}
		if n.Pin == nil {
			n.Pin = new(graph.Vec3)
		}
		n.Pin[name[1]-'x'] = f
		return ""
	}
	v, ok := typedValue(t, text)
	if !ok {
		return fmt.Sprintf("attribute %q: value %q is not a %s", name, text, t)
	}
	setProp(&n.Props, name, v)
	return ""
}

// setEdgeAttr is setNodeAttr for edges.
func setEdgeAttr(e *graph.Edge, name string, t Type, text string) string {
	switch name {
	case "id", "source", "target":
		own := map[string]string{"id": e.ID, "source": e.Source, "target": e.Target}[name]
		if text == own {
			return "" // some tools repeat the endpoints as attributes
		}
		return fmt.Sprintf("an attribute named %q (%q) differs from the edge's own %s", name, text, name)
	case "weight":
		f, ok := parseFloat(text)
		if !ok {
			return fmt.Sprintf("weight %q is not a finite number", text)
		}
		e.Weight = f
		return ""
	case "kind":
		e.Kind = text
		return ""
	}
	v, ok := typedValue(t, text)
	if !ok {
		return fmt.Sprintf("attribute %q: value %q is not a %s", name, text, t)
	}
	setProp(&e.Props, name, v)
	return ""
}

func setProp(p *graph.Props, name string, v json.RawMessage) {
	if *p == nil {
		*p = make(graph.Props, 4)
	}
	(*p)[name] = v
}

// edgeID names an edge the file left unnamed by its 0-based ordinal among the file's edges, so
// re-importing the same file gives the same ids.
func edgeID(ordinal int) string {
	return "e" + strconv.Itoa(ordinal)
}

// metaQueue holds the graph metadata until it can be emitted: before the first record, and again
// whenever graph-level data changed it after records went out.
type metaQueue struct {
	meta  Meta
	sent  bool
	dirty bool
}

// take returns the Meta item to emit before the next record, if any.
func (m *metaQueue) take() (Item, bool) {
	if m.sent && !m.dirty {
		return Item{}, false
	}
	m.sent, m.dirty = true, false
	mm := m.meta
	mm.Keys = append([]Key(nil), m.meta.Keys...)
	if m.meta.Props != nil {
		mm.Props = make(graph.Props, len(m.meta.Props))
		for k, v := range m.meta.Props {
			mm.Props[k] = v
		}
	}
	return Item{Kind: KindMeta, Meta: &mm}, true
}

// EdgeInput turns an edge read from a file into the add_edges command's input (the weight is always
// set: a file without one gives 1).
func EdgeInput(e *graph.Edge) graph.EdgeInput {
	w := e.Weight
	return graph.EdgeInput{ID: e.ID, Source: e.Source, Target: e.Target, Kind: e.Kind, Weight: &w, Props: e.Props}
}
