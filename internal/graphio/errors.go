package graphio

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrFormat is wrapped by every error about malformed or unsupported input, and about records a
// writer cannot represent.
var ErrFormat = errors.New("bad graph file")

// ErrDuplicate is wrapped (together with ErrFormat) when a file uses a node or edge id twice.
var ErrDuplicate = errors.New("duplicate id")

// PosError is a malformed-input error at a place in a file.
type PosError struct {
	File string // file name from Options, may be empty
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based; 0 when unknown
	Msg  string
	Err  error // ErrFormat, ErrDuplicate, or a cause that wraps one
}

// Error reads "file:line:col: msg" (the form editors jump to), or "line L, column C: msg" when
// the file has no name.
func (e *PosError) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		b.WriteString(e.File + ":" + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(":" + strconv.Itoa(e.Col))
		}
	case e.File != "":
		b.WriteString(e.File)
	case e.Line > 0:
		b.WriteString("line " + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(", column " + strconv.Itoa(e.Col))
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap lets errors.Is find ErrFormat (always) and the cause.
func (e *PosError) Unwrap() []error {
	if e.Err == nil || e.Err == ErrFormat {
		return []error{ErrFormat}
	}
	return []error{ErrFormat, e.Err}
}

func posErr(file string, line, col int, format string, args ...any) *PosError {
	return &PosError{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// ids remembers the ids seen in one file to report duplicates with both positions. The keys share
// the records' strings, so the set costs one map entry per record, not a second copy of the ids.
type ids map[string]int32

func (s ids) add(file, what, id string, line, col int) error {
	if first, dup := s[id]; dup {
		return &PosError{File: file, Line: line, Col: col, Err: ErrDuplicate,
			Msg: fmt.Sprintf("duplicate %s id %q (first at line %d)", what, id, first)}
	}
	s[id] = int32(line)
	return nil
}
