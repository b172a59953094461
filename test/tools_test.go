package test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// alchemistIn runs the binary with stdin (nil for none).
func alchemistIn(t *testing.T, stdin []byte, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(baseEnv(t), env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String()}
}

func TestCIDCommandMatchesPublishedCIDs(t *testing.T) {
	for content, want := range map[string]string{
		"":            "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
		"hello world": "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
	} {
		r := alchemistIn(t, []byte(content), nil, "cid", "-")
		if r.code != 0 || strings.TrimSpace(r.stdout) != want {
			t.Errorf("cid of %q: exit %d, %q, want %s (%s)", content, r.code, r.stdout, want, r.stderr)
		}
	}
	oneLine(t, alchemist(t, nil, "cid", "/nonexistent/file"), 2, "/nonexistent/file")
	oneLine(t, alchemist(t, nil, "cid", t.TempDir()), 2, "is a directory")
}

func TestObjectPutGetRoundTrip(t *testing.T) {
	data := t.TempDir()
	env := []string{"ALCHEMIST_DATA_DIR=" + data}
	content := bytes.Repeat([]byte("information alchemist "), 40_000) // 880 KB: several chunks
	src := filepath.Join(t.TempDir(), "in.bin")
	os.WriteFile(src, content, 0o600)

	put := alchemist(t, env, "object", "put", src)
	if put.code != 0 {
		t.Fatalf("put: exit %d: %s", put.code, put.stderr)
	}
	root := strings.TrimSpace(put.stdout)
	if cid := alchemist(t, nil, "cid", src); strings.TrimSpace(cid.stdout) != root {
		t.Fatalf("put printed %s, cid computes %s", root, cid.stdout)
	}
	out := filepath.Join(t.TempDir(), "out.bin")
	get := alchemist(t, env, "object", "get", root, "-o", out)
	if get.code != 0 {
		t.Fatalf("get: exit %d: %s", get.code, get.stderr)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, content) {
		t.Fatalf("round trip changed the content: %d bytes back, want %d", len(got), len(content))
	}
	unknown := alchemist(t, env, "object", "get", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
	if unknown.code != 6 || !strings.Contains(unknown.stderr, "not found") {
		t.Errorf("unknown CID: exit %d, %q", unknown.code, unknown.stderr)
	}
	oneLine(t, alchemist(t, env, "object", "get", "not-a-cid"), 2, "not-a-cid")
}

func TestGameCommands(t *testing.T) {
	r := alchemist(t, nil, "game", "solve", "../internal/game/testdata/bos.json")
	if r.code != 0 {
		t.Fatalf("solve: exit %d: %s", r.code, r.stderr)
	}
	var solved struct {
		Equilibria []struct {
			Strategies [][]string `json:"strategies"`
		} `json:"equilibria"`
		PureEquilibria [][]int `json:"pure_equilibria"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &solved); err != nil {
		t.Fatalf("solve output is not JSON: %v\n%s", err, r.stdout)
	}
	if len(solved.Equilibria) != 3 || len(solved.PureEquilibria) != 2 || !strings.Contains(r.stdout, `"3/5"`) {
		t.Errorf("battle of the sexes: %s", r.stdout)
	}
	r = alchemist(t, nil, "game", "coop", "../internal/game/testdata/glove.json")
	if r.code != 0 || !strings.Contains(r.stdout, `"2/3"`) || !strings.Contains(r.stdout, `"1/6"`) {
		t.Errorf("glove game: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	oneLine(t, alchemistIn(t, []byte(`{"A": [[1, 2], [3]], "B": [[1, 2], [3, 4]]}`), nil, "game", "solve", "-"), 2, "A")
}

func TestConceptEval(t *testing.T) {
	r := alchemist(t, nil, "concept", "eval", "../internal/conceptual/testdata/fruit.space.json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want, _ := os.ReadFile("../internal/conceptual/testdata/fruit.eval.json")
	var got, exp any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(want, &exp)
	if fmt.Sprint(got) != fmt.Sprint(exp) {
		t.Errorf("output differs from the pinned fruit.eval.json:\n%s", r.stdout)
	}
	oneLine(t, alchemistIn(t, []byte(`{"domains":[{"name":"x","dimensions":[]}]}`), nil, "concept", "eval", "-"), 2, "domains[0]")
}

func TestBenchLayoutPrintsJSON(t *testing.T) {
	r := alchemist(t, nil, "bench", "layout", "--nodes", "2000", "--edges", "4000", "--steps", "3", "--warm", "1")
	var res struct {
		Nodes     int     `json:"nodes"`
		MsPerStep float64 `json:"ms_per_step"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Nodes != 2000 || res.MsPerStep <= 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	oneLine(t, alchemist(t, nil, "bench", "layout", "--theta", "-1"), 2, "Theta")
}

func TestLayoutCommandWritesPositions(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pos.csv")
	r := alchemist(t, nil, "layout", "../internal/graphio/testdata/miserables.json", "--steps", "100", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if lines[0] != "id,x,y,z" || len(lines) < 3 {
		t.Fatalf("positions file: %q", data)
	}
	for _, l := range lines[1:] {
		if strings.Count(l, ",") != 3 || strings.Contains(l, "NaN") {
			t.Fatalf("bad row %q", l)
		}
	}
	oneLine(t, alchemist(t, nil, "layout", "/nonexistent.graphml"), 2, "nonexistent")
}

// Small content travels inline in the node's event; large content goes to the object store and the
// node carries its CID; both read back byte for byte.
func TestNodeContentInlineAndByCID(t *testing.T) {
	_, url := serveProcess(t, t.TempDir(), freePort(t))
	env := []string{"ALCHEMIST_NATS_URL=" + url}
	dir := t.TempDir()
	edges := filepath.Join(dir, "g.csv")
	os.WriteFile(edges, []byte("source,target\na,b\n"), 0o600)
	if r := alchemist(t, env, "import", edges, "--id", "g"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	small := []byte("a short note about node a")
	large := bytes.Repeat([]byte{0, 1, 2, 3, 250, 251}, 50_000) // 300 KB, binary
	for node, content := range map[string][]byte{"a": small, "b": large} {
		in := filepath.Join(dir, node+".in")
		os.WriteFile(in, content, 0o600)
		put := alchemist(t, env, "content", "put", "g", node, in)
		if put.code != 0 {
			t.Fatalf("put %s: %s", node, put.stderr)
		}
		if byCID := strings.TrimSpace(put.stdout) != ""; byCID != (len(content) > 64<<10) {
			t.Errorf("node %s (%d bytes): printed CID %q", node, len(content), put.stdout)
		}
		out := filepath.Join(dir, node+".out")
		if get := alchemist(t, env, "content", "get", "g", node, "-o", out); get.code != 0 {
			t.Fatalf("get %s: %s", node, get.stderr)
		}
		if got, _ := os.ReadFile(out); !bytes.Equal(got, content) {
			t.Errorf("node %s: %d bytes back, want %d", node, len(got), len(content))
		}
	}
	if r := alchemist(t, env, "content", "get", "g", "ghost"); r.code != 6 {
		t.Errorf("content of a missing node: exit %d %s", r.code, r.stderr)
	}
}
