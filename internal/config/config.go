// Package config holds the one Config of the alchemist binary and loads it with the precedence
// flags > environment (ALCHEMIST_*) > file > defaults. Every key lives in one table (keys.go), so the
// TOML file, the environment and the flags can never disagree about names or parsing.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrInvalid wraps every refusal of a key or value; the message names the key and where it came from.
var ErrInvalid = errors.New("invalid configuration")

// Config is everything the binary can be told.
type Config struct {
	NATS     NATS
	Data     Data
	Window   Window
	Render   Render
	UI       UI
	Timeline Timeline
	Demo     Demo
	Layout   Layout
	Log      Log
}

// Layout tunes the live layout: the Barnes-Hut opening angle and the weights of the forces beyond
// structure (each off at 0).
type Layout struct {
	Theta       float64
	Similarity  float64 // attraction between nodes near in conceptual space
	Category    float64 // repulsion between the centroids of conceptual categories
	Coalition   float64 // attraction between members of one coalition
	Competition float64 // repulsion between conflicting strategies
}

// NATS says how to reach NATS. An empty URLs list means: a local `alchemist serve` if one answers at
// LocalURL, else an embedded server.
type NATS struct {
	URLs              []string
	LocalURL          string
	Listen            string
	CAFile            string
	CertFile          string
	KeyFile           string
	CredsFile         string
	NKeySeedFile      string
	User              string
	Password          string
	Token             string
	ConnectTimeout    time.Duration
	ReconnectBufferMB int
}

// Data locates the embedded server's store.
type Data struct {
	Dir        string
	SyncAlways bool
}

// Window is the desktop window.
type Window struct {
	Width, Height int
	Title         string
	VSync         bool
	MSAA          int
	Headless      bool
	DebugGL       bool
}

// Render tunes drawing.
type Render struct {
	Background string // #rrggbb
	NodeRadius float64
	EdgeAlpha  float64
	ShowEdges  bool
}

// UI is the workbench's look.
type UI struct {
	Theme     string  // dark or light
	FontScale float64 // 0: follow the monitor's content scale
}

// Timeline bounds the event timeline's in-memory checkpoints.
type Timeline struct {
	MemoryMB int // checkpoints are thinned to stay under this
}

// Demo generates a seeded scale-free graph when Nodes > 0.
type Demo struct {
	Nodes int
	Seed  uint64
}

// Log sets the verbosity.
type Log struct {
	Level string
}

// Default is the configuration with no file, environment or flags.
func Default() Config {
	return Config{
		NATS: NATS{
			LocalURL:          "nats://127.0.0.1:4222",
			Listen:            "127.0.0.1:4222",
			ConnectTimeout:    3 * time.Second,
			ReconnectBufferMB: 8,
		},
		Data:     Data{Dir: DefaultDataDir()},
		Window:   Window{Width: 1280, Height: 800, Title: "Information Alchemist", VSync: true, MSAA: 4},
		Render:   Render{Background: "#0e1117", NodeRadius: 1, EdgeAlpha: 0.25, ShowEdges: true},
		UI:       UI{Theme: "dark"},
		Timeline: Timeline{MemoryMB: 512},
		Demo:     Demo{Seed: 1},
		Layout:   Layout{Theta: 0.8, Similarity: 1, Category: 1, Coalition: 1},
		Log:      Log{Level: "info"},
	}
}

// DefaultDataDir is $XDG_DATA_HOME/alchemist, or ~/.local/share/alchemist.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "alchemist")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "alchemist")
	}
	return filepath.Join(os.TempDir(), "alchemist")
}

// DefaultFile is $XDG_CONFIG_HOME/alchemist/alchemist.toml (read only if it exists).
func DefaultFile() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "alchemist", "alchemist.toml")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".config", "alchemist", "alchemist.toml")
	}
	return ""
}

// Validate checks the relations between keys that no single key can check.
func (c Config) Validate() error {
	if (c.NATS.CertFile == "") != (c.NATS.KeyFile == "") {
		return fmt.Errorf("%w: nats.cert_file and nats.key_file must be set together", ErrInvalid)
	}
	auth := 0
	for _, set := range []bool{c.NATS.CredsFile != "", c.NATS.NKeySeedFile != "", c.NATS.User != "", c.NATS.Token != ""} {
		if set {
			auth++
		}
	}
	if auth > 1 {
		return fmt.Errorf("%w: set only one of nats.creds_file, nats.nkey_seed_file, nats.user, nats.token", ErrInvalid)
	}
	for _, f := range []struct{ key, path string }{
		{"nats.ca_file", c.NATS.CAFile}, {"nats.cert_file", c.NATS.CertFile}, {"nats.key_file", c.NATS.KeyFile},
		{"nats.creds_file", c.NATS.CredsFile}, {"nats.nkey_seed_file", c.NATS.NKeySeedFile},
	} {
		if f.path == "" {
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrInvalid, f.key, err)
		}
	}
	return nil
}
