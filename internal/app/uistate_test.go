package app

import (
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// The palette's recent entries survive a restart; a corrupt file is replaced, never fatal.
func TestUIStateRoundTripAndCorruptFile(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	log := slog.New(slog.DiscardHandler)
	if st := loadUIState(log); len(st.Recent) != 0 {
		t.Fatalf("first run remembers %v", st.Recent)
	}
	var s uiStateSaver
	s.save(uiState{Recent: []string{"old"}})
	s.save(uiState{Recent: []string{"cmd:Open graph...", "graph:zebra"}})
	want := []string{"cmd:Open graph...", "graph:zebra"}
	deadline := time.Now().Add(5 * time.Second)
	for !reflect.DeepEqual(loadUIState(log).Recent, want) {
		if time.Now().After(deadline) {
			t.Fatalf("remembered %v, want %v", loadUIState(log).Recent, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := os.WriteFile(uiStatePath(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if st := loadUIState(log); len(st.Recent) != 0 {
		t.Fatalf("a corrupt file gave %v", st.Recent)
	}
	if err := writeUIState(uiState{Recent: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	if got := loadUIState(log).Recent; !reflect.DeepEqual(got, []string{"x"}) {
		t.Fatalf("after rewrite: %v", got)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(uiStatePath()), "workbench.json.tmp")); !os.IsNotExist(err) {
		t.Fatalf("temporary file left behind: %v", err)
	}
}
