package test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

func graphState(t *testing.T, url, id string) (nodes, edges int, ids map[string]bool) {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	msg, err := nc.Request("graph.queries.v1.get", []byte(fmt.Sprintf(`{"graph_id":%q,"full":true}`, id)), 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		OK        bool `json:"ok"`
		NodeCount int  `json:"node_count"`
		EdgeCount int  `json:"edge_count"`
		Nodes     []struct{ ID string }
	}
	if err := json.Unmarshal(msg.Data, &st); err != nil || !st.OK {
		t.Fatalf("get %s: %s", id, msg.Data)
	}
	ids = map[string]bool{}
	for _, n := range st.Nodes {
		ids[n.ID] = true
	}
	return st.NodeCount, st.EdgeCount, ids
}

func TestImportExportEveryFormat(t *testing.T) {
	_, url := serveProcess(t, t.TempDir(), freePort(t))
	env := []string{"ALCHEMIST_NATS_URL=" + url}
	cases := []struct {
		file         string
		nodes, edges int
	}{
		{"primer.graphml", 0, 0}, {"primer.gexf", 0, 0}, {"miserables.json", 0, 0}, {"gephi_edges.csv", 0, 0},
	}
	for _, c := range cases {
		r := alchemist(t, env, "import", filepath.Join("..", "internal", "graphio", "testdata", c.file))
		if r.code != 0 {
			t.Fatalf("import %s: exit %d: %s", c.file, r.code, r.stderr)
		}
		id := strings.TrimSpace(r.stdout)
		n, e, _ := graphState(t, url, id)
		if n == 0 || (c.nodes > 0 && (n != c.nodes || e != c.edges)) {
			t.Errorf("%s: %d nodes %d edges, want %d and %d", c.file, n, e, c.nodes, c.edges)
		}
		for _, f := range []string{"graphml", "gexf", "json", "csv"} {
			out := filepath.Join(t.TempDir(), "out."+f)
			args := []string{"export", id, "--format", f, "-o", out}
			if f == "csv" {
				args = append(args, "--nodes", out+".nodes")
			}
			if r := alchemist(t, env, args...); r.code != 0 {
				t.Fatalf("export %s as %s: %s", c.file, f, r.stderr)
			}
			// What was exported imports again to the same size.
			imp := []string{"import", out, "--format", f}
			if f == "csv" {
				imp = append(imp, "--nodes", out+".nodes")
			}
			r := alchemist(t, env, imp...)
			if r.code != 0 {
				t.Fatalf("re-import %s as %s: %s", c.file, f, r.stderr)
			}
			n2, e2, _ := graphState(t, url, strings.TrimSpace(r.stdout))
			if n2 != n || e2 != e {
				t.Errorf("%s via %s: %d nodes %d edges, want %d and %d", c.file, f, n2, e2, n, e)
			}
		}
	}
}

func TestBadImportsLeaveTheStoreUntouched(t *testing.T) {
	data := t.TempDir()
	env := []string{"ALCHEMIST_DATA_DIR=" + data}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o600)
		return p
	}
	good := alchemist(t, env, "import", write("good.csv", "source,target\na,b\n"), "--id", "g")
	if good.code != 0 {
		t.Fatal(good.stderr)
	}
	cases := []struct{ file, want string }{
		{write("quote.csv", "source,target\na,b\n\"c,d\n"), "quote.csv:3"},
		{write("dangle.graphml", `<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed"><node id="a"/><edge source="a" target="zz"/></graph></graphml>`), "zz"},
		{write("dup.json", `{"nodes":[{"id":"x"},{"id":"x"}],"links":[]}`), `"x"`},
		{write("broken.gexf", "<gexf><graph><nodes><node id=\"a\">\n</nodes></graph></gexf>"), "broken.gexf:2"},
		{write("exists.json", `{"nodes":[{"id":"a"}],"links":[]}`), "already defined in the graph"},
	}
	for _, c := range cases {
		args := []string{"import", c.file}
		if strings.HasSuffix(c.file, "exists.json") {
			args = append(args, "--id", "g")
		}
		r := alchemist(t, env, args...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("import %s: exit %d %q, want an error mentioning %q", filepath.Base(c.file), r.code, r.stderr, c.want)
		}
	}
	r := alchemist(t, env, "export", "g", "--format", "json")
	var doc struct {
		Nodes []any `json:"nodes"`
		Links []any `json:"links"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Nodes) != 2 || len(doc.Links) != 1 {
		t.Fatalf("graph g changed by refused imports: %s %s", r.stdout, r.stderr)
	}
	listing := alchemist(t, env, "export", "nope", "--format", "json")
	if listing.code != 6 {
		t.Errorf("export of a missing graph: exit %d %s", listing.code, listing.stderr)
	}
}

// The server is killed with SIGKILL in the middle of an import; after a restart the graph loads and
// holds a gap-free prefix of the file.
func TestImportSurvivesServerKill(t *testing.T) {
	dir := t.TempDir()
	const n = 60_000
	var nodes, edges strings.Builder
	nodes.WriteString("id\n")
	edges.WriteString("source,target\n")
	for i := range n {
		fmt.Fprintf(&nodes, "n%d\n", i)
		fmt.Fprintf(&edges, "n%d,n%d\n", i, (i*7+1)%n)
	}
	os.WriteFile(filepath.Join(dir, "nodes.csv"), []byte(nodes.String()), 0o600)
	os.WriteFile(filepath.Join(dir, "edges.csv"), []byte(edges.String()), 0o600)

	data := t.TempDir()
	port := freePort(t)
	srv, url := serveProcess(t, data, port)
	imp := exec.Command(binary, "import", filepath.Join(dir, "edges.csv"), "--nodes", filepath.Join(dir, "nodes.csv"), "--id", "big", "--nats", url)
	imp.Env = baseEnv(t)
	out, _ := os.Create(filepath.Join(dir, "import.log"))
	imp.Stdout, imp.Stderr = out, out
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill the server once the import has stored something.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Fatal("import never started storing")
		}
		nc, err := nats.Connect(url)
		if err == nil {
			msg, err := nc.Request("graph.queries.v1.list", nil, time.Second)
			nc.Close()
			if err == nil && strings.Contains(string(msg.Data), `"big"`) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	imp.Wait()

	_, url = serveProcess(t, data, port)
	count, _, ids := graphState(t, url, "big")
	for i := range count {
		if !ids[fmt.Sprintf("n%d", i)] {
			t.Fatalf("after the kill the graph has %d nodes but not n%d: not a prefix", count, i)
		}
	}
	log, _ := os.ReadFile(filepath.Join(dir, "import.log"))
	t.Logf("graph loads after SIGKILL mid-import with %d of %d nodes; import said: %s", count, n, strings.TrimSpace(string(log)))
}
