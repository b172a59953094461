package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/infoalchemist/alchemist/internal/config"
	"github.com/infoalchemist/alchemist/internal/natsx"
)

// Serve runs the embedded NATS server (JetStream) headless, listening on cfg.NATS.Listen so that other
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
	fmt.Fprintf(stdout, "alchemist serve: NATS with JetStream at %s, data in %s (Ctrl+C stops)\n", emb.ClientURL(), emb.DataDir())
	<-ctx.Done()
	logger.Info("shutting down: flushing JetStream")
	return nil
}
