package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/infoalchemist/alchemist/internal/agents/builtin"
	"github.com/infoalchemist/alchemist/internal/config"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/service"
	"github.com/nats-io/nats.go"
)

// Serve runs the embedded NATS server (JetStream) and the command service headless, listening on cfg.NATS.Listen so that other
// alchemist processes and the nats CLI can use it, until ctx ends.
func Serve(ctx context.Context, cfg config.Config, stdout io.Writer, logger *slog.Logger) error {
	emb, err := natsx.StartEmbedded(ctx, natsx.EmbeddedConfig{
		DataDir: cfg.Data.Dir, Listen: cfg.NATS.Listen, SyncAlways: cfg.Data.SyncAlways,
		Logf: func(format string, args ...any) { logger.Debug(fmt.Sprintf(format, args...)) },
	})
	if err != nil {
		return err
	}
	defer emb.Shutdown()
	nc, err := emb.Connect(nats.Name("alchemist-serve"))
	if err != nil {
		return err
	}
	defer nc.Close()
	repo, store, err := esjs.OpenRepository(ctx, nc, esjs.RepoConfig{
		Logf: func(format string, args ...any) { logger.Warn(fmt.Sprintf(format, args...)) },
	})
	if err != nil {
		return fmt.Errorf("open event store: %w", err)
	}
	defer repo.Close()
	svc, err := service.Start(nc, repo, store, logger)
	if err != nil {
		return err
	}
	defer svc.Stop()
	host, err := startAgentHost(nc, repo, logger)
	if err != nil {
		return err
	}
	defer host.stop()
	fmt.Fprintf(stdout, "alchemist serve: NATS with JetStream at %s, data in %s built-in agents %v (Ctrl+C stops)\n", emb.ClientURL(), emb.DataDir(), builtin.Names())
	<-ctx.Done()
	logger.Info("shutting down: flushing JetStream")
	return nil
}
