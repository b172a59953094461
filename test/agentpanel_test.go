package test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/agents"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	esjs "github.com/infoalchemist/alchemist/internal/eventstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/nats-io/nats.go"
)

// agentClusters is a node-link graph of two tight clusters in a 2-D concept space with few edges:
// the similarity agent proposes links between the unlinked near pairs.
const agentClusters = `{"directed": true,
 "nodes": [{"id": "a1", "coords": [0, 0]}, {"id": "a2", "coords": [0.1, 0]}, {"id": "a3", "coords": [0, 0.12]},
           {"id": "b1", "coords": [5, 5]}, {"id": "b2", "coords": [5.1, 5]}, {"id": "b3", "coords": [5, 5.1]}],
 "links": [{"source": "a1", "target": "a2"}, {"source": "b1", "target": "b2"}, {"source": "a1", "target": "b1"}]}`

// panelLog follows a GUI's stderr.
type panelLog struct {
	t     *testing.T
	lines chan string
	all   []string
}

func followPanelLog(t *testing.T, cmd *exec.Cmd) *panelLog {
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	g := &panelLog{t: t, lines: make(chan string, 256)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			g.lines <- sc.Text()
		}
		close(g.lines)
	}()
	return g
}

// wait returns the first line logged so far or within the wait that has message msg and satisfies
// ok (nil: any); lines from the GUI's goroutines come in no set order.
func (g *panelLog) wait(msg string, within time.Duration, ok func(string) bool) string {
	g.t.Helper()
	l, found := g.try(msg, within, ok)
	if !found {
		g.t.Fatalf("no %q within %v:\n%s", msg, within, strings.Join(g.all, "\n"))
	}
	return l
}

// try is wait that reports a timeout instead of failing.
func (g *panelLog) try(msg string, within time.Duration, ok func(string) bool) (string, bool) {
	g.t.Helper()
	match := func(l string) bool { return strings.Contains(l, "msg=\""+msg+"\"") && (ok == nil || ok(l)) }
	for _, l := range g.all {
		if match(l) {
			return l, true
		}
	}
	deadline := time.After(within)
	for {
		select {
		case l, open := <-g.lines:
			if !open {
				g.t.Fatalf("the GUI exited before logging %q:\n%s", msg, strings.Join(g.all, "\n"))
			}
			g.all = append(g.all, l)
			if match(l) {
				return l, true
			}
		case <-deadline:
			return "", false
		}
	}
}

func panelField(line, key string) string {
	m := regexp.MustCompile(`\b` + key + `=("(?:[^"\\]|\\.)*"|\S+)`).FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	if s, err := strconv.Unquote(m[1]); err == nil {
		return s
	}
	return m[1]
}

func panelInt(line, key string) int {
	n, _ := strconv.Atoi(panelField(line, key))
	return n
}

// Issue 9's agent panel end to end: the similarity agent is run from the command palette, its
// suggestions are listed; the keyboard accepts the first and rejects the next with a reason; the
// stream then holds the accepted edge caused by the suggestion and the rejection, both by "ui".
func TestAgentPanelAcceptAndReject(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs the Xvfb display that make test provides")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Skip("xdotool is not installed (make deps installs it)")
	}
	data := t.TempDir()
	env := []string{"ALCHEMIST_DATA_DIR=" + data}
	file := filepath.Join(t.TempDir(), "clusters.json")
	os.WriteFile(file, []byte(agentClusters), 0o600)
	if r := alchemist(t, env, "import", file, "--id", "clusters"); r.code != 0 {
		t.Fatal(r.stderr)
	}

	title := fmt.Sprintf("alchemist-agents-%d", time.Now().UnixNano())
	gui := exec.Command(binary, "run", "--graph", "clusters", "--show", "agents",
		"--width", "1024", "--height", "768", "--msaa", "0")
	gui.Env = append(baseEnv(t), append(env, "ALCHEMIST_WINDOW_TITLE="+title)...)
	log := followPanelLog(t, gui)
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if gui.ProcessState == nil {
			gui.Process.Kill()
			gui.Wait()
		}
	}()

	var window string
	for deadline := time.Now().Add(20 * time.Second); window == ""; {
		if time.Now().After(deadline) {
			t.Fatal("the window never appeared")
		}
		out, _ := exec.Command("xdotool", "search", "--name", title).Output()
		window = strings.TrimSpace(strings.Split(string(out), "\n")[0])
		if window == "" {
			time.Sleep(200 * time.Millisecond)
		}
	}
	xdo := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v %s", args, err, out)
		}
	}
	// The similarity agent is run from the command palette, as a user does: Ctrl+K, its name, Enter.
	log.wait("graph opened", 30*time.Second, nil)
	for try := 0; try < 4; try++ {
		xdo("key", "--window", window, "ctrl+k")
		time.Sleep(300 * time.Millisecond)
		xdo("type", "--window", window, "--delay", "40", "run agent simil")
		time.Sleep(300 * time.Millisecond)
		xdo("key", "--window", window, "Return")
		if _, ok := log.try("agent run", 10*time.Second, func(l string) bool { return panelField(l, "agent") == "similarity" }); ok {
			break
		}
		xdo("key", "--window", window, "Escape")
	}
	pending := log.wait("suggestions pending", 30*time.Second, func(l string) bool { return panelInt(l, "count") >= 2 })
	t.Logf("%d suggestions pending", panelInt(pending, "count"))
	layout := log.wait("agent panel layout", 30*time.Second, func(l string) bool { return panelInt(l, "y") > 40 })
	px, py, pw := panelInt(layout, "x"), panelInt(layout, "y"), panelInt(layout, "width")
	// A click on the panel's title bar gives it the keyboard; the pointer stays over the window, so
	// the keys reach it whatever the X focus policy.
	focus := func() {
		xdo("mousemove", "--window", window, strconv.Itoa(px+pw/2), strconv.Itoa(py+8), "click", "1")
		time.Sleep(300 * time.Millisecond)
	}
	// A key pressed before the window has the X focus is lost: each step is tried a few times,
	// and the log says when it took.
	var accepted, asked string
	for try := 0; accepted == "" && try < 4; try++ {
		focus()
		xdo("key", "a")
		l, _ := log.try("suggestion accepted", 5*time.Second, nil)
		accepted = panelField(l, "id")
	}
	for try := 0; asked == "" && try < 4; try++ {
		focus()
		xdo("key", "x")
		l, _ := log.try("rejection reason asked", 5*time.Second, func(l string) bool { return panelField(l, "id") != accepted })
		asked = panelField(l, "id")
	}
	if accepted == "" || asked == "" {
		t.Fatalf("the panel took no keys (accepted %q, reason asked for %q):\n%s", accepted, asked, strings.Join(log.all, "\n"))
	}
	time.Sleep(300 * time.Millisecond) // the reason field takes the keyboard on the next frame
	xdo("type", "--delay", "30", "not similar")
	xdo("key", "Return")
	rejectedLine := log.wait("suggestion rejected", 20*time.Second, nil)
	rejected := panelField(rejectedLine, "id")
	if rejected != asked || panelField(rejectedLine, "reason") != "not similar" {
		t.Fatalf("rejected %s (%q) after accepting %s", rejected, panelField(rejectedLine, "reason"), accepted)
	}
	gui.Process.Signal(os.Interrupt)
	if err := gui.Wait(); err != nil {
		t.Fatalf("GUI: %v\n%s", err, strings.Join(log.all, "\n"))
	}

	// The stream, read back through a server on the same data.
	_, url := serveProcess(t, data, freePort(t))
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	store, err := esjs.Open(ctx, nc, esjs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var edgeAdded, rejection bool
	err = store.Load(ctx, "clusters", 1, func(r eventstore.Record) error {
		ev, err := r.Event()
		if err != nil {
			return err
		}
		switch p := ev.Data.(type) {
		case *graph.EdgesAdded:
			if ev.CausationID == accepted {
				if ev.Actor != "ui" || len(p.Edges) != 1 {
					t.Errorf("accepted edges: actor %q, %d edges", ev.Actor, len(p.Edges))
				}
				edgeAdded = true
				t.Logf("v%d edges_added %s -> %s caused by %s", ev.Seq, p.Edges[0].Source, p.Edges[0].Target, accepted)
			}
		case *agents.SuggestionRejected:
			if p.ID == rejected {
				if ev.Actor != "ui" || ev.CausationID != rejected || p.Reason != "not similar" {
					t.Errorf("rejection: actor %q causation %q reason %q", ev.Actor, ev.CausationID, p.Reason)
				}
				rejection = true
				t.Logf("v%d suggestion_rejected %s", ev.Seq, rejected)
			}
		case *agents.SuggestionAccepted:
			if p.ID == rejected {
				t.Errorf("the rejected suggestion %s was accepted", rejected)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !edgeAdded {
		t.Errorf("no edges_added event caused by the accepted suggestion %s", accepted)
	}
	if !rejection {
		t.Errorf("no suggestion_rejected event for %s", rejected)
	}
}
