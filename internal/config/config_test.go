package config

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, file string, env []string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	l := NewLoader(fs)
	if file != "" {
		path := filepath.Join(t.TempDir(), "a.toml")
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append([]string{"--config", path}, args...)
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	return l.Load(env)
}

func TestPrecedenceFlagsOverEnvOverFileOverDefaults(t *testing.T) {
	file := "[window]\nwidth = 900\nheight = 700\nmsaa = 2\n[demo]\nnodes = 10\n"
	env := []string{"ALCHEMIST_WINDOW_HEIGHT=600", "ALCHEMIST_DEMO_NODES=20", "PATH=/bin"}
	c, err := load(t, file, env, "--demo", "30")
	if err != nil {
		t.Fatal(err)
	}
	if c.Window.Width != 900 || c.Window.Height != 600 || c.Demo.Nodes != 30 || c.Window.MSAA != 2 {
		t.Fatalf("got width %d height %d demo %d msaa %d", c.Window.Width, c.Window.Height, c.Demo.Nodes, c.Window.MSAA)
	}
	if c.Window.Title != Default().Window.Title {
		t.Fatalf("default lost: %q", c.Window.Title)
	}
}

func TestBadInputNamesTheKey(t *testing.T) {
	cases := []struct {
		file string
		env  []string
		args []string
		want string
	}{
		{file: "[window]\nwidht = 3\n", want: `unknown key "window.widht"`},
		{file: "[window]\nwidth = \"wide\"\n", want: "window.width"},
		{file: "[render]\nbackground = \"red\"\n", want: "render.background"},
		{file: "[window\n", want: "config file"},
		{env: []string{"ALCHEMIST_WINDOW_MSAA=99"}, want: "ALCHEMIST_WINDOW_MSAA (window.msaa): 99 is outside 0..16"},
		{env: []string{"ALCHEMIST_NOPE=1"}, want: "unknown environment variable ALCHEMIST_NOPE"},
		{env: []string{"ALCHEMIST_NATS_CONNECT_TIMEOUT=soon"}, want: "nats.connect_timeout"},
		{args: []string{"--demo", "-5"}, want: "-5 is outside"},
		{args: []string{"--tls-cert", "/x.pem"}, want: "nats.cert_file and nats.key_file"},
		{args: []string{"--creds", "/nonexistent.creds"}, want: "nats.creds_file"},
	}
	for _, tc := range cases {
		_, err := load(t, tc.file, tc.env, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %v %v: err = %v, want it to mention %q", tc.file, tc.env, tc.args, err, tc.want)
		}
		if err != nil && len(tc.args) == 0 && !errors.Is(err, ErrInvalid) {
			t.Errorf("%v does not wrap ErrInvalid", err)
		}
	}
}

func TestURLListAndTypes(t *testing.T) {
	c, err := load(t, "[nats]\nurl = [\"a:4222\", \"tls://b:4222\"]\nconnect_timeout = \"5s\"\n[window]\nheadless = true\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.NATS.URLs, " ") != "nats://a:4222 tls://b:4222" || c.NATS.ConnectTimeout != 5*time.Second || !c.Window.Headless {
		t.Fatalf("got %+v", c.NATS)
	}
	c, err = load(t, "", nil, "--headless", "--nats", "n1:1,n2:2")
	if err != nil || !c.Window.Headless || len(c.NATS.URLs) != 2 {
		t.Fatalf("flags: %+v %v", c, err)
	}
}

// The documented file must hold every key, and nothing else, so it can never drift from the code.
func TestDocumentedFileCoversEveryKey(t *testing.T) {
	path := filepath.Join("..", "..", "configs", "alchemist.toml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := load(t, string(data), nil); err != nil {
		t.Fatalf("the documented config does not load: %v", err)
	}
	text := string(data)
	for _, k := range Keys() {
		section, name, _ := strings.Cut(k.Name, ".")
		if !strings.Contains(text, "["+section+"]") || !strings.Contains(text, name+" =") {
			t.Errorf("configs/alchemist.toml does not document %s", k.Name)
		}
	}
}
