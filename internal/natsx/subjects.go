package natsx

import (
	"errors"
	"fmt"
	"strings"
)

// The one subject grammar of ARCHITECTURE §3. Every subject the product publishes or subscribes to is
// built here, so a change of grammar is a change of this file alone.
const (
	// EventsRoot is the root of every persisted graph event: graph.events.v1.<graphID>.<event>.
	EventsRoot = "graph.events.v1"
	// AllEvents matches every graph event (the JetStream stream's subject).
	AllEvents = EventsRoot + ".>"
	// CommandsRoot is the request/reply root of the command service: graph.commands.v1.<op>.
	CommandsRoot = "graph.commands.v1"
	// QueriesRoot is the request/reply root of read-only queries: graph.queries.v1.<query>.
	QueriesRoot = "graph.queries.v1"
	// CollabRoot carries presence and other ephemeral collaboration traffic (core NATS, not persisted).
	CollabRoot = "collab.v1"
	// AgentServicePrefix prefixes the NATS micro service name of every agent.
	AgentServicePrefix = "agent-"
	// AgentsRoot is the root of the agent protocol (docs/agents.md).
	AgentsRoot = "agents.v1"
	// BlocksRoot is the root of the content-addressed object store's blocks: cas.<bucket>.<codec>.<cid>.
	BlocksRoot = "cas"
	// BlockStreamPrefix prefixes the stream of each object store bucket.
	BlockStreamPrefix = "CAS_"
)

// ErrBadToken is returned for an id or name that cannot be one token of a subject.
var ErrBadToken = errors.New("not a valid subject token")

// ValidToken reports whether s can stand as one subject token: non-empty, no dots, wildcards or spaces.
func ValidToken(s string) error {
	if s == "" {
		return fmt.Errorf("empty string: %w", ErrBadToken)
	}
	if i := strings.IndexAny(s, ".*> \t\r\n"); i >= 0 {
		return fmt.Errorf("%q contains %q: %w", s, s[i], ErrBadToken)
	}
	return nil
}

// EventSubject is the subject of one event of one graph.
func EventSubject(graphID, event string) string {
	return EventsRoot + "." + graphID + "." + event
}

// GraphEvents is the wildcard subject of one graph's aggregate; appends check the expected last
// sequence against it.
func GraphEvents(graphID string) string { return EventsRoot + "." + graphID + ".>" }

// EventsOfType matches one event type across all graphs, e.g. graph.events.v1.*.nodes_added.
func EventsOfType(event string) string { return EventsRoot + ".*." + event }

// CommandSubject is the request subject of a command operation.
func CommandSubject(op string) string { return CommandsRoot + "." + op }

// QuerySubject is the request subject of a query.
func QuerySubject(query string) string { return QueriesRoot + "." + query }

// PresenceSubject is where a user's presence on a graph is announced.
func PresenceSubject(graphID, user string) string {
	return CollabRoot + "." + graphID + ".presence." + user
}

// AgentServiceName is the NATS micro service name of an agent.
func AgentServiceName(agent string) string { return AgentServicePrefix + agent }

// ParseEventSubject splits an event subject into graph id and event name.
func ParseEventSubject(subject string) (graphID, event string, err error) {
	rest, ok := strings.CutPrefix(subject, EventsRoot+".")
	if !ok {
		return "", "", fmt.Errorf("subject %q is not under %s", subject, EventsRoot)
	}
	graphID, event, ok = strings.Cut(rest, ".")
	if !ok || graphID == "" || event == "" || strings.Contains(event, ".") {
		return "", "", fmt.Errorf("subject %q is not %s.<graph>.<event>", subject, EventsRoot)
	}
	return graphID, event, nil
}

// AgentAnalyzeSubject is where the agent named name takes requests at endpoint (a queue group, so
// that its instances share the load).
func AgentAnalyzeSubject(name, endpoint string) string {
	return AgentsRoot + "." + name + "." + endpoint
}

// AgentProgressSubject carries the progress messages and partial results of one request.
func AgentProgressSubject(requestID string) string { return AgentsRoot + ".progress." + requestID }

// AgentCancelSubject is where a caller publishes to cancel one request.
func AgentCancelSubject(requestID string) string { return AgentsRoot + ".cancel." + requestID }

// SuggestionsSubject is the request subject of the suggestion service (propose, accept, reject, list).
func SuggestionsSubject(op string) string { return AgentsRoot + ".suggestions." + op }

// BlockSubject is the subject of one block (codec token "raw" or "dag-pb", CIDv1 string) of bucket.
func BlockSubject(bucket, codec, cid string) string {
	return BlocksRoot + "." + bucket + "." + codec + "." + cid
}

// BlockBucket matches every block of bucket (the bucket stream's subject).
func BlockBucket(bucket string) string { return BlocksRoot + "." + bucket + ".>" }

// BlockStream is the stream name of bucket.
func BlockStream(bucket string) string { return BlockStreamPrefix + bucket }
