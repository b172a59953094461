package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/google/uuid"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// Name and Version identify the service in `nats micro ls`.
const (
	Name    = "graph"
	Version = "1.0.0"
)

// Service is the running command service.
type Service struct {
	svc     micro.Service
	limit   int // request body bound
	repo    *eventstore.Repository
	catalog eventstore.Lister
	log     *slog.Logger
}

// Start registers the service on nc: one endpoint per command op and the two queries.
func Start(nc *nats.Conn, repo *eventstore.Repository, catalog eventstore.Lister, log *slog.Logger) (*Service, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{repo: repo, catalog: catalog, log: log, limit: requestLimit(nc.MaxPayload())}
	svc, err := micro.AddService(nc, micro.Config{
		Name: Name, Version: Version,
		Description: "Information Alchemist graph commands and queries (docs/protocol.md)",
	})
	if err != nil {
		return nil, fmt.Errorf("start command service: %w", err)
	}
	s.svc = svc
	// One endpoint for every op, so that an unknown op gets a reply naming it instead of "no responders".
	if err := svc.AddEndpoint("commands", micro.HandlerFunc(s.command),
		micro.WithEndpointSubject(natsx.CommandSubject("*"))); err != nil {
		svc.Stop()
		return nil, fmt.Errorf("command service endpoint: %w", err)
	}
	queries := svc.AddGroup(natsx.QueriesRoot)
	if err := queries.AddEndpoint("list", micro.HandlerFunc(s.list)); err != nil {
		svc.Stop()
		return nil, err
	}
	if err := queries.AddEndpoint("get", micro.HandlerFunc(s.get)); err != nil {
		svc.Stop()
		return nil, err
	}
	return s, nil
}

// Stop drains the endpoints: requests in flight are answered.
func (s *Service) Stop() error { return s.svc.Stop() }

func (s *Service) fail(r micro.Request, graphID string, err error) {
	code, msg := classify(err)
	body, _ := json.Marshal(Reply{OK: false, GraphID: graphID, Error: &ErrorBody{Code: code, Message: msg}})
	if rerr := r.Error(headerCodes[code], msg, body); rerr != nil {
		s.log.Warn("reply failed", "subject", r.Subject(), "err", rerr)
	}
}

func (s *Service) command(r micro.Request) {
	op := r.Subject()[len(natsx.CommandsRoot)+1:]
	env, cmd, err := parseCommand(op, r.Data(), s.limit)
	if err != nil {
		s.fail(r, env.GraphID, err)
		return
	}
	if env.GraphID == "" {
		if op != "create_graph" {
			s.fail(r, "", invalid("graph_id is required"))
			return
		}
		id, err := uuid.NewV7()
		if err != nil {
			s.fail(r, "", err)
			return
		}
		env.GraphID = id.String()
	}
	if err := natsx.ValidToken(env.GraphID); err != nil {
		s.fail(r, env.GraphID, invalid("graph_id: %v", err))
		return
	}
	if env.CommandID == "" {
		// Without an id a retry cannot be recognised; give this attempt one so its events still
		// carry a correlation id.
		id, _ := uuid.NewV7()
		env.CommandID = id.String()
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	res, err := s.repo.Execute(ctx, env.GraphID, cmd,
		graph.Meta{Actor: env.Actor, CommandID: env.CommandID, CausationID: env.CausationID},
		eventstore.ExecOptions{Expected: env.ExpectedVersion})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = &requestError{code: CodeUnavailable, msg: "event store did not answer in time: " + err.Error()}
		}
		s.log.Debug("command refused", "op", op, "graph", env.GraphID, "err", err)
		s.fail(r, env.GraphID, err)
		return
	}
	if err := r.RespondJSON(Reply{OK: true, GraphID: env.GraphID, Version: res.Version, Duplicate: res.Duplicate}); err != nil {
		s.log.Warn("reply failed", "op", op, "err", err)
	}
}

func (s *Service) list(r micro.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	graphs, err := s.catalog.ListGraphs(ctx)
	if err != nil {
		s.fail(r, "", err)
		return
	}
	r.RespondJSON(struct {
		OK     bool                   `json:"ok"`
		Graphs []eventstore.GraphInfo `json:"graphs"`
	}{true, graphs})
}

// GraphState is the reply of graph.queries.v1.get.
type GraphState struct {
	OK        bool             `json:"ok"`
	GraphID   string           `json:"graph_id"`
	Name      string           `json:"name"`
	Tags      []string         `json:"tags,omitempty"`
	Version   uint64           `json:"version"`
	Deleted   bool             `json:"deleted,omitempty"`
	NodeCount int              `json:"node_count"`
	EdgeCount int              `json:"edge_count"`
	Nodes     []graph.Node     `json:"nodes,omitempty"`
	Edges     []graph.Edge     `json:"edges,omitempty"`
	Subgraphs []graph.Subgraph `json:"subgraphs,omitempty"`
}

// maxGetElements bounds a full get; larger graphs are read with `alchemist export`.
const maxGetElements = 20_000

func (s *Service) get(r micro.Request) {
	var q struct {
		GraphID string `json:"graph_id"`
		Full    bool   `json:"full"`
	}
	if err := json.Unmarshal(r.Data(), &q); err != nil {
		s.fail(r, "", invalid("request is not a JSON object: %v", err))
		return
	}
	if q.GraphID == "" {
		s.fail(r, "", invalid("graph_id is required"))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	var st GraphState
	err := s.repo.View(ctx, q.GraphID, func(g *graph.Graph) error {
		if !g.Exists() {
			return fmt.Errorf("graph %s: %w", q.GraphID, graph.ErrNotFound)
		}
		st = GraphState{OK: true, GraphID: g.ID(), Name: g.Name(), Tags: g.Tags(), Version: g.Version(),
			Deleted: g.Deleted(), NodeCount: g.NodeCount(), EdgeCount: g.EdgeCount()}
		if !q.Full {
			return nil
		}
		if g.NodeCount()+g.EdgeCount() > maxGetElements {
			return invalid("graph %s has %d nodes and %d edges, more than a reply holds; use alchemist export", q.GraphID, g.NodeCount(), g.EdgeCount())
		}
		for n := range g.Nodes() {
			st.Nodes = append(st.Nodes, n)
		}
		for e := range g.Edges() {
			st.Edges = append(st.Edges, e)
		}
		st.Subgraphs = g.Subgraphs()
		return nil
	})
	if err != nil {
		s.fail(r, q.GraphID, err)
		return
	}
	r.RespondJSON(st)
}
