package graphio

import (
	"bytes"
	"io"
)

// lineTracker sits between a file and a decoder that reports only byte offsets (encoding/json):
// it keeps the bytes read but not yet passed, and counts lines as the caller commits offsets, so
// any offset at or after the last commit maps to a line and column without keeping the file.
// What it holds is bounded by the decoder's read-ahead, as the reader commits after every record.
type lineTracker struct {
	r    io.Reader
	buf  []byte // buf[start:] holds the bytes from offset base on
	head int    // index in buf of offset base
	base int64  // offset of buf[head]
	line int    // 1-based line at base
	col  int    // 0-based byte column at base
}

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		if t.head > len(t.buf)/2 && t.head > 4096 {
			t.buf = append(t.buf[:0], t.buf[t.head:]...)
			t.head = 0
		}
		t.buf = append(t.buf, p[:n]...)
	}
	return n, err
}

// advance counts lines up to off and drops the bytes before it.
func (t *lineTracker) advance(off int64) {
	k := int(off - t.base)
	if k <= 0 {
		return
	}
	k = min(k, len(t.buf)-t.head)
	seg := t.buf[t.head : t.head+k]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		t.line += n
		t.col = len(seg) - bytes.LastIndexByte(seg, '\n') - 1
	} else {
		t.col += len(seg)
	}
	t.head += k
	t.base += int64(k)
}

// pos returns the 1-based line and column of off (off ≥ the last advance).
func (t *lineTracker) pos(off int64) (line, col int) {
	line, col = t.line, t.col
	k := min(int(off-t.base), len(t.buf)-t.head)
	if k > 0 {
		seg := t.buf[t.head : t.head+k]
		if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
			line += n
			col = len(seg) - bytes.LastIndexByte(seg, '\n') - 1
		} else {
			col += len(seg)
		}
	}
	return line, col + 1
}

// skipSpace returns the offset of the first byte at or after off that is not JSON whitespace or a
// comma: where the next value really starts.
func (t *lineTracker) skipSpace(off int64) int64 { return t.skip(off, true) }

// skipWhite returns the offset of the first non-whitespace byte at or after off.
func (t *lineTracker) skipWhite(off int64) int64 { return t.skip(off, false) }

func (t *lineTracker) skip(off int64, punct bool) int64 {
	i := t.head + int(off-t.base)
	for i >= t.head && i < len(t.buf) {
		c := t.buf[i]
		if !punct && (c == ',' || c == ':') {
			break
		}
		switch c {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
			off++
			continue
		}
		break
	}
	return off
}

// from returns the held bytes from off on (nil when off was dropped).
func (t *lineTracker) from(off int64) []byte {
	i := t.head + int(off-t.base)
	if off < t.base || i > len(t.buf) {
		return nil
	}
	return t.buf[i:]
}

// skipElem returns where an array element starting after off really begins: past whitespace and,
// after the first element, one comma. It reads only bytes the decoder must have read to get there.
func (t *lineTracker) skipElem(off int64, comma bool) int64 {
	off = t.skipWhite(off)
	if i := t.head + int(off-t.base); comma && i >= t.head && i < len(t.buf) && t.buf[i] == ',' {
		off = t.skipWhite(off + 1)
	}
	return off
}
