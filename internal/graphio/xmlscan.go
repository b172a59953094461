package graphio

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// xmlScanner is a pull tokenizer for the XML that graph files use, written because encoding/xml
// allocates for every token (its Token interface, names, attribute slices) and so parsed a 300K-edge
// GraphML file at only ~120K edges per CPU second. It checks what a well-formedness checker must
// for such files — names, attribute syntax, quotes, entity and character references, that every
// character is an XML Char and the text valid UTF-8, one root, end tags matching start tags (in
// xmlIn) — and skips comments, processing instructions and the DOCTYPE. Like encoding/xml it knows
// only the five predefined entities and does not read DTDs. Text and attribute values are
// unescaped and have their line ends normalised to "\n" (XML 1.0 §2.11); attribute whitespace
// is not otherwise normalised, as in encoding/xml. A differential fuzz test holds it to
// encoding/xml's tokens.
type xmlScanner struct {
	r    io.Reader
	buf  []byte
	pos  int // next unread byte
	eof  bool
	rerr error

	line      int // line of buf[counted]
	counted   int // newlines before this index in buf are counted in line
	lineStart int // index in buf where the current line starts (negative once shifted out)

	start      xml.StartElement // the last start tag; Attr is reused
	end        xml.Name         // the last end tag
	chars      []byte           // the last text, unescaped; valid until the next token
	pendingEnd bool             // the last start tag was self-closing
	names      map[string]string
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

func newXMLScanner(r io.Reader) *xmlScanner { return newXMLScannerSize(r, 64<<10) }

// newXMLScannerSize starts with a buffer of size bytes (it grows for longer tokens); tests use
// tiny ones to exercise refills.
func newXMLScannerSize(r io.Reader, size int) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, 0, size), line: 1, names: make(map[string]string, 64)}
}

// fill reads more input, keeping buf[pos:]; it returns false at the end of the input.
func (s *xmlScanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 && (len(s.buf) == cap(s.buf) || s.pos > len(s.buf)/2) {
		s.countTo(s.pos)
		n := copy(s.buf, s.buf[s.pos:])
		s.buf = s.buf[:n]
		s.counted -= s.pos
		s.lineStart -= s.pos
		s.pos = 0
	}
	if len(s.buf) == cap(s.buf) {
		nb := make([]byte, len(s.buf), 2*cap(s.buf))
		copy(nb, s.buf)
		s.buf = nb
	}
	for range 100 {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.eof, s.rerr = true, io.ErrNoProgress
	return false
}

func (s *xmlScanner) countTo(i int) {
	if i <= s.counted {
		return
	}
	seg := s.buf[s.counted:i]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		s.line += n
		s.lineStart = s.counted + bytes.LastIndexByte(seg, '\n') + 1
	}
	s.counted = i
}

// position returns the 1-based line and byte column of the next unread byte.
func (s *xmlScanner) position() (line, col int) {
	s.countTo(s.pos)
	return s.line, s.pos - s.lineStart + 1
}

func (s *xmlScanner) errAt(i int, format string, args ...any) error {
	s.pos = i
	return fmt.Errorf(format, args...)
}

// errStricter marks the well-formedness rules this scanner enforces and encoding/xml does not
// (the differential fuzz test allows exactly these refusals).
var errStricter = errors.New("")

func (s *xmlScanner) strictErr(i int, msg string, args ...any) error {
	s.pos = i
	return fmt.Errorf("%s%w", fmt.Sprintf(msg, args...), errStricter)
}

// find returns the index in buf of the first occurrence of sep at or after buf[from], reading as
// needed; -1 at the end of the input. from is relative to s.pos, which stays put.
func (s *xmlScanner) find(from int, sep string) int {
	for {
		if i := bytes.Index(s.buf[s.pos+from:], []byte(sep)); i >= 0 {
			return s.pos + from + i
		}
		from = max(from, len(s.buf)-s.pos-len(sep)+1)
		if !s.fill() {
			return -1
		}
	}
}

// tagEnd returns the index of the '>' closing the tag at s.pos, skipping quoted attribute values.
func (s *xmlScanner) tagEnd() int {
	quote := byte(0)
	i := s.pos + 1
	for {
		for ; i < len(s.buf); i++ {
			c := s.buf[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				return i
			}
		}
		off := i - s.pos
		if !s.fill() {
			return -1
		}
		i = s.pos + off
	}
}

// next reads the next token. At the end of the input it returns tokEOF and a nil error.
func (s *xmlScanner) next() (tokKind, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.end = s.start.Name
		return tokEnd, nil
	}
	for {
		if s.pos >= len(s.buf) && !s.fill() {
			if s.rerr != nil {
				return tokEOF, s.rerr
			}
			return tokEOF, nil
		}
		if s.buf[s.pos] != '<' {
			return tokText, s.text()
		}
		if s.pos+1 >= len(s.buf) && !s.fill() {
			return tokEOF, s.errAt(s.pos, "unexpected end of file after '<'")
		}
		switch s.buf[s.pos+1] {
		case '/':
			return tokEnd, s.endTag()
		case '?':
			end := s.find(2, "?>")
			if end < 0 {
				return tokEOF, s.errAt(s.pos, "unterminated processing instruction")
			}
			s.pos = end + 2
		case '!':
			k, err := s.bang()
			if err != nil || k != tokEOF {
				return k, err
			}
		default:
			return tokStart, s.startTag()
		}
	}
}

func (s *xmlScanner) text() error {
	i := s.pos
	for {
		if j := bytes.IndexByte(s.buf[i:], '<'); j >= 0 {
			i += j
			break
		}
		off := len(s.buf) - s.pos
		if !s.fill() {
			i = len(s.buf)
			break
		}
		i = s.pos + off
	}
	var err error
	s.chars, err = s.unescape(s.chars[:0], s.pos, i, false)
	if err != nil {
		return err
	}
	if bytes.Contains(s.buf[s.pos:i], []byte("]]>")) {
		return s.strictErr(s.pos+bytes.Index(s.buf[s.pos:i], []byte("]]>")), "\"]]>\" in text")
	}
	s.pos = i
	return nil
}

// bang handles "<!": comments and the DOCTYPE are skipped (tokEOF, nil means "nothing to
// return, go on"), CDATA sections are text.
func (s *xmlScanner) bang() (tokKind, error) {
	for len(s.buf)-s.pos < 9 && s.fill() {
	}
	rest := s.buf[s.pos:]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		end := s.find(4, "--")
		if end < 0 {
			return tokEOF, s.errAt(s.pos, "unterminated comment")
		}
		if end+2 >= len(s.buf) {
			off := end - s.pos
			s.fill()
			end = s.pos + off
		}
		if end+2 >= len(s.buf) || s.buf[end+2] != '>' {
			return tokEOF, s.strictErr(end, "\"--\" inside a comment")
		}
		s.pos = end + 3
		return tokEOF, nil
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		end := s.find(9, "]]>")
		if end < 0 {
			return tokEOF, s.errAt(s.pos, "unterminated CDATA section")
		}
		var err error
		s.chars, err = s.checkChars(s.chars[:0], s.pos+9, end)
		if err != nil {
			return tokEOF, err
		}
		s.pos = end + 3
		return tokText, nil
	default:
		// A DOCTYPE (or, as encoding/xml allows, any other "<!" directive): skip to the '>' that
		// closes it, the way encoding/xml does — nested '<' '>' pairs and quotes (not the first
		// byte) count, comments inside are skipped.
		if s.pos+2 >= len(s.buf) {
			return tokEOF, s.errAt(s.pos, "unterminated <!DOCTYPE or directive")
		}
		depth, quote := 0, byte(0)
		i := s.pos + 3
		for {
			for ; i < len(s.buf); i++ {
				c := s.buf[i]
				switch {
				case quote != 0:
					if c == quote {
						quote = 0
					}
				case c == '"' || c == '\'':
					quote = c
				case c == '>' && depth == 0:
					s.pos = i + 1
					return tokEOF, nil
				case c == '>':
					depth--
				case c == '<':
					off := i - s.pos
					for len(s.buf)-s.pos-off < 4 && s.fill() {
					}
					i = s.pos + off
					if bytes.HasPrefix(s.buf[i:], []byte("<!--")) {
						end := s.find(off+4, "-->")
						if end < 0 {
							return tokEOF, s.errAt(s.pos, "unterminated comment")
						}
						i = end + 2
						continue
					}
					depth++
				}
			}
			off := i - s.pos
			if !s.fill() {
				return tokEOF, s.errAt(s.pos, "unterminated <!DOCTYPE or directive")
			}
			i = s.pos + off
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNameByte(c byte, first bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':', c >= 0x80:
		return true
	case c >= '0' && c <= '9', c == '-', c == '.':
		return !first
	}
	return false
}

// name reads a name at buf[i:end]; it returns the name and the index after it.
func (s *xmlScanner) name(i, end int) (xml.Name, int, error) {
	j := i
	for j < end && isNameByte(s.buf[j], j == i) {
		j++
	}
	if j == i {
		return xml.Name{}, i, s.errAt(i, "expected a name")
	}
	raw := s.buf[i:j]
	for _, c := range raw {
		if c >= 0x80 {
			if !utf8.Valid(raw) {
				return xml.Name{}, i, s.errAt(i, "name is not valid UTF-8")
			}
			break
		}
	}
	var n xml.Name
	if k := bytes.IndexByte(raw, ':'); k > 0 && k < len(raw)-1 {
		n.Space, n.Local = s.intern(raw[:k]), s.intern(raw[k+1:])
	} else {
		n.Local = s.intern(raw)
	}
	return n, j, nil
}

func (s *xmlScanner) intern(b []byte) string {
	switch string(b) { // the names of every record, without a map lookup
	case "node":
		return "node"
	case "edge":
		return "edge"
	case "data":
		return "data"
	case "key":
		return "key"
	case "id":
		return "id"
	case "source":
		return "source"
	case "target":
		return "target"
	case "attvalue":
		return "attvalue"
	case "attvalues":
		return "attvalues"
	case "for":
		return "for"
	case "value":
		return "value"
	case "label":
		return "label"
	case "weight":
		return "weight"
	}
	if v, ok := s.names[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(s.names) < 4096 {
		s.names[v] = v
	}
	return v
}

func (s *xmlScanner) startTag() error {
	end := s.tagEnd()
	if end < 0 {
		return s.errAt(s.pos, "unterminated start tag")
	}
	n, i, err := s.name(s.pos+1, end)
	if err != nil {
		return err
	}
	s.start.Name = n
	s.start.Attr = s.start.Attr[:0]
	closeAt := end
	if s.buf[end-1] == '/' && end-1 >= i {
		closeAt = end - 1
		s.pendingEnd = true
	}
	for {
		sp := i
		for i < closeAt && isSpace(s.buf[i]) {
			i++
		}
		if i == closeAt {
			break
		}
		if i == sp {
			return s.strictErr(i, "expected a space before an attribute")
		}
		an, j, err := s.name(i, closeAt)
		if err != nil {
			return err
		}
		i = j
		for i < closeAt && isSpace(s.buf[i]) {
			i++
		}
		if i >= closeAt || s.buf[i] != '=' {
			return s.errAt(i, "attribute %s without a value", qname(an))
		}
		i++
		for i < closeAt && isSpace(s.buf[i]) {
			i++
		}
		if i >= closeAt || (s.buf[i] != '"' && s.buf[i] != '\'') {
			return s.errAt(i, "attribute %s: value not in quotes", qname(an))
		}
		q := s.buf[i]
		k := bytes.IndexByte(s.buf[i+1:closeAt], q)
		if k < 0 {
			return s.errAt(i, "attribute %s: unterminated value", qname(an))
		}
		vs, ve := i+1, i+1+k
		if bytes.IndexByte(s.buf[vs:ve], '<') >= 0 {
			return s.errAt(vs, "'<' in an attribute value")
		}
		for _, a := range s.start.Attr {
			if a.Name == an {
				return s.strictErr(i, "attribute %s given twice", qname(an))
			}
		}
		var val []byte
		if val, err = s.unescape(s.chars[:0], vs, ve, true); err != nil {
			return err
		}
		s.chars = val
		s.start.Attr = append(s.start.Attr, xml.Attr{Name: an, Value: string(val)})
		i = ve + 1
	}
	s.pos = end + 1
	return nil
}

func (s *xmlScanner) endTag() error {
	end := s.tagEnd()
	if end < 0 {
		return s.errAt(s.pos, "unterminated end tag")
	}
	n, i, err := s.name(s.pos+2, end)
	if err != nil {
		return err
	}
	for i < end && isSpace(s.buf[i]) {
		i++
	}
	if i != end {
		return s.errAt(i, "unexpected characters in the end tag </%s>", qname(n))
	}
	s.end = n
	s.pos = end + 1
	return nil
}

// unescape appends buf[from:to] to dst with references resolved, line ends normalised and every
// character checked.
func (s *xmlScanner) unescape(dst []byte, from, to int, inAttr bool) ([]byte, error) {
	src := s.buf[from:to]
	if bytes.IndexByte(src, '&') < 0 && bytes.IndexByte(src, '\r') < 0 {
		return s.checkChars(dst, from, to)
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '&':
			k := bytes.IndexByte(src[i:], ';')
			if k < 0 {
				return dst, s.errAt(from+i, "'&' is not the start of a reference (write &amp;)")
			}
			ref := src[i+1 : i+k]
			r, ok := entity(ref)
			if !ok {
				return dst, s.errAt(from+i, "unknown or invalid reference &%s;", ref)
			}
			dst = utf8.AppendRune(dst, r)
			i += k + 1
		case c == '\r':
			dst = append(dst, '\n')
			i++
			if i < len(src) && src[i] == '\n' {
				i++
			}
		default:
			j := i + 1
			for j < len(src) && src[j] != '&' && src[j] != '\r' {
				j++
			}
			var err error
			if dst, err = s.checkChars(dst, from+i, from+j); err != nil {
				return dst, err
			}
			i = j
		}
	}
	return dst, nil
}

// checkChars appends buf[from:to] to dst after checking that it is UTF-8 made of XML Chars.
func (s *xmlScanner) checkChars(dst []byte, from, to int) ([]byte, error) {
	src := s.buf[from:to]
	high := false
	for i, c := range src {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return dst, s.errAt(from+i, "illegal character code U+%04X", c)
		}
		if c >= 0x80 {
			high = true
		}
	}
	if high {
		for i := 0; i < len(src); {
			if src[i] < 0x80 {
				i++
				continue
			}
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				return dst, s.errAt(from+i, "invalid UTF-8")
			}
			if r == 0xFFFE || r == 0xFFFF {
				return dst, s.errAt(from+i, "illegal character code U+%04X", r)
			}
			i += size
		}
	}
	return append(dst, src...), nil
}

func entity(ref []byte) (rune, bool) {
	switch string(ref) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	base, digits := 10, ref[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case base == 16 && c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*rune(base) + rune(d)
	}
	ok := r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
	return r, ok
}
