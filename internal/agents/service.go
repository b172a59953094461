package agents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// SuggestionServiceName is the micro service that records suggestions and verdicts for clients that
// hold no repository (a GUI attached to a cluster, other languages). It runs next to the command
// service.
const SuggestionServiceName = "suggestions"

// SuggestionRequest is the body of every agents.v1.suggestions.<op> request; each op reads its
// fields: propose (graph_id, suggestion), accept (graph_id, id), reject (graph_id, id, reason),
// list (graph_id, status).
type SuggestionRequest struct {
	GraphID    string      `json:"graph_id"`
	ID         string      `json:"id,omitempty"`
	Reason     string      `json:"reason,omitempty"`
	Status     string      `json:"status,omitempty"`
	Actor      string      `json:"actor,omitempty"`
	Suggestion *Suggestion `json:"suggestion,omitempty"`
}

// SuggestionReply answers a suggestion request.
type SuggestionReply struct {
	OK          bool    `json:"ok"`
	ID          string  `json:"id,omitempty"`
	Version     uint64  `json:"version,omitempty"`
	Duplicate   bool    `json:"duplicate,omitempty"`
	Suggestions []Entry `json:"suggestions,omitempty"`
	Error       *Error  `json:"error,omitempty"`
}

// maxSuggestionRequest bounds a request body: one suggestion and its envelope.
const maxSuggestionRequest = MaxSuggestionBytes + 64<<10

// SuggestionService serves Suggestions over NATS.
type SuggestionService struct {
	svc micro.Service
	sg  *Suggestions
	log *slog.Logger
}

// StartSuggestionService registers the service on nc.
func StartSuggestionService(nc *nats.Conn, sg *Suggestions, log *slog.Logger) (*SuggestionService, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &SuggestionService{sg: sg, log: log}
	svc, err := micro.AddService(nc, micro.Config{Name: SuggestionServiceName, Version: "1.0.0",
		Description: "Information Alchemist agent suggestions: propose, accept, reject, list (docs/agents.md)"})
	if err != nil {
		return nil, fmt.Errorf("start suggestion service: %w", err)
	}
	s.svc = svc
	for op, h := range map[string]func(context.Context, *SuggestionRequest) (SuggestionReply, error){
		"propose": s.propose, "accept": s.accept, "reject": s.reject, "list": s.list,
	} {
		if err := svc.AddEndpoint(op, s.handler(h), micro.WithEndpointSubject(SuggestionsSubject(op))); err != nil {
			svc.Stop()
			return nil, fmt.Errorf("suggestion service %s: %w", op, err)
		}
	}
	return s, nil
}

// Stop drains the service.
func (s *SuggestionService) Stop() error { return s.svc.Stop() }

const suggestionTimeout = 10 * time.Second

func (s *SuggestionService) handler(h func(context.Context, *SuggestionRequest) (SuggestionReply, error)) micro.Handler {
	return micro.HandlerFunc(func(r micro.Request) {
		var req SuggestionRequest
		var err error
		switch {
		case len(r.Data()) > maxSuggestionRequest:
			err = Errorf(CodeTooLarge, "request of %d bytes exceeds %d", len(r.Data()), maxSuggestionRequest)
		case json.Unmarshal(r.Data(), &req) != nil:
			err = Errorf(CodeInvalid, "request is not a JSON object of the suggestion protocol")
		case req.GraphID == "":
			err = Errorf(CodeInvalid, "graph_id is required")
		}
		var rep SuggestionReply
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), suggestionTimeout)
			rep, err = h(ctx, &req)
			cancel()
		}
		if err != nil {
			e := classifyStore(err)
			body, _ := json.Marshal(SuggestionReply{Error: e})
			if rerr := r.Error(headerCodes[e.Code], e.Message, body); rerr != nil {
				s.log.Warn("suggestion reply failed", "err", rerr)
			}
			return
		}
		rep.OK = true
		if err := r.RespondJSON(rep); err != nil {
			s.log.Warn("suggestion reply failed", "err", err)
		}
	})
}

func classifyStore(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.As(storeError("", err), &e) {
		return e
	}
	return Errorf(CodeUnavailable, "%v", err)
}

func (s *SuggestionService) propose(ctx context.Context, req *SuggestionRequest) (SuggestionReply, error) {
	if req.Suggestion == nil {
		return SuggestionReply{}, Errorf(CodeInvalid, "suggestion is required")
	}
	id, err := s.sg.Propose(ctx, req.GraphID, *req.Suggestion, req.Actor)
	return SuggestionReply{ID: id}, err
}

func (s *SuggestionService) accept(ctx context.Context, req *SuggestionRequest) (SuggestionReply, error) {
	res, err := s.sg.Accept(ctx, req.GraphID, req.ID, req.Actor)
	return verdictReply(req.ID, res), err
}

func (s *SuggestionService) reject(ctx context.Context, req *SuggestionRequest) (SuggestionReply, error) {
	res, err := s.sg.Reject(ctx, req.GraphID, req.ID, req.Reason, req.Actor)
	return verdictReply(req.ID, res), err
}

func verdictReply(id string, res eventstore.Result) SuggestionReply {
	return SuggestionReply{ID: id, Version: res.Version, Duplicate: res.Duplicate}
}

func (s *SuggestionService) list(ctx context.Context, req *SuggestionRequest) (SuggestionReply, error) {
	es, err := s.sg.List(ctx, req.GraphID, req.Status)
	if es == nil {
		es = []Entry{}
	}
	return SuggestionReply{Suggestions: es}, err
}
