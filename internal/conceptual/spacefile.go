package conceptual

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// SpaceFile is a parsed SPACE.json: a space, prototypes and query points.
// The format (documented with an example in docs/conceptual.md):
//
//	{
//	  "c": 2.0,
//	  "domains": [{"name": "color", "weight": 1, "dimensions": [
//	      {"name": "hue", "weight": 1, "kind": "circular", "range": [0, 360]}]}],
//	  "prototypes": {"red": {"hue": 0}, "green": {"hue": 120}},
//	  "queries": [{"hue": 350}]
//	}
//
// Prototypes keep their order in the file. A point's value may be a number,
// a label of a categorical/ordinal dimension, or null (missing).
type SpaceFile struct {
	Space      *Space
	C          float64
	Prototypes []Prototype
	Queries    [][]float64 // flat points, NaN = missing
}

type rawSpaceFile struct {
	C          *float64        `json:"c"`
	Domains    []DomainDef     `json:"domains"`
	Prototypes json.RawMessage `json:"prototypes"`
	Queries    json.RawMessage `json:"queries"`
}

// ParseSpaceFile reads and validates a SPACE.json document. Errors are
// *FieldError values naming the field and wrapping a sentinel (ErrMalformed
// for JSON that does not parse).
func ParseSpaceFile(r io.Reader) (*SpaceFile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("conceptual: read space file: %w", err)
	}
	var raw rawSpaceFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, jsonError(data, err)
	}
	if dec.More() {
		return nil, fieldErrf("SPACE.json", ErrMalformed, "trailing data after the top-level object")
	}
	f := &SpaceFile{C: 1}
	if raw.C != nil {
		if !(*raw.C > 0) || math.IsInf(*raw.C, 0) {
			return nil, fieldErrf("c", ErrInvalidParameter, "sensitivity must be a finite number > 0, got %v", *raw.C)
		}
		f.C = *raw.C
	}
	if f.Space, err = Compile(SpaceDefinition{Domains: raw.Domains}); err != nil {
		return nil, err
	}
	names, bodies, err := orderedObject(raw.Prototypes, "prototypes")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fieldErrf("prototypes", ErrMalformed, "need at least one prototype")
	}
	seen := map[string]bool{}
	for i, name := range names {
		field := "prototypes." + name
		if seen[name] {
			return nil, fieldErrf(field, ErrDuplicateName, "prototype %q", name)
		}
		seen[name] = true
		if name == "" {
			return nil, fieldErrf(fmt.Sprintf("prototypes[%d]", i), ErrMalformed, "empty prototype name")
		}
		x, err := f.parsePoint(bodies[i], field)
		if err != nil {
			return nil, err
		}
		f.Prototypes = append(f.Prototypes, Prototype{Name: name, Point: f.Space.Coordinates(x), Source: "file"})
	}
	if len(raw.Queries) > 0 && string(raw.Queries) != "null" {
		var qs []json.RawMessage
		if err := json.Unmarshal(raw.Queries, &qs); err != nil {
			return nil, fieldErrf("queries", ErrMalformed, "want an array of points: %v", err)
		}
		for i, q := range qs {
			x, err := f.parsePoint(q, fmt.Sprintf("queries[%d]", i))
			if err != nil {
				return nil, err
			}
			f.Queries = append(f.Queries, x)
		}
	}
	return f, nil
}

// parsePoint decodes {"dim": value, ...} into a flat point.
func (f *SpaceFile) parsePoint(body json.RawMessage, field string) ([]float64, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, fieldErrf(field, ErrMalformed, "a point is an object {dimension: value}")
	}
	s := f.Space
	x := make([]float64, s.Dims())
	for k := range x {
		x[k] = Missing
	}
	present := 0
	for name, v := range m {
		k, ok := s.dimIdx[name]
		if !ok {
			return nil, fieldErrf(field+"."+name, ErrUnknownDimension, "%q", name)
		}
		val, ok, err := s.ParseValue(k, v, field+"."+name)
		if err != nil {
			return nil, err
		}
		if ok {
			x[k] = val
			present++
		}
	}
	if present == 0 {
		return nil, fieldErrf(field, ErrMalformed, "point has no coordinates")
	}
	return x, nil
}

// orderedObject splits a JSON object into keys and raw values in file order.
func orderedObject(data json.RawMessage, field string) ([]string, []json.RawMessage, error) {
	if len(data) == 0 || string(data) == "null" {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, nil, fieldErrf(field, ErrMalformed, "want an object {name: point}")
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fieldErrf(field, ErrMalformed, "%v", err)
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, fieldErrf(field+"."+key, ErrMalformed, "%v", err)
		}
		keys = append(keys, key)
		vals = append(vals, v)
	}
	return keys, vals, nil
}

func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := lineCol(data, syn.Offset)
		return fieldErrf("SPACE.json", ErrMalformed, "line %d column %d: %v", line, col, err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fieldErrf(typ.Field, ErrMalformed, "want %v, got JSON %s", typ.Type, typ.Value)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fieldErrf("SPACE.json", ErrMalformed, "unexpected end of input")
	}
	return fieldErrf("SPACE.json", ErrMalformed, "%v", err)
}

func lineCol(data []byte, off int64) (int, int) {
	line, col := 1, 1
	for i := int64(0); i < off && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// EvalResult is the JSON document `alchemist concept eval` prints.
type EvalResult struct {
	Queries []QueryResult `json:"queries"`
}

// QueryResult lists the distances of one query to every prototype (input
// order) and the nearest one (its Voronoi cell).
type QueryResult struct {
	Nearest      string          `json:"nearest"`
	ToPrototypes []ProtoDistance `json:"to_prototypes"`
}

// ProtoDistance is d(query, prototype) with its per-domain parts d_D; domains
// skipped for missing values are absent from DomainDistances.
type ProtoDistance struct {
	Prototype       string             `json:"prototype"`
	Distance        float64            `json:"distance"`
	DomainDistances map[string]float64 `json:"domain_distances"`
	Similarity      float64            `json:"similarity"`
}

// Eval computes the result for every query.
func (f *SpaceFile) Eval() (*EvalResult, error) {
	cat, err := NewCategorizer(f.Space, f.Prototypes)
	if err != nil {
		return nil, err
	}
	s := f.Space
	res := &EvalResult{Queries: make([]QueryResult, 0, len(f.Queries))}
	dd := make([]float64, s.NumDomains())
	for qi, q := range f.Queries {
		qr := QueryResult{ToPrototypes: make([]ProtoDistance, 0, cat.Len())}
		best := math.Inf(1)
		for pi := 0; pi < cat.Len(); pi++ {
			p := cat.PointOf(pi)
			d := s.Distance(q, p)
			if math.IsNaN(d) {
				return nil, fieldErrf(fmt.Sprintf("queries[%d]", qi), ErrNoCommonDomain, "with prototype %q", cat.Name(pi))
			}
			pd := ProtoDistance{Prototype: cat.Name(pi), Distance: d, Similarity: math.Exp(-f.C * d), DomainDistances: map[string]float64{}}
			for i, v := range s.DomainDistances(q, p, dd) {
				if !IsMissing(v) {
					pd.DomainDistances[s.DomainName(i)] = v
				}
			}
			if d < best {
				best, qr.Nearest = d, cat.Name(pi)
			}
			qr.ToPrototypes = append(qr.ToPrototypes, pd)
		}
		res.Queries = append(res.Queries, qr)
	}
	return res, nil
}

// EvalSpaceJSON is the whole of `alchemist concept eval`: it parses SPACE.json
// from r and writes the indented JSON result to w.
func EvalSpaceJSON(r io.Reader, w io.Writer) error {
	f, err := ParseSpaceFile(r)
	if err != nil {
		return err
	}
	res, err := f.Eval()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
