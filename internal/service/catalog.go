package service

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go/jetstream"
)

// StreamCatalog lists graphs from the event stream's subject metadata: every graph has a
// graph_created subject, its name is the last graph_renamed (or the graph_created) payload, and its
// version the last sequence on its wildcard subject. No aggregate is loaded.
type StreamCatalog struct {
	JS     jetstream.JetStream
	Stream string
}

// ListGraphs implements Catalog.
func (c StreamCatalog) ListGraphs(ctx context.Context) ([]GraphSummary, error) {
	stream, err := c.JS.Stream(ctx, c.Stream)
	if err != nil {
		return nil, fmt.Errorf("list graphs: %w", err)
	}
	info, err := stream.Info(ctx, jetstream.WithSubjectFilter(natsx.EventsOfType(graph.EventGraphCreated)))
	if err != nil {
		return nil, fmt.Errorf("list graphs: %w", err)
	}
	out := make([]GraphSummary, 0, len(info.State.Subjects))
	for subject := range info.State.Subjects {
		id, _, err := natsx.ParseEventSubject(subject)
		if err != nil {
			continue
		}
		s := GraphSummary{GraphID: id}
		if last, err := stream.GetLastMsgForSubject(ctx, natsx.GraphEvents(id)); err == nil {
			s.Version = last.Sequence
			if ev, err := graph.DecodeEvent(last.Data); err == nil && ev.Type == graph.EventGraphDeleted {
				s.Deleted = true
			}
		}
		s.Name = lastName(ctx, stream, id)
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || (out[i].Name == out[j].Name && out[i].GraphID < out[j].GraphID)
	})
	return out, nil
}

func lastName(ctx context.Context, stream jetstream.Stream, id string) string {
	for _, typ := range []string{graph.EventGraphRenamed, graph.EventGraphCreated} {
		msg, err := stream.GetLastMsgForSubject(ctx, natsx.EventSubject(id, typ))
		if errors.Is(err, jetstream.ErrMsgNotFound) || err != nil {
			continue
		}
		ev, err := graph.DecodeEvent(msg.Data)
		if err != nil {
			continue
		}
		switch p := ev.Data.(type) {
		case *graph.GraphRenamed:
			return p.Name
		case *graph.GraphCreated:
			return p.Name
		}
	}
	return ""
}
