package test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// guiSession is the real binary in an Xvfb window, its log lines and its X window id.
type guiSession struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  chan string
	seen   []string
	window string
}

func startGUISession(t *testing.T, env []string, args ...string) *guiSession {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs the Xvfb display that make test provides")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Skip("xdotool is not installed (make deps installs it)")
	}
	title := fmt.Sprintf("alchemist-%s-%d", t.Name(), time.Now().UnixNano())
	cmd := exec.Command(binary, append([]string{"run"}, args...)...)
	cmd.Env = append(baseEnv(t), append(env, "ALCHEMIST_WINDOW_TITLE="+title)...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &guiSession{t: t, cmd: cmd, lines: make(chan string, 1024)}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for s.window == "" {
		if time.Now().After(deadline) {
			t.Fatal("the window never appeared")
		}
		time.Sleep(300 * time.Millisecond)
		out, _ := exec.Command("xdotool", "search", "--name", title).Output()
		s.window = strings.TrimSpace(strings.Split(string(out), "\n")[0])
	}
	return s
}

// waitFor returns the first new log line containing every one of want.
func (s *guiSession) waitFor(timeout time.Duration, want ...string) string {
	s.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("the GUI exited waiting for %q:\n%s", want, strings.Join(s.seen, "\n"))
			}
			s.seen = append(s.seen, l)
			all := true
			for _, w := range want {
				all = all && strings.Contains(l, w)
			}
			if all {
				return l
			}
		case <-deadline:
			s.t.Fatalf("no log line with %q within %v:\n%s", want, timeout, strings.Join(s.seen, "\n"))
		}
	}
}

// xdo runs xdotool with the window id substituted for WINDOW.
func (s *guiSession) xdo(args ...string) {
	s.t.Helper()
	for i, a := range args {
		if a == "WINDOW" {
			args[i] = s.window
		}
	}
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}

var logField = regexp.MustCompile(`(\w+)=(\S+)`)

// fields reads key=value pairs of a slog text line.
func fields(line string) map[string]string {
	m := map[string]string{}
	for _, kv := range logField.FindAllStringSubmatch(line, -1) {
		m[kv[1]] = kv[2]
	}
	return m
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// Dragging the timeline's scrubber to an earlier position shows the graph exactly as it was at that
// version (its node count), and Live brings back the current graph.
func TestTimelineScrubShowsPastVersions(t *testing.T) {
	_, url := serveProcess(t, t.TempDir(), freePort(t))
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := send(nc, "create_graph", `{"graph_id":"tl","name":"timeline graph"}`); err != nil {
		t.Fatal(err)
	}
	// 30 additions of 4 nodes each: the node count tells every version apart.
	nodesAt := map[uint64]int{}
	var versions []uint64
	for i := range 30 {
		var ids []string
		for j := range 4 {
			ids = append(ids, fmt.Sprintf(`{"id":"n%d_%d"}`, i, j))
		}
		r, err := send(nc, "add_nodes", `{"graph_id":"tl","nodes":[`+strings.Join(ids, ",")+`]}`)
		if err != nil {
			t.Fatal(err)
		}
		nodesAt[r.Version] = 4 * (i + 1)
		versions = append(versions, r.Version)
	}

	gui := startGUISession(t, nil, "--graph", "tl", "--show", "timeline", "--nats", url, "--width", "900", "--height", "600", "--msaa", "0")
	layout := fields(gui.waitFor(60*time.Second, "timeline layout"))
	if atoi(t, layout["events"]) != 31 {
		t.Fatalf("the timeline has %s events, want 31 (create + 30 additions)", layout["events"])
	}
	x0, x1, y := atoi(t, layout["slider_x0"]), atoi(t, layout["slider_x1"]), atoi(t, layout["slider_y"])
	// Drag the grab from the live end to about a third of the way (a rebuild from a checkpoint), then
	// on to two thirds (the past view is fed the events in between).
	for _, leg := range [][2]int{{x1, x0 + (x1-x0)/3}, {x0 + (x1-x0)/3, x0 + 2*(x1-x0)/3}} {
		shown := gui.drag(leg[0], leg[1], y)
		t.Logf("drag to x=%d: %v", leg[1], shown)
		version, _ := strconv.ParseUint(shown["version"], 10, 64)
		index := atoi(t, shown["index"])
		wantIndex := 1 + 30*(leg[1]-x0)/(x1-x0)
		if index < wantIndex-3 || index > wantIndex+3 {
			t.Fatalf("the drag to x=%d showed position %d of 31, want about %d", leg[1], index, wantIndex)
		}
		want, ok := nodesAt[version]
		if !ok {
			t.Fatalf("shown version %d is not one the graph had (versions %v)", version, versions)
		}
		if got := atoi(t, shown["nodes"]); got != want {
			t.Fatalf("version %d shows %d nodes, want %d", version, got, want)
		}
	}

	gui.xdo("mousemove", "--window", "WINDOW", layout["live_x"], layout["live_y"], "click", "1")
	live := fields(gui.waitFor(20*time.Second, "timeline live"))
	if atoi(t, live["nodes"]) != 120 {
		t.Fatalf("back to live shows %s nodes, want 120", live["nodes"])
	}
}

// drag moves the pointer with the left button down from x0 to x1 along y and returns the last
// "timeline showing" line once the GUI has settled.
func (s *guiSession) drag(x0, x1, y int) map[string]string {
	s.t.Helper()
	s.xdo("mousemove", "--window", "WINDOW", strconv.Itoa(x0), strconv.Itoa(y))
	s.xdo("mousedown", "1")
	step := 40
	if x1 < x0 {
		step = -40
	}
	for x := x0; (step > 0 && x < x1) || (step < 0 && x > x1); x += step {
		s.xdo("mousemove", "--window", "WINDOW", strconv.Itoa(x), strconv.Itoa(y))
		time.Sleep(30 * time.Millisecond)
	}
	s.xdo("mousemove", "--window", "WINDOW", strconv.Itoa(x1), strconv.Itoa(y))
	time.Sleep(200 * time.Millisecond)
	s.xdo("mouseup", "1")
	// The last line is the one the drag ended on; earlier ones may be skipped or shown on the way.
	shown := fields(s.waitFor(30*time.Second, "timeline showing"))
	settle := time.After(3 * time.Second)
	for {
		select {
		case l := <-s.lines:
			s.seen = append(s.seen, l)
			if strings.Contains(l, "timeline showing") {
				shown = fields(l)
			}
		case <-settle:
			return shown
		}
	}
}
