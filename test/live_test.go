package test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// serveProcess runs `alchemist serve` on a random port over data and returns its URL.
func serveProcess(t *testing.T, data string, port int) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data", data)
	cmd.Env = baseEnv(t)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
		}
	})
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
		io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		if !strings.Contains(l, "nats://") {
			t.Fatalf("serve said %q", l)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	return cmd, fmt.Sprintf("nats://127.0.0.1:%d", port)
}

type reply struct {
	OK      bool   `json:"ok"`
	Version uint64 `json:"version"`
	Error   *struct{ Code, Message string }
}

func send(nc *nats.Conn, op, body string) (reply, error) {
	msg, err := nc.Request("graph.commands.v1."+op, []byte(body), 5*time.Second)
	if err != nil {
		return reply{}, err
	}
	var r reply
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		return r, err
	}
	if !r.OK {
		return r, fmt.Errorf("%s refused: %+v", op, r.Error)
	}
	return r, nil
}

// A plain nats.go client creates a graph and adds nodes through the documented subjects while the GUI
// shows it; the nodes added after the GUI opened the graph arrive live.
func TestGUIShowsCommandsFromAnyClient(t *testing.T) {
	_, url := serveProcess(t, t.TempDir(), freePort(t))
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := send(nc, "create_graph", `{"graph_id":"live","name":"live graph"}`); err != nil {
		t.Fatal(err)
	}
	var first []string
	for i := range 20 {
		first = append(first, fmt.Sprintf(`{"id":"a%d"}`, i))
	}
	if _, err := send(nc, "add_nodes", `{"graph_id":"live","nodes":[`+strings.Join(first, ",")+`]}`); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "live.png")
	gui := exec.Command(binary, append([]string{"run", "--graph", "live", "--screenshot", out, "--frames", "200",
		"--width", "320", "--height", "240", "--nats", url}, displayArgs()...)...)
	gui.Env = baseEnv(t)
	stderr, _ := gui.StderrPipe()
	if err := gui.Start(); err != nil {
		t.Fatal(err)
	}
	logs := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs <- sc.Text()
		}
		close(logs)
	}()
	var all []string
	waitLog := func(want string) {
		for l := range logs {
			all = append(all, l)
			if strings.Contains(l, want) {
				return
			}
		}
		t.Fatalf("GUI never logged %q: %s", want, strings.Join(all, "\n"))
	}
	waitLog("graph opened")
	var more []string
	for i := range 30 {
		more = append(more, fmt.Sprintf(`{"id":"b%d"}`, i))
	}
	if _, err := send(nc, "add_nodes", `{"graph_id":"live","nodes":[`+strings.Join(more, ",")+`]}`); err != nil {
		t.Fatal(err)
	}
	if _, err := send(nc, "add_edges", `{"graph_id":"live","edges":[{"id":"e1","source":"a0","target":"b0"}]}`); err != nil {
		t.Fatal(err)
	}
	waitLog("screenshot written")
	if err := gui.Wait(); err != nil {
		t.Fatalf("GUI: %v\n%s", err, strings.Join(all, "\n"))
	}
	last := all[len(all)-1]
	if !strings.Contains(last, "nodes=50") || !strings.Contains(last, "edges=1") {
		t.Fatalf("GUI did not show the live additions: %s", last)
	}
}

// The server is killed with SIGKILL in the middle of a stream of commands; after a restart on the
// same data every acknowledged command is there and the graph loads.
func TestAckedCommandsSurviveSIGKILL(t *testing.T) {
	data := t.TempDir()
	port := freePort(t)
	srv, url := serveProcess(t, data, port)
	nc, err := nats.Connect(url, nats.MaxReconnects(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := send(nc, "create_graph", `{"graph_id":"crash","name":"crash"}`); err != nil {
		t.Fatal(err)
	}
	acked := []string{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i := 0; ctx.Err() == nil; i++ {
		id := fmt.Sprintf("n%d", i)
		_, err := send(nc, "add_nodes", fmt.Sprintf(`{"command_id":"%s","graph_id":"crash","nodes":[{"id":"%s"}]}`, id, id))
		if err != nil {
			break
		}
		acked = append(acked, id)
		if i == 300 {
			srv.Process.Signal(syscall.SIGKILL)
		}
	}
	srv.Wait()
	nc.Close()
	if len(acked) < 300 {
		t.Fatalf("only %d commands acknowledged before the kill", len(acked))
	}

	_, url = serveProcess(t, data, port)
	nc, err = nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	msg, err := nc.Request("graph.queries.v1.get", []byte(`{"graph_id":"crash","full":true}`), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		NodeCount int `json:"node_count"`
		Nodes     []struct{ ID string }
	}
	if err := json.Unmarshal(msg.Data, &st); err != nil {
		t.Fatalf("%v: %s", err, msg.Data)
	}
	have := map[string]bool{}
	for _, n := range st.Nodes {
		have[n.ID] = true
	}
	for _, id := range acked {
		if !have[id] {
			t.Fatalf("acknowledged node %s lost in the crash (%d of %d present)", id, len(have), len(acked))
		}
	}
	t.Logf("%d commands acknowledged before SIGKILL, all present after restart (%d nodes)", len(acked), st.NodeCount)
	// The graph still takes commands after the restart.
	if _, err := send(nc, "add_nodes", `{"graph_id":"crash","nodes":[{"id":"after"}]}`); err != nil {
		t.Fatal(err)
	}
}
