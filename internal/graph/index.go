package graph

import "maps"

// idIndex maps node or edge ids to table slots. A state forked from a checkpoint (Fork) shares the
// checkpoint's map as base, which nobody writes again, and keeps only its own changes: own for ids
// added or moved since, gone for base ids removed since. Restoring a 100K-node / 300K-edge state then
// copies no map at all, where cloning the two maps allocated ~11 MB of fresh memory per restore —
// most of a restore's cost on a machine where first-touch page faults are slow. Most states have no
// base, and then this is a plain map.
type idIndex struct {
	own  map[string]int32
	base map[string]int32
	gone map[string]struct{}
	n    int
}

func newIDIndex(capacity int) idIndex { return idIndex{own: make(map[string]int32, capacity)} }

func (x *idIndex) get(id string) (int32, bool) {
	if v, ok := x.own[id]; ok {
		return v, true
	}
	if x.base == nil {
		return 0, false
	}
	if _, removed := x.gone[id]; removed {
		return 0, false
	}
	v, ok := x.base[id]
	return v, ok
}

// slot is get without the flag: 0 for an unknown id, as a map read gives.
func (x *idIndex) slot(id string) int32 {
	v, _ := x.get(id)
	return v
}

func (x *idIndex) has(id string) bool {
	_, ok := x.get(id)
	return ok
}

func (x *idIndex) set(id string, v int32) {
	if !x.has(id) {
		x.n++
	}
	x.own[id] = v
}

func (x *idIndex) del(id string) {
	if !x.has(id) {
		return
	}
	x.n--
	delete(x.own, id)
	if x.base != nil {
		if _, inBase := x.base[id]; inBase {
			if x.gone == nil {
				x.gone = map[string]struct{}{}
			}
			x.gone[id] = struct{}{}
		}
	}
}

func (x *idIndex) len() int { return x.n }

// clone returns an independent flat copy.
func (x *idIndex) clone() idIndex {
	if x.base == nil {
		return idIndex{own: maps.Clone(x.own), n: x.n}
	}
	flat := make(map[string]int32, x.n)
	for id, v := range x.base {
		if _, removed := x.gone[id]; !removed {
			flat[id] = v
		}
	}
	maps.Copy(flat, x.own)
	return idIndex{own: flat, n: x.n}
}

// fork returns an index that reads through x without copying it; x must never change again.
func (x *idIndex) fork() idIndex {
	if x.base != nil { // a fork of a fork: flatten first (never the timeline's case)
		flat := x.clone()
		return flat.fork()
	}
	return idIndex{own: map[string]int32{}, base: x.own, n: x.n}
}
