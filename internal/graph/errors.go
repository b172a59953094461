package graph

import (
	"errors"
	"fmt"
)

// Sentinel errors of command validation; a *CommandError wraps exactly one of them.
var (
	// ErrInvalid: the command is malformed (missing or bad field, no change).
	ErrInvalid = errors.New("invalid command")
	// ErrNotFound: the graph, node, edge or subgraph named by the command does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists: create_graph on a graph that already exists.
	ErrExists = errors.New("already exists")
	// ErrDuplicate: an id is already used (within the command or in the graph).
	ErrDuplicate = errors.New("duplicate id")
	// ErrDangling: an edge endpoint or subgraph member is not a node of the graph.
	ErrDangling = errors.New("dangling reference")
	// ErrDeleted: the graph is deleted; no command but none may follow graph_deleted.
	ErrDeleted = errors.New("graph deleted")
)

// Error codes of the command protocol (docs/protocol.md), derived from the sentinel.
const (
	CodeInvalid  = "invalid"
	CodeNotFound = "not_found"
	CodeDeleted  = "deleted"
	CodeConflict = "conflict"
)

// CommandError says which command and which field or id was refused, and why.
type CommandError struct {
	Op    string // command operation, e.g. "add_edges"
	Field string // offending field or id, may be empty
	Msg   string // human detail
	Err   error  // one of the sentinels above
}

func (e *CommandError) Error() string {
	s := e.Op + ": " + e.Err.Error()
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

func (e *CommandError) Unwrap() error { return e.Err }

// Code maps the error to the protocol's error code.
func (e *CommandError) Code() string { return ErrorCode(e.Err) }

// ErrorCode maps any error from this package to a protocol error code.
func ErrorCode(err error) string {
	switch {
	case errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, ErrDeleted):
		return CodeDeleted
	case errors.Is(err, ErrExists):
		return CodeConflict
	default:
		return CodeInvalid
	}
}

func cmdErr(op string, sentinel error, field, format string, args ...any) error {
	return &CommandError{Op: op, Field: field, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}
