package agents_test

import (
	"context"
	"errors"
	"testing"

	"github.com/infoalchemist/alchemist/internal/agents"
)

// The NATS client of the suggestion service does what the repository-backed Suggestions does, and
// its failures keep their protocol codes.
func TestSuggestionClient(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c := agents.NewSuggestionClient(f.nc)
	if _, err := c.List(ctx, "g1", ""); !errors.Is(err, agents.ErrUnavailable) {
		t.Fatalf("without a service: %v, want unavailable", err)
	}
	v := f.graphABC(t, "g1")
	svc, err := agents.StartSuggestionService(f.nc, f.sg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()

	ids, err := c.ProposeAll(ctx, &agents.Result{GraphID: "g1", Agent: "test",
		Suggestions: []agents.Suggestion{suggestEdge("cd", "c", "d", v), suggestEdge("ce", "c", "e", v)}}, "ui")
	if err != nil || len(ids) != 2 {
		t.Fatalf("propose: %v %v", ids, err)
	}
	pending, err := c.List(ctx, "g1", agents.StatusPending)
	if err != nil || len(pending) != 2 || pending[0].ID != ids[0] || pending[1].ID != ids[1] {
		t.Fatalf("pending: %+v %v", pending, err)
	}
	rep, err := c.Accept(ctx, "g1", ids[0], "ui")
	if err != nil || rep.Version <= v {
		t.Fatalf("accept: %+v %v", rep, err)
	}
	if _, err := c.Reject(ctx, "g1", ids[1], "not similar", "ui"); err != nil {
		t.Fatalf("reject: %v", err)
	}
	if _, err := c.Reject(ctx, "g1", ids[0], "", "ui"); !errors.Is(err, agents.ErrConflict) {
		t.Fatalf("reject after accept: %v, want conflict", err)
	}
	if _, err := c.Accept(ctx, "g1", "nope", "ui"); !errors.Is(err, agents.ErrNotFound) {
		t.Fatalf("accept of an unknown id: %v, want not found", err)
	}
	all, err := c.List(ctx, "g1", "")
	if err != nil || len(all) != 2 {
		t.Fatalf("list: %+v %v", all, err)
	}
	if all[0].Status != agents.StatusAccepted || all[0].DecidedBy != "ui" {
		t.Errorf("accepted entry %+v", all[0])
	}
	if all[1].Status != agents.StatusRejected || all[1].Reason != "not similar" || all[1].DecidedBy != "ui" {
		t.Errorf("rejected entry %+v", all[1])
	}
	for _, ev := range f.events(t, "g1", rep.Version) {
		if ev.Type == "edges_added" && ev.CausationID != ids[0] {
			t.Errorf("edges_added caused by %q, want %s", ev.CausationID, ids[0])
		}
	}
}
