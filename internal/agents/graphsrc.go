package agents

import (
	"context"
	"errors"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// OpenGraph loads a private copy of the call's graph (snapshot + tail, no lock held while the agent
// works) and checks the request against it: an unknown or deleted graph is not_found, a version other
// than the requested one is stale, more nodes than maxNodes (0: no limit) is too_large, and a
// selection naming a missing node is invalid. It records the version in c.
func OpenGraph(ctx context.Context, repo *eventstore.Repository, c *Call, maxNodes int) (*graph.Graph, error) {
	g, err := repo.Open(ctx, c.GraphID)
	if err != nil {
		if errors.Is(err, eventstore.ErrNotFound) {
			return nil, Errorf(CodeNotFound, "graph %s does not exist", c.GraphID)
		}
		return nil, Errorf(CodeUnavailable, "loading graph %s: %v", c.GraphID, err)
	}
	switch {
	case !g.Exists():
		return nil, Errorf(CodeNotFound, "graph %s does not exist", c.GraphID)
	case g.Deleted():
		return nil, Errorf(CodeNotFound, "graph %s was deleted", c.GraphID)
	case c.Version != 0 && c.Version > g.Version():
		return nil, Errorf(CodeStale, "graph %s is at version %d; version %d does not exist", c.GraphID, g.Version(), c.Version)
	case c.Version != 0 && c.Version != g.Version():
		return nil, Errorf(CodeStale, "graph %s changed: it is at version %d, the request is for version %d; ask again with the current version", c.GraphID, g.Version(), c.Version)
	case maxNodes > 0 && g.NodeCount() > maxNodes:
		return nil, Errorf(CodeTooLarge, "graph %s has %d nodes, this agent analyses at most %d", c.GraphID, g.NodeCount(), maxNodes)
	}
	for _, id := range c.Selection {
		if !g.HasNode(id) {
			return nil, Errorf(CodeInvalid, "selection: graph %s has no node %q", c.GraphID, id)
		}
	}
	c.SetVersion(g.Version())
	return g, nil
}
