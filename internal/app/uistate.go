package app

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
)

// uiState is what the workbench remembers between runs: the palette's recently used entries, so that
// "recently used first" survives a restart. Presentation state: a local file, never NATS.
type uiState struct {
	Recent []string `json:"recent"`
}

// uiStatePath is $XDG_STATE_HOME/alchemist/workbench.json (default ~/.local/state).
func uiStatePath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "alchemist", "workbench.json")
}

// loadUIState reads the remembered state. A missing file is a first run; an unreadable or corrupt one
// is reported and replaced on the next save — it never stops the workbench.
func loadUIState(log *slog.Logger) uiState {
	var st uiState
	path := uiStatePath()
	if path == "" {
		return st
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !os.IsNotExist(err) {
			log.Warn("workbench state", "path", path, "err", err)
		}
		return st
	}
	if err := json.Unmarshal(data, &st); err != nil {
		log.Warn("workbench state unreadable, starting afresh", "path", path, "err", err)
		return uiState{}
	}
	return st
}

// uiStateSaver writes the state off the frame thread; the newest state wins.
type uiStateSaver struct {
	mu      sync.Mutex
	pending *uiState
	writing bool
	log     *slog.Logger
}

// save queues st for writing.
func (s *uiStateSaver) save(st uiState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = &st
	if s.writing {
		return
	}
	s.writing = true
	go s.drain()
}

func (s *uiStateSaver) drain() {
	for {
		s.mu.Lock()
		st := s.pending
		s.pending = nil
		if st == nil {
			s.writing = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if err := writeUIState(*st); err != nil && s.log != nil {
			s.log.Warn("workbench state", "err", err)
		}
	}
}

// writeUIState replaces the file atomically (temporary file, then rename).
func writeUIState(st uiState) error {
	path := uiStatePath()
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save workbench state: %w", err)
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("save workbench state: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("save workbench state: %w", err)
	}
	return nil
}
