package graphio

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// xmlIn reads XML token by token through an xmlScanner, with the file's name and positions for
// errors, and checks what a tokenizer alone cannot: every element is closed by its own end tag,
// there is one root, and no text outside it. Names carry prefixes, not namespace URLs.
type xmlIn struct {
	s     *xmlScanner
	file  string
	text  []byte     // character data of the innermost collecting element
	open  []xml.Name // elements open at the current position
	roots int
	err   error // a problem found before the first token (encoding)
}

func newXMLIn(r io.Reader, file string) *xmlIn {
	x := &xmlIn{file: file}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte("\xfe\xff")) || bytes.HasPrefix(head, []byte("\xff\xfe")):
		x.err = posErr(file, 1, 1, "the file is UTF-16: convert it to UTF-8")
	default:
		if enc := declaredEncoding(head); enc != "" {
			var err error
			if src, err = charsetReader(enc, br); err != nil {
				x.err = posErr(file, 1, 1, "%s", err.Error())
			}
		}
	}
	x.s = newXMLScanner(src)
	return x
}

// declaredEncoding returns the encoding named by an XML declaration at the start of head, or "" for
// none or UTF-8.
func declaredEncoding(head []byte) string {
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := head[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) < 2 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	k := bytes.IndexByte(rest[1:], rest[0])
	if k < 0 {
		return ""
	}
	enc := string(rest[1 : 1+k])
	switch strings.ToLower(enc) {
	case "utf-8", "utf8":
		return ""
	}
	return enc
}

// token returns the next token's kind (its content is in x.s: start, end, chars); io.EOF at the
// end; any problem with the file is a *PosError.
func (x *xmlIn) token() (tokKind, error) {
	if x.err != nil {
		return tokEOF, x.err
	}
	k, err := x.s.next()
	if err != nil {
		if x.s.rerr != nil && err == x.s.rerr {
			line, _ := x.s.position()
			return tokEOF, fmt.Errorf("%s: line %d: %w", x.file, line, err)
		}
		return tokEOF, x.errorf("XML: %v", err)
	}
	switch k {
	case tokStart:
		if len(x.open) == 0 {
			if x.roots++; x.roots > 1 {
				return tokEOF, x.errorf("XML: a second root element <%s>", qname(x.s.start.Name))
			}
		}
		x.open = append(x.open, x.s.start.Name)
	case tokEnd:
		if len(x.open) == 0 {
			return tokEOF, x.errorf("XML: unexpected end element </%s>", qname(x.s.end))
		}
		if top := x.open[len(x.open)-1]; top != x.s.end {
			return tokEOF, x.errorf("XML: element <%s> closed by </%s>", qname(top), qname(x.s.end))
		}
		x.open = x.open[:len(x.open)-1]
	case tokText:
		if len(x.open) == 0 && len(bytes.TrimSpace(x.s.chars)) > 0 {
			return tokEOF, x.errorf("XML: text outside the root element")
		}
	case tokEOF:
		if len(x.open) > 0 {
			return tokEOF, x.errorf("XML: unexpected end of file: <%s> is not closed", qname(x.open[len(x.open)-1]))
		}
		return tokEOF, io.EOF
	}
	return k, nil
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func (x *xmlIn) errorf(format string, args ...any) *PosError {
	line, col := x.s.position()
	return posErr(x.file, line, col, format, args...)
}

func (x *xmlIn) pos() (line, col int) { return x.s.position() }

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
