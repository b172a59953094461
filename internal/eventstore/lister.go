package eventstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// GraphInfo summarises one graph for lists (graph.queries.v1.list, the GUI's open dialog) without
// loading its aggregate.
type GraphInfo struct {
	ID      string `json:"graph_id"`
	Name    string `json:"name"`
	Version uint64 `json:"version"`
	Deleted bool   `json:"deleted,omitempty"`
}

// Lister is implemented by stores that can enumerate their graphs.
type Lister interface {
	// ListGraphs returns every graph with a graph_created event, sorted by id, deleted ones
	// included (marked) so callers choose.
	ListGraphs(ctx context.Context) ([]GraphInfo, error)
}

var _ Lister = (*Memory)(nil)

// ListGraphs implements Lister.
func (m *Memory) ListGraphs(ctx context.Context) ([]GraphInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []GraphInfo
	for id, g := range m.graphs {
		info := GraphInfo{ID: id, Deleted: g.deleted}
		created := false
		for _, s := range g.seqs {
			r := m.log[s-1]
			info.Version = s
			switch {
			case strings.HasSuffix(r.Subject, "."+graph.EventGraphCreated):
				created = true
				info.Name = NameFromEvent(r.Data, info.Name)
			case strings.HasSuffix(r.Subject, "."+graph.EventGraphRenamed):
				info.Name = NameFromEvent(r.Data, info.Name)
			}
		}
		if created {
			out = append(out, info)
		}
	}
	slices.SortFunc(out, func(a, b GraphInfo) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// NameFromEvent reads the name of a graph_created or graph_renamed event, or returns def.
func NameFromEvent(data []byte, def string) string {
	ev, err := graph.DecodeEvent(data)
	if err != nil {
		return def
	}
	switch p := ev.Data.(type) {
	case *graph.GraphCreated:
		return p.Name
	case *graph.GraphRenamed:
		return p.Name
	}
	var named struct{ Name string }
	if json.Unmarshal(ev.Payload, &named) == nil && named.Name != "" {
		return named.Name
	}
	return def
}
