package graph

import (
	"encoding/json"
	"errors"
	"sync/atomic"
)

// ComponentRules is the domain knowledge the aggregate does not have: compiling a conceptual space,
// checking a point against its dimensions' kinds and ranges, reading exact rationals of strategies,
// utilities and coalition values. The graph package stays free of the conceptual and game engines;
// internal/components implements these rules with them and installs them with [SetComponentRules].
//
// The decide functions of the component commands first check structure (ids, existence, names,
// finiteness, lengths) and then, when rules are set, call them; a rule may return a canonical form
// of its input (a circular coordinate wrapped into range, a definition with its default weights
// made explicit), which is what the event records. Apply never calls rules: a stored event is a fact,
// and replay must not depend on what is installed.
//
// A rule's error names the offending field relative to the value it was given; return a
// *CommandError (Op may be empty, Err defaults to [ErrInvalid]) to choose the field and the
// sentinel, any other error becomes ErrInvalid for the value as a whole.
type ComponentRules interface {
	// Space validates a space definition and returns its canonical JSON (nil: keep as given) and the
	// rules for points in that space.
	Space(def json.RawMessage) (json.RawMessage, PointRules, error)
	// Strategy validates a strategy component and returns its canonical form.
	Strategy(s Strategy) (Strategy, error)
	// Utility validates a utility component and returns its canonical form.
	Utility(u Utility) (Utility, error)
	// Coalition validates a coalition about to be formed in g (members exist and are free).
	Coalition(g *Graph, c Coalition) (Coalition, error)
}

// PointRules checks points of one compiled space.
type PointRules interface {
	// Point validates named coordinates and returns their canonical form.
	Point(c Coordinates) (Coordinates, error)
}

type rulesBox struct{ r ComponentRules }

var installed atomic.Pointer[rulesBox]

// SetComponentRules installs the rules the component commands' decide functions call; nil removes
// them (then only structure is checked). It is safe to call at any time from any goroutine; a
// command being decided uses the rules installed when it started.
func SetComponentRules(r ComponentRules) {
	if r == nil {
		installed.Store(nil)
		return
	}
	installed.Store(&rulesBox{r})
}

// CurrentComponentRules returns the installed rules, or nil.
func CurrentComponentRules() ComponentRules {
	if b := installed.Load(); b != nil {
		return b.r
	}
	return nil
}

// ruleErr turns a rule's error into a *CommandError of op whose field is prefix joined with the
// rule's own field.
func ruleErr(op, prefix string, err error) error {
	var ce *CommandError
	if errors.As(err, &ce) {
		out := *ce
		out.Op = op
		out.Field = joinField(prefix, ce.Field)
		if out.Err == nil {
			out.Err = ErrInvalid
		}
		return &out
	}
	return &CommandError{Op: op, Field: prefix, Msg: err.Error(), Err: ErrInvalid}
}

func joinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case field[0] == '[':
		return prefix + field
	}
	return prefix + "." + field
}
