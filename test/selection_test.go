package test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Shift+drag draws a selection box around part of a star graph and selects several leaves; Escape
// clears; a click on the hub selects it and the inspector loads its provenance (the events that
// added it and its edges). The real binary in an Xvfb window, driven by xdotool.
func TestBoxSelectAndHubProvenance(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs the Xvfb display that make test provides")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Skip("xdotool is not installed (make deps installs it)")
	}
	env := []string{"ALCHEMIST_DATA_DIR=" + t.TempDir()}
	star := filepath.Join(t.TempDir(), "star.csv")
	var b strings.Builder
	b.WriteString("source,target\n")
	for i := range 30 {
		fmt.Fprintf(&b, "hub,leaf%d\n", i)
	}
	if err := os.WriteFile(star, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := alchemist(t, env, "import", star, "--id", "star"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	// Large enough that the inspector (bottom right) never covers the hub in the middle.
	const width, height = 1000, 800
	title := fmt.Sprintf("alchemist-select-%d", time.Now().UnixNano())
	gui := exec.Command(binary, "run", "--graph", "star", "--width", strconv.Itoa(width), "--height", strconv.Itoa(height), "--msaa", "0")
	gui.Env = append(baseEnv(t), append(env, "ALCHEMIST_WINDOW_TITLE="+title)...)
	stderr, _ := gui.StderrPipe()
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { gui.Process.Kill(); gui.Wait() }()
	lines := make(chan string, 256)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.Now().Add(60 * time.Second)
	window := ""
	for window == "" {
		if time.Now().After(deadline) {
			t.Fatal("the window never appeared")
		}
		time.Sleep(300 * time.Millisecond)
		out, _ := exec.Command("xdotool", "search", "--name", title).Output()
		window = strings.TrimSpace(strings.Split(string(out), "\n")[0])
	}
	// await returns the first line with all the parts, or fails after wait.
	await := func(wait time.Duration, parts ...string) string {
		t.Helper()
		until := time.After(wait)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatal("the GUI exited")
				}
				found := true
				for _, p := range parts {
					found = found && strings.Contains(l, p)
				}
				if found {
					return l
				}
			case <-until:
				return ""
			}
		}
	}
	xdo := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v %s", args, err, out)
		}
	}
	await(2500*time.Millisecond, "never") // the layout settles the star around its hub

	// A box over the lower-left quarter (clear of the stats overlay at the top left): the leaves there.
	boxes := [][4]int{{20, height / 2, width/2 - 40, height - 40}, {width/2 + 40, height / 2, width - 20, height - 40}, {20, 160, width/2 - 40, height/2 + 100}}
	count := 0
	for _, box := range boxes {
		xdo("mousemove", "--window", window, strconv.Itoa(box[0]), strconv.Itoa(box[1]))
		xdo("keydown", "shift")
		xdo("mousedown", "1")
		for s := 1; s <= 8; s++ {
			x, y := box[0]+(box[2]-box[0])*s/8, box[1]+(box[3]-box[1])*s/8
			xdo("mousemove", "--window", window, strconv.Itoa(x), strconv.Itoa(y))
			time.Sleep(30 * time.Millisecond)
		}
		xdo("mouseup", "1")
		xdo("keyup", "shift")
		l := await(5*time.Second, "msg=selection", "how=box")
		if l == "" {
			t.Fatal("no box selection was logged")
		}
		count = intField(t, l, "count")
		t.Logf("box %v: %s", box, l)
		if count > 1 {
			break
		}
	}
	if count <= 1 {
		t.Fatalf("box selections selected at most %d node", count)
	}

	xdo("key", "--window", window, "Escape")
	if l := await(5*time.Second, "msg=selection", "count=0"); l == "" {
		t.Fatal("Escape did not clear the selection")
	}
	for attempt := 0; ; attempt++ {
		if attempt == 5 {
			t.Fatal("five clicks on the hub selected nothing")
		}
		xdo("mousemove", "--window", window, strconv.Itoa(width/2), strconv.Itoa(height/2), "click", "1")
		l := await(3*time.Second, "node selected")
		if l == "" {
			continue
		}
		if !strings.Contains(l, "node=hub") {
			t.Fatalf("the click selected something else: %s", l)
		}
		break
	}
	l := await(10*time.Second, "inspector provenance", "item=hub")
	if l == "" {
		t.Fatal("the inspector showed no provenance for the hub")
	}
	// nodes_added (the hub) and edges_added (its 30 edges, one import chunk) at least.
	if n := intField(t, l, "events"); n < 2 {
		t.Errorf("hub provenance has %d events, want at least 2: %s", n, l)
	}
}

// intField reads an integer key=value from a slog text line.
func intField(t *testing.T, line, key string) int {
	t.Helper()
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("%s=%q in %s", key, v, line)
			}
			return n
		}
	}
	t.Fatalf("no %s in %s", key, line)
	return 0
}
