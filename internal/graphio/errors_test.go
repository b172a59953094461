package graphio

import (
	"errors"
	"strings"
	"testing"
)

// TestBadInput: each malformed file fails with ErrFormat and the line (and, where the format gives
// one, the column) of the problem.
func TestBadInput(t *testing.T) {
	const gml = `<graphml xmlns="http://graphml.graphdrawing.org/xmlns">` + "\n"
	cases := []struct {
		name      string
		f         Format
		in        string
		line, col int // col 0: not checked
		msg       string
		dup       bool
	}{
		{"graphml unclosed", GraphML, gml + "<graph>\n<node id=\"a\">\n</graph>\n", 4, 0, "XML", false},
		{"graphml undeclared key", GraphML, gml + "<graph>\n<node id=\"a\">\n<data key=\"d9\">x</data>\n</node></graph></graphml>", 4, 0, `"d9"`, false},
		{"graphml bad double", GraphML, gml + `<key id="s" for="node" attr.name="score" attr.type="double"/>` + "\n<graph>\n<node id=\"a\"><data key=\"s\">high</data></node>\n</graph></graphml>", 4, 0, `"high"`, false},
		{"graphml bad weight", GraphML, gml + `<key id="w" for="edge" attr.name="weight" attr.type="string"/>` + "\n<graph>\n<edge source=\"a\" target=\"b\">\n<data key=\"w\">heavy</data></edge>\n</graph></graphml>", 5, 0, "weight", false},
		{"graphml duplicate node", GraphML, gml + "<graph>\n<node id=\"a\"/>\n<node id=\"b\"/>\n<node id=\"a\"/>\n</graph></graphml>", 5, 0, "first at line 3", true},
		{"graphml node without id", GraphML, gml + "<graph>\n\n<node/>\n</graph></graphml>", 4, 0, "without an id", false},
		{"graphml hyperedge", GraphML, gml + "<graph>\n<hyperedge><endpoint node=\"a\"/></hyperedge></graph></graphml>", 3, 0, "hyperedge", false},
		{"graphml wrong root", GraphML, "<?xml version=\"1.0\"?>\n<svg/>", 2, 0, "not a GraphML file", false},
		{"graphml empty", GraphML, "", 1, 0, "not a GraphML file", false},
		{"graphml bad entity", GraphML, gml + "<graph>\n<node id=\"a&nbsp;\"/></graph></graphml>", 3, 0, "XML", false},
		{"graphml unknown type", GraphML, gml + `<key id="k" for="node" attr.name="x" attr.type="complex"/>`, 2, 0, "complex", false},
		{"graphml id attribute", GraphML, gml + `<key id="i" for="node" attr.name="id"/>` + "\n<graph>\n<node id=\"a\"><data key=\"i\">a</data></node>\n<node id=\"b\"><data key=\"i\">c</data></node>\n</graph></graphml>", 5, 0, "differs", false},
		{"gexf undeclared attvalue", GEXF, "<gexf version=\"1.3\">\n<graph><nodes>\n<node id=\"a\"><attvalues>\n<attvalue for=\"7\" value=\"1\"/>\n</attvalues></node></nodes></graph></gexf>", 4, 0, `"7"`, false},
		{"gexf bad weight", GEXF, "<gexf version=\"1.3\">\n<graph><edges>\n\n<edge source=\"a\" target=\"b\" weight=\"x\"/>\n</edges></graph></gexf>", 4, 0, "weight", false},
		{"gexf bad color", GEXF, "<gexf version=\"1.3\" xmlns:viz=\"v\">\n<graph><nodes>\n<node id=\"a\"><viz:color r=\"300\" g=\"0\" b=\"0\"/></node>\n</nodes></graph></gexf>", 3, 0, "0..255", false},
		{"gexf bad boolean", GEXF, "<gexf version=\"1.3\">\n<graph><attributes class=\"node\"><attribute id=\"0\" title=\"ok\" type=\"boolean\"/></attributes><nodes>\n<node id=\"a\"><attvalues><attvalue for=\"0\" value=\"maybe\"/></attvalues></node>\n</nodes></graph></gexf>", 3, 0, "maybe", false},
		{"csv bare quote", CSV, "source,target\na,b\nc,d\"e\n", 3, 4, "CSV", false},
		{"csv field count", CSV, "source,target,weight\na,b,1\nc,d\n", 3, 0, "columns", false},
		{"csv bad weight", CSV, "source,target,weight\na,b,1\nc,d,heavy\n", 3, 5, `"heavy"`, false},
		{"csv headerless too wide", CSV, "a,b,1,x\n", 1, 1, "header", false},
		{"csv typed column", CSV, "source,target,n:long\na,b,7\na,c,seven\n", 3, 5, `"seven"`, false},
		{"csv duplicate edge", CSV, "source,target,id\na,b,x\nb,c,y\nc,d,x\n", 4, 1, "first at line 2", true},
		{"csv empty target", CSV, "source,target\na,\n", 2, 1, "empty", false},
		{"json syntax", NodeLink, "{\"nodes\": [\n {\"id\": 1},\n {\"id\": 2,, }\n]}", 3, 0, "invalid character", false},
		{"json node not object", NodeLink, "{\"nodes\": [\n {\"id\": 1},\n 7\n]}", 3, 2, "must be an object", false},
		{"json link without source", NodeLink, "{\"nodes\": [], \"links\": [\n\n  {\"target\": 1}]}", 3, 3, `"source"`, false},
		{"json duplicate node", NodeLink, "{\"nodes\": [\n{\"id\": \"a\"},\n{\"id\": \"b\"},\n{\"id\": \"a\"}]}", 4, 1, "first at line 2", true},
		{"json trailing data", NodeLink, "{\"nodes\": []}\n{}", 2, 0, "after", false},
		{"json not object", NodeLink, "\n[1, 2]", 2, 1, "must be an object", false},
		{"json truncated", NodeLink, "{\"nodes\": [{\"id\": 1}", 1, 0, "end", false},
		{"json empty", NodeLink, "", 1, 0, "", false},
		{"json bad weight", NodeLink, "{\"nodes\": [],\n\"links\": [{\"source\": 1, \"target\": 2, \"weight\": \"x\"}]}", 2, 0, "weight", false},
		{"json nodes not array", NodeLink, "{\n\"nodes\": {}}", 2, 10, "array", false},
	}
	for _, c := range cases {
		r, err := Open(strings.NewReader(c.in), c.f, Options{Name: "in"})
		if err == nil {
			_, err = readAll(r)
		}
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: got %v, want an ErrFormat", c.name, err)
			continue
		}
		if errors.Is(err, ErrDuplicate) != c.dup {
			t.Errorf("%s: ErrDuplicate = %v", c.name, !c.dup)
		}
		var pe *PosError
		if !errors.As(err, &pe) {
			t.Errorf("%s: %v is not a *PosError", c.name, err)
			continue
		}
		if pe.Line != c.line || (c.col != 0 && pe.Col != c.col) || !strings.Contains(err.Error(), c.msg) ||
			!strings.HasPrefix(err.Error(), "in:") {
			t.Errorf("%s: got %q (line %d col %d), want line %d col %d mentioning %q", c.name, err, pe.Line, pe.Col, c.line, c.col, c.msg)
		}
	}
}
