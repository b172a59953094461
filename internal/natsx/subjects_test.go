package natsx

import (
	"errors"
	"testing"
)

func TestSubjectGrammar(t *testing.T) {
	if got := EventSubject("g1", "nodes_added"); got != "graph.events.v1.g1.nodes_added" {
		t.Fatalf("EventSubject = %q", got)
	}
	if got := GraphEvents("g1"); got != "graph.events.v1.g1.>" {
		t.Fatalf("GraphEvents = %q", got)
	}
	if got := EventsOfType("node_removed"); got != "graph.events.v1.*.node_removed" {
		t.Fatalf("EventsOfType = %q", got)
	}
	if got := CommandSubject("add_nodes"); got != "graph.commands.v1.add_nodes" {
		t.Fatalf("CommandSubject = %q", got)
	}
	if got := PresenceSubject("g1", "ann"); got != "collab.v1.g1.presence.ann" {
		t.Fatalf("PresenceSubject = %q", got)
	}
	g, e, err := ParseEventSubject("graph.events.v1.g1.edges_added")
	if err != nil || g != "g1" || e != "edges_added" {
		t.Fatalf("ParseEventSubject = %q %q %v", g, e, err)
	}
	for _, bad := range []string{"graph.events.v1.g1", "other.g1.x", "graph.events.v1.g1.a.b"} {
		if _, _, err := ParseEventSubject(bad); err == nil {
			t.Errorf("ParseEventSubject(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"", "a.b", "a*", "a>", "a b"} {
		if err := ValidToken(bad); !errors.Is(err, ErrBadToken) {
			t.Errorf("ValidToken(%q) = %v", bad, err)
		}
	}
	if err := ValidToken("0193-abc_DEF"); err != nil {
		t.Errorf("ValidToken rejected a good token: %v", err)
	}
}

func TestAgentAndBlockSubjects(t *testing.T) {
	for got, want := range map[string]string{
		AgentAnalyzeSubject("similarity", "analyze"): "agents.v1.similarity.analyze",
		AgentProgressSubject("r1"):                   "agents.v1.progress.r1",
		AgentCancelSubject("r1"):                     "agents.v1.cancel.r1",
		SuggestionsSubject("accept"):                 "agents.v1.suggestions.accept",
		BlockSubject("content", "raw", "bafk"):       "cas.content.raw.bafk",
		BlockBucket("content"):                       "cas.content.>",
		BlockStream("content"):                       "CAS_content",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
