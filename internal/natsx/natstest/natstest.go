// Package natstest starts real embedded NATS servers for tests: a t.TempDir() store, in-process or on a
// random loopback port, stopped by t.Cleanup. No test in this project mocks NATS.
package natstest

import (
	"context"
	"testing"

	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/nats.go"
)

// Options tunes Start.
type Options struct {
	DataDir string // defaults to t.TempDir()
	Listen  bool   // also listen on 127.0.0.1 with a random port
}

// Start runs an embedded JetStream server and returns it with an in-process connection; both are
// closed when the test ends.
func Start(t testing.TB, opts ...Options) (*natsx.Embedded, *nats.Conn) {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	cfg := natsx.EmbeddedConfig{DataDir: o.DataDir}
	if o.Listen {
		cfg.Listen = "127.0.0.1:0"
	}
	emb, err := natsx.StartEmbedded(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start embedded nats: %v", err)
	}
	nc, err := emb.Connect()
	if err != nil {
		emb.Shutdown()
		t.Fatalf("connect embedded nats: %v", err)
	}
	t.Cleanup(func() {
		nc.Close()
		emb.Shutdown()
	})
	return emb, nc
}
