package jetstream

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go/jetstream"
)

var _ eventstore.Lister = (*Store)(nil)

// ListGraphs implements eventstore.Lister: the stream's subject index names every graph with a
// graph_created event; a few direct gets per graph give its name, version and deletion, so no
// aggregate is loaded.
func (s *Store) ListGraphs(ctx context.Context) ([]eventstore.GraphInfo, error) {
	ctx, cancel := withTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	info, err := s.stream.Info(ctx, jetstream.WithSubjectFilter(natsx.EventsOfType(graph.EventGraphCreated)))
	if err != nil {
		return nil, fmt.Errorf("list graphs: %w", err)
	}
	var out []eventstore.GraphInfo
	for subj := range info.State.Subjects {
		id, _, err := natsx.ParseEventSubject(subj)
		if err != nil {
			continue
		}
		gi := eventstore.GraphInfo{ID: id}
		lm, err := s.lastOf(ctx, id)
		if err != nil {
			return nil, err
		}
		gi.Version, gi.Deleted = lm.seq, lm.typ == graph.EventGraphDeleted
		for _, ev := range []string{graph.EventGraphRenamed, graph.EventGraphCreated} {
			m, err := s.stream.GetLastMsgForSubject(ctx, natsx.EventSubject(id, ev))
			if errors.Is(err, jetstream.ErrMsgNotFound) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("list graphs: name of %s: %w", id, err)
			}
			gi.Name = eventstore.NameFromEvent(m.Data, "")
			break
		}
		out = append(out, gi)
	}
	slices.SortFunc(out, func(a, b eventstore.GraphInfo) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
