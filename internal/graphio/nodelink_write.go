package graphio

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// nodeLinkWriter writes networkx node_link_data / d3 JSON, one record per line. Properties keep
// their JSON values exactly; a pin is written as d3's fx, fy, fz. "directed" is always true: the
// domain's edges are directed, and undirected ones carry their "undirected" property.
type nodeLinkWriter struct {
	outBase
	names     []string
	nodeCount int
	edgeCount int
}

func newNodeLinkWriter(w io.Writer, meta Meta) (*nodeLinkWriter, error) {
	j := &nodeLinkWriter{outBase: newOutBase(w, meta)}
	b := append(j.b[:0], `{"directed": true, "multigraph": `...)
	b = strconv.AppendBool(b, meta.Multigraph)
	b = append(b, `, "graph": {`...)
	props := meta.Props
	if meta.Name != "" && props["name"] == nil {
		props = make(graph.Props, len(meta.Props)+1)
		for k, v := range meta.Props {
			props[k] = v
		}
		props["name"] = quoteJSON(meta.Name)
	}
	var err error
	if b, err = j.appendProps(b, props, nil, "graph", "", true); err != nil {
		return nil, err
	}
	b = append(b, "},\n\"nodes\": [\n"...)
	j.b = b
	if _, err := j.w.Write(b); err != nil {
		return nil, err
	}
	return j, nil
}

// appendProps writes p's members in name order (so output is deterministic), each preceded by a
// comma unless first.
func (j *nodeLinkWriter) appendProps(b []byte, p graph.Props, reserved map[string]bool, what, id string, first bool) ([]byte, error) {
	j.names = j.names[:0]
	for name := range p {
		if reserved[name] {
			return b, fmt.Errorf("%w: %s %q: property %q has the name of a record field", ErrFormat, what, id, name)
		}
		j.names = append(j.names, name)
	}
	slices.Sort(j.names)
	for _, name := range j.names {
		v := p[name]
		if !json.Valid(v) {
			return b, fmt.Errorf("%w: %s %q: property %q is not a JSON value", ErrFormat, what, id, name)
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = appendQuoted(b, name)
		b = append(b, ": "...)
		b = append(b, v...)
	}
	return b, nil
}

func (j *nodeLinkWriter) WriteNode(n *graph.Node) error {
	if err := j.checkNode(); err != nil {
		return err
	}
	b := j.b[:0]
	if j.nodeCount > 0 {
		b = append(b, ",\n"...)
	}
	j.nodeCount++
	b = append(b, `{"id": `...)
	b = appendQuoted(b, n.ID)
	str := func(k, v string) {
		if v != "" {
			b = append(b, `, "`+k+`": `...)
			b = appendQuoted(b, v)
		}
	}
	str("label", n.Label)
	str("kind", n.Kind)
	str("cid", n.CID)
	if len(n.Coords) > 0 {
		b = append(b, `, "coords": `...)
		b = append(b, formatCoords(n.Coords)...)
	}
	if n.Pin != nil {
		for i, k := range [...]string{"fx", "fy", "fz"} {
			b = append(b, `, "`+k+`": `...)
			b = strconv.AppendFloat(b, n.Pin[i], 'g', -1, 64)
		}
	}
	b, err := j.appendProps(b, n.Props, nodeReserved, "node", n.ID, false)
	if err != nil {
		return err
	}
	b = append(b, '}')
	j.b = b
	_, err = j.w.Write(b)
	return err
}

func (j *nodeLinkWriter) WriteEdge(e *graph.Edge) error {
	if err := j.checkEdge(); err != nil {
		return err
	}
	b := j.b[:0]
	if j.edgeCount == 0 {
		b = append(b, "\n],\n\"links\": [\n"...)
	} else {
		b = append(b, ",\n"...)
	}
	j.edgeCount++
	b = append(b, `{"source": `...)
	b = appendQuoted(b, e.Source)
	b = append(b, `, "target": `...)
	b = appendQuoted(b, e.Target)
	b = append(b, `, "id": `...)
	b = appendQuoted(b, e.ID)
	b = append(b, `, "weight": `...)
	b = strconv.AppendFloat(b, e.Weight, 'g', -1, 64)
	if e.Kind != "" {
		b = append(b, `, "kind": `...)
		b = appendQuoted(b, e.Kind)
	}
	b, err := j.appendProps(b, e.Props, edgeReserved, "edge", e.ID, false)
	if err != nil {
		return err
	}
	b = append(b, '}')
	j.b = b
	_, err = j.w.Write(b)
	return err
}

func (j *nodeLinkWriter) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	tail := "\n]}\n"
	if j.edgeCount == 0 {
		tail = "\n],\n\"links\": [\n]}\n"
	}
	if _, err := j.w.WriteString(tail); err != nil {
		return err
	}
	return j.w.Flush()
}
