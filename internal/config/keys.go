package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// key is one configuration key: its dotted name in the file, its flag (if any), and how to parse and
// print it. ALCHEMIST_<NAME with dots as underscores, upper case> is its environment variable.
type key struct {
	name   string
	flag   string
	isBool bool
	help   string
	set    func(c *Config, v string) error
	get    func(c *Config) string
}

var keys = []key{
	{name: "nats.url", flag: "nats", help: "comma-separated NATS cluster URLs; empty: a local alchemist serve, else embedded",
		set: setURLs, get: func(c *Config) string { return strings.Join(c.NATS.URLs, ",") }},
	strKey("nats.local_url", "", "where a local alchemist serve is looked for", func(c *Config) *string { return &c.NATS.LocalURL }),
	strKey("nats.listen", "listen", "HOST:PORT that alchemist serve exposes the embedded server on", func(c *Config) *string { return &c.NATS.Listen }),
	strKey("nats.ca_file", "tls-ca", "PEM CA bundle that signs the cluster's certificates", func(c *Config) *string { return &c.NATS.CAFile }),
	strKey("nats.cert_file", "tls-cert", "client certificate (PEM) for mutual TLS", func(c *Config) *string { return &c.NATS.CertFile }),
	strKey("nats.key_file", "tls-key", "client key (PEM) for mutual TLS", func(c *Config) *string { return &c.NATS.KeyFile }),
	strKey("nats.creds_file", "creds", "JWT + nkey credentials file (.creds)", func(c *Config) *string { return &c.NATS.CredsFile }),
	strKey("nats.nkey_seed_file", "nkey", "nkey seed file", func(c *Config) *string { return &c.NATS.NKeySeedFile }),
	strKey("nats.user", "user", "user name", func(c *Config) *string { return &c.NATS.User }),
	strKey("nats.password", "password", "password (prefer ALCHEMIST_NATS_PASSWORD over the command line)", func(c *Config) *string { return &c.NATS.Password }),
	strKey("nats.token", "token", "authentication token", func(c *Config) *string { return &c.NATS.Token }),
	durKey("nats.connect_timeout", "", "how long the first connection may take", func(c *Config) *time.Duration { return &c.NATS.ConnectTimeout }),
	intKey("nats.reconnect_buffer_mb", "", 1, 1024, "MiB of publishes held while reconnecting", func(c *Config) *int { return &c.NATS.ReconnectBufferMB }),
	{name: "data.dir", flag: "data", help: "directory of the embedded server's JetStream store (empty: the default)",
		set: func(c *Config, v string) error {
			if v == "" {
				v = DefaultDataDir()
			}
			c.Data.Dir = v
			return nil
		}, get: func(c *Config) string { return c.Data.Dir }},
	boolKey("data.sync_always", "", "fsync every write (survives power loss; much slower)", func(c *Config) *bool { return &c.Data.SyncAlways }),
	intKey("window.width", "width", 64, 16384, "window width in screen pixels", func(c *Config) *int { return &c.Window.Width }),
	intKey("window.height", "height", 64, 16384, "window height in screen pixels", func(c *Config) *int { return &c.Window.Height }),
	strKey("window.title", "", "window title", func(c *Config) *string { return &c.Window.Title }),
	boolKey("window.vsync", "vsync", "wait for the display's refresh", func(c *Config) *bool { return &c.Window.VSync }),
	intKey("window.msaa", "msaa", 0, 16, "multisample anti-aliasing samples (0 = off)", func(c *Config) *int { return &c.Window.MSAA }),
	boolKey("window.headless", "headless", "render with EGL and no window (screenshots, benchmarks)", func(c *Config) *bool { return &c.Window.Headless }),
	boolKey("window.debug_gl", "debug-gl", "enable OpenGL debug output", func(c *Config) *bool { return &c.Window.DebugGL }),
	{name: "render.background", help: "background colour #rrggbb", set: func(c *Config, v string) error {
		if !hexColor.MatchString(v) {
			return fmt.Errorf("%q is not a colour like #0e1117", v)
		}
		c.Render.Background = v
		return nil
	}, get: func(c *Config) string { return c.Render.Background }},
	floatKey("render.node_radius", "", 0.01, 100, "node sphere radius in world units", func(c *Config) *float64 { return &c.Render.NodeRadius }),
	floatKey("render.edge_alpha", "", 0, 1, "edge opacity", func(c *Config) *float64 { return &c.Render.EdgeAlpha }),
	boolKey("render.show_edges", "", "draw edges", func(c *Config) *bool { return &c.Render.ShowEdges }),
	{name: "ui.theme", flag: "theme", help: "dark or light", set: func(c *Config, v string) error {
		switch v {
		case "dark", "light":
			c.UI.Theme = v
			return nil
		}
		return fmt.Errorf("%q is not one of dark, light", v)
	}, get: func(c *Config) string { return c.UI.Theme }},
	floatKey("ui.font_scale", "font-scale", 0, 4, "text size multiplier for high-DPI screens (0 = the monitor's content scale)", func(c *Config) *float64 { return &c.UI.FontScale }),
	intKey("timeline.memory_mb", "", 16, 1<<20, "memory for the timeline's checkpoints of a graph's past states; less memory, slower jumps", func(c *Config) *int { return &c.Timeline.MemoryMB }),
	intKey("demo.nodes", "demo", 0, 10_000_000, "generate a seeded scale-free demo graph of N nodes (0 = none)", func(c *Config) *int { return &c.Demo.Nodes }),
	{name: "demo.seed", flag: "seed", help: "seed of the demo graph", set: func(c *Config, v string) error {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a non-negative integer", v)
		}
		c.Demo.Seed = n
		return nil
	}, get: func(c *Config) string { return strconv.FormatUint(c.Demo.Seed, 10) }},
	floatKey("layout.theta", "theta", 0.1, 2, "Barnes-Hut opening angle: larger is faster and coarser", func(c *Config) *float64 { return &c.Layout.Theta }),
	floatKey("layout.similarity", "", 0, 100, "weight of the attraction between conceptual neighbours", func(c *Config) *float64 { return &c.Layout.Similarity }),
	floatKey("layout.category", "", 0, 100, "weight of the repulsion between conceptual categories", func(c *Config) *float64 { return &c.Layout.Category }),
	floatKey("layout.coalition", "", 0, 100, "weight of the attraction inside coalitions", func(c *Config) *float64 { return &c.Layout.Coalition }),
	floatKey("layout.competition", "", 0, 100, "weight of the repulsion between conflicting strategies", func(c *Config) *float64 { return &c.Layout.Competition }),
	{name: "log.level", flag: "log-level", help: "debug, info, warn or error", set: func(c *Config, v string) error {
		switch v {
		case "debug", "info", "warn", "error":
			c.Log.Level = v
			return nil
		}
		return fmt.Errorf("%q is not one of debug, info, warn, error", v)
	}, get: func(c *Config) string { return c.Log.Level }},
}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

func setURLs(c *Config, v string) error {
	c.NATS.URLs = nil
	for _, u := range strings.Split(v, ",") {
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		if !strings.Contains(u, "://") {
			u = "nats://" + u
		}
		c.NATS.URLs = append(c.NATS.URLs, u)
	}
	return nil
}

func lookup(name string) (key, bool) {
	for _, k := range keys {
		if k.name == name {
			return k, true
		}
	}
	return key{}, false
}

func strKey(name, flag, help string, field func(*Config) *string) key {
	return key{name: name, flag: flag, help: help,
		set: func(c *Config, v string) error { *field(c) = v; return nil },
		get: func(c *Config) string { return *field(c) }}
}

func boolKey(name, flag, help string, field func(*Config) *bool) key {
	return key{name: name, flag: flag, help: help, isBool: true,
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			*field(c) = b
			return nil
		},
		get: func(c *Config) string { return strconv.FormatBool(*field(c)) }}
}

func intKey(name, flag string, lo, hi int, help string, field func(*Config) *int) key {
	return key{name: name, flag: flag, help: help,
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
			if err != nil {
				return fmt.Errorf("%q is not an integer", v)
			}
			if n < lo || n > hi {
				return fmt.Errorf("%d is outside %d..%d", n, lo, hi)
			}
			*field(c) = n
			return nil
		},
		get: func(c *Config) string { return strconv.Itoa(*field(c)) }}
}

func floatKey(name, flag string, lo, hi float64, help string, field func(*Config) *float64) key {
	return key{name: name, flag: flag, help: help,
		set: func(c *Config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("%q is not a number", v)
			}
			if f < lo || f > hi {
				return fmt.Errorf("%g is outside %g..%g", f, lo, hi)
			}
			*field(c) = f
			return nil
		},
		get: func(c *Config) string { return strconv.FormatFloat(*field(c), 'g', -1, 64) }}
}

func durKey(name, flag, help string, field func(*Config) *time.Duration) key {
	return key{name: name, flag: flag, help: help,
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("%q is not a positive duration like 3s", v)
			}
			*field(c) = d
			return nil
		},
		get: func(c *Config) string { return field(c).String() }}
}

// EnvName is the environment variable of a key.
func EnvName(name string) string {
	return "ALCHEMIST_" + strings.ToUpper(strings.ReplaceAll(name, ".", "_"))
}
