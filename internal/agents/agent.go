package agents

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// Handler analyses one request. It reports progress and suggestions through c and returns nil, or
// an error (an *Error chooses the code; context errors become deadline or cancelled). A panic is
// recovered and answered as an internal error: a crashing analysis fails its request only.
type Handler func(ctx context.Context, c *Call) error

// Agent describes an agent for Start.
type Agent struct {
	Name         string // the service is agent-<Name>; [A-Za-z0-9_-]+
	Version      string // semantic version
	Description  string
	Capabilities Capabilities
	Handler      Handler
	// Concurrency bounds the requests one instance analyses at a time; further ones wait in the
	// subscription. 0: GOMAXPROCS.
	Concurrency int
	// Log receives failures; nil discards.
	Log *slog.Logger
}

// Instance is one running instance of an agent.
type Instance struct {
	agent   Agent
	nc      *nats.Conn
	svc     micro.Service
	cancels *nats.Subscription
	sem     chan struct{}
	wg      sync.WaitGroup

	mu       sync.Mutex
	inflight map[string]context.CancelFunc

	served, failed, cancelled atomic.Int64
}

// instanceStats is the agent-specific data in $SRV.STATS.
type instanceStats struct {
	InFlight  int   `json:"in_flight"`
	Served    int64 `json:"served"`
	Failed    int64 `json:"failed"`
	Cancelled int64 `json:"cancelled"`
}

// Start registers an agent instance on nc and serves requests until Stop. Several instances of one
// agent (in one process or many) share the requests through the endpoint's queue group.
func Start(nc *nats.Conn, a Agent) (*Instance, error) {
	if a.Handler == nil {
		return nil, fmt.Errorf("agent %q: no handler", a.Name)
	}
	if err := natsx.ValidToken(a.Name); err != nil {
		return nil, fmt.Errorf("agent name: %w", err)
	}
	if a.Concurrency <= 0 {
		a.Concurrency = runtime.GOMAXPROCS(0)
	}
	if a.Log == nil {
		a.Log = slog.New(slog.DiscardHandler)
	}
	in := &Instance{agent: a, nc: nc, sem: make(chan struct{}, a.Concurrency), inflight: map[string]context.CancelFunc{}}
	svc, err := micro.AddService(nc, micro.Config{
		Name: natsx.AgentServiceName(a.Name), Version: a.Version, Description: a.Description,
		Metadata: a.Capabilities.metadata(),
		StatsHandler: func(*micro.Endpoint) any {
			in.mu.Lock()
			n := len(in.inflight)
			in.mu.Unlock()
			return instanceStats{InFlight: n, Served: in.served.Load(), Failed: in.failed.Load(), Cancelled: in.cancelled.Load()}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("start agent %s: %w", a.Name, err)
	}
	in.svc = svc
	// One subscription per instance for all cancels: the instance that holds the request acts on it,
	// the others find nothing to cancel.
	in.cancels, err = nc.Subscribe(CancelSubject("*"), func(m *nats.Msg) {
		id := m.Subject[len(CancelSubject("")):]
		in.mu.Lock()
		cancel := in.inflight[id]
		in.mu.Unlock()
		if cancel != nil {
			cancel()
		}
	})
	if err != nil {
		svc.Stop()
		return nil, fmt.Errorf("agent %s: cancel subscription: %w", a.Name, err)
	}
	if err := svc.AddEndpoint(EndpointName, micro.HandlerFunc(in.handle),
		micro.WithEndpointSubject(AnalyzeSubject(a.Name)),
		micro.WithEndpointMetadata(map[string]string{"request": "agents.v1 Request", "reply": "agents.v1 Result"}),
	); err != nil {
		in.cancels.Unsubscribe()
		svc.Stop()
		return nil, fmt.Errorf("agent %s: endpoint: %w", a.Name, err)
	}
	// Once Start returns the agent is reachable from every connection, not just after the
	// subscriptions happen to reach the server.
	if err := nc.Flush(); err != nil {
		in.Stop()
		return nil, fmt.Errorf("agent %s: %w", a.Name, err)
	}
	return in, nil
}

// Run starts an instance and serves until ctx ends, then stops it.
func Run(ctx context.Context, nc *nats.Conn, a Agent) error {
	in, err := Start(nc, a)
	if err != nil {
		return err
	}
	<-ctx.Done()
	return in.Stop()
}

// ID is the instance's micro service id.
func (in *Instance) ID() string { return in.svc.Info().ID }

// Stop stops taking requests, cancels those in flight and waits for their replies.
func (in *Instance) Stop() error {
	err := in.svc.Stop()
	in.mu.Lock()
	for _, cancel := range in.inflight {
		cancel()
	}
	in.mu.Unlock()
	in.wg.Wait()
	in.cancels.Unsubscribe()
	return err
}

// handle runs in the endpoint's subscription goroutine: it checks the request and hands it to a
// worker, waiting for a free slot so that an instance never takes more than Concurrency at once.
func (in *Instance) handle(r micro.Request) {
	start := time.Now()
	limit := in.agent.Capabilities.maxRequestBytes()
	if len(r.Data()) > limit {
		in.fail(r, "", Errorf(CodeTooLarge, "request of %d bytes exceeds this agent's %d-byte limit", len(r.Data()), limit))
		return
	}
	var req Request
	if err := json.Unmarshal(r.Data(), &req); err != nil {
		in.fail(r, "", Errorf(CodeInvalid, "request is not a JSON object: %v", err))
		return
	}
	if err := in.check(&req); err != nil {
		in.fail(r, req.RequestID, classify(err))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), req.Timeout())
	in.mu.Lock()
	if _, dup := in.inflight[req.RequestID]; dup {
		in.mu.Unlock()
		cancel()
		in.fail(r, req.RequestID, Errorf(CodeInvalid, "request_id %s is already in progress", req.RequestID))
		return
	}
	in.inflight[req.RequestID] = cancel
	in.mu.Unlock()
	in.wg.Add(1)
	acquired := false
	select {
	case in.sem <- struct{}{}:
		acquired = true
	case <-ctx.Done(): // waited past its deadline for a slot, or cancelled meanwhile: serve answers it
	}
	go func() {
		defer in.wg.Done()
		if acquired {
			defer func() { <-in.sem }()
		}
		defer func() {
			in.mu.Lock()
			delete(in.inflight, req.RequestID)
			in.mu.Unlock()
			cancel()
		}()
		in.serve(ctx, r, &req, start)
	}()
}

// check refuses what no analysis can serve.
func (in *Instance) check(req *Request) error {
	if req.RequestID == "" {
		id, err := graph.NewEventID()
		if err != nil {
			return Errorf(CodeInternal, "request id: %v", err)
		}
		req.RequestID = id
	}
	if err := CheckRequestID(req.RequestID); err != nil {
		return err
	}
	if req.GraphID == "" {
		return Errorf(CodeInvalid, "graph_id is required")
	}
	if err := natsx.ValidToken(req.GraphID); err != nil {
		return Errorf(CodeInvalid, "graph_id: %v", err)
	}
	if max := in.agent.Capabilities.MaxNodes; max > 0 && len(req.Selection) > max {
		return Errorf(CodeTooLarge, "selection of %d nodes exceeds this agent's limit of %d", len(req.Selection), max)
	}
	if len(req.Params) > 0 && !json.Valid(req.Params) {
		return Errorf(CodeInvalid, "params is not JSON")
	}
	return nil
}

func (in *Instance) serve(ctx context.Context, r micro.Request, req *Request, start time.Time) {
	c := &Call{Request: *req, in: in}
	err := ctx.Err()
	if err == nil {
		err = in.run(ctx, c)
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err() // finished, but too late: the caller has given up
	}
	if err != nil {
		in.fail(r, req.RequestID, classify(err))
		return
	}
	c.mu.Lock()
	res := Result{RequestID: req.RequestID, Agent: in.agent.Name, AgentVersion: in.agent.Version, Instance: in.ID(),
		GraphID: req.GraphID, Version: c.version, Summary: c.summary, Suggestions: c.suggestions,
		ElapsedMS: time.Since(start).Milliseconds()}
	c.mu.Unlock()
	if res.Suggestions == nil {
		res.Suggestions = []Suggestion{}
	}
	if err := r.RespondJSON(res); err != nil {
		in.agent.Log.Warn("agent reply failed", "agent", in.agent.Name, "request", req.RequestID, "err", err)
		in.failed.Add(1)
		return
	}
	in.served.Add(1)
}

// run calls the handler, turning a panic into an internal error.
func (in *Instance) run(ctx context.Context, c *Call) (err error) {
	defer func() {
		if p := recover(); p != nil {
			in.agent.Log.Error("agent handler panicked", "agent", in.agent.Name, "request", c.RequestID,
				"panic", p, "stack", string(debug.Stack()))
			err = Errorf(CodeInternal, "agent %s crashed: %v", in.agent.Name, p)
		}
	}()
	return in.agent.Handler(ctx, c)
}

// classify maps a handler's error to a protocol error.
func classify(err error) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, context.DeadlineExceeded):
		return Errorf(CodeDeadline, "the analysis did not finish before its deadline")
	case errors.Is(err, context.Canceled):
		return Errorf(CodeCancelled, "the request was cancelled")
	case errors.Is(err, graph.ErrNotFound):
		return Errorf(CodeNotFound, "%v", err)
	case errors.Is(err, graph.ErrInvalid):
		return Errorf(CodeInvalid, "%v", err)
	}
	return Errorf(CodeInternal, "%v", err)
}

func (in *Instance) fail(r micro.Request, requestID string, e *Error) {
	if e.Code == CodeCancelled {
		in.cancelled.Add(1)
	} else {
		in.failed.Add(1)
	}
	body, _ := json.Marshal(errorReply{RequestID: requestID, Error: e})
	code := headerCodes[e.Code]
	if code == "" {
		code = "500"
	}
	if err := r.Error(code, e.Message, body); err != nil {
		in.agent.Log.Warn("agent error reply failed", "agent", in.agent.Name, "err", err)
	}
}

// Call is one request being analysed: the request itself and the means to report on it.
type Call struct {
	Request
	in *Instance

	mu          sync.Mutex
	suggestions []Suggestion
	summary     string
	version     uint64
	done, total int
}

// NewCall makes a call that is served by no instance: progress goes nowhere and suggestions are only
// collected. It runs an analysis without NATS (tests, batch tools).
func NewCall(req Request) *Call { return &Call{Request: req} }

// Suggestions are the suggestions made so far.
func (c *Call) Suggestions() []Suggestion {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.suggestions)
}

// Instance is the instance serving the call.
func (c *Call) Instance() *Instance { return c.in }

// Progress publishes a progress message; done of total steps.
func (c *Call) Progress(done, total int, message string) {
	c.mu.Lock()
	c.done, c.total = done, total
	c.mu.Unlock()
	c.publish(Progress{RequestID: c.RequestID, Done: done, Total: total, Message: message})
}

// Suggest adds suggestions to the result and streams them at once as a partial result. It fills in
// the agent's identity and the request id; BaseVersion defaults to the version set by SetVersion.
func (c *Call) Suggest(s ...Suggestion) {
	c.mu.Lock()
	for i := range s {
		if c.in != nil {
			s[i].Agent, s[i].AgentVersion, s[i].Instance = c.in.agent.Name, c.in.agent.Version, c.in.ID()
		}
		s[i].RequestID = c.RequestID
		if s[i].BaseVersion == 0 {
			s[i].BaseVersion = c.version
		}
	}
	c.suggestions = append(c.suggestions, s...)
	done, total := c.done, c.total
	c.mu.Unlock()
	c.publish(Progress{RequestID: c.RequestID, Done: done, Total: total, Suggestions: s,
		Message: fmt.Sprintf("%d suggestion(s)", len(s))})
}

// Summarize sets the result's summary text.
func (c *Call) Summarize(format string, args ...any) {
	c.mu.Lock()
	c.summary = fmt.Sprintf(format, args...)
	c.mu.Unlock()
}

// SetVersion records the graph version analysed (the result's version and the suggestions' base).
func (c *Call) SetVersion(v uint64) {
	c.mu.Lock()
	c.version = v
	c.mu.Unlock()
}

// Params decodes the request's parameters into v, refusing unknown fields; no parameters leave v
// as it is.
func (c *Call) Params(v any) error {
	if len(c.Request.Params) == 0 || string(c.Request.Params) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(c.Request.Params))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Errorf(CodeInvalid, "params: %v", err)
	}
	return nil
}

func (c *Call) publish(p Progress) {
	if c.in == nil {
		return
	}
	data, err := json.Marshal(p)
	if err != nil {
		return
	}
	// Core NATS, fire and forget: progress is advisory and the final reply carries everything.
	if err := c.in.nc.Publish(ProgressSubject(c.RequestID), data); err != nil {
		c.in.agent.Log.Debug("progress not sent", "request", c.RequestID, "err", err)
	}
}
