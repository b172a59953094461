package natsx

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

// Sentinel errors for the connection failures a user can act on.
var (
	ErrUnreachable = errors.New("NATS server unreachable")
	ErrAuth        = errors.New("NATS server refused the credentials")
)

// ClientConfig says how to reach an external NATS cluster and who we are there.
type ClientConfig struct {
	URLs []string // nats:// or tls:// URLs of one cluster
	Name string   // client name shown by the server

	CAFile   string // PEM bundle that signs the servers' certificates
	CertFile string // client certificate for mutual TLS
	KeyFile  string

	CredsFile    string // JWT + nkey seed (.creds), as issued by nsc
	NKeySeedFile string
	User         string
	Password     string
	Token        string

	// ConnectTimeout bounds the first connection; after that we reconnect forever.
	ConnectTimeout time.Duration
	// ReconnectBufferBytes bounds what publishes are held while disconnected; beyond it a publish fails.
	ReconnectBufferBytes int
}

// Validate refuses contradictory or incomplete settings before any connection is tried.
func (c ClientConfig) Validate() error {
	if len(c.URLs) == 0 {
		return errors.New("nats: no server URL")
	}
	for _, u := range c.URLs {
		if !strings.Contains(u, "://") {
			return fmt.Errorf("nats: URL %q has no scheme (use nats://host:port or tls://host:port)", u)
		}
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return errors.New("nats: cert_file and key_file must be given together")
	}
	methods := 0
	for _, set := range []bool{c.CredsFile != "", c.NKeySeedFile != "", c.User != "", c.Token != ""} {
		if set {
			methods++
		}
	}
	if methods > 1 {
		return errors.New("nats: give one of creds_file, nkey_seed_file, user/password, token")
	}
	if c.Password != "" && c.User == "" {
		return errors.New("nats: password without user")
	}
	return nil
}

// ConnState is the connection state the UI shows.
type ConnState int32

const (
	StateConnecting ConnState = iota
	StateConnected
	StateReconnecting
	StateClosed
)

func (s ConnState) String() string {
	switch s {
	case StateConnecting:
		return "connecting"
	case StateConnected:
		return "connected"
	case StateReconnecting:
		return "reconnecting"
	case StateClosed:
		return "closed"
	}
	return fmt.Sprintf("ConnState(%d)", int32(s))
}

// StateTracker follows a connection's state; safe to read from any goroutine (the frame loop reads it).
type StateTracker struct {
	state       atomic.Int32
	reconnects  atomic.Int64
	lastErr     atomic.Pointer[string]
	connectedTo atomic.Pointer[string]
}

// State is the current state.
func (t *StateTracker) State() ConnState { return ConnState(t.state.Load()) }

// Reconnects counts successful reconnections.
func (t *StateTracker) Reconnects() int64 { return t.reconnects.Load() }

// Server is the URL of the server we are connected to, or "".
func (t *StateTracker) Server() string {
	if p := t.connectedTo.Load(); p != nil {
		return *p
	}
	return ""
}

// LastError is the last asynchronous connection error, or "".
func (t *StateTracker) LastError() string {
	if p := t.lastErr.Load(); p != nil {
		return *p
	}
	return ""
}

func (t *StateTracker) set(s ConnState, nc *nats.Conn) {
	t.state.Store(int32(s))
	if nc != nil {
		url := nc.ConnectedUrlRedacted()
		t.connectedTo.Store(&url)
	}
}

func (t *StateTracker) options() []nats.Option {
	return []nats.Option{
		nats.ConnectHandler(func(nc *nats.Conn) { t.set(StateConnected, nc) }),
		nats.ReconnectHandler(func(nc *nats.Conn) { t.reconnects.Add(1); t.set(StateConnected, nc) }),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if err != nil {
				msg := err.Error()
				t.lastErr.Store(&msg)
			}
			if !nc.IsClosed() {
				t.state.Store(int32(StateReconnecting))
			}
		}),
		nats.ClosedHandler(func(*nats.Conn) { t.state.Store(int32(StateClosed)) }),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			msg := err.Error()
			t.lastErr.Store(&msg)
		}),
	}
}

// Connect dials an external cluster. The first connection must succeed within ConnectTimeout; once
// connected the client reconnects forever with jittered back-off, buffering up to
// ReconnectBufferBytes of publishes meanwhile.
func Connect(ctx context.Context, cfg ClientConfig, tracker *StateTracker) (*nats.Conn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts, err := clientOptions(cfg)
	if err != nil {
		return nil, err
	}
	if tracker == nil {
		tracker = &StateTracker{}
	}
	opts = append(opts, tracker.options()...)
	type result struct {
		nc  *nats.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		nc, err := nats.Connect(strings.Join(cfg.URLs, ","), opts...)
		done <- result{nc, err}
	}()
	select {
	case <-ctx.Done():
		go func() {
			if r := <-done; r.nc != nil {
				r.nc.Close()
			}
		}()
		return nil, fmt.Errorf("connect to %s: %w", redactURLs(cfg.URLs), ctx.Err())
	case r := <-done:
		if r.err != nil {
			return nil, classify(cfg.URLs, r.err)
		}
		tracker.set(StateConnected, r.nc)
		return r.nc, nil
	}
}

func clientOptions(cfg ClientConfig) ([]nats.Option, error) {
	name := cfg.Name
	if name == "" {
		name = "alchemist"
	}
	timeout := cfg.ConnectTimeout
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	buf := cfg.ReconnectBufferBytes
	if buf <= 0 {
		buf = 8 << 20
	}
	opts := []nats.Option{
		nats.Name(name),
		nats.Timeout(timeout),
		nats.MaxReconnects(-1),
		nats.ReconnectBufSize(buf),
		nats.CustomReconnectDelay(reconnectDelay),
	}
	if cfg.CAFile != "" {
		opts = append(opts, nats.RootCAs(cfg.CAFile))
	}
	if cfg.CertFile != "" {
		opts = append(opts, nats.ClientCert(cfg.CertFile, cfg.KeyFile))
	}
	switch {
	case cfg.CredsFile != "":
		opts = append(opts, nats.UserCredentials(cfg.CredsFile))
	case cfg.NKeySeedFile != "":
		opt, err := nats.NkeyOptionFromSeed(cfg.NKeySeedFile)
		if err != nil {
			return nil, fmt.Errorf("nats: nkey seed %s: %w", cfg.NKeySeedFile, err)
		}
		opts = append(opts, opt)
	case cfg.User != "":
		opts = append(opts, nats.UserInfo(cfg.User, cfg.Password))
	case cfg.Token != "":
		opts = append(opts, nats.Token(cfg.Token))
	}
	return opts, nil
}

// reconnectDelay backs off exponentially from 250ms to 5s with ±50% jitter, so a restarted cluster is
// not hit by every client at the same instant.
func reconnectDelay(attempts int) time.Duration {
	d := 250 * time.Millisecond << min(attempts, 5)
	d = min(d, 5*time.Second)
	return d/2 + time.Duration(rand.Int64N(int64(d)))
}

func classify(urls []string, err error) error {
	where := redactURLs(urls)
	msg := err.Error()
	switch {
	case errors.Is(err, nats.ErrAuthorization), errors.Is(err, nats.ErrAuthExpired),
		errors.Is(err, nats.ErrAuthRevoked), strings.Contains(strings.ToLower(msg), "authorization"):
		return fmt.Errorf("connect to %s: %w: %v", where, ErrAuth, err)
	case strings.Contains(msg, "certificate") || strings.Contains(msg, "tls:") || strings.Contains(msg, "x509"):
		return fmt.Errorf("connect to %s: TLS handshake failed: %w", where, err)
	case errors.Is(err, nats.ErrNoServers), strings.Contains(msg, "connection refused"),
		strings.Contains(msg, "i/o timeout"), strings.Contains(msg, "no such host"):
		return fmt.Errorf("connect to %s: %w: %v", where, ErrUnreachable, err)
	}
	return fmt.Errorf("connect to %s: %w", where, err)
}

func redactURLs(urls []string) string {
	out := make([]string, len(urls))
	for i, u := range urls {
		if at := strings.LastIndex(u, "@"); at >= 0 {
			if scheme := strings.Index(u, "://"); scheme >= 0 && scheme < at {
				u = u[:scheme+3] + "***" + u[at:]
			}
		}
		out[i] = u
	}
	return strings.Join(out, ",")
}
