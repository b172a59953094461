package graphio

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// scanTokens renders the scanner's tokens, merging adjacent text.
func scanTokens(data []byte) (string, error) {
	return scanTokensFrom(newXMLScanner(bytes.NewReader(data)))
}

func scanTokensFrom(s *xmlScanner) (string, error) {
	var out strings.Builder
	var text []byte
	flush := func() {
		if len(text) > 0 {
			fmt.Fprintf(&out, "T%q\n", text)
			text = text[:0]
		}
	}
	for {
		k, err := s.next()
		if err != nil {
			return out.String(), err
		}
		switch k {
		case tokEOF:
			flush()
			return out.String(), nil
		case tokText:
			text = append(text, s.chars...)
		case tokStart:
			flush()
			fmt.Fprintf(&out, "S%s", qname(s.start.Name))
			for _, a := range s.start.Attr {
				fmt.Fprintf(&out, " %s=%q", qname(a.Name), a.Value)
			}
			out.WriteByte('\n')
		case tokEnd:
			flush()
			fmt.Fprintf(&out, "E%s\n", qname(s.end))
		}
	}
}

// refTokens renders encoding/xml's raw tokens the same way.
func refTokens(data []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var out strings.Builder
	var text []byte
	flush := func() {
		if len(text) > 0 {
			fmt.Fprintf(&out, "T%q\n", text)
			text = text[:0]
		}
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			flush()
			return out.String(), nil
		}
		if err != nil {
			return out.String(), err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text = append(text, t...)
		case xml.StartElement:
			flush()
			fmt.Fprintf(&out, "S%s", qname(t.Name))
			for _, a := range t.Attr {
				fmt.Fprintf(&out, " %s=%q", qname(a.Name), a.Value)
			}
			out.WriteByte('\n')
		case xml.EndElement:
			flush()
			fmt.Fprintf(&out, "E%s\n", qname(t.Name))
		}
	}
}

var xmlSamples = []string{
	`<a x="1" y='2'>t&amp;&lt;&#65;&#x42;<b/><![CDATA[<raw>&amp;]]><!-- c --><?pi x?></a>`,
	"<?xml version=\"1.0\"?>\n<!DOCTYPE g [<!ELEMENT g ANY>]>\r\n<g:r xmlns:g=\"u\">\r\n <g:n id=\"a&#xA;b\"/>\r</g:r>",
	`<a><b c="&quot;>"></b></a>`,
	"<a>\u00e9\u4e2d</a>",
}

func TestXMLScannerMatchesEncodingXML(t *testing.T) {
	for _, in := range xmlSamples {
		got, err := scanTokens([]byte(in))
		want, werr := refTokens([]byte(in))
		if err != nil || werr != nil || got != want {
			t.Errorf("%q:\n got %v\n%s\nwant %v\n%s", in, err, got, werr, want)
		}
	}
	for _, bad := range []string{"<a b=c/>", "<a>&nbsp;</a>", "<a>\x01</a>", "<a b='1' b='2'/>", "<a>]]></a>", "<a", "<!-- x", "<a>\xff</a>", "<1/>", "<a>&#0;</a>"} {
		if _, err := scanTokens([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzXMLScanner holds the scanner to encoding/xml: where both read a document they must agree on
// every token, and the scanner may not refuse what encoding/xml reads (bar the checks it adds).
func FuzzXMLScanner(f *testing.F) {
	for _, s := range xmlSamples {
		f.Add([]byte(s))
	}
	addSamples(f, "*.graphml")
	addSamples(f, "*.gexf")
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := scanTokens(data)
		// Byte-at-a-time input into a tiny buffer: every refill, shift and growth path.
		slow, serr := scanTokensFrom(newXMLScannerSize(iotest.OneByteReader(bytes.NewReader(data)), 4))
		if slow != got || (serr == nil) != (err == nil) {
			t.Fatalf("chunked reading differs: %v / %v\n%s\n%s", err, serr, got, slow)
		}
		want, werr := refTokens(data)
		if err == nil && werr == nil && got != want {
			t.Fatalf("tokens differ\n got\n%s\nwant\n%s", got, want)
		}
		if err != nil && werr == nil && !errors.Is(err, errStricter) {
			t.Fatalf("refused what encoding/xml reads: %v", err)
		}
	})
}
