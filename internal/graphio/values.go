package graphio

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Reserved attribute names: in every format an attribute with one of these names fills the record
// field instead of Props, so that a file written by one format reads back the same in another.
// Positions are not reserved: "x", "y", "z" stay properties (Gephi's GraphML and d3 both use them),
// while "fx", "fy", "fz" — d3-force's fixed position — are the node's pin.
var (
	nodeReserved = map[string]bool{"id": true, "label": true, "kind": true, "fx": true, "fy": true, "fz": true, "cid": true, "coords": true}
	edgeReserved = map[string]bool{"id": true, "source": true, "target": true, "kind": true, "weight": true}
)

var (
	jsonTrue  = json.RawMessage("true")
	jsonFalse = json.RawMessage("false")
)

// isJSONNumber reports whether s is exactly a JSON number (RFC 8259 §6).
func isJSONNumber(s string) bool {
	i, n := 0, len(s)
	if i < n && s[i] == '-' {
		i++
	}
	if i == n {
		return false
	}
	if s[i] == '0' {
		i++
	} else if s[i] >= '1' && s[i] <= '9' {
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < n && s[i] == '.' {
		i++
		j := i
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == n
}

// isJSONInt reports whether s is a JSON number without fraction or exponent.
func isJSONInt(s string) bool {
	return isJSONNumber(s) && !strings.ContainsAny(s, ".eE")
}

// numberValue turns the text of a number in any common spelling (".5", "+3", "1.", "1E3") into a
// JSON number, keeping the text when it already is one. NaN and infinities have no JSON number, so
// they come back as the strings "NaN", "Infinity", "-Infinity" with ok still true.
func numberValue(s string) (json.RawMessage, bool) {
	s = strings.TrimSpace(s)
	if isJSONNumber(s) {
		return json.RawMessage(s), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); !isNum || ne.Err != strconv.ErrRange {
			return nil, false
		}
	}
	switch {
	case math.IsNaN(f):
		return quoteJSON("NaN"), true
	case math.IsInf(f, 1):
		return quoteJSON("Infinity"), true
	case math.IsInf(f, -1):
		return quoteJSON("-Infinity"), true
	}
	return json.RawMessage(strconv.AppendFloat(nil, f, 'g', -1, 64)), true
}

func boolValue(s string) (json.RawMessage, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return jsonTrue, true
	case "false", "0":
		return jsonFalse, true
	}
	return nil, false
}

// typedValue converts an attribute's text to JSON by its declared type. Unknown types (GEXF's
// date, anyURI, list types) are strings.
func typedValue(t Type, s string) (json.RawMessage, bool) {
	switch t {
	case TypeBoolean:
		return boolValue(s)
	case TypeInt, TypeLong, TypeFloat, TypeDouble:
		return numberValue(s)
	}
	return quoteJSON(s), true
}

// inferValue types an untyped (CSV) cell: true/false, a JSON number, else a string. The empty cell
// is absent (nil).
func inferValue(s string) json.RawMessage {
	switch s {
	case "":
		return nil
	case "true":
		return jsonTrue
	case "false":
		return jsonFalse
	}
	if isJSONNumber(s) {
		return json.RawMessage(s)
	}
	return quoteJSON(s)
}

// quoteJSON encodes s as a JSON string without HTML escaping; invalid UTF-8 becomes U+FFFD.
func quoteJSON(s string) json.RawMessage {
	return appendQuoted(make([]byte, 0, len(s)+2), s)
}

func appendQuoted(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// unquoteJSON returns the string a JSON string literal denotes; ok is false for any other value.
func unquoteJSON(v []byte) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	simple := true
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 {
			simple = false
			break
		}
	}
	if simple && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", false
	}
	return s, true
}

// valueText is the text a typed attribute of a text format holds for a JSON value: a string's
// content, a number's or boolean's literal, and the JSON text of anything else (null, arrays,
// objects — which therefore read back as strings from GraphML, GEXF and CSV).
func valueText(v json.RawMessage) string {
	if s, ok := unquoteJSON(v); ok {
		return s
	}
	return string(v)
}

// valueClass sorts JSON values for type inference.
type valueClass uint8

const (
	classString valueClass = 1 << iota
	classBool
	classInt
	classFloat
	classOther // null, array, object
)

func classify(v json.RawMessage) valueClass {
	if len(v) == 0 {
		return classOther
	}
	switch v[0] {
	case '"':
		return classString
	case 't', 'f':
		return classBool
	case 'n', '[', '{':
		return classOther
	}
	if isJSONInt(string(v)) {
		return classInt
	}
	return classFloat
}

// parseCoords reads a conceptual-coordinates attribute: a JSON array of numbers.
func parseCoords(s string) ([]float64, bool) {
	var c []float64
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return nil, false
	}
	for _, x := range c {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
	}
	return c, true
}

func formatCoords(c []float64) string {
	b := []byte{'['}
	for i, x := range c {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	return string(append(b, ']'))
}

func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
