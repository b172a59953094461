package agents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// Client asks agents for analyses.
type Client struct {
	nc *nats.Conn
	// Grace is how long past the request's own deadline the client waits for the agent's deadline
	// error before giving up itself; default 2s.
	Grace time.Duration
}

// NewClient asks over nc.
func NewClient(nc *nats.Conn) *Client { return &Client{nc: nc, Grace: 2 * time.Second} }

// Ask sends req to the agent named agent and waits for its result. Progress messages and partial
// results go to onProgress (nil: ignored), called on the caller's goroutine, in order, all of them
// before Ask returns. The request's
// deadline is the earlier of ctx's and req.TimeoutMS; when ctx ends first the agent is told to
// cancel. Failures are *Error values (errors.Is with ErrDeadline, ErrStale, …).
func (c *Client) Ask(ctx context.Context, agent string, req Request, onProgress func(Progress)) (*Result, error) {
	if req.RequestID == "" {
		id, err := graph.NewEventID()
		if err != nil {
			return nil, err
		}
		req.RequestID = id
	}
	if err := CheckRequestID(req.RequestID); err != nil {
		return nil, err
	}
	if err := natsx.ValidToken(agent); err != nil {
		return nil, Errorf(CodeInvalid, "agent name: %v", err)
	}
	// The agent's deadline follows the caller's, so that it stops work nobody waits for.
	timeout := req.Timeout()
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < timeout {
			timeout = max(left, time.Millisecond)
		}
	}
	req.TimeoutMS = timeout.Milliseconds()
	if req.TimeoutMS == 0 {
		req.TimeoutMS = 1
	}
	body, err := json.Marshal(&req)
	if err != nil {
		return nil, err
	}
	// Progress arrives on a channel drained by this goroutine: onProgress runs on the caller's
	// goroutine, and every message the agent published before its reply is delivered before Ask
	// returns (the connection hands both to us in order).
	var progress chan *nats.Msg
	var sub *nats.Subscription
	if onProgress != nil {
		progress = make(chan *nats.Msg, 256)
		if sub, err = c.nc.ChanSubscribe(ProgressSubject(req.RequestID), progress); err != nil {
			return nil, fmt.Errorf("subscribe to progress: %w", err)
		}
		defer sub.Unsubscribe()
	}
	deliver := func(m *nats.Msg) {
		var p Progress
		if json.Unmarshal(m.Data, &p) == nil {
			onProgress(p)
		}
	}
	wait, cancel := context.WithTimeout(ctx, timeout+c.grace())
	defer cancel()
	type reply struct {
		msg *nats.Msg
		err error
	}
	done := make(chan reply, 1)
	go func() {
		m, err := c.nc.RequestWithContext(wait, AnalyzeSubject(agent), body)
		done <- reply{m, err}
	}()
	var r reply
	for waiting := true; waiting; {
		select {
		case m := <-progress:
			deliver(m)
		case r = <-done:
			waiting = false
		}
	}
	if sub != nil {
		sub.Unsubscribe()
		for len(progress) > 0 {
			deliver(<-progress)
		}
	}
	msg, err := r.msg, r.err
	if err != nil {
		return nil, c.requestFailed(ctx, agent, req.RequestID, err)
	}
	if e := replyError(msg); e != nil {
		e.Agent = natsx.AgentServiceName(agent)
		return nil, e
	}
	var res Result
	if err := json.Unmarshal(msg.Data, &res); err != nil {
		return nil, Errorf(CodeInternal, "agent %s replied with something that is not a result: %v", agent, err)
	}
	return &res, nil
}

func (c *Client) grace() time.Duration {
	if c.Grace > 0 {
		return c.Grace
	}
	return 2 * time.Second
}

// requestFailed turns a request error into an *Error, cancelling the agent's work when the caller
// gave up.
func (c *Client) requestFailed(ctx context.Context, agent, requestID string, err error) error {
	who := natsx.AgentServiceName(agent)
	switch {
	case errors.Is(err, nats.ErrNoResponders):
		return &Error{Code: CodeUnavailable, Message: "no instance of agent " + agent + " is running", Agent: who}
	case ctx.Err() != nil:
		c.Cancel(requestID)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &Error{Code: CodeDeadline, Message: "no result before the caller's deadline", Agent: who}
		}
		return &Error{Code: CodeCancelled, Message: "cancelled by the caller", Agent: who}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		// The agent neither finished nor reported its own deadline: it is stuck or gone.
		c.Cancel(requestID)
		return &Error{Code: CodeDeadline, Message: "the agent did not answer before the deadline (stuck or gone)", Agent: who}
	}
	return &Error{Code: CodeUnavailable, Message: err.Error(), Agent: who}
}

// Cancel asks whichever instance runs the request to stop; it answers the request with a cancelled
// error.
func (c *Client) Cancel(requestID string) {
	if CheckRequestID(requestID) == nil {
		c.nc.Publish(CancelSubject(requestID), nil)
		c.nc.Flush()
	}
}

// replyError reads the micro error headers of a reply, preferring the body's code.
func replyError(msg *nats.Msg) *Error {
	if msg.Header == nil || msg.Header.Get(micro.ErrorCodeHeader) == "" {
		return nil
	}
	var body errorReply
	if json.Unmarshal(msg.Data, &body) == nil && body.Error != nil && body.Error.Code != "" {
		return body.Error
	}
	status := msg.Header.Get(micro.ErrorCodeHeader)
	code := CodeInternal
	for c, h := range headerCodes {
		if h == status && c != CodeConflict {
			code = c
		}
	}
	return &Error{Code: code, Message: msg.Header.Get(micro.ErrorHeader)}
}
