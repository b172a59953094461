package graph

import (
	"encoding/json"
	"fmt"
	"sync"
)

// Upcaster rewrites a payload of schema version v (its map key) into version v+1.
type Upcaster func(json.RawMessage) (json.RawMessage, error)

// EventType describes one event: its name, current schema version, a constructor for its payload and
// the upcasters that bring older payloads to the current version. Later components (conceptual
// spaces, game theory, suggestions) add their events with [MustRegister]; [Graph.Apply] ignores
// events it does not fold, so a new type needs no change here.
type EventType struct {
	Name      string
	Version   int
	New       func() Payload
	Upcasters map[int]Upcaster
}

var registry struct {
	sync.RWMutex
	types map[string]EventType
}

// MustRegister adds an event type; it panics on a duplicate name, a missing constructor or a gap in
// the upcaster chain, because those are programming errors found at start-up.
func MustRegister(t EventType) {
	if t.Name == "" || t.New == nil || t.Version < 1 {
		panic(fmt.Sprintf("graph: bad event type %+v", t))
	}
	for v := 1; v < t.Version; v++ {
		if t.Upcasters[v] == nil {
			panic(fmt.Sprintf("graph: event %s v%d has no upcaster from v%d", t.Name, t.Version, v))
		}
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.types == nil {
		registry.types = make(map[string]EventType)
	}
	if _, dup := registry.types[t.Name]; dup {
		panic("graph: event type registered twice: " + t.Name)
	}
	registry.types[t.Name] = t
}

// LookupEventType returns the registered type of an event name.
func LookupEventType(name string) (EventType, bool) {
	registry.RLock()
	t, ok := registry.types[name]
	registry.RUnlock()
	return t, ok
}

// EventTypes lists the registered event names (for subject filters and docs).
func EventTypes() []string {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]string, 0, len(registry.types))
	for n := range registry.types {
		out = append(out, n)
	}
	return out
}

// upcast brings raw from version from to the type's current version.
func (t EventType) upcast(raw json.RawMessage, from int) (json.RawMessage, error) {
	for v := from; v < t.Version; v++ {
		var err error
		if raw, err = t.Upcasters[v](raw); err != nil {
			return nil, fmt.Errorf("upcast %s v%d→v%d: %w", t.Name, v, v+1, err)
		}
	}
	return raw, nil
}
