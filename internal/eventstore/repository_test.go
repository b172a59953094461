package eventstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/graph"
)

// TestImportLocksOneGraph: an import holds its graph's lock for its whole run; commands on every
// other graph go on meanwhile (no striped lock shared by unrelated graphs).
func TestImportLocksOneGraph(t *testing.T) {
	r := eventstore.NewRepository(eventstore.NewMemory(), eventstore.RepoOptions{})
	ctx := context.Background()
	im, err := r.Import(ctx, "busy", eventstore.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Abort()
	for i := range 200 {
		id := fmt.Sprint("other", i)
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		done := make(chan error, 1)
		go func() {
			_, err := r.Execute(cctx, id, &graph.CreateGraph{Name: id}, graph.Meta{}, eventstore.ExecOptions{})
			done <- err
		}()
		select {
		case err := <-done:
			cancel()
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("command on %s blocked by the import of another graph", id)
		}
	}
}
