package natsx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// ErrDataDirLocked is returned when another process already runs an embedded server on the data dir.
var ErrDataDirLocked = errors.New("data directory is in use by another alchemist process")

// EmbeddedConfig configures the in-process nats-server.
type EmbeddedConfig struct {
	// DataDir holds the JetStream store (a "jetstream" folder is created inside).
	DataDir string
	// Listen is "host:port" to accept outside clients; empty means in-process connections only.
	// Port 0 or -1 picks a free port.
	Listen string
	// SyncAlways fsyncs every JetStream write: survives power loss, not just a process crash, at a
	// large cost in publish rate.
	SyncAlways bool
	// ServerName names the server in logs and monitoring; defaults to "alchemist".
	ServerName string
	// Logf receives the server's notices; nil silences them.
	Logf func(format string, args ...any)
	// ReadyTimeout bounds start-up; defaults to 10s.
	ReadyTimeout time.Duration
}

// Embedded is a running in-process nats-server with JetStream.
type Embedded struct {
	srv  *server.Server
	lock *os.File
	dir  string
}

// StartEmbedded starts a nats-server with JetStream whose store lives in cfg.DataDir. Only one process
// may use a data dir at a time; a second one gets ErrDataDirLocked.
func StartEmbedded(ctx context.Context, cfg EmbeddedConfig) (*Embedded, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("embedded nats: data dir is empty")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("embedded nats: create data dir: %w", err)
	}
	lock, err := lockDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	opts := &server.Options{
		ServerName:         cfg.ServerName,
		JetStream:          true,
		StoreDir:           cfg.DataDir,
		SyncAlways:         cfg.SyncAlways,
		NoSigs:             true,
		NoLog:              cfg.Logf == nil,
		MaxPayload:         8 << 20,
		JetStreamMaxMemory: -1,
		JetStreamMaxStore:  -1,
	}
	if opts.ServerName == "" {
		opts.ServerName = "alchemist"
	}
	if cfg.Listen == "" {
		opts.DontListen = true
	} else {
		host, port, err := splitHostPort(cfg.Listen)
		if err != nil {
			lock.Close()
			return nil, fmt.Errorf("embedded nats: listen %q: %w", cfg.Listen, err)
		}
		opts.Host, opts.Port = host, port
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	if cfg.Logf != nil {
		srv.SetLoggerV2(logAdapter(cfg.Logf), false, false, false)
	}
	go srv.Start()
	timeout := cfg.ReadyTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = time.Until(dl)
	}
	if !srv.ReadyForConnections(timeout) {
		srv.Shutdown()
		lock.Close()
		if cfg.Listen != "" {
			return nil, fmt.Errorf("embedded nats: not ready within %s (is %s already in use?)", timeout, cfg.Listen)
		}
		return nil, fmt.Errorf("embedded nats: not ready within %s", timeout)
	}
	if !srv.JetStreamEnabled() {
		srv.Shutdown()
		lock.Close()
		return nil, errors.New("embedded nats: JetStream did not start")
	}
	return &Embedded{srv: srv, lock: lock, dir: cfg.DataDir}, nil
}

// Connect opens a client connection that talks to the server in-process (no socket).
func (e *Embedded) Connect(opts ...nats.Option) (*nats.Conn, error) {
	opts = append([]nats.Option{nats.InProcessServer(e.srv), nats.Name("alchemist-inprocess")}, opts...)
	nc, err := nats.Connect("", opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to embedded nats: %w", err)
	}
	return nc, nil
}

// ClientURL is the nats:// URL outside clients use, or "" when the server does not listen.
func (e *Embedded) ClientURL() string {
	if e.srv.Addr() == nil {
		return ""
	}
	return e.srv.ClientURL()
}

// DataDir is the directory holding the JetStream store.
func (e *Embedded) DataDir() string { return e.dir }

// Server exposes the underlying server for monitoring and tests.
func (e *Embedded) Server() *server.Server { return e.srv }

// Shutdown stops the server. JetStream flushes and closes its stores first, so every acknowledged
// message is on disk when Shutdown returns.
func (e *Embedded) Shutdown() {
	if e.srv == nil {
		return
	}
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
	if e.lock != nil {
		e.lock.Close()
		e.lock = nil
	}
}

func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, "alchemist.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w (stop it, or point --data elsewhere)", dir, ErrDataDirLocked)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return f, nil
}

func splitHostPort(hp string) (string, int, error) {
	host, portText, err := net.SplitHostPort(hp)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < -1 || port > 65535 {
		return "", 0, fmt.Errorf("port %q is not a number in 0..65535", portText)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	return host, port, nil
}

type logAdapter func(format string, args ...any)

func (l logAdapter) Noticef(format string, v ...any) { l("nats: "+format, v...) }
func (l logAdapter) Warnf(format string, v ...any)   { l("nats warning: "+format, v...) }
func (l logAdapter) Fatalf(format string, v ...any)  { l("nats fatal: "+format, v...) }
func (l logAdapter) Errorf(format string, v ...any)  { l("nats error: "+format, v...) }
func (l logAdapter) Debugf(string, ...any)           {}
func (l logAdapter) Tracef(string, ...any)           {}
