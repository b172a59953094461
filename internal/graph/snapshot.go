package graph

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"time"
)

// ErrBadSnapshot is returned for a snapshot that is truncated, corrupt or of an unknown format.
var ErrBadSnapshot = errors.New("bad graph snapshot")

// Snapshot format versions: 1 has graph, nodes, edges, subgraphs and recent commands; 2 appends the
// components (spaces, node strategies and utilities, coalitions). Both decode.
const (
	snapMagic   = "IAGS"
	snapVersion = 2
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// MarshalBinary encodes the whole state compactly: varint lengths and counts, kinds as indices into
// one table, edge endpoints as node slots, free slots kept so that a restored graph is slot for slot
// the one that was saved, and a CRC-32C trailer.
func (g *Graph) MarshalBinary() ([]byte, error) {
	kinds := make([]string, 0, len(g.kinds))
	for k := range g.kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	kindIdx := make(map[string]uint64, len(kinds))
	for i, k := range kinds {
		kindIdx[k] = uint64(i + 1)
	}
	w := make([]byte, 0, 64+len(g.nodes)*24+len(g.edges)*28)
	w = append(w, snapMagic...)
	w = binary.AppendUvarint(w, snapVersion)
	w = appendStr(w, g.id)
	w = appendStr(w, g.name)
	w = binary.AppendUvarint(w, uint64(len(g.tags)))
	for _, t := range g.tags {
		w = appendStr(w, t)
	}
	w = appendTime(w, g.created)
	w = appendTime(w, g.updated)
	var flags uint64
	if g.exists {
		flags |= 1
	}
	if g.deleted {
		flags |= 2
	}
	w = binary.AppendUvarint(w, flags)
	w = binary.AppendUvarint(w, g.version)
	w = binary.AppendUvarint(w, g.applied)
	w = binary.AppendUvarint(w, uint64(len(kinds)))
	for _, k := range kinds {
		w = appendStr(w, k)
	}
	w = binary.AppendUvarint(w, uint64(len(g.nodes)))
	for i := range g.nodes {
		n := &g.nodes[i].Node
		w = appendStr(w, n.ID)
		if n.ID == "" {
			continue
		}
		w = appendStr(w, n.Label)
		w = binary.AppendUvarint(w, kindIdx[n.Kind])
		w = appendStr(w, n.CID)
		w = appendProps(w, n.Props)
		w = binary.AppendUvarint(w, uint64(len(n.Coords)))
		for _, c := range n.Coords {
			w = binary.LittleEndian.AppendUint64(w, math.Float64bits(c))
		}
		if n.Pin == nil {
			w = append(w, 0)
		} else {
			w = append(w, 1)
			for _, c := range n.Pin {
				w = binary.LittleEndian.AppendUint64(w, math.Float64bits(c))
			}
		}
	}
	w = binary.AppendUvarint(w, uint64(len(g.edges)))
	for i := range g.edges {
		e := &g.edges[i]
		if e.src < 0 {
			w = append(w, 0)
			continue
		}
		w = binary.AppendUvarint(w, uint64(e.src)+1)
		w = binary.AppendUvarint(w, uint64(e.dst))
		w = appendStr(w, e.id)
		w = binary.AppendUvarint(w, kindIdx[e.kind])
		w = binary.LittleEndian.AppendUint64(w, math.Float64bits(e.weight))
		w = appendProps(w, e.props)
	}
	w = appendSlots(w, g.freeNode)
	w = appendSlots(w, g.freeEdge)
	subs := g.Subgraphs()
	w = binary.AppendUvarint(w, uint64(len(subs)))
	for _, s := range subs {
		w = appendStr(w, s.ID)
		w = appendStr(w, s.Name)
		w = binary.AppendUvarint(w, uint64(len(s.Nodes)))
		for _, n := range s.Nodes {
			w = binary.AppendUvarint(w, uint64(g.nodeIdx.slot(n)))
		}
	}
	recent := g.recent.ordered()
	w = binary.AppendUvarint(w, uint64(len(recent)))
	for _, id := range recent {
		w = appendStr(w, id)
		w = binary.AppendUvarint(w, g.recent.seen[id])
	}
	w = g.appendComponents(w)
	return binary.LittleEndian.AppendUint32(w, crc32.Checksum(w, crcTable)), nil
}

func appendStr(w []byte, s string) []byte {
	w = binary.AppendUvarint(w, uint64(len(s)))
	return append(w, s...)
}

func appendTime(w []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(w, math.MinInt64)
	}
	return binary.AppendVarint(w, t.UnixNano())
}

func appendProps(w []byte, p Props) []byte {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w = binary.AppendUvarint(w, uint64(len(keys)))
	for _, k := range keys {
		w = appendStr(w, k)
		w = appendStr(w, string(p[k]))
	}
	return w
}

func appendSlots(w []byte, s []int32) []byte {
	w = binary.AppendUvarint(w, uint64(len(s)))
	for _, v := range s {
		w = binary.AppendUvarint(w, uint64(v))
	}
	return w
}

// UnmarshalBinary restores a state written by MarshalBinary into g, replacing its contents.
func (g *Graph) UnmarshalBinary(data []byte) error {
	ng, err := decodeSnapshot(data)
	if err != nil {
		return err
	}
	*g = *ng
	return nil
}

// DecodeSnapshot restores a graph from MarshalBinary's output.
func DecodeSnapshot(data []byte) (*Graph, error) { return decodeSnapshot(data) }

func decodeSnapshot(data []byte) (*Graph, error) {
	if len(data) < len(snapMagic)+5 || string(data[:len(snapMagic)]) != snapMagic {
		return nil, fmt.Errorf("%w: no header", ErrBadSnapshot)
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrBadSnapshot)
	}
	r := &snapReader{b: body[len(snapMagic):]}
	format := r.uvarint()
	if format < 1 || format > snapVersion {
		return nil, fmt.Errorf("%w: format version %d", ErrBadSnapshot, format)
	}
	g := New(r.str())
	g.name = r.str()
	nt := r.count(1)
	for range nt {
		g.tags = append(g.tags, r.str())
	}
	g.created = r.time()
	g.updated = r.time()
	flags := r.uvarint()
	g.exists, g.deleted = flags&1 != 0, flags&2 != 0
	g.version = r.uvarint()
	g.applied = r.uvarint()
	kinds := make([]string, r.count(1)+1)
	for i := 1; i < len(kinds); i++ {
		kinds[i] = g.intern(r.str())
	}
	kind := func() string {
		k := r.uvarint()
		if k >= uint64(len(kinds)) {
			r.fail("kind index")
			return ""
		}
		return kinds[k]
	}
	nn := r.count(1)
	g.nodes = make([]nodeSlot, nn)
	g.nodeIdx = newIDIndex(nn)
	for i := range g.nodes {
		g.nodes[i].first = -1
		n := &g.nodes[i].Node
		if n.ID = r.str(); n.ID == "" || r.err != nil {
			continue
		}
		n.Label = r.str()
		n.Kind = kind()
		n.CID = r.str()
		n.Props = r.props()
		if nc := r.count(8); nc > 0 {
			n.Coords = make([]float64, nc)
			for k := range n.Coords {
				n.Coords[k] = r.float()
			}
		}
		if r.byte() == 1 {
			n.Pin = &Vec3{r.float(), r.float(), r.float()}
		}
		if _, dup := g.nodeIdx.get(n.ID); dup {
			r.fail("duplicate node id")
		}
		g.nodeIdx.set(n.ID, int32(i))
	}
	ne := r.count(1)
	g.edges = make([]edgeSlot, ne)
	g.edgeIdx = newIDIndex(ne)
	for i := range g.edges {
		e := &g.edges[i]
		src := r.uvarint()
		if src == 0 || r.err != nil {
			e.src, e.dst = -1, -1
			continue
		}
		dst := r.uvarint()
		if src > uint64(nn) || dst >= uint64(nn) || g.nodes[src-1].ID == "" || g.nodes[dst].ID == "" {
			r.fail("edge endpoint")
			break
		}
		e.src, e.dst = int32(src-1), int32(dst)
		e.id = r.str()
		e.kind = kind()
		e.weight = r.float()
		e.props = r.props()
		if _, dup := g.edgeIdx.get(e.id); dup || e.id == "" {
			r.fail("duplicate edge id")
			break
		}
		g.edgeIdx.set(e.id, int32(i))
		g.link(int32(i))
	}
	g.freeNode = r.slots(nn, func(i int) bool { return g.nodes[i].ID == "" })
	g.freeEdge = r.slots(ne, func(i int) bool { return g.edges[i].src < 0 })
	ns := r.count(2)
	for range ns {
		id, name := r.str(), r.str()
		nm := r.count(1)
		s := &subgraph{name: name, members: make(map[string]struct{}, nm)}
		for range nm {
			k := r.uvarint()
			if k >= uint64(nn) || g.nodes[k].ID == "" {
				r.fail("subgraph member")
				break
			}
			s.members[g.nodes[k].ID] = struct{}{}
		}
		g.subs[id] = s
	}
	nr := r.count(2)
	for range nr {
		id := r.str()
		g.recent.record(id, r.uvarint())
	}
	if format >= 2 {
		r.components(g)
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return nil, r.err
	}
	return g, nil
}

// snapReader decodes with sticky errors: after the first failure every read returns zero values, so
// the decoder is written straight through and checks once.
type snapReader struct {
	b   []byte
	err error
}

func (r *snapReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrBadSnapshot, what)
	}
	r.b = nil
}

func (r *snapReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a count of items that take at least min bytes each, refusing counts the rest of the
// input cannot hold (so a corrupt count cannot make us allocate gigabytes).
func (r *snapReader) count(min int) int {
	v := r.uvarint()
	if v > uint64(len(r.b)/min) {
		r.fail("count")
		return 0
	}
	return int(v)
}

func (r *snapReader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail("string length")
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *snapReader) byte() byte {
	if len(r.b) == 0 {
		r.fail("truncated")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *snapReader) float() float64 {
	if len(r.b) < 8 {
		r.fail("truncated float")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

func (r *snapReader) time() time.Time {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("time")
		return time.Time{}
	}
	r.b = r.b[n:]
	if v == math.MinInt64 {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}

func (r *snapReader) props() Props {
	n := r.count(2)
	if n == 0 {
		return nil
	}
	p := make(Props, n)
	for range n {
		k := r.str()
		p[k] = []byte(r.str())
	}
	return p
}

func (r *snapReader) slots(n int, free func(int) bool) []int32 {
	k := r.count(1)
	out := make([]int32, 0, k)
	listed := make(map[uint64]bool, k)
	for range k {
		v := r.uvarint()
		if v >= uint64(n) || !free(int(v)) || listed[v] {
			// A slot listed twice would later be handed to two nodes.
			r.fail("free slot")
			return nil
		}
		listed[v] = true
		out = append(out, int32(v))
	}
	return out
}
