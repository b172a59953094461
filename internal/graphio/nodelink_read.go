package graphio

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/infoalchemist/alchemist/internal/graph"
)

// Node-link JSON as written by networkx's node_link_data ({"directed", "multigraph", "graph",
// "nodes", "links" or "edges"}) and read by d3-force. Node keys: "id" (string or number; a node
// without one is named by its index), "label", "kind", "cid", "coords", and d3's fixed position
// "fx", "fy", "fz" as the pin; every other key is a property kept as written. Link keys "source",
// "target" (ids, or d3 indices into "nodes"), "id", "weight", "kind"; the rest are properties.
//
// Direction follows networkx: a file without "directed": true is undirected, so each of its edges
// carries "undirected": true. A numeric endpoint names the node with that id when there is one,
// else the node at that index (d3). Links that come before "nodes" are held until the nodes are
// read, since an index cannot be resolved earlier; in the usual order nothing is held.

type nodeLinkReader struct {
	dec     *json.Decoder
	pos     *lineTracker
	file    string
	meta    metaQueue
	state   int // 0 before '{', 1 top-level keys, 2 in nodes, 3 in links, 4 done
	dirSeen bool
	nodes   []string // id by index, for d3 links
	nodeIDs ids
	edgeIDs ids
	nodesIn bool // the nodes array has been read
	held    []heldLink
	edgeN   int
	inArray int // elements read in the current array
	pump
}

type heldLink struct {
	it       Item
	src, dst bool // endpoint given as a number
}

func newNodeLinkReader(r io.Reader, opt Options) *nodeLinkReader {
	t := &lineTracker{r: bufio.NewReaderSize(r, 64<<10), line: 1}
	d := json.NewDecoder(t)
	d.UseNumber()
	return &nodeLinkReader{dec: d, pos: t, file: opt.Name, nodeIDs: ids{}, edgeIDs: ids{}}
}

func (r *nodeLinkReader) errAt(off int64, format string, args ...any) *PosError {
	line, col := r.pos.pos(off)
	return posErr(r.file, line, col, format, args...)
}

// jsonErr turns a decoder error into a positioned one. Token errors carry an exact offset; Decode
// errors carry one counted from an unknown origin, so the value is re-scanned from its start.
func (r *nodeLinkReader) jsonErr(err error, start int64, decoding bool) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return r.errAt(r.dec.InputOffset(), "JSON: unexpected end of file")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// The decoder's own offset depends on how much it had buffered; the start of the token it
		// could not read does not.
		off := r.pos.skipWhite(start)
		// "expected colon/comma" comes from before the value (the decoder's token state); any
		// other Decode error lies inside the value, found again by re-scanning it.
		if decoding && !strings.HasPrefix(se.Error(), "expected ") {
			off = start
			if b := r.pos.from(start); b != nil {
				var v any
				var se2 *json.SyntaxError
				// Only an error inside the value counts: one after it means the value was whole and
				// the decoder refused something before it (a missing colon).
				if e2 := json.Unmarshal(b, &v); errors.As(e2, &se2) && !strings.Contains(se2.Error(), "after top-level value") &&
					!strings.Contains(se2.Error(), "unexpected end") {
					off = start + max(se2.Offset-1, 0)
				}
			}
		}
		return r.errAt(off, "JSON: %s", se.Error())
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return r.errAt(start, "JSON: %s", te.Error())
	}
	return fmt.Errorf("%s: %w", r.file, err)
}

func (r *nodeLinkReader) Next() (Item, error) { return r.next(r.step) }

func (r *nodeLinkReader) token() (json.Token, int64, error) {
	start := r.dec.InputOffset()
	t, err := r.dec.Token()
	if err != nil {
		return nil, start, r.jsonErr(err, start, false)
	}
	return t, start, nil
}

func (r *nodeLinkReader) step() error {
	switch r.state {
	case 0:
		t, off, err := r.token()
		if err != nil {
			if errors.Is(err, ErrFormat) && r.dec.InputOffset() == 0 {
				return r.errAt(0, "empty file: not node-link JSON")
			}
			return err
		}
		if d, ok := t.(json.Delim); !ok || d != '{' {
			return r.errAt(r.pos.skipSpace(off), "node-link JSON must be an object with \"nodes\" and \"links\"")
		}
		r.state = 1
		return nil
	case 1:
		return r.topKey()
	case 2, 3:
		return r.element()
	}
	return io.EOF
}

func (r *nodeLinkReader) topKey() error {
	t, off, err := r.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); ok && d == '}' {
		return r.finish()
	}
	key, _ := t.(string)
	switch key {
	case "nodes", "links", "edges":
		t, off, err := r.token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); !ok || d != '[' {
			return r.errAt(r.pos.skipSpace(off), "%q must be an array", key)
		}
		if key == "nodes" {
			if r.nodesIn {
				return r.errAt(r.pos.skipSpace(off), "a second \"nodes\" array")
			}
			r.state = 2
		} else {
			r.state = 3
		}
		return nil
	case "directed", "multigraph":
		var b bool
		start := r.dec.InputOffset()
		if err := r.dec.Decode(&b); err != nil {
			return r.jsonErr(err, start, true)
		}
		if key == "multigraph" {
			r.meta.meta.Multigraph = b
			return nil
		}
		if r.edgeN > 0 && b && !r.dirSeen {
			return r.errAt(r.pos.skipSpace(start), "\"directed\": true after the links, which were read as undirected (networkx's default): move it before them")
		}
		r.dirSeen = true
		r.meta.meta.Directed = b
		return nil
	case "graph":
		var m graph.Props
		start := r.dec.InputOffset()
		if err := r.dec.Decode(&m); err != nil {
			return r.jsonErr(err, start, true)
		}
		if n, ok := m["name"]; ok {
			if s, isStr := unquoteJSON(n); isStr {
				r.meta.meta.Name = s
			}
		}
		r.meta.meta.Props = m
		if r.meta.sent {
			r.meta.dirty = true
		}
		return nil
	}
	_ = off
	var skip json.RawMessage
	start := r.dec.InputOffset()
	if err := r.dec.Decode(&skip); err != nil {
		return r.jsonErr(err, start, true)
	}
	return nil
}

// element reads one node or link, or the end of the array.
func (r *nodeLinkReader) element() error {
	if !r.dec.More() {
		if _, _, err := r.token(); err != nil { // ']'
			return err
		}
		if r.state == 2 {
			r.nodesIn = true
			r.releaseHeld()
		}
		r.state, r.inArray = 1, 0
		return nil
	}
	before := r.dec.InputOffset()
	var raw json.RawMessage
	err := r.dec.Decode(&raw)
	start := r.pos.skipElem(before, r.inArray > 0)
	if err != nil {
		return r.jsonErr(err, start, true)
	}
	r.inArray++
	line, col := r.pos.pos(start)
	r.pos.advance(start)
	obj := splitObject(raw)
	if obj == nil {
		return r.errAt(start, "each element of %q must be an object", r.arrayName())
	}
	if r.state == 2 {
		return r.node(obj, line, col)
	}
	return r.link(obj, line, col)
}

func (r *nodeLinkReader) arrayName() string {
	if r.state == 2 {
		return "nodes"
	}
	return "links"
}

// scalarID reads an id: a string, or a number kept as written.
func scalarID(v json.RawMessage) (id string, num bool, ok bool) {
	if s, isStr := unquoteJSON(v); isStr {
		return s, false, true
	}
	if isJSONNumber(string(v)) {
		return string(v), true, true
	}
	return "", false, false
}

func (r *nodeLinkReader) node(obj map[string]json.RawMessage, line, col int) error {
	n := graph.Node{}
	if v, ok := obj["id"]; ok {
		id, _, ok := scalarID(v)
		if !ok {
			return posErr(r.file, line, col, "node id %s is not a string or a number", v)
		}
		n.ID = id
		delete(obj, "id")
	} else {
		n.ID = strconv.Itoa(len(r.nodes))
	}
	if n.ID == "" {
		return posErr(r.file, line, col, "node with an empty id")
	}
	if err := r.nodeIDs.add(r.file, "node", n.ID, line, col); err != nil {
		return err
	}
	for _, name := range [...]string{"label", "kind", "cid"} {
		v, ok := obj[name]
		if !ok {
			continue
		}
		s, isStr := unquoteJSON(v)
		if !isStr {
			if name != "label" {
				return posErr(r.file, line, col, "node %q: %q must be a string", n.ID, name)
			}
			s = string(v) // networkx labels may be numbers
		}
		switch name {
		case "label":
			n.Label = s
		case "kind":
			n.Kind = s
		case "cid":
			n.CID = s
		}
		delete(obj, name)
	}
	if v, ok := obj["coords"]; ok {
		c, ok := parseCoords(string(v))
		if !ok {
			return posErr(r.file, line, col, "node %q: coords must be an array of finite numbers", n.ID)
		}
		n.Coords = c
		delete(obj, "coords")
	}
	for i, name := range [...]string{"fx", "fy", "fz"} {
		v, ok := obj[name]
		if !ok {
			continue
		}
		delete(obj, name)
		if string(v) == "null" { // d3 releases a fixed node by setting fx = null
			continue
		}
		f, ok := parseFloat(string(v))
		if !ok || !isJSONNumber(string(v)) {
			return posErr(r.file, line, col, "node %q: %s %s is not a finite number", n.ID, name, v)
		}
		if n.Pin == nil {
			n.Pin = new(graph.Vec3)
		}
		n.Pin[i] = f
	}
	if _, ok := obj[""]; ok {
		return posErr(r.file, line, col, "node %q: a property with an empty name", n.ID)
	}
	if len(obj) > 0 {
		n.Props = obj
	}
	r.nodes = append(r.nodes, n.ID)
	r.emit(Item{Kind: KindNode, Node: n, Line: line})
	return nil
}

func (r *nodeLinkReader) link(obj map[string]json.RawMessage, line, col int) error {
	e := graph.Edge{Weight: 1}
	var h heldLink
	for _, end := range [...]string{"source", "target"} {
		v, ok := obj[end]
		if !ok {
			return posErr(r.file, line, col, "link without a %q", end)
		}
		id, num, ok := scalarID(v)
		if !ok || id == "" {
			return posErr(r.file, line, col, "link %s %s is not a node id or index", end, v)
		}
		if end == "source" {
			e.Source, h.src = id, num
		} else {
			e.Target, h.dst = id, num
		}
		delete(obj, end)
	}
	if v, ok := obj["id"]; ok {
		id, _, ok := scalarID(v)
		if !ok || id == "" {
			return posErr(r.file, line, col, "link id %s is not a string or a number", v)
		}
		e.ID = id
		delete(obj, "id")
	} else {
		e.ID = edgeID(r.edgeN)
	}
	r.edgeN++
	if err := r.edgeIDs.add(r.file, "edge", e.ID, line, col); err != nil {
		return err
	}
	if v, ok := obj["weight"]; ok {
		f, ok := parseFloat(string(v))
		if !ok || !isJSONNumber(string(v)) {
			return posErr(r.file, line, col, "link %q: weight %s is not a finite number", e.ID, v)
		}
		e.Weight = f
		delete(obj, "weight")
	}
	if v, ok := obj["kind"]; ok {
		s, isStr := unquoteJSON(v)
		if !isStr {
			return posErr(r.file, line, col, "link %q: kind must be a string", e.ID)
		}
		e.Kind = s
		delete(obj, "kind")
	}
	if _, ok := obj[""]; ok {
		return posErr(r.file, line, col, "link %q: a property with an empty name", e.ID)
	}
	if !r.meta.meta.Directed {
		obj["undirected"] = jsonTrue
	}
	if len(obj) > 0 {
		e.Props = obj
	}
	h.it = Item{Kind: KindEdge, Edge: e, Line: line}
	if !r.nodesIn && (h.src || h.dst) {
		r.held = append(r.held, h)
		return nil
	}
	r.resolve(&h)
	r.emit(h.it)
	return nil
}

// resolve maps numeric endpoints that are not node ids to the node at that index.
func (r *nodeLinkReader) resolve(h *heldLink) {
	fix := func(s *string) {
		if _, isID := r.nodeIDs[*s]; isID {
			return
		}
		if i, err := strconv.Atoi(*s); err == nil && i >= 0 && i < len(r.nodes) {
			*s = r.nodes[i]
		}
	}
	if h.src {
		fix(&h.it.Edge.Source)
	}
	if h.dst {
		fix(&h.it.Edge.Target)
	}
}

func (r *nodeLinkReader) releaseHeld() {
	for i := range r.held {
		r.resolve(&r.held[i])
		r.emit(r.held[i].it)
	}
	r.held = nil
}

func (r *nodeLinkReader) emit(it Item) {
	if m, ok := r.meta.take(); ok {
		r.queue = append(r.queue, m)
	}
	r.queue = append(r.queue, it)
}

func (r *nodeLinkReader) finish() error {
	r.releaseHeld()
	if m, ok := r.meta.take(); ok {
		r.queue = append(r.queue, m)
	}
	r.state = 4
	// Only whitespace may follow the object.
	if _, err := r.dec.Token(); err != io.EOF {
		return r.errAt(r.dec.InputOffset(), "data after the node-link object")
	}
	return io.EOF
}

// splitObject splits a JSON object the decoder has already validated into its members, whose
// values share raw's bytes (capacity-capped, so appending to one cannot touch another). It is
// several times cheaper than decoding into a map by reflection. It returns nil for a non-object.
func splitObject(raw []byte) map[string]json.RawMessage {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil
	}
	obj := make(map[string]json.RawMessage)
	i = skipWS(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return obj
	}
	for i < len(raw) {
		ks := i
		i = skipString(raw, i)
		key, ok := unquoteJSON(raw[ks:i])
		if !ok {
			return nil
		}
		i = skipWS(raw, i)
		i = skipWS(raw, i+1) // ':'
		vs := i
		i = skipValue(raw, i)
		obj[key] = json.RawMessage(raw[vs:i:i])
		i = skipWS(raw, i)
		if i >= len(raw) || raw[i] == '}' {
			break
		}
		i = skipWS(raw, i+1) // ','
	}
	return obj
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the (valid) JSON value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}
