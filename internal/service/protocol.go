// Package service is the command service: a NATS micro service named "graph" that turns requests on
// graph.commands.v1.<op> into commands on event-sourced aggregates (load → decide → append with the
// expected version) and answers queries on graph.queries.v1.<query>. docs/protocol.md is its contract.
package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// Protocol error codes (the reply's error.code) and the micro error-header codes they travel with.
const (
	CodeInvalid      = "invalid"
	CodeNotFound     = "not_found"
	CodeConflict     = "conflict"
	CodeDeleted      = "deleted"
	CodeUnauthorized = "unauthorized"
	CodeUnavailable  = "unavailable"
)

var headerCodes = map[string]string{
	CodeInvalid: "400", CodeUnauthorized: "403", CodeNotFound: "404", CodeConflict: "409",
	CodeDeleted: "410", CodeUnavailable: "503",
}

// MaxRequestBytes bounds one request body; bulk loads go through `alchemist import`. On a server with
// a smaller max_payload the bound is three quarters of it, so that the event the command becomes (the
// request plus its envelope) still fits in one message.
const MaxRequestBytes = 4 << 20

func requestLimit(maxPayload int64) int {
	if maxPayload <= 0 {
		return MaxRequestBytes
	}
	return int(min(int64(MaxRequestBytes), maxPayload*3/4))
}

// Reply is the body of every command reply.
type Reply struct {
	OK        bool       `json:"ok"`
	GraphID   string     `json:"graph_id,omitempty"`
	Version   uint64     `json:"version,omitempty"`
	Duplicate bool       `json:"duplicate,omitempty"`
	Error     *ErrorBody `json:"error,omitempty"`
}

// ErrorBody says why a request failed.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// envelopeFields are the request keys every command has besides its op fields.
type envelopeFields struct {
	CommandID       string  `json:"command_id"`
	GraphID         string  `json:"graph_id"`
	ExpectedVersion *uint64 `json:"expected_version"`
	Actor           string  `json:"actor"`
	CausationID     string  `json:"causation_id"`
}

var envelopeKeys = jsonKeys(reflect.TypeOf(envelopeFields{}))

// requestError is a failure with its protocol code.
type requestError struct {
	code string
	msg  string
}

func (e *requestError) Error() string { return e.code + ": " + e.msg }

func invalid(format string, args ...any) error {
	return &requestError{code: CodeInvalid, msg: fmt.Sprintf(format, args...)}
}

// classify maps an error from decoding, deciding or storing to a protocol code.
func classify(err error) (code, msg string) {
	var re *requestError
	switch {
	case errors.As(err, &re):
		return re.code, re.msg
	case errors.Is(err, eventstore.ErrConflict), errors.Is(err, graph.ErrExists):
		return CodeConflict, err.Error()
	case errors.Is(err, graph.ErrDeleted):
		return CodeDeleted, err.Error()
	case errors.Is(err, graph.ErrNotFound), errors.Is(err, eventstore.ErrNotFound):
		return CodeNotFound, err.Error()
	case errors.Is(err, graph.ErrInvalid), errors.Is(err, graph.ErrDuplicate), errors.Is(err, graph.ErrDangling),
		errors.Is(err, eventstore.ErrInvalid):
		return CodeInvalid, err.Error()
	}
	return CodeUnavailable, err.Error()
}

// parseCommand reads a request body into the envelope and the op's command, refusing unknown keys so
// that a typo is an error rather than a silently ignored field.
func parseCommand(op string, body []byte, limit int) (envelopeFields, graph.Command, error) {
	var env envelopeFields
	if len(body) > limit {
		return env, nil, invalid("request of %d bytes exceeds the %d-byte limit (use alchemist import for bulk loads)", len(body), limit)
	}
	cmd, ok := graph.NewCommand(op)
	if !ok {
		return env, nil, invalid("unknown operation %q (known: %s)", op, strings.Join(graph.Ops, ", "))
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		return env, nil, invalid("request is not a JSON object: %v", jsonErrorDetail(body, err))
	}
	allowed := commandKeys(cmd)
	for k := range keys {
		if !envelopeKeys[k] && !allowed[k] {
			return env, nil, invalid("unknown field %q for %s", k, op)
		}
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return env, nil, invalid("%v", jsonErrorDetail(body, err))
	}
	if err := json.Unmarshal(body, cmd); err != nil {
		return env, nil, invalid("%s: %v", op, jsonErrorDetail(body, err))
	}
	return env, cmd, nil
}

// jsonErrorDetail adds the byte offset's line and column to a JSON error.
func jsonErrorDetail(body []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		if te.Field != "" {
			return fmt.Sprintf("field %q: expected %s, got JSON %s", te.Field, te.Type, te.Value)
		}
	}
	if off < 0 || off > int64(len(body)) {
		return err.Error()
	}
	line, col := 1, 1
	for _, b := range body[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%v (line %d, column %d)", err, line, col)
}

var keyCache sync.Map // reflect.Type → map[string]bool

func commandKeys(cmd graph.Command) map[string]bool {
	t := reflect.TypeOf(cmd).Elem()
	if k, ok := keyCache.Load(t); ok {
		return k.(map[string]bool)
	}
	k := jsonKeys(t)
	keyCache.Store(t, k)
	return k
}

func jsonKeys(t reflect.Type) map[string]bool {
	keys := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k := range jsonKeys(f.Type) {
				keys[k] = true
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		keys[name] = true
	}
	return keys
}

// requestTimeout bounds one command: a stuck store must answer "unavailable", not hang the client.
const requestTimeout = 10 * time.Second
