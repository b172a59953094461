package agents

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Events of the suggestion lifecycle (ARCHITECTURE §3), on the graph they concern. graph.Apply does
// not fold them; [Suggestions] keeps the pending set by replaying them.
const (
	EventSuggestionProposed = "suggestion_proposed"
	EventSuggestionAccepted = "suggestion_accepted"
	EventSuggestionRejected = "suggestion_rejected"
)

// SuggestionProposed records a suggestion; its id is the event's id.
type SuggestionProposed struct {
	Suggestion
}

// SuggestionAccepted records the user's yes. The suggestion's commands follow it in the same atomic
// append, every event carrying the suggestion's id as causation.
type SuggestionAccepted struct {
	ID string `json:"id"`
	// AppliedAt is the graph version the commands were decided against (BaseVersion or later, once
	// checked for conflicts).
	AppliedAt   uint64 `json:"applied_at"`
	BaseVersion uint64 `json:"base_version"`
	Events      int    `json:"events"` // how many change events follow
}

// SuggestionRejected records the user's no.
type SuggestionRejected struct {
	ID     string `json:"id"`
	Reason string `json:"reason,omitempty"`
}

func (*SuggestionProposed) EventType() string { return EventSuggestionProposed }
func (*SuggestionAccepted) EventType() string { return EventSuggestionAccepted }
func (*SuggestionRejected) EventType() string { return EventSuggestionRejected }

func init() {
	graph.MustRegister(graph.EventType{Name: EventSuggestionProposed, Version: 1, New: func() graph.Payload { return new(SuggestionProposed) }})
	graph.MustRegister(graph.EventType{Name: EventSuggestionAccepted, Version: 1, New: func() graph.Payload { return new(SuggestionAccepted) }})
	graph.MustRegister(graph.EventType{Name: EventSuggestionRejected, Version: 1, New: func() graph.Payload { return new(SuggestionRejected) }})
}

// forbiddenOps are graph commands a suggestion may not carry: an agent proposes changes to a graph,
// not its creation or end.
var forbiddenOps = map[string]bool{"create_graph": true, "delete_graph": true}

// DecodeCommands turns a suggestion's command specs into graph commands, refusing unknown ops and
// unknown fields (a typo in an agent must not silently drop a field).
func DecodeCommands(specs []CommandSpec) ([]graph.Command, error) {
	if len(specs) == 0 {
		return nil, Errorf(CodeInvalid, "a suggestion needs at least one command")
	}
	if len(specs) > MaxSuggestionCommands {
		return nil, Errorf(CodeTooLarge, "%d commands, at most %d per suggestion", len(specs), MaxSuggestionCommands)
	}
	out := make([]graph.Command, len(specs))
	for i, s := range specs {
		if forbiddenOps[s.Op] {
			return nil, Errorf(CodeInvalid, "commands[%d]: %s may not be suggested", i, s.Op)
		}
		cmd, ok := graph.NewCommand(s.Op)
		if !ok {
			return nil, Errorf(CodeInvalid, "commands[%d]: unknown operation %q", i, s.Op)
		}
		dec := json.NewDecoder(bytes.NewReader(s.Args))
		dec.DisallowUnknownFields()
		if err := dec.Decode(cmd); err != nil {
			return nil, Errorf(CodeInvalid, "commands[%d] (%s): %v", i, s.Op, err)
		}
		out[i] = cmd
	}
	return out, nil
}

// checkSuggestion validates what a proposal records.
func checkSuggestion(s *Suggestion) error {
	switch {
	case math.IsNaN(s.Confidence) || s.Confidence < 0 || s.Confidence > 1:
		return Errorf(CodeInvalid, "confidence %v is not in [0, 1]", s.Confidence)
	case len(s.Reasoning) > MaxReasoningBytes:
		return Errorf(CodeTooLarge, "reasoning of %d bytes, at most %d", len(s.Reasoning), MaxReasoningBytes)
	case len(s.Title) > graph.MaxNameLen:
		return Errorf(CodeInvalid, "title longer than %d bytes", graph.MaxNameLen)
	case !utf8.ValidString(s.Title) || !utf8.ValidString(s.Reasoning) || !utf8.ValidString(s.Agent):
		return Errorf(CodeInvalid, "title, reasoning and agent must be UTF-8")
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return Errorf(CodeInvalid, "suggestion: %v", err)
	}
	if len(raw) > MaxSuggestionBytes {
		return Errorf(CodeTooLarge, "suggestion of %d bytes, at most %d", len(raw), MaxSuggestionBytes)
	}
	return nil
}

// decideAll decides cmds in order, each against the state the previous ones leave, and returns all
// their payloads. g is not changed: from the second command on they run against a private copy.
func decideAll(g *graph.Graph, cmds []graph.Command) ([]graph.Payload, error) {
	var out []graph.Payload
	work := g
	for i, cmd := range cmds {
		ps, err := cmd.Decide(work)
		if err != nil {
			return nil, fmt.Errorf("commands[%d] (%s): %w", i, cmd.Op(), err)
		}
		out = append(out, ps...)
		if i == len(cmds)-1 {
			break
		}
		if work == g {
			snap, err := g.MarshalBinary()
			if err != nil {
				return nil, fmt.Errorf("copy graph: %w", err)
			}
			if work, err = graph.DecodeSnapshot(snap); err != nil {
				return nil, fmt.Errorf("copy graph: %w", err)
			}
		}
		for _, p := range ps {
			work.Apply(&graph.Event{Envelope: graph.Envelope{Type: p.EventType()}, Data: p})
		}
	}
	return out, nil
}

// proposeCommand records a suggestion after checking that its commands apply to the current graph.
type proposeCommand struct {
	s    *Suggestion
	cmds []graph.Command
}

func (*proposeCommand) Op() string { return "propose_suggestion" }

func (c *proposeCommand) Decide(g *graph.Graph) ([]graph.Payload, error) {
	if c.s.BaseVersion > g.Version() {
		return nil, Errorf(CodeStale, "suggestion made against version %d, the graph is at %d", c.s.BaseVersion, g.Version())
	}
	if _, err := decideAll(g, c.cmds); err != nil {
		return nil, Errorf(CodeInvalid, "the suggestion does not apply to graph %s at version %d: %v", g.ID(), g.Version(), err)
	}
	rec := *c.s
	if rec.BaseVersion == 0 {
		// No base given: the suggestion was just checked against this version, so this is its base
		// (rather than 0, which would make every later accept scan the whole history for conflicts).
		rec.BaseVersion = g.Version()
	}
	return []graph.Payload{&SuggestionProposed{Suggestion: rec}}, nil
}

// acceptCommand records the acceptance and the suggestion's changes in one append. The ledger has
// checked that the suggestion is pending at exactly the version this is decided against (Execute's
// expected version) and that later changes do not conflict with it.
type acceptCommand struct {
	s     *Suggestion
	cmds  []graph.Command
	stale bool // the graph moved since the suggestion's base version
}

func (*acceptCommand) Op() string { return "accept_suggestion" }

func (c *acceptCommand) Decide(g *graph.Graph) ([]graph.Payload, error) {
	changes, err := decideAll(g, c.cmds)
	if err != nil {
		code := CodeInvalid
		if c.stale {
			code = CodeConflict
		}
		return nil, Errorf(code, "suggestion %s no longer applies at version %d: %v", c.s.ID, g.Version(), err)
	}
	out := make([]graph.Payload, 0, len(changes)+1)
	out = append(out, &SuggestionAccepted{ID: c.s.ID, AppliedAt: g.Version(), BaseVersion: c.s.BaseVersion, Events: len(changes)})
	return append(out, changes...), nil
}

// rejectCommand records the rejection of a pending suggestion.
type rejectCommand struct {
	id, reason string
}

func (*rejectCommand) Op() string { return "reject_suggestion" }

func (c *rejectCommand) Decide(*graph.Graph) ([]graph.Payload, error) {
	if len(c.reason) > MaxReasoningBytes || !utf8.ValidString(c.reason) {
		return nil, Errorf(CodeInvalid, "reason must be UTF-8 of at most %d bytes", MaxReasoningBytes)
	}
	return []graph.Payload{&SuggestionRejected{ID: c.id, Reason: c.reason}}, nil
}
