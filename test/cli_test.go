package test

import (
	"bufio"
	"context"
	"fmt"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "alchemist-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "alchemist")
	build := exec.Command("go", "build", "-o", binary, "../cmd/alchemist")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build alchemist:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// alchemist runs the binary with a private data and config dir; env entries override.
func alchemist(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return alchemistIn(t, nil, env, args...)
}

func baseEnv(t *testing.T) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ALCHEMIST_") && !strings.HasPrefix(kv, "XDG_") {
			env = append(env, kv)
		}
	}
	return append(env, "XDG_DATA_HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir(),
		// Never find a developer's running `alchemist serve`.
		"ALCHEMIST_NATS_LOCAL_URL=nats://127.0.0.1:1")
}

// displayArgs renders in the Xvfb window when make test provides one, else headless EGL.
func displayArgs() []string {
	if os.Getenv("DISPLAY") == "" {
		return []string{"--headless"}
	}
	return nil
}

func TestDemoScreenshotShowsNodes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo.png")
	args := append([]string{"run", "--demo", "10000", "--screenshot", out, "--frames", "8", "--width", "640", "--height", "480"}, displayArgs()...)
	r := alchemist(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 480 {
		t.Fatalf("screenshot is %v, want 640x480", b)
	}
	// Count pixels that carry a saturated palette colour (nodes), as opposed to the dark background
	// and the grey edges.
	saturated := 0
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			hi, lo := max(r, g, b)>>8, min(r, g, b)>>8
			if hi > 120 && hi-lo > 80 {
				saturated++
			}
		}
	}
	if frac := float64(saturated) / (640 * 480); frac < 0.01 {
		t.Fatalf("only %.3f%% of the screenshot shows node colours", 100*frac)
	}
	t.Logf("%d node-coloured pixels", saturated)
}

func oneLine(t *testing.T, r result, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d (stderr %q)", r.code, code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 {
		t.Errorf("stderr has %d lines, want one: %q", len(lines), r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr %q does not mention %q", r.stderr, w)
		}
	}
}

func TestBadConfigValueIsOneClearLine(t *testing.T) {
	oneLine(t, alchemist(t, []string{"ALCHEMIST_WINDOW_MSAA=lots"}, "run", "--headless"), 2, "ALCHEMIST_WINDOW_MSAA", "window.msaa")
	cfg := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(cfg, []byte("[render]\nnode_radius = -1\n"), 0o600)
	oneLine(t, alchemist(t, nil, "run", "--config", cfg), 2, "render.node_radius")
}

func TestUnreachableNATSIsOneClearLine(t *testing.T) {
	oneLine(t, alchemist(t, nil, "run", "--headless", "--nats", "nats://127.0.0.1:1", "--screenshot", "x.png"), 4, "127.0.0.1:1", "unreachable")
}

func TestNoDisplayIsOneClearLine(t *testing.T) {
	oneLine(t, alchemist(t, []string{"DISPLAY=", "WAYLAND_DISPLAY="}, "run", "--demo", "10"), 3, "xvfb-run", "--headless")
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"run", "serve"} {
		r := alchemist(t, nil, cmd, "--help")
		if r.code != 0 || !strings.Contains(r.stderr, "Usage: alchemist "+cmd) {
			t.Errorf("%s --help: exit %d, %q", cmd, r.code, r.stderr)
		}
	}
	if r := alchemist(t, nil, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", r.code, r.stderr)
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// serve exposes the embedded server; a GUI started without --nats uses it instead of its own.
func TestServeIsUsedByOtherProcesses(t *testing.T) {
	port := freePort(t)
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data", data)
	cmd.Env = baseEnv(t)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
	}()
	select {
	case line := <-ready:
		if !strings.Contains(line, fmt.Sprintf("127.0.0.1:%d", port)) {
			t.Fatalf("serve said %q", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "E2E", Subjects: []string{"e2e.>"}}); err != nil {
		t.Fatalf("JetStream on serve: %v", err)
	}
	if _, err := js.Publish(ctx, "e2e.x", []byte("hi")); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "s.png")
	r := alchemist(t, []string{"ALCHEMIST_NATS_LOCAL_URL=" + url, "ALCHEMIST_LOG_LEVEL=debug"},
		append([]string{"run", "--demo", "50", "--screenshot", out, "--frames", "2", "--width", "200", "--height", "150"}, displayArgs()...)...)
	if r.code != 0 || !strings.Contains(r.stderr, "mode=local-serve") {
		t.Fatalf("GUI did not use the local serve: exit %d, %s", r.code, r.stderr)
	}
	// A second embedded server on the same data dir is refused while serve runs.
	r = alchemist(t, []string{"ALCHEMIST_DATA_DIR=" + data}, "serve", "--listen", "127.0.0.1:0")
	if r.code != 5 || !strings.Contains(r.stderr, "in use") {
		t.Fatalf("second server on a busy data dir: exit %d, %q", r.code, r.stderr)
	}
}
