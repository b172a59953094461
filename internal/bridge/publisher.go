package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go"
)

// Reply is the command service's answer (docs/protocol.md).
type Reply struct {
	OK        bool   `json:"ok"`
	GraphID   string `json:"graph_id,omitempty"`
	Version   uint64 `json:"version,omitempty"`
	Duplicate bool   `json:"duplicate,omitempty"`
	Error     *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// ErrRefused wraps a command the service answered with an error.
var ErrRefused = errors.New("command refused")

// Result is what Send delivers.
type Result struct {
	Op    string
	Reply Reply
	Err   error
}

// Publisher sends commands as requests. Every command gets an id once, and a retry after a timeout
// or a lost connection resends the same id, so the service applies it at most once.
type Publisher struct {
	nc      *nats.Conn
	Timeout time.Duration // per attempt; default 5s
	Retries int           // further attempts after a timeout or no responders; default 3
}

// NewPublisher sends on nc.
func NewPublisher(nc *nats.Conn) *Publisher {
	return &Publisher{nc: nc, Timeout: 5 * time.Second, Retries: 3}
}

// Do sends op with the given fields (a struct or map marshalled to the request's op fields) on
// graphID and waits for the reply. A refusal is returned as an error wrapping ErrRefused that
// carries the service's code and message.
func (p *Publisher) Do(ctx context.Context, op, graphID string, fields any) (Reply, error) {
	body, err := requestBody(graphID, fields)
	if err != nil {
		return Reply{}, fmt.Errorf("%s: %w", op, err)
	}
	var lastErr error
	for attempt := 0; attempt <= p.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
			case <-ctx.Done():
				return Reply{}, ctx.Err()
			}
		}
		actx, cancel := context.WithTimeout(ctx, p.Timeout)
		msg, err := p.nc.RequestWithContext(actx, natsx.CommandSubject(op), body)
		cancel()
		if err != nil {
			lastErr = err
			if ctx.Err() != nil {
				return Reply{}, ctx.Err()
			}
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) || errors.Is(err, nats.ErrNoResponders) {
				continue
			}
			return Reply{}, fmt.Errorf("%s: %w", op, err)
		}
		var r Reply
		if err := json.Unmarshal(msg.Data, &r); err != nil {
			return Reply{}, fmt.Errorf("%s: reply is not JSON: %w", op, err)
		}
		if !r.OK {
			if r.Error == nil {
				return r, fmt.Errorf("%s: %w", op, ErrRefused)
			}
			if r.Error.Code == "unavailable" {
				lastErr = fmt.Errorf("%s", r.Error.Message)
				continue
			}
			return r, fmt.Errorf("%s: %w: %s: %s", op, ErrRefused, r.Error.Code, r.Error.Message)
		}
		return r, nil
	}
	return Reply{}, fmt.Errorf("%s: no answer after %d attempts: %w", op, p.Retries+1, lastErr)
}

// Send is Do without waiting: the result arrives on the returned channel (buffered, never blocks the
// frame loop that reads it later).
func (p *Publisher) Send(ctx context.Context, op, graphID string, fields any) <-chan Result {
	out := make(chan Result, 1)
	go func() {
		r, err := p.Do(ctx, op, graphID, fields)
		out <- Result{Op: op, Reply: r, Err: err}
	}()
	return out
}

// requestBody merges the envelope (a fresh command id, the graph) into the op fields.
func requestBody(graphID string, fields any) ([]byte, error) {
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	m := map[string]json.RawMessage{}
	if string(raw) != "null" {
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("command fields must be a JSON object: %w", err)
		}
	}
	if _, ok := m["command_id"]; !ok {
		id, err := uuid.NewV7()
		if err != nil {
			return nil, err
		}
		m["command_id"], _ = json.Marshal(id.String())
	}
	if graphID != "" {
		m["graph_id"], _ = json.Marshal(graphID)
	}
	return json.Marshal(m)
}
