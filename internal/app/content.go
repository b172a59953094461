package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"unicode/utf8"

	"github.com/infoalchemist/alchemist/internal/config"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/objectstore"
	objjs "github.com/infoalchemist/alchemist/internal/objectstore/jetstream"
	"github.com/nats-io/nats.go"
)

// ContentInlineLimit is the size up to which a node's content travels inline in its event (as the
// properties content, content_type, content_encoding); larger content goes to the object store and
// the event carries only its CID.
const ContentInlineLimit = 64 << 10

// contentBucket is the object store bucket of node content.
const contentBucket = "content"

// ContentOptions are the choices of `alchemist content`.
type ContentOptions struct {
	Config   config.Config
	GraphID  string
	NodeID   string
	Progress io.Writer
	Log      *slog.Logger
}

// ContentPut attaches FILE (or standard input) to a node: inline when small, by CID when large.
func ContentPut(ctx context.Context, opt ContentOptions, path string, stdin io.Reader, stdout io.Writer) error {
	in, err := openInput(path, stdin)
	if err != nil {
		return err
	}
	defer in.Close()
	head := make([]byte, ContentInlineLimit+1)
	n, err := io.ReadFull(in, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return fmt.Errorf("read %s: %w", path, err)
	}
	head = head[:n]
	contentType := http.DetectContentType(head)
	link, repo, closeRepo, err := openRepository(ctx, opt.Config, opt.Log)
	if err != nil {
		return err
	}
	defer closeRepo()
	props := map[string]any{"content_type": contentType}
	var cidText string
	var remove []string
	if n <= ContentInlineLimit {
		if utf8.Valid(head) {
			props["content"], props["content_encoding"] = string(head), "utf-8"
		} else {
			props["content"], props["content_encoding"] = base64.StdEncoding.EncodeToString(head), "base64"
		}
		props["content_size"] = n
	} else {
		client, err := objectClient(ctx, link.Conn, objectstore.Options{})
		if err != nil {
			return err
		}
		bar := newProgressBar(opt.Progress, "content")
		res, err := client.Put(ctx, io.MultiReader(bytes.NewReader(head), in), objectstore.WithProgress(bar.progress))
		bar.finish()
		if err != nil {
			return fmt.Errorf("store content of %s: %w", path, err)
		}
		cidText = res.Root.String()
		props["content_size"] = res.Size
		remove = []string{"content", "content_encoding"}
	}
	update := &graph.UpdateNode{ID: opt.NodeID, SetProps: graph.Props{}, RemoveProps: remove, CID: &cidText}
	for k, v := range props {
		update.SetProps[k], _ = json.Marshal(v)
	}
	// Through the repository, like import: it works on an embedded server as well as on a cluster.
	res, err := repo.Execute(ctx, opt.GraphID, update, graph.Meta{Actor: "alchemist content"}, eventstore.ExecOptions{})
	if err != nil {
		return fmt.Errorf("attach content to %s/%s: %w", opt.GraphID, opt.NodeID, err)
	}
	if cidText != "" {
		fmt.Fprintln(stdout, cidText)
	}
	opt.Log.Info("content attached", "graph", opt.GraphID, "node", opt.NodeID, "version", res.Version, "inline", n <= ContentInlineLimit)
	return nil
}

// ContentGet writes a node's content, fetching it by CID when it is not inline.
func ContentGet(ctx context.Context, opt ContentOptions, out string, stdout io.Writer) error {
	link, repo, closeRepo, err := openRepository(ctx, opt.Config, opt.Log)
	if err != nil {
		return err
	}
	defer closeRepo()
	var node graph.Node
	var found bool
	err = repo.View(ctx, opt.GraphID, func(g *graph.Graph) error {
		if !g.Exists() {
			return fmt.Errorf("graph %s: %w", opt.GraphID, eventstore.ErrNotFound)
		}
		node, found = g.Node(opt.NodeID)
		return nil
	})
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("node %s of graph %s: %w", opt.NodeID, opt.GraphID, eventstore.ErrNotFound)
	}
	w, commit, abort, err := createOutput(out, stdout)
	if err != nil {
		return err
	}
	if node.CID != "" {
		root, err := objectstore.ParseCID(node.CID)
		if err != nil {
			abort()
			return err
		}
		client, err := objectClient(ctx, link.Conn, objectstore.Options{})
		if err == nil {
			_, err = client.Get(ctx, root, w)
		}
		if err != nil {
			abort()
			return fmt.Errorf("content %s: %w", node.CID, err)
		}
		return commit()
	}
	data, err := inlineContent(node.Props)
	if err != nil {
		abort()
		return fmt.Errorf("node %s: %w", opt.NodeID, err)
	}
	if _, err := w.Write(data); err != nil {
		abort()
		return err
	}
	return commit()
}

func inlineContent(p graph.Props) ([]byte, error) {
	raw, ok := p["content"]
	if !ok {
		return nil, fmt.Errorf("no content: %w", eventstore.ErrNotFound)
	}
	var text, encoding string
	if err := json.Unmarshal(raw, &text); err != nil {
		return nil, fmt.Errorf("content property is not a string")
	}
	json.Unmarshal(p["content_encoding"], &encoding)
	if encoding == "base64" {
		return base64.StdEncoding.DecodeString(text)
	}
	return []byte(text), nil
}

func objectClient(ctx context.Context, nc *nats.Conn, opts objectstore.Options) (*objectstore.Client, error) {
	store, err := objjs.OpenConn(ctx, nc, objjs.Config{Bucket: contentBucket})
	if err != nil {
		return nil, fmt.Errorf("open object bucket: %w", err)
	}
	return objectstore.NewClient(store, opts)
}

// contentLoader fetches node content by CID on demand, off the frame thread: the inspector asks for
// a CID every frame and gets the bytes once they have arrived (the client's LRU keeps recent ones).
type contentLoader struct {
	client *objectstore.Client
	mu     sync.Mutex
	state  map[string]*contentState
}

type contentState struct {
	data []byte
	err  error
	done bool
}

// MaxPreview bounds what the loader fetches for display.
const MaxPreview = 4 << 20

func newContentLoader(client *objectstore.Client) *contentLoader {
	return &contentLoader{client: client, state: map[string]*contentState{}}
}

// Get returns the content when it has arrived; the first call starts the fetch.
func (l *contentLoader) Get(ctx context.Context, cidText string) (data []byte, ready bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if st, ok := l.state[cidText]; ok {
		return st.data, st.done, st.err
	}
	st := &contentState{}
	l.state[cidText] = st
	go func() {
		var data []byte
		root, err := objectstore.ParseCID(cidText)
		if err == nil {
			data, err = l.client.GetBytes(ctx, root, MaxPreview)
		}
		l.mu.Lock()
		st.data, st.err, st.done = data, err, true
		l.mu.Unlock()
	}()
	return nil, false, nil
}
