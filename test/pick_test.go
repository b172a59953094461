package test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A click on the middle of a star graph selects its hub: the real binary in an Xvfb window, the click
// sent by xdotool.
func TestClickSelectsTheNodeUnderThePointer(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs the Xvfb display that make test provides")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Skip("xdotool is not installed (make deps installs it)")
	}
	data := t.TempDir()
	env := []string{"ALCHEMIST_DATA_DIR=" + data}
	star := filepath.Join(t.TempDir(), "star.csv")
	var b strings.Builder
	b.WriteString("source,target\n")
	for i := range 30 {
		fmt.Fprintf(&b, "hub,leaf%d\n", i)
	}
	os.WriteFile(star, []byte(b.String()), 0o600)
	if r := alchemist(t, env, "import", star, "--id", "star"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	title := fmt.Sprintf("alchemist-pick-%d", time.Now().UnixNano())
	gui := exec.Command(binary, "run", "--graph", "star", "--width", "640", "--height", "480", "--msaa", "0")
	gui.Env = append(baseEnv(t), append(env, "ALCHEMIST_WINDOW_TITLE="+title)...)
	stderr, _ := gui.StderrPipe()
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { gui.Process.Kill(); gui.Wait() }()
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(60 * time.Second)
	var window string
	for window == "" {
		select {
		case <-deadline:
			t.Fatal("the window never appeared")
		case <-time.After(300 * time.Millisecond):
		}
		out, _ := exec.Command("xdotool", "search", "--name", title).Output()
		window = strings.TrimSpace(strings.Split(string(out), "\n")[0])
	}
	time.Sleep(2 * time.Second) // the layout settles the star around its hub
	for range 5 {
		exec.Command("xdotool", "mousemove", "--window", window, "320", "240", "click", "1").Run()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the GUI exited")
			}
			if strings.Contains(l, "node selected") {
				if !strings.Contains(l, "node=hub") {
					t.Fatalf("the click selected something else: %s", l)
				}
				return
			}
		case <-time.After(2 * time.Second):
		case <-deadline:
			t.Fatal("no selection")
		}
	}
	t.Fatal("five clicks on the hub selected nothing")
}
