package agents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// SuggestionClient talks to the suggestion service (agents.v1.suggestions.<op>) over NATS: what a
// process without a repository of its own — the workbench attached to a cluster — uses to record
// suggestions and verdicts. The service answers errors as *Error values, so errors.Is with
// ErrConflict, ErrNotFound, … works on what these methods return.
type SuggestionClient struct {
	nc *nats.Conn
	// Timeout bounds each request when ctx has no earlier deadline; default 10s (the service's own
	// store timeout), so that a service that is gone fails as unavailable instead of hanging.
	Timeout time.Duration
}

// NewSuggestionClient asks over nc.
func NewSuggestionClient(nc *nats.Conn) *SuggestionClient {
	return &SuggestionClient{nc: nc, Timeout: suggestionTimeout}
}

// Propose records a suggestion of graphID as actor and returns its id.
func (c *SuggestionClient) Propose(ctx context.Context, graphID string, s Suggestion, actor string) (string, error) {
	rep, err := c.call(ctx, "propose", SuggestionRequest{GraphID: graphID, Suggestion: &s, Actor: actor})
	return rep.ID, err
}

// ProposeAll records every suggestion of an agent's result and returns their ids in order; it stops
// at the first refusal, like Suggestions.ProposeAll.
func (c *SuggestionClient) ProposeAll(ctx context.Context, res *Result, actor string) ([]string, error) {
	ids := make([]string, 0, len(res.Suggestions))
	for i, s := range res.Suggestions {
		id, err := c.Propose(ctx, res.GraphID, s, actor)
		if err != nil {
			return ids, fmt.Errorf("suggestion %d of %s: %w", i, res.Agent, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Accept records actor's acceptance of suggestion id and the suggestion's changes; the reply carries
// the graph version it landed at.
func (c *SuggestionClient) Accept(ctx context.Context, graphID, id, actor string) (SuggestionReply, error) {
	return c.call(ctx, "accept", SuggestionRequest{GraphID: graphID, ID: id, Actor: actor})
}

// Reject records actor's rejection of suggestion id with an optional reason.
func (c *SuggestionClient) Reject(ctx context.Context, graphID, id, reason, actor string) (SuggestionReply, error) {
	return c.call(ctx, "reject", SuggestionRequest{GraphID: graphID, ID: id, Reason: reason, Actor: actor})
}

// List returns graphID's suggestions in the order proposed, filtered by status ("" for all).
func (c *SuggestionClient) List(ctx context.Context, graphID, status string) ([]Entry, error) {
	rep, err := c.call(ctx, "list", SuggestionRequest{GraphID: graphID, Status: status})
	return rep.Suggestions, err
}

func (c *SuggestionClient) call(ctx context.Context, op string, req SuggestionRequest) (SuggestionReply, error) {
	body, err := json.Marshal(&req)
	if err != nil {
		return SuggestionReply{}, fmt.Errorf("suggestions %s: %w", op, err)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = suggestionTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	msg, err := c.nc.RequestWithContext(ctx, SuggestionsSubject(op), body)
	switch {
	case errors.Is(err, nats.ErrNoResponders):
		return SuggestionReply{}, Errorf(CodeUnavailable, "no suggestion service is running (alchemist serve runs one)")
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout):
		return SuggestionReply{}, Errorf(CodeUnavailable, "the suggestion service did not answer %s in time", op)
	case err != nil:
		return SuggestionReply{}, fmt.Errorf("suggestions %s: %w", op, err)
	}
	if e := replyError(msg); e != nil {
		e.Agent = SuggestionServiceName
		return SuggestionReply{}, e
	}
	var rep SuggestionReply
	if err := json.Unmarshal(msg.Data, &rep); err != nil {
		return SuggestionReply{}, Errorf(CodeInternal, "suggestion service answered %s with something else: %v", op, err)
	}
	if !rep.OK && rep.Error != nil {
		return rep, rep.Error
	}
	return rep, nil
}
