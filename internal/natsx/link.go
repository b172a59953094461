package natsx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/nats-io/nats.go"
)

// LinkConfig says where a subcommand gets its NATS connection: an external cluster when URLs are given,
// else a local `alchemist serve` when one answers at LocalURL, else an embedded server of its own.
type LinkConfig struct {
	Client   ClientConfig // Client.URLs empty means "no cluster named"
	LocalURL string       // where a local `alchemist serve` listens, e.g. nats://127.0.0.1:4222
	Embedded EmbeddedConfig
	Logf     func(format string, args ...any)
}

// Link is a live connection plus, when we started it, the embedded server behind it.
type Link struct {
	Conn     *nats.Conn
	Embedded *Embedded // nil unless this process runs the server
	State    *StateTracker
	Mode     string // "cluster", "local-serve" or "embedded"
}

// Open follows LinkConfig's order of preference.
func Open(ctx context.Context, cfg LinkConfig) (*Link, error) {
	tracker := &StateTracker{}
	if len(cfg.Client.URLs) > 0 {
		nc, err := Connect(ctx, cfg.Client, tracker)
		if err != nil {
			return nil, err
		}
		return &Link{Conn: nc, State: tracker, Mode: "cluster"}, nil
	}
	if cfg.LocalURL != "" && localAnswers(cfg.LocalURL) {
		local := cfg.Client
		local.URLs = []string{cfg.LocalURL}
		nc, err := Connect(ctx, local, tracker)
		if err == nil {
			return &Link{Conn: nc, State: tracker, Mode: "local-serve"}, nil
		}
		if cfg.Logf != nil {
			cfg.Logf("local server at %s answered but refused us (%v); starting an embedded one", cfg.LocalURL, err)
		}
	}
	emb, err := StartEmbedded(ctx, cfg.Embedded)
	if err != nil {
		return nil, err
	}
	nc, err := emb.Connect(tracker.options()...)
	if err != nil {
		emb.Shutdown()
		return nil, err
	}
	tracker.set(StateConnected, nc)
	return &Link{Conn: nc, Embedded: emb, State: tracker, Mode: "embedded"}, nil
}

// Close drains the connection (publishes in flight complete) and stops the embedded server if any.
func (l *Link) Close() error {
	var errs []error
	if l.Conn != nil && !l.Conn.IsClosed() {
		if err := l.Conn.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
			errs = append(errs, fmt.Errorf("drain nats connection: %w", err))
		}
		deadline := time.Now().Add(5 * time.Second)
		for !l.Conn.IsClosed() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		l.Conn.Close()
	}
	if l.Embedded != nil {
		l.Embedded.Shutdown()
	}
	return errors.Join(errs...)
}

// localAnswers is a cheap TCP probe so that a missing local server costs milliseconds, not a
// connect timeout.
func localAnswers(url string) bool {
	hostPort := url
	if i := len("nats://"); len(url) > i && url[:i] == "nats://" {
		hostPort = url[i:]
	}
	c, err := net.DialTimeout("tcp", hostPort, 300*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
