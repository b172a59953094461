package graph

import (
	"encoding/binary"
	"encoding/json"
	"maps"
	"math"
	"slices"
)

// appendComponents writes the format-2 section: spaces sorted by id (definition, prototypes in
// order, points as node slot + one float per dimension), the strategy and utility components by
// node slot, and coalitions sorted by id with members as node slots. A node's coalition is not
// written twice: restoring the coalitions restores it.
func (g *Graph) appendComponents(w []byte) []byte {
	sids := slices.Sorted(maps.Keys(g.spaces))
	w = binary.AppendUvarint(w, uint64(len(sids)))
	for _, id := range sids {
		s := g.spaces[id]
		w = appendStr(w, id)
		w = appendStr(w, s.name)
		w = appendStr(w, string(s.def))
		w = binary.AppendUvarint(w, uint64(len(s.protos)))
		for _, p := range s.protos {
			w = appendStr(w, p.Name)
			w = appendStr(w, p.Source)
			w = appendCoords(w, p.Point)
		}
		w = binary.AppendUvarint(w, uint64(s.npts))
		for i, v := range s.pts {
			if v == nil {
				continue
			}
			w = binary.AppendUvarint(w, uint64(i))
			for _, x := range v {
				w = binary.LittleEndian.AppendUint64(w, math.Float64bits(x))
			}
		}
	}
	n := 0
	for i := range g.nodes {
		if c := g.nodes[i].comp; c != nil && (c.strategy != nil || c.utility != nil) {
			n++
		}
	}
	w = binary.AppendUvarint(w, uint64(n))
	for i := range g.nodes {
		c := g.nodes[i].comp
		if c == nil || (c.strategy == nil && c.utility == nil) {
			continue
		}
		w = binary.AppendUvarint(w, uint64(i))
		var flags byte
		if c.strategy != nil {
			flags |= 1
		}
		if c.utility != nil {
			flags |= 2
		}
		w = append(w, flags)
		if st := c.strategy; st != nil {
			w = binary.AppendVarint(w, int64(st.Player))
			w = appendStrs(w, st.Names)
			w = appendStrs(w, st.Mixed)
		}
		if u := c.utility; u != nil {
			w = appendStrs(w, u.Objectives)
			w = appendStrs(w, u.Weights)
			if u.Lexicographic {
				w = append(w, 1)
			} else {
				w = append(w, 0)
			}
		}
	}
	cids := slices.Sorted(maps.Keys(g.coalitions))
	w = binary.AppendUvarint(w, uint64(len(cids)))
	for _, id := range cids {
		c := g.coalitions[id]
		w = appendStr(w, id)
		w = appendStr(w, c.name)
		w = appendStr(w, c.value)
		members := slices.Sorted(maps.Keys(c.members))
		w = binary.AppendUvarint(w, uint64(len(members)))
		for _, m := range members {
			w = binary.AppendUvarint(w, uint64(g.nodeIdx.slot(m)))
		}
	}
	return w
}

func appendStrs(w []byte, s []string) []byte {
	w = binary.AppendUvarint(w, uint64(len(s)))
	for _, x := range s {
		w = appendStr(w, x)
	}
	return w
}

func appendCoords(w []byte, c Coordinates) []byte {
	keys := slices.Sorted(maps.Keys(c))
	w = binary.AppendUvarint(w, uint64(len(keys)))
	for _, k := range keys {
		w = appendStr(w, k)
		w = binary.LittleEndian.AppendUint64(w, math.Float64bits(c[k]))
	}
	return w
}

// components reads the format-2 section into g, whose nodes are already restored, and refuses
// what Apply could never have produced (a point of a dead node, a node in two coalitions).
func (r *snapReader) components(g *Graph) {
	live := func(k uint64) bool { return k < uint64(len(g.nodes)) && g.nodes[k].ID != "" }
	ns := r.count(4)
	for range ns {
		id, name, def := r.str(), r.str(), r.str()
		if _, dup := g.spaces[id]; dup || r.err != nil {
			r.fail("space")
			return
		}
		s := newSpace(name, json.RawMessage(def))
		np := r.count(3)
		names := make(map[string]bool, np) // not s.prototype: a corrupt count must not cost O(n²)
		for range np {
			p := Prototype{Name: r.str(), Source: r.str()}
			p.Point = r.coords()
			if names[p.Name] || r.err != nil {
				r.fail("prototype")
				return
			}
			names[p.Name] = true
			s.protos = append(s.protos, p)
		}
		npts := r.count(1)
		for range npts {
			k := r.uvarint()
			if !live(k) || len(s.dims) == 0 || (k < uint64(len(s.pts)) && s.pts[k] != nil) {
				r.fail("space point")
				break
			}
			v := make([]float64, len(s.dims))
			present := false
			for j := range v {
				v[j] = r.float()
				present = present || !math.IsNaN(v[j])
			}
			if !present {
				r.fail("empty point")
			}
			s.put(int32(k), v)
		}
		if r.err != nil {
			return
		}
		g.spaces[id] = s
	}
	nc := r.count(2)
	for range nc {
		k := r.uvarint()
		if !live(k) || g.nodes[k].comp != nil {
			r.fail("component node")
			return
		}
		flags := r.byte()
		if flags == 0 || flags > 3 {
			r.fail("component flags")
			return
		}
		c := new(nodeComp)
		if flags&1 != 0 {
			c.strategy = &Strategy{Player: int(r.varint()), Names: r.strs(), Mixed: r.strs()}
		}
		if flags&2 != 0 {
			c.utility = &Utility{Objectives: r.strs(), Weights: r.strs()}
			switch r.byte() {
			case 0:
			case 1:
				c.utility.Lexicographic = true
			default:
				r.fail("utility flag")
			}
		}
		if r.err != nil {
			return
		}
		g.nodes[k].comp = c
	}
	nco := r.count(4)
	for range nco {
		id, name, value := r.str(), r.str(), r.str()
		if _, dup := g.coalitions[id]; dup || id == "" {
			r.fail("coalition id")
			return
		}
		nm := r.count(1)
		if nm == 0 {
			r.fail("empty coalition")
			return
		}
		co := &coalition{name: name, value: value, members: make(map[string]struct{}, nm)}
		for range nm {
			k := r.uvarint()
			if !live(k) {
				r.fail("coalition member")
				return
			}
			c := g.comp(int32(k), true)
			if c.coalition != "" {
				r.fail("node in two coalitions")
				return
			}
			c.coalition = id
			co.members[g.nodes[k].ID] = struct{}{}
		}
		g.coalitions[id] = co
	}
}

func (r *snapReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *snapReader) strs() []string {
	n := r.count(1)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *snapReader) coords() Coordinates {
	n := r.count(9)
	if n == 0 {
		return nil
	}
	c := make(Coordinates, n)
	for range n {
		k := r.str()
		c[k] = r.float()
	}
	return c
}
