package graphio

import (
	"fmt"
	"io"
	"iter"
	"slices"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Schema infers attribute declarations from the records themselves: GraphML and GEXF declare every
// attribute before the first node and CSV needs its columns in the header, while the domain keeps
// no schema. Feed it every node and edge (a first pass over the graph, which the caller holds
// anyway), then hand [Schema.Meta] to [NewWriter] for the second, streaming pass.
//
// Inference per property name: only integers → long; numbers → double; only booleans → boolean;
// anything else (strings, mixed types, null, arrays, objects) → string.
type Schema struct {
	node, edge map[string]*keyStats
	used       Fields
	err        error
}

type keyStats struct {
	classes   valueClass
	ambiguous bool // a string value an untyped reader would not read back as this string
}

func (s *Schema) stats(m *map[string]*keyStats, name string) *keyStats {
	if *m == nil {
		*m = make(map[string]*keyStats)
	}
	k := (*m)[name]
	if k == nil {
		k = new(keyStats)
		(*m)[name] = k
	}
	return k
}

func (s *Schema) observe(m *map[string]*keyStats, p graph.Props, reserved map[string]bool, what, id string) {
	for name, v := range p {
		if name == "" && s.err == nil {
			s.err = fmt.Errorf("%w: %s %q: a property with an empty name", ErrFormat, what, id)
		}
		if reserved[name] && s.err == nil {
			s.err = fmt.Errorf("%w: %s %q: property %q has the name of a record field; rename it to export",
				ErrFormat, what, id, name)
		}
		k := s.stats(m, name)
		c := classify(v)
		k.classes |= c
		if c == classString && !k.ambiguous {
			str, _ := unquoteJSON(v)
			if inferValue(str) == nil || classify(inferValue(str)) != classString {
				k.ambiguous = true
			}
		}
	}
}

// AddNode records a node's fields and properties.
func (s *Schema) AddNode(n *graph.Node) {
	if n.Label != "" {
		s.used |= FieldLabel
	}
	if n.Kind != "" {
		s.used |= FieldKind
	}
	if n.Pin != nil {
		s.used |= FieldPin
	}
	if n.CID != "" {
		s.used |= FieldCID
	}
	if len(n.Coords) > 0 {
		s.used |= FieldCoords
	}
	s.observe(&s.node, n.Props, nodeReserved, "node", n.ID)
}

// AddEdge records an edge's fields and properties.
func (s *Schema) AddEdge(e *graph.Edge) {
	if e.Kind != "" {
		s.used |= FieldEdgeKind
	}
	if e.ID != "" {
		s.used |= FieldEdgeID
	}
	s.observe(&s.edge, e.Props, edgeReserved, "edge", e.ID)
}

// Meta returns base with Keys and Used filled from the records seen. It fails when a property
// carries a reserved name (see the package doc), which no format could write back unambiguously.
func (s *Schema) Meta(base Meta) (Meta, error) {
	if s.err != nil {
		return base, s.err
	}
	base.Keys = append(keysOf(s.node, DomainNode), keysOf(s.edge, DomainEdge)...)
	base.Used = s.used
	return base, nil
}

func keysOf(m map[string]*keyStats, d Domain) []Key {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	keys := make([]Key, 0, len(names))
	for _, name := range names {
		st := m[name]
		k := Key{Name: name, For: d, Type: TypeString}
		switch {
		case st.classes == classInt:
			k.Type = TypeLong
		case st.classes&^(classInt|classFloat) == 0:
			k.Type = TypeDouble
		case st.classes == classBool:
			k.Type = TypeBoolean
		default:
			// A non-string value in a string column reads back as its own type from CSV.
			k.Ambiguous = st.ambiguous || st.classes != classString
		}
		keys = append(keys, k)
	}
	return keys
}

// Export writes a whole graph in two walks: the first infers the attribute declarations with a
// [Schema] (replacing meta.Keys and meta.Used; meta supplies the name, direction and graph
// properties), the second streams the records through a [Writer]. The sequences must yield the
// same records on each walk.
func Export(w io.Writer, f Format, meta Meta, opt WriteOptions, nodes iter.Seq[*graph.Node], edges iter.Seq[*graph.Edge]) error {
	var s Schema
	for n := range nodes {
		s.AddNode(n)
	}
	for e := range edges {
		s.AddEdge(e)
	}
	meta, err := s.Meta(meta)
	if err != nil {
		return err
	}
	wr, err := NewWriter(w, f, meta, opt)
	if err != nil {
		return err
	}
	for n := range nodes {
		if err := wr.WriteNode(n); err != nil {
			return err
		}
	}
	for e := range edges {
		if err := wr.WriteEdge(e); err != nil {
			return err
		}
	}
	return wr.Close()
}
