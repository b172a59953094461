package conceptual

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

const exampleSpace = `{
  "c": 0.5,
  "domains": [
    {"name": "color", "weight": 2, "dimensions": [
      {"name": "hue", "weight": 1, "kind": "circular", "range": [0, 1]},
      {"name": "saturation", "weight": 3, "kind": "continuous", "range": [0, 1]}
    ]},
    {"name": "shape", "weight": 1, "dimensions": [
      {"name": "size", "kind": "continuous", "range": [0, 10]},
      {"name": "form", "kind": "categorical", "values": ["round", "long"]}
    ]}
  ],
  "prototypes": {
    "zebra": {"hue": 0, "saturation": 0, "size": 9, "form": "long"},
    "apple": {"hue": 0.03, "saturation": 0.8, "size": 1, "form": "round"},
    "banana": {"hue": 0.17, "saturation": 0.9, "size": 2, "form": "long"}
  },
  "queries": [
    {"hue": 0.97, "saturation": 0.7, "size": 1.5, "form": "round"},
    {"size": 2, "form": 1, "hue": null}
  ]
}`

func TestEvalSpaceJSON(t *testing.T) {
	var out bytes.Buffer
	if err := EvalSpaceJSON(strings.NewReader(exampleSpace), &out); err != nil {
		t.Fatal(err)
	}
	var res EvalResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Queries) != 2 {
		t.Fatalf("queries: %d", len(res.Queries))
	}
	q0 := res.Queries[0]
	// Prototypes in file order, not alphabetical.
	if q0.ToPrototypes[0].Prototype != "zebra" || q0.ToPrototypes[1].Prototype != "apple" || q0.ToPrototypes[2].Prototype != "banana" {
		t.Fatalf("order: %+v", q0.ToPrototypes)
	}
	if q0.Nearest != "apple" {
		t.Fatalf("nearest %q", q0.Nearest)
	}
	// Hand value for query 0 → apple: hue arc .06, sat .1; size .5, form same.
	// Weights: color 4/3, shape 2/3; hue .25, sat .75; size .5, form .5.
	dColor := math.Sqrt(0.25*0.06*0.06 + 0.75*0.01)
	dShape := math.Sqrt(0.5 * 0.25)
	want := 4.0/3*dColor + 2.0/3*dShape
	a := q0.ToPrototypes[1]
	if !approx(a.Distance, want, 1e-12) || !approx(a.DomainDistances["color"], dColor, 1e-12) ||
		!approx(a.DomainDistances["shape"], dShape, 1e-12) || !approx(a.Similarity, math.Exp(-0.5*want), 1e-12) {
		t.Fatalf("apple: %+v want d=%v", a, want)
	}
	// Query 1 has no colour: the colour domain is skipped and reported absent.
	q1 := res.Queries[1]
	if _, ok := q1.ToPrototypes[0].DomainDistances["color"]; ok {
		t.Fatal("colour should be absent for query 1")
	}
	// shape only: banana: size 0, form same → 0.
	if q1.Nearest != "banana" || q1.ToPrototypes[2].Distance != 0 {
		t.Fatalf("query 1: %+v", q1)
	}
}

func TestSpaceFileErrors(t *testing.T) {
	cases := []struct {
		name, doc, field string
		err              error
	}{
		{"malformed", `{"domains": [`, "SPACE.json", ErrMalformed},
		{"wrong type", `{"domains": 3}`, "domains", ErrMalformed},
		{"unknown top field", `{"domain": []}`, "SPACE.json", ErrMalformed},
		{"bad c", `{"c": -1, "domains": []}`, "c", ErrInvalidParameter},
		{"empty domain", `{"domains": [{"name": "a", "dimensions": []}], "prototypes": {"p": {}}}`, "domains[0].dimensions", ErrEmptyDomain},
		{"zero weight", `{"domains": [{"name": "a", "dimensions": [{"name": "x", "weight": 0}]}], "prototypes": {"p": {"x": 1}}}`, "domains[0].dimensions[0].weight", ErrInvalidWeight},
		{"unknown dimension", `{"domains": [{"name": "a", "dimensions": [{"name": "x"}]}], "prototypes": {"p": {"y": 1}}}`, "prototypes.p.y", ErrUnknownDimension},
		{"unknown query dimension", `{"domains": [{"name": "a", "dimensions": [{"name": "x"}]}], "prototypes": {"p": {"x": 1}}, "queries": [{"x": 1}, {"z": 2}]}`, "queries[1].z", ErrUnknownDimension},
		{"string number", `{"domains": [{"name": "a", "dimensions": [{"name": "x"}]}], "prototypes": {"p": {"x": "abc"}}}`, "prototypes.p.x", ErrMalformed},
		{"no prototypes", `{"domains": [{"name": "a", "dimensions": [{"name": "x"}]}]}`, "prototypes", ErrMalformed},
		{"duplicate prototype", `{"domains": [{"name": "a", "dimensions": [{"name": "x"}]}], "prototypes": {"p": {"x": 1}, "p": {"x": 2}}}`, "prototypes.p", ErrDuplicateName},
		{"no common domain", `{"domains": [{"name": "a", "dimensions": [{"name": "x"}]}, {"name": "b", "dimensions": [{"name": "y"}]}], "prototypes": {"p": {"x": 1}}, "queries": [{"y": 1}]}`, "queries[0]", ErrNoCommonDomain},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := EvalSpaceJSON(strings.NewReader(c.doc), &bytes.Buffer{})
			var fe *FieldError
			if !errors.Is(err, c.err) || !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("got %v, want field %q wrapping %v", err, c.field, c.err)
			}
		})
	}
}

func TestMapperNormalisesAndHandlesMissing(t *testing.T) {
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{
		{Name: "money", Weight: 1, Dimensions: []DimensionDef{
			{Name: "price", Weight: 1, Range: []float64{0, 1}},
			{Name: "score", Weight: 1},
		}},
		{Name: "place", Weight: 1, Dimensions: []DimensionDef{
			{Name: "lat", Weight: 1, Range: []float64{-1, 1}},
			{Name: "kind", Weight: 1, Kind: Categorical, Values: []string{"shop", "farm"}},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMapper(s, []MappingRule{
		{Property: "price", Dimension: "price", Normalize: NormMinMax},
		{Property: "score", Dimension: "score", Normalize: NormZScore},
		{Property: "geo.lat", Dimension: "lat", Normalize: NormRange, From: []float64{-90, 90}},
		{Property: "kind", Dimension: "kind"},
	})
	if err != nil {
		t.Fatal(err)
	}
	nodes := []map[string]any{
		{"price": 10.0, "score": 1, "geo": map[string]any{"lat": 45.0}, "kind": "shop"},
		{"price": json.Number("30"), "score": 3, "kind": "farm"},
		{"price": 20, "score": int64(2), "geo": map[string]any{"lat": -90}},
		{"score": nil},
	}
	if _, err := m.Map(nodes[0], nil); !errors.Is(err, ErrInvalidParameter) {
		t.Fatalf("Map before Fit: %v", err)
	}
	if err := m.Fit(nodes); err != nil {
		t.Fatal(err)
	}
	x, err := m.Map(nodes[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	std := math.Sqrt(2.0 / 3)
	want := []float64{0, -1 / std, 0.5, 0}
	for k := range want {
		if !approx(x[k], want[k], 1e-12) {
			t.Fatalf("node 0 → %v, want %v", x, want)
		}
	}
	x, _ = m.Map(nodes[1], x)
	if x[0] != 1 || !IsMissing(x[2]) || x[3] != 1 {
		t.Fatalf("node 1 → %v", x)
	}
	x, _ = m.Map(nodes[3], x)
	for k := range x {
		if !IsMissing(x[k]) {
			t.Fatalf("node 3 should be all missing: %v", x)
		}
	}
	// Unseen values beyond the fitted range are clamped into the dimension's range.
	x, _ = m.Map(map[string]any{"price": 100.0}, x)
	if x[0] != 1 {
		t.Fatalf("clamp: %v", x)
	}
	if _, err := m.Map(map[string]any{"price": "cheap"}, nil); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "price") {
		t.Fatalf("bad value: %v", err)
	}
	if _, err := m.Map(map[string]any{"kind": "castle"}, nil); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("bad label: %v", err)
	}
	if _, err := NewMapper(s, []MappingRule{{Property: "p", Dimension: "nope"}}); !errors.Is(err, ErrUnknownDimension) {
		t.Fatalf("unknown dimension: %v", err)
	}
	if _, err := NewMapper(s, []MappingRule{{Property: "p", Dimension: "lat", Normalize: NormRange}}); !errors.Is(err, ErrInvalidRange) {
		t.Fatalf("range without from: %v", err)
	}
}

func TestCategorizerVoronoi(t *testing.T) {
	s, err := Compile(SpaceDefinition{Domains: []DomainDef{{Name: "d", Weight: 1, Dimensions: []DimensionDef{
		{Name: "x", Weight: 1}, {Name: "y", Weight: 3}}}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCategorizer(s, []Prototype{
		{Name: "a", Point: Coordinates{"x": 0, "y": 0}},
		{Name: "b", Point: Coordinates{"x": 4, "y": 0}},
		{Name: "c", Point: Coordinates{"x": 0, "y": 4}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < c.Len(); i++ {
		reg, err := c.VoronoiRegion(i)
		if err != nil {
			t.Fatal(err)
		}
		// Grid check: region membership equals nearest prototype.
		for gx := -2.0; gx <= 6; gx += 0.37 {
			for gy := -2.0; gy <= 6; gy += 0.41 {
				p := []float64{gx, gy}
				n, _ := c.Nearest(p)
				if (n == i) != reg.Contains(p) {
					t.Fatalf("point %v: nearest %d, region %d contains=%v", p, n, i, reg.Contains(p))
				}
			}
		}
	}
	box := BoxRegion("box", []float64{0, math.Inf(-1)}, []float64{1, 2})
	if !box.Contains([]float64{0.5, -100}) || box.Contains([]float64{1.5, 0}) || box.Contains([]float64{0.5, 3}) {
		t.Fatal("box region")
	}
	if err := box.Validate(s); err != nil {
		t.Fatal(err)
	}
}

// The documented example (docs/conceptual.md) and its output, pinned.
func TestEvalGoldenFile(t *testing.T) {
	in, err := os.ReadFile("testdata/fruit.space.json")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := EvalSpaceJSON(bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/fruit.eval.json", out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/fruit.eval.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("output differs from testdata/fruit.eval.json (run with -update after checking):\n%s", out.String())
	}
}
