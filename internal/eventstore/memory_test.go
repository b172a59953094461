package eventstore_test

import (
	"testing"

	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/eventstore/storetest"
	"github.com/infoalchemist/alchemist/internal/natsx"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store {
		m := eventstore.NewMemory()
		t.Cleanup(func() { m.Close() })
		return m
	})
}

// TestSubjectGrammar keeps the NATS-free mirror of the subject grammar equal to natsx's.
func TestSubjectGrammar(t *testing.T) {
	if eventstore.EventSubject("g1", "nodes_added") != natsx.EventSubject("g1", "nodes_added") ||
		eventstore.GraphFilter("g1") != natsx.GraphEvents("g1") || eventstore.AllFilter != natsx.AllEvents ||
		eventstore.TypeFilter("nodes_added") != natsx.EventsOfType("nodes_added") {
		t.Fatal("eventstore's subject mirror differs from natsx/subjects.go")
	}
	for _, c := range []struct {
		pat, subj string
		want      bool
	}{
		{"graph.events.v1.>", "graph.events.v1.g.nodes_added", true},
		{"graph.events.v1.g.>", "graph.events.v1.g.nodes_added", true},
		{"graph.events.v1.g.>", "graph.events.v1.gh.nodes_added", false},
		{"graph.events.v1.g.>", "graph.events.v1.g", false},
		{"graph.events.v1.*.nodes_added", "graph.events.v1.x.nodes_added", true},
		{"graph.events.v1.*.nodes_added", "graph.events.v1.x.edges_added", false},
		{"a.b", "a.b.c", false},
		{"a.b.c", "a.b", false},
	} {
		if got := eventstore.MatchSubject(c.pat, c.subj); got != c.want {
			t.Errorf("MatchSubject(%q, %q) = %v", c.pat, c.subj, got)
		}
	}
}

func TestMemoryLister(t *testing.T) {
	storetest.RunLister(t, func(t *testing.T) eventstore.Store { return eventstore.NewMemory() })
}
