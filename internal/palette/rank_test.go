package palette

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// commands is the shape of the app's palette: commands, then graphs, agents and layout entries.
var commands = []Item{
	{Kind: "command", Title: "Open graph", Key: "cmd:open"},
	{Kind: "command", Title: "Create graph", Key: "cmd:create"},
	{Kind: "command", Title: "Rename graph", Key: "cmd:rename"},
	{Kind: "command", Title: "Delete graph", Key: "cmd:delete"},
	{Kind: "command", Title: "Import file", Key: "cmd:import"},
	{Kind: "command", Title: "Export file", Key: "cmd:export"},
	{Kind: "command", Title: "Add node", Key: "cmd:addnode"},
	{Kind: "command", Title: "Add edge", Key: "cmd:addedge"},
	{Kind: "command", Title: "Toggle layout", Shortcut: "Space", Key: "cmd:layout"},
	{Kind: "command", Title: "Fit view", Shortcut: "F", Key: "cmd:fit"},
	{Kind: "command", Title: "Reset view", Shortcut: "R", Key: "cmd:reset"},
	{Kind: "command", Title: "Screenshot", Key: "cmd:screenshot"},
	{Kind: "command", Title: "Jump to version", Key: "cmd:jump"},
	{Kind: "command", Title: "Toggle timeline", Shortcut: "Ctrl+T", Key: "cmd:timeline"},
	{Kind: "command", Title: "Toggle theme", Key: "cmd:theme"},
	{Kind: "command", Title: "Undo", Shortcut: "Ctrl+Z", Key: "cmd:undo"},
	{Kind: "command", Title: "Quit", Shortcut: "Ctrl+Q", Key: "cmd:quit"},
	{Kind: "agent", Title: "Run agent: similarity", Key: "agent:similarity"},
	{Kind: "agent", Title: "Run agent: structure", Key: "agent:structure"},
	{Kind: "graph", Title: "Open graph: Paris metro", Detail: "paris-metro", Key: "graph:paris-metro"},
	{Kind: "graph", Title: "Open graph: Protein graph", Detail: "ppi-7f3", Key: "graph:ppi-7f3"},
	{Kind: "layout", Title: "Set similarity weight", Key: "layout:similarity"},
}

func titles(items []Item, hits []Hit, n int) []string {
	var out []string
	for i, h := range hits {
		if i == n {
			break
		}
		out = append(out, items[h.Index].Title)
	}
	return out
}

// Rankings checked by hand against the scores of doc.go.
func TestRankHandChecked(t *testing.T) {
	for _, c := range []struct {
		query string
		want  []string // the first entries, in order
	}{
		// o-p at the start of "Open", g at the start of "graph"; the other opg's are further
		// apart or longer.
		{"opg", []string{"Open graph", "Open graph: Paris metro", "Open graph: Protein graph"}},
		// Case does not matter.
		{"OPG", []string{"Open graph"}},
		// Equal matches: the shorter title first (fzf's tie-break).
		{"tog", []string{"Toggle theme", "Toggle layout", "Toggle timeline"}},
		{"fit", []string{"Fit view"}},
		{"sim", []string{"Run agent: similarity", "Set similarity weight"}},
		{"ras", []string{"Run agent: structure", "Run agent: similarity"}},
		{"screen", []string{"Screenshot"}},
		{"metro", []string{"Open graph: Paris metro"}},
		// The detail (the graph id) is searched too, below title matches.
		{"7f3", []string{"Open graph: Protein graph"}},
		{"tt", []string{"Toggle theme", "Toggle timeline"}},
		// Word starts beat letters inside words: t-l of "Toggle layout" over "Toggle timeline".
		{"tl", []string{"Toggle layout"}},
	} {
		r := NewRanker(8)
		hits := r.Rank(c.query, commands, nil)
		got := titles(commands, hits, len(c.want))
		if !slices.Equal(got, c.want) {
			t.Errorf("%q ranks %v first, want %v (all: %v)", c.query, got, c.want, titles(commands, hits, 8))
		}
	}
}

func TestExactPrefixBeatsScattered(t *testing.T) {
	items := []Item{{Title: "Go rename all"}, {Title: "graph list"}, {Title: "a grab bag of ideas"}}
	hits := NewRanker(1).Rank("gra", items, nil)
	if got := titles(items, hits, 3); !slices.Equal(got, []string{"graph list", "a grab bag of ideas", "Go rename all"}) {
		t.Fatalf("got %v", got)
	}
}

func TestUnicodeRanking(t *testing.T) {
	items := []Item{{Title: "Grüße aus Köln"}, {Title: "KÖLN Hauptbahnhof"}, {Title: "Kolumne"}}
	hits := NewRanker(1).Rank("köln", items, nil)
	// Both are a word-start match of all four letters: the shorter text first.
	if got := titles(items, hits, 3); !slices.Equal(got, []string{"Grüße aus Köln", "KÖLN Hauptbahnhof"}) {
		t.Fatalf("got %v: ö must match Ö and not o", got)
	}
}

func TestRecentlyUsedFirst(t *testing.T) {
	r := NewRanker(8)
	// The empty query lists recent entries first, most recent first, then the rest in order.
	r.Use("cmd:screenshot")
	r.Use("cmd:fit")
	hits := r.Rank("", commands, nil)
	if got := titles(commands, hits, 3); !slices.Equal(got, []string{"Fit view", "Screenshot", "Open graph"}) {
		t.Fatalf("empty query: %v", got)
	}
	// Strictly in the order of use, even where the boost would round to a tie.
	long := NewRanker(32)
	var want []string
	for _, it := range commands {
		long.Use(it.Key)
		want = append([]string{it.Title}, want...)
	}
	if got := titles(commands, long.Rank("", commands, nil), len(commands)); !slices.Equal(got, want) {
		t.Fatalf("empty query after using every entry: %v", got)
	}
	// With a query, recency lifts a match over one of similar quality ...
	if got := titles(commands, r.Rank("tog", commands, nil), 1); got[0] != "Toggle theme" {
		t.Fatalf("tog before use: %v", got)
	}
	r.Use("cmd:timeline")
	if got := titles(commands, r.Rank("tog", commands, nil), 1); got[0] != "Toggle timeline" {
		t.Fatalf("tog after using Toggle timeline: %v", got)
	}
	// An equal match: the recent one first.
	r.Use("graph:paris-metro")
	if got := titles(commands, r.Rank("opg", commands, nil), 1); got[0] != "Open graph: Paris metro" {
		t.Fatalf("opg after opening a graph: %v", got)
	}
	// But recency does not lift a poor match over a clearly better one.
	items := []Item{{Title: "Open graph", Key: "a"}, {Title: "Move a node (position, graph)", Key: "b"}}
	r2 := NewRanker(4)
	r2.Use("b")
	if got := titles(items, r2.Rank("opg", items, nil), 2); got[0] != "Open graph" {
		t.Fatalf("opg with the scattered match recent: %v", got)
	}
	// Using an entry again moves it to the front; the list is bounded.
	r.Use("cmd:fit")
	if r.Recent()[0] != "cmd:fit" || len(r.Recent()) != 4 {
		t.Fatalf("recent: %v", r.Recent())
	}
	for i := range 20 {
		r.Use(fmt.Sprint("k", i))
	}
	if len(r.Recent()) != 8 || r.Boost("cmd:fit") != 0 || r.Boost("k19") != RecencyBoost {
		t.Fatalf("recent: %v", r.Recent())
	}
}

// Top keeps the same k best as a full sort.
func TestTopAgreesWithSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ids := make([]string, 5000)
	labels := make([]string, 5000)
	for i := range ids {
		ids[i] = fmt.Sprintf("n%d", i)
		labels[i] = randomString(rng, []rune("abcde fgh_XYZ"), 3+rng.IntN(20))
		if i%7 == 0 {
			labels[i] = ""
		}
	}
	items := make([]Item, len(ids))
	for i := range ids {
		items[i] = Item{Title: labels[i], Detail: ids[i]}
	}
	r := NewRanker(1)
	for _, q := range []string{"a", "abc", "XY", "n12", "fgh", "zzzz"} {
		for _, k := range []int{1, 5, 50} {
			top := r.Top(q, labels, ids, k, make([]Hit, 0, k))
			all := r.Rank(q, items, nil)
			want := all[:min(k, len(all))]
			if len(top) != len(want) {
				t.Fatalf("%q k=%d: %d hits, want %d", q, k, len(top), len(want))
			}
			for i := range top {
				if top[i].Index != want[i].Index || top[i].Score != want[i].Score || top[i].Detail != want[i].Detail {
					t.Fatalf("%q k=%d: hit %d is %+v, want %+v", q, k, i, top[i], want[i])
				}
			}
		}
	}
}
