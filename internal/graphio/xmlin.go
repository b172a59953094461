package graphio

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// xmlIn wraps an encoding/xml Decoder read token by token, with the file's name and positions for
// errors. It reads RawToken, which skips namespace translation (a third of Token's cost), and does
// the one check Token would add that matters here: every element is closed by its own end tag.
// Names therefore carry prefixes, not namespace URLs.
type xmlIn struct {
	d     *xml.Decoder
	src   *errReader
	file  string
	text  []byte     // character data of the innermost collecting element
	open  []xml.Name // elements open at the current position
	roots int
}

func newXMLIn(r io.Reader, file string) *xmlIn {
	src := &errReader{r: r}
	d := xml.NewDecoder(bufio.NewReaderSize(src, 64<<10))
	d.Strict = true
	d.CharsetReader = charsetReader
	return &xmlIn{d: d, src: src, file: file}
}

// errReader remembers the underlying reader's error, so that a failing disk is not reported as a
// malformed file.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// token returns the next token; any decoding error is turned into a *PosError.
func (x *xmlIn) token() (xml.Token, error) {
	tok, err := x.d.RawToken()
	if err == nil {
		switch t := tok.(type) {
		case xml.StartElement:
			if len(x.open) == 0 {
				if x.roots++; x.roots > 1 {
					return nil, x.errorf("XML: a second root element <%s>", t.Name.Local)
				}
			}
			x.open = append(x.open, t.Name)
		case xml.EndElement:
			if len(x.open) == 0 {
				return nil, x.errorf("XML: unexpected end element </%s>", t.Name.Local)
			}
			if top := x.open[len(x.open)-1]; top != t.Name {
				return nil, x.errorf("XML: element <%s> closed by </%s>", qname(top), qname(t.Name))
			}
			x.open = x.open[:len(x.open)-1]
		case xml.CharData:
			if len(x.open) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, x.errorf("XML: text outside the root element")
			}
		}
		return tok, nil
	}
	if err == io.EOF {
		if len(x.open) > 0 {
			return nil, x.errorf("XML: unexpected end of file: <%s> is not closed", qname(x.open[len(x.open)-1]))
		}
		return nil, io.EOF
	}
	line, col := x.d.InputPos()
	if x.src.err != nil && errors.Is(err, x.src.err) {
		return nil, fmt.Errorf("%s: line %d: %w", x.file, line, err)
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return nil, &PosError{File: x.file, Line: se.Line, Col: col, Msg: "XML: " + se.Msg}
	}
	// Anything else the decoder refuses (an unknown charset, XML version 1.1) is about the file.
	return nil, &PosError{File: x.file, Line: line, Col: col, Msg: err.Error()}
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func (x *xmlIn) errorf(format string, args ...any) *PosError {
	line, col := x.d.InputPos()
	return posErr(x.file, line, col, format, args...)
}

func (x *xmlIn) line() int {
	l, _ := x.d.InputPos()
	return l
}

func attr(e *xml.StartElement, name string) (string, bool) {
	for i := range e.Attr {
		if e.Attr[i].Name.Local == name {
			return e.Attr[i].Value, true
		}
	}
	return "", false
}

func attrOr(e *xml.StartElement, name, def string) string {
	if v, ok := attr(e, name); ok {
		return v
	}
	return def
}

// charsetReader decodes the single-byte encodings older GraphML/GEXF tools declare; encoding/xml
// itself knows only UTF-8.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252":
		return &latin1Reader{r: bufio.NewReader(input)}, nil
	}
	return nil, fmt.Errorf("%w: unsupported XML encoding %q (convert the file to UTF-8)", ErrFormat, label)
}

// latin1Reader maps each byte to the code point of the same value (ISO-8859-1); windows-1252's
// 0x80–0x9F punctuation is approximated by the C1 control code points, which XML then refuses.
type latin1Reader struct {
	r   *bufio.Reader
	buf [utf8.UTFMax]byte
	n   int
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		if l.n > 0 {
			c := copy(p[written:], l.buf[:l.n])
			copy(l.buf[:], l.buf[c:l.n])
			l.n -= c
			written += c
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if written > 0 {
				return written, nil
			}
			return 0, err
		}
		if b < utf8.RuneSelf {
			p[written] = b
			written++
			continue
		}
		l.n = utf8.EncodeRune(l.buf[:], rune(b))
	}
	return written, nil
}
