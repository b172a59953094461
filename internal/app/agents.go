package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/agents/builtin"
	"github.com/infoalchemist/alchemist/internal/config"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/nats-io/nats.go"
)

// agentHost runs the suggestion service and the built-in agents inside a process that owns a
// server: `serve`, or the GUI on its own embedded server.
type agentHost struct {
	suggestions *agents.SuggestionService
	instances   []*agents.Instance
}

func startAgentHost(nc *nats.Conn, repo *eventstore.Repository, log *slog.Logger) (*agentHost, error) {
	sg, err := agents.StartSuggestionService(nc, agents.NewSuggestions(repo), log)
	if err != nil {
		return nil, fmt.Errorf("start suggestion service: %w", err)
	}
	h := &agentHost{suggestions: sg}
	for _, name := range builtin.Names() {
		in, err := builtin.Start(nc, repo, name, log)
		if err != nil {
			h.stop()
			return nil, fmt.Errorf("start agent %s: %w", name, err)
		}
		h.instances = append(h.instances, in)
	}
	return h, nil
}

func (h *agentHost) stop() {
	for _, in := range h.instances {
		in.Stop()
	}
	h.suggestions.Stop()
}

// ErrNeedServer is returned by `alchemist agent` when no server is running to join.
var ErrNeedServer = errors.New("no NATS server to serve: start alchemist serve, or pass --nats")

// RunAgent runs one built-in agent as its own process against a running server until ctx ends.
func RunAgent(ctx context.Context, cfg config.Config, name string, log *slog.Logger) error {
	if !builtinKnown(name) {
		return fmt.Errorf("%w: unknown agent %q (built in: %v)", ErrUsage, name, builtin.Names())
	}
	link, repo, closeRepo, err := openRepository(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeRepo()
	if link.Embedded != nil {
		return ErrNeedServer
	}
	log.Info("agent running", "agent", name, "nats", link.State.Server())
	return builtin.Run(ctx, link.Conn, repo, name, log)
}

func builtinKnown(name string) bool {
	for _, n := range builtin.Names() {
		if n == name {
			return true
		}
	}
	return false
}
