package graph

import "encoding/json"

// Events of the component commands; names double as subject tokens (ARCHITECTURE §3).
const (
	EventSpaceDefined       = "space_defined"
	EventCoordinatesSet     = "coordinates_set"
	EventPrototypeAdded     = "prototype_added"
	EventPrototypeRemoved   = "prototype_removed"
	EventStrategySet        = "strategy_set"
	EventUtilitySet         = "utility_set"
	EventCoalitionFormed    = "coalition_formed"
	EventCoalitionDissolved = "coalition_dissolved"
)

// SpaceDefined adds a conceptual space; Definition is a conceptual.SpaceDefinition as JSON.
type SpaceDefined struct {
	ID         string          `json:"id"`
	Name       string          `json:"name,omitempty"`
	Definition json.RawMessage `json:"definition"`
}

// NodePoint is one node's coordinates in a coordinates_set event; empty coordinates clear the
// node's point in the space.
type NodePoint struct {
	ID          string      `json:"id"`
	Coordinates Coordinates `json:"coordinates,omitempty"`
}

// CoordinatesSet places nodes in a space, replacing their previous points there (a list, not a
// map, so that replay applies it in one order).
type CoordinatesSet struct {
	Space  string      `json:"space"`
	Points []NodePoint `json:"points"`
}

// PrototypeAdded adds a named prototype to a space.
type PrototypeAdded struct {
	Space string `json:"space"`
	Prototype
}

// PrototypeRemoved removes a prototype; Point records what it was.
type PrototypeRemoved struct {
	Space string      `json:"space"`
	Name  string      `json:"name"`
	Point Coordinates `json:"point,omitempty"`
}

// StrategySet sets a node's strategy component, or removes it when Strategy is nil.
type StrategySet struct {
	ID       string    `json:"id"`
	Strategy *Strategy `json:"strategy,omitempty"`
}

// UtilitySet sets a node's utility component, or removes it when Utility is nil.
type UtilitySet struct {
	ID      string   `json:"id"`
	Utility *Utility `json:"utility,omitempty"`
}

// CoalitionFormed groups nodes that are in no other coalition; Members are sorted.
type CoalitionFormed Coalition

// CoalitionDissolved ends a coalition; Members records who was in it.
type CoalitionDissolved struct {
	ID      string   `json:"id"`
	Members []string `json:"members,omitempty"`
}

func (*SpaceDefined) EventType() string       { return EventSpaceDefined }
func (*CoordinatesSet) EventType() string     { return EventCoordinatesSet }
func (*PrototypeAdded) EventType() string     { return EventPrototypeAdded }
func (*PrototypeRemoved) EventType() string   { return EventPrototypeRemoved }
func (*StrategySet) EventType() string        { return EventStrategySet }
func (*UtilitySet) EventType() string         { return EventUtilitySet }
func (*CoalitionFormed) EventType() string    { return EventCoalitionFormed }
func (*CoalitionDissolved) EventType() string { return EventCoalitionDissolved }

func init() {
	reg := func(name string, newFn func() Payload) {
		MustRegister(EventType{Name: name, Version: 1, New: newFn})
	}
	reg(EventSpaceDefined, func() Payload { return new(SpaceDefined) })
	reg(EventCoordinatesSet, func() Payload { return new(CoordinatesSet) })
	reg(EventPrototypeAdded, func() Payload { return new(PrototypeAdded) })
	reg(EventPrototypeRemoved, func() Payload { return new(PrototypeRemoved) })
	reg(EventStrategySet, func() Payload { return new(StrategySet) })
	reg(EventUtilitySet, func() Payload { return new(UtilitySet) })
	reg(EventCoalitionFormed, func() Payload { return new(CoalitionFormed) })
	reg(EventCoalitionDissolved, func() Payload { return new(CoalitionDissolved) })
}
