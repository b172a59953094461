package graph

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Limits enforced by the decide functions.
const (
	MaxIDLen    = 256    // bytes in a node, edge or subgraph id, or a tag
	MaxNameLen  = 1024   // bytes in a graph or subgraph name, a label or a kind
	MaxBatch    = 50_000 // nodes or edges in one command
	MaxCoordDim = 256    // conceptual-space dimensions
)

// Command is a request to change a graph. Decide validates it against the current state and returns
// the payloads of the events that record the change; it never changes the state.
type Command interface {
	Op() string
	Decide(g *Graph) ([]Payload, error)
}

// Meta is what the caller knows about a command beyond its fields; it fills the event envelopes.
type Meta struct {
	Actor       string
	CommandID   string    // becomes the events' correlation id; retries reuse it
	CausationID string    // what caused the command (an event or a suggestion), if anything
	Time        time.Time // zero: now
	// NewID makes event ids; nil: UUIDv7.
	NewID func() (string, error)
}

// Decide runs cmd against g and wraps its payloads in envelopes. Every command but create_graph
// needs an existing, undeleted graph.
func Decide(g *Graph, cmd Command, m Meta) ([]Event, error) {
	if _, create := cmd.(*CreateGraph); !create {
		if !g.exists {
			return nil, cmdErr(cmd.Op(), ErrNotFound, g.id, "graph does not exist")
		}
	}
	if g.deleted {
		return nil, cmdErr(cmd.Op(), ErrDeleted, g.id, "graph was deleted")
	}
	payloads, err := cmd.Decide(g)
	if err != nil {
		return nil, err
	}
	return Wrap(g.id, payloads, m)
}

// Wrap puts payloads into envelopes for graph id.
func Wrap(graphID string, payloads []Payload, m Meta) ([]Event, error) {
	now := m.Time
	if now.IsZero() {
		now = time.Now().UTC()
	}
	newID := m.NewID
	if newID == nil {
		newID = NewEventID
	}
	evs := make([]Event, len(payloads))
	for i, p := range payloads {
		t, ok := LookupEventType(p.EventType())
		if !ok {
			return nil, fmt.Errorf("wrap: %q: %w", p.EventType(), ErrUnknownEvent)
		}
		id, err := newID()
		if err != nil {
			return nil, fmt.Errorf("event id: %w", err)
		}
		evs[i] = Event{Envelope: Envelope{ID: id, GraphID: graphID, Type: t.Name, SchemaVersion: t.Version,
			Time: now, Actor: m.Actor, CorrelationID: m.CommandID, CausationID: m.CausationID}, Data: p}
	}
	return evs, nil
}

// NewEventID returns a UUIDv7: time-ordered, so ids sort like the events they name.
func NewEventID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// NewCommand returns an empty command for a protocol op (e.g. "add_nodes"), ready for JSON decoding.
func NewCommand(op string) (Command, bool) {
	var c Command
	switch op {
	case "create_graph":
		c = new(CreateGraph)
	case "rename_graph":
		c = new(RenameGraph)
	case "tag_graph":
		c = new(TagGraph)
	case "delete_graph":
		c = new(DeleteGraph)
	case "add_nodes":
		c = new(AddNodes)
	case "update_node":
		c = new(UpdateNode)
	case "remove_node":
		c = new(RemoveNode)
	case "pin_node":
		c = new(PinNode)
	case "add_edges":
		c = new(AddEdges)
	case "update_edge":
		c = new(UpdateEdge)
	case "remove_edge":
		c = new(RemoveEdge)
	case "create_subgraph":
		c = new(CreateSubgraph)
	case "change_subgraph":
		c = new(ChangeSubgraph)
	default:
		if c = newComponentCommand(op); c == nil {
			return nil, false
		}
	}
	return c, true
}

// Ops lists the protocol operations NewCommand knows.
var Ops = append([]string{"create_graph", "rename_graph", "tag_graph", "delete_graph", "add_nodes", "update_node",
	"remove_node", "pin_node", "add_edges", "update_edge", "remove_edge", "create_subgraph", "change_subgraph"},
	componentOps...)

// ---- validation helpers ----

func checkID(op, what, id string) error {
	if id == "" {
		return cmdErr(op, ErrInvalid, what, "empty id")
	}
	if len(id) > MaxIDLen {
		return cmdErr(op, ErrInvalid, what, "id longer than %d bytes", MaxIDLen)
	}
	return checkText(op, what, id)
}

func checkText(op, what, s string) error {
	if !utf8.ValidString(s) {
		return cmdErr(op, ErrInvalid, what, "not valid UTF-8")
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		return cmdErr(op, ErrInvalid, what, "control character at byte %d", i)
	}
	return nil
}

func checkName(op, what, s string, required bool) error {
	if s == "" {
		if required {
			return cmdErr(op, ErrInvalid, what, "empty")
		}
		return nil
	}
	if len(s) > MaxNameLen {
		return cmdErr(op, ErrInvalid, what, "longer than %d bytes", MaxNameLen)
	}
	return checkText(op, what, s)
}

func checkFinite(op, what string, xs ...float64) error {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return cmdErr(op, ErrInvalid, what, "not a finite number")
		}
	}
	return nil
}

func checkProps(op, what string, p Props) error {
	for k, v := range p {
		if k == "" || len(k) > MaxIDLen {
			return cmdErr(op, ErrInvalid, what, "property key %q: empty or too long", k)
		}
		if err := checkText(op, what+".props", k); err != nil {
			return err
		}
		if !json.Valid(v) {
			return cmdErr(op, ErrInvalid, what, "property %q is not a JSON value", k)
		}
	}
	return nil
}

func checkCoords(op, what string, c []float64) error {
	if len(c) > MaxCoordDim {
		return cmdErr(op, ErrInvalid, what, "%d coordinates, at most %d", len(c), MaxCoordDim)
	}
	return checkFinite(op, what, c...)
}

func checkTags(op string, tags []string) error {
	for i, t := range tags {
		if err := checkID(op, "tags", t); err != nil {
			return err
		}
		if slices.Contains(tags[:i], t) {
			return cmdErr(op, ErrDuplicate, "tags", "tag %q given twice", t)
		}
	}
	return nil
}

func checkBatch(op string, n int) error {
	if n == 0 {
		return cmdErr(op, ErrInvalid, "", "nothing to add")
	}
	if n > MaxBatch {
		return cmdErr(op, ErrInvalid, "", "%d items, at most %d per command", n, MaxBatch)
	}
	return nil
}
