package agents

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/infoalchemist/alchemist/internal/natsx"
)

// Subjects of the agent protocol (docs/agents.md), built by natsx/subjects.go, the one grammar.
const (
	// Root is the root of every agent subject.
	Root = natsx.AgentsRoot
	// EndpointName is the name of an agent's analysis endpoint in $SRV.INFO.
	EndpointName = "analyze"
	// ProtocolVersion is announced in every agent's metadata under MetaProtocol.
	ProtocolVersion = "1"
)

// AnalyzeSubject is where an agent named name takes analysis requests (a queue group, so that
// instances share the load).
func AnalyzeSubject(name string) string { return natsx.AgentAnalyzeSubject(name, EndpointName) }

// ProgressSubject is where progress messages and partial results of one request are published.
func ProgressSubject(requestID string) string { return natsx.AgentProgressSubject(requestID) }

// CancelSubject is where a caller publishes to cancel one request.
func CancelSubject(requestID string) string { return natsx.AgentCancelSubject(requestID) }

// SuggestionsSubject is the request subject of the suggestion service (op: propose, accept, reject,
// list).
func SuggestionsSubject(op string) string { return natsx.SuggestionsSubject(op) }

// Metadata keys of an agent's $SRV.INFO (service metadata): capabilities as plain strings so that
// `nats micro info` shows them readably.
const (
	MetaProtocol        = "agent.protocol"
	MetaAnalyses        = "agent.analyses"          // comma-separated: what it analyses
	MetaSuggests        = "agent.suggests"          // comma-separated graph command ops it proposes
	MetaMaxNodes        = "agent.max_nodes"         // largest graph (nodes) it accepts, 0: any
	MetaMaxRequestBytes = "agent.max_request_bytes" // largest request body
	MetaParams          = "agent.params"            // comma-separated parameter names it reads
)

// Limits of the protocol.
const (
	// DefaultMaxRequestBytes bounds a request when the agent declares no limit.
	DefaultMaxRequestBytes = 1 << 20
	// DefaultTimeout is a request's deadline when the caller gives none.
	DefaultTimeout = 30 * time.Second
	// MaxTimeout caps any requested deadline.
	MaxTimeout = 10 * time.Minute
	// MaxSuggestionCommands bounds the graph commands of one suggestion.
	MaxSuggestionCommands = 10_000
	// MaxSuggestionBytes bounds one encoded suggestion (it becomes one event).
	MaxSuggestionBytes = 2 << 20
	// MaxReasoningBytes bounds a suggestion's reasoning text.
	MaxReasoningBytes = 16 << 10
)

// Capabilities is what an agent declares about itself.
type Capabilities struct {
	Analyses        []string `json:"analyses,omitempty"` // e.g. "communities", "pagerank"
	Suggests        []string `json:"suggests,omitempty"` // graph command ops, e.g. "add_edges"
	Params          []string `json:"params,omitempty"`   // parameter names it reads
	MaxNodes        int      `json:"max_nodes,omitempty"`
	MaxRequestBytes int      `json:"max_request_bytes,omitempty"`
}

// metadata encodes c for micro.Config.Metadata.
func (c Capabilities) metadata() map[string]string {
	m := map[string]string{
		MetaProtocol: ProtocolVersion,
		MetaAnalyses: strings.Join(c.Analyses, ","),
		MetaSuggests: strings.Join(c.Suggests, ","),
		MetaParams:   strings.Join(c.Params, ","),
	}
	if c.MaxNodes > 0 {
		m[MetaMaxNodes] = strconv.Itoa(c.MaxNodes)
	}
	m[MetaMaxRequestBytes] = strconv.Itoa(c.maxRequestBytes())
	return m
}

func (c Capabilities) maxRequestBytes() int {
	if c.MaxRequestBytes > 0 {
		return c.MaxRequestBytes
	}
	return DefaultMaxRequestBytes
}

// CapabilitiesFromMetadata reads what an agent declared; unknown keys are ignored.
func CapabilitiesFromMetadata(m map[string]string) Capabilities {
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	c := Capabilities{Analyses: split(m[MetaAnalyses]), Suggests: split(m[MetaSuggests]), Params: split(m[MetaParams])}
	c.MaxNodes, _ = strconv.Atoi(m[MetaMaxNodes])
	c.MaxRequestBytes, _ = strconv.Atoi(m[MetaMaxRequestBytes])
	return c
}

// Request asks an agent to analyse a graph.
type Request struct {
	// RequestID names the request in progress and cancel subjects; the caller makes it (a UUID) so
	// that it can subscribe to progress before sending. A valid subject token.
	RequestID string `json:"request_id"`
	GraphID   string `json:"graph_id"`
	// Version is the graph version the caller sees; the agent refuses a different one as stale. 0:
	// whatever is current.
	Version uint64 `json:"version,omitempty"`
	// Selection restricts the analysis to these nodes; empty: the whole graph.
	Selection []string `json:"selection,omitempty"`
	// Params are agent-specific parameters (see the agent's MetaParams).
	Params json.RawMessage `json:"params,omitempty"`
	// TimeoutMS is the deadline relative to receipt (no clock agreement needed); 0: DefaultTimeout.
	TimeoutMS int64 `json:"timeout_ms,omitempty"`
}

// Timeout is the request's deadline as a duration, defaulted and capped.
func (r *Request) Timeout() time.Duration {
	d := time.Duration(r.TimeoutMS) * time.Millisecond
	switch {
	case d <= 0:
		return DefaultTimeout
	case d > MaxTimeout:
		return MaxTimeout
	}
	return d
}

// Progress is a progress message of a long analysis; Suggestions, when present, are a partial result
// (they are also part of the final reply).
type Progress struct {
	RequestID   string       `json:"request_id"`
	Done        int          `json:"done"`
	Total       int          `json:"total"`
	Message     string       `json:"message,omitempty"`
	Suggestions []Suggestion `json:"suggestions,omitempty"`
}

// Result is an agent's final reply.
type Result struct {
	RequestID    string       `json:"request_id"`
	Agent        string       `json:"agent"`
	AgentVersion string       `json:"agent_version"`
	Instance     string       `json:"instance"`
	GraphID      string       `json:"graph_id"`
	Version      uint64       `json:"version"` // the graph version analysed
	Summary      string       `json:"summary,omitempty"`
	Suggestions  []Suggestion `json:"suggestions"`
	ElapsedMS    int64        `json:"elapsed_ms"`
}

// Suggestion is a proposed change: graph commands with a confidence, the reasoning behind them and
// the identity of the agent that made it.
type Suggestion struct {
	// ID is set when the suggestion is recorded: the id of its suggestion_proposed event.
	ID           string        `json:"id,omitempty"`
	Title        string        `json:"title"`
	Confidence   float64       `json:"confidence"`
	Reasoning    string        `json:"reasoning,omitempty"`
	Commands     []CommandSpec `json:"commands"`
	Agent        string        `json:"agent,omitempty"`
	AgentVersion string        `json:"agent_version,omitempty"`
	Instance     string        `json:"instance,omitempty"`
	RequestID    string        `json:"request_id,omitempty"`
	// BaseVersion is the graph version the suggestion was computed against; 0 when recorded means
	// the version it is recorded at.
	BaseVersion uint64 `json:"base_version"`
}

// CommandSpec is one graph command of a suggestion: an op of docs/protocol.md and its fields
// (without the request envelope).
type CommandSpec struct {
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args"`
}

// Command builds a CommandSpec from a command value.
func Command(op string, args any) (CommandSpec, error) {
	raw, err := json.Marshal(args)
	if err != nil {
		return CommandSpec{}, fmt.Errorf("command %s: %w", op, err)
	}
	return CommandSpec{Op: op, Args: raw}, nil
}

// Error codes: the reply body's error.code, each with the micro error-header code it travels with.
const (
	CodeInvalid     = "invalid"     // 400: malformed request, bad parameter
	CodeNotFound    = "not_found"   // 404: unknown graph, suggestion or agent
	CodeStale       = "stale"       // 409: the graph is not at the requested version
	CodeConflict    = "conflict"    // 409: the suggestion conflicts with later changes, or was decided
	CodeTooLarge    = "too_large"   // 413: request body, selection or graph beyond the agent's limits
	CodeCancelled   = "cancelled"   // 499: the caller cancelled
	CodeInternal    = "internal"    // 500: the agent failed or crashed
	CodeUnavailable = "unavailable" // 503: no agent answers, or the store did not
	CodeDeadline    = "deadline"    // 504: the deadline passed
)

var headerCodes = map[string]string{
	CodeInvalid: "400", CodeNotFound: "404", CodeStale: "409", CodeConflict: "409", CodeTooLarge: "413",
	CodeCancelled: "499", CodeInternal: "500", CodeUnavailable: "503", CodeDeadline: "504",
}

// Sentinels, one per code: errors.Is(err, agents.ErrStale) holds for an *Error with code "stale".
var (
	ErrInvalid     = errors.New("invalid request")
	ErrNotFound    = errors.New("not found")
	ErrStale       = errors.New("stale graph version")
	ErrConflict    = errors.New("suggestion conflict")
	ErrTooLarge    = errors.New("too large")
	ErrCancelled   = errors.New("cancelled")
	ErrInternal    = errors.New("agent failed")
	ErrUnavailable = errors.New("unavailable")
	ErrDeadline    = errors.New("deadline exceeded")
)

var codeSentinels = map[string]error{
	CodeInvalid: ErrInvalid, CodeNotFound: ErrNotFound, CodeStale: ErrStale, CodeConflict: ErrConflict,
	CodeTooLarge: ErrTooLarge, CodeCancelled: ErrCancelled, CodeInternal: ErrInternal,
	CodeUnavailable: ErrUnavailable, CodeDeadline: ErrDeadline,
}

// Error is a failure with its protocol code, as an agent replies it and as a caller receives it.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Agent is the service that answered (callers fill it in), empty when none did.
	Agent string `json:"-"`
}

func (e *Error) Error() string {
	if e.Agent != "" {
		return e.Agent + ": " + e.Code + ": " + e.Message
	}
	return e.Code + ": " + e.Message
}

// Unwrap lets errors.Is match the code's sentinel.
func (e *Error) Unwrap() error { return codeSentinels[e.Code] }

// Errorf makes an *Error with a code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// errorReply is the body of an error reply.
type errorReply struct {
	RequestID string `json:"request_id,omitempty"`
	Error     *Error `json:"error"`
}

// CheckRequestID reports whether id can stand in the progress and cancel subjects.
func CheckRequestID(id string) error {
	if err := natsx.ValidToken(id); err != nil {
		return Errorf(CodeInvalid, "request_id: %v", err)
	}
	if len(id) > 128 {
		return Errorf(CodeInvalid, "request_id longer than 128 bytes")
	}
	return nil
}
