package graph

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestEnvelopeRoundTrip(t *testing.T) {
	evs, err := Wrap("g", []Payload{&NodesAdded{Nodes: []Node{{ID: "a", Props: Props{"n": json.RawMessage(`2`)}, Pin: &Vec3{1, 2, 3}}}}},
		Meta{Actor: "alice", CommandID: "c1", CausationID: "e0", Time: t0})
	if err != nil {
		t.Fatal(err)
	}
	data, err := EncodeEvent(&evs[0])
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeEvent(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != evs[0].ID || got.Type != EventNodesAdded || got.SchemaVersion != 1 || got.Actor != "alice" ||
		got.CorrelationID != "c1" || got.CausationID != "e0" || !got.Time.Equal(t0) || got.GraphID != "g" {
		t.Fatalf("envelope %+v", got.Envelope)
	}
	if !reflect.DeepEqual(got.Data, evs[0].Data) {
		t.Fatalf("payload %+v != %+v", got.Data, evs[0].Data)
	}
	// UUIDv7: version nibble 7, and ids made later sort later.
	if evs[0].ID[14] != '7' {
		t.Fatalf("event id %s is not a UUIDv7", evs[0].ID)
	}
	a, _ := NewEventID()
	b, _ := NewEventID()
	if !(a < b) {
		t.Fatalf("UUIDv7 not ordered: %s %s", a, b)
	}
}

// TestUpcastV1 decodes events as a v1 build wrote them.
func TestUpcastV1(t *testing.T) {
	v1Edges := `{"id":"0190d3a8-0000-7000-8000-000000000001","graph_id":"g","type":"edges_added","schema_version":1,
		"time":"2026-11-27T12:00:00Z","payload":{"edges":[{"id":"e1","from":"a","to":"b"},{"id":"e2","from":"b","to":"a","weight":0.5,"kind":"k"}]}}`
	ev, err := DecodeEvent([]byte(v1Edges))
	if err != nil {
		t.Fatal(err)
	}
	want := &EdgesAdded{Edges: []Edge{{ID: "e1", Source: "a", Target: "b", Weight: 1}, {ID: "e2", Source: "b", Target: "a", Kind: "k", Weight: 0.5}}}
	if !reflect.DeepEqual(ev.Data, want) || ev.SchemaVersion != 2 {
		t.Fatalf("upcast edges_added: v%d %+v", ev.SchemaVersion, ev.Data)
	}
	v1Pin := `{"id":"x","graph_id":"g","type":"node_pinned","schema_version":1,"time":"2026-11-27T12:00:00Z",
		"payload":{"node_id":"a","x":1,"y":2,"z":3,"pinned":true}}`
	ev, err = DecodeEvent([]byte(v1Pin))
	if err != nil {
		t.Fatal(err)
	}
	if p := ev.Data.(*NodePinned); p.ID != "a" || p.Position == nil || *p.Position != (Vec3{1, 2, 3}) {
		t.Fatalf("upcast node_pinned: %+v", p)
	}
	unpin := strings.Replace(v1Pin, `"pinned":true`, `"pinned":false`, 1)
	ev, _ = DecodeEvent([]byte(unpin))
	if p := ev.Data.(*NodePinned); p.Position != nil {
		t.Fatalf("unpinned v1 upcast to %+v", p.Position)
	}
	// The upcast history applies like a current one.
	g := New("g")
	for _, s := range []string{
		`{"id":"1","graph_id":"g","type":"graph_created","schema_version":1,"time":"2026-11-27T12:00:00Z","payload":{"name":"G"}}`,
		`{"id":"2","graph_id":"g","type":"nodes_added","schema_version":1,"time":"2026-11-27T12:00:00Z","payload":{"nodes":[{"id":"a"},{"id":"b"}]}}`,
		v1Edges, v1Pin,
	} {
		ev, err := DecodeEvent([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		g.Apply(&ev)
	}
	if e, ok := g.Edge("e1"); !ok || e.Weight != 1 || g.EdgeCount() != 2 {
		t.Fatalf("applied upcast history: %+v", e)
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := map[string]error{
		`not json`: ErrMalformedEvent,
		`{"id":"1","graph_id":"g","schema_version":1,"payload":{}}`:                           ErrMalformedEvent,
		`{"id":"1","graph_id":"g","type":"nodes_added","schema_version":0,"payload":{}}`:      ErrMalformedEvent,
		`{"id":"1","graph_id":"g","type":"martian_landed","schema_version":1,"payload":{}}`:   ErrUnknownEvent,
		`{"id":"1","graph_id":"g","type":"nodes_added","schema_version":9,"payload":{}}`:      ErrFutureVersion,
		`{"id":"1","graph_id":"g","type":"nodes_added","schema_version":1,"payload_cid":"b"}`: ErrPayloadExternal,
		`{"id":"1","graph_id":"g","type":"nodes_added","schema_version":1,"payload":[1]}`:     ErrMalformedEvent,
	}
	for in, want := range cases {
		ev, err := DecodeEvent([]byte(in))
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", in, err, want)
		}
		if want != ErrMalformedEvent && ev.ID != "1" {
			t.Errorf("%s: envelope not returned with the error", in)
		}
	}
	// An external payload, once fetched, decodes.
	ev, _ := DecodeEvent([]byte(`{"id":"1","graph_id":"g","type":"nodes_added","schema_version":1,"payload_cid":"b"}`))
	if err := ev.DecodePayload(json.RawMessage(`{"nodes":[{"id":"a"}]}`)); err != nil || len(ev.Data.(*NodesAdded).Nodes) != 1 {
		t.Fatalf("resolve external payload: %v", err)
	}
}

func TestRegistry(t *testing.T) {
	if len(EventTypes()) != 21 {
		t.Fatalf("%d event types registered", len(EventTypes()))
	}
	for _, op := range Ops {
		c, ok := NewCommand(op)
		if !ok || c.Op() != op {
			t.Fatalf("NewCommand(%s)", op)
		}
	}
	defer func() {
		if recover() == nil {
			t.Fatal("duplicate registration did not panic")
		}
	}()
	MustRegister(EventType{Name: EventNodesAdded, Version: 1, New: func() Payload { return new(NodesAdded) }})
}

// FuzzDecodeEvent: no input may panic the decoder or Apply; what decodes re-encodes to an event that
// decodes to the same thing.
func FuzzDecodeEvent(f *testing.F) {
	for _, p := range []Payload{
		&GraphCreated{Name: "g", Tags: []string{"a"}}, &NodesAdded{Nodes: []Node{{ID: "a", Coords: []float64{1}}, {ID: "b"}}},
		&EdgesAdded{Edges: []Edge{{ID: "e", Source: "a", Target: "b", Weight: 1}}}, &NodeRemoved{ID: "a"},
		&NodePinned{ID: "b", Position: &Vec3{1, 2, 3}}, &SubgraphChanged{ID: "s", Added: []string{"b"}},
		&NodeUpdated{ID: "b", SetProps: Props{"k": json.RawMessage(`[1,2]`)}},
		&SpaceDefined{ID: "t", Name: "T", Definition: json.RawMessage(`{"domains":[{"name":"d","dimensions":[{"name":"x"},{"name":"y"}]}]}`)},
		&CoordinatesSet{Space: "s", Points: []NodePoint{{ID: "a", Coordinates: Coordinates{"x": 1, "y": -2.5}}, {ID: "b"}}},
		&PrototypeAdded{Space: "s", Prototype: Prototype{Name: "p", Point: Coordinates{"x": 0.5}, Source: "kmeans"}},
		&PrototypeRemoved{Space: "s", Name: "p"},
		&StrategySet{ID: "a", Strategy: &Strategy{Player: 1, Names: []string{"C", "D"}, Mixed: []string{"1/3", "2/3"}}},
		&StrategySet{ID: "a"},
		&UtilitySet{ID: "b", Utility: &Utility{Objectives: []string{"u", "v"}, Weights: []string{"1", "1/2"}}},
		&CoalitionFormed{ID: "k2", Name: "K", Value: "3/2", Members: []string{"a", "b"}},
		&CoalitionDissolved{ID: "k", Members: []string{"a"}},
		&NodeRemoved{ID: "a", Points: []SpacePoint{{Space: "s", Coordinates: Coordinates{"x": 1}}}, Strategy: &Strategy{}, Coalition: "k", CoalitionDissolved: true},
	} {
		evs, _ := Wrap("g", []Payload{p}, Meta{Time: t0})
		data, _ := EncodeEvent(&evs[0])
		f.Add(data)
	}
	f.Add([]byte(`{"id":"x","graph_id":"g","type":"edges_added","schema_version":1,"payload":{"edges":[{"id":"e","from":"a","to":"b"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := DecodeEvent(data)
		g := New("g")
		g.Apply(&Event{Data: &GraphCreated{Name: "g"}})
		g.Apply(&Event{Data: &NodesAdded{Nodes: []Node{{ID: "a"}, {ID: "b"}}}})
		g.Apply(&Event{Data: &SpaceDefined{ID: "s", Definition: json.RawMessage(`{"domains":[{"dimensions":[{"name":"x"},{"name":"y"}]}]}`)}})
		g.Apply(&Event{Data: &CoalitionFormed{ID: "k", Members: []string{"a"}}})
		g.Apply(&ev)
		if err != nil {
			return
		}
		again, err := EncodeEvent(&ev)
		if err != nil {
			t.Fatalf("decoded event does not re-encode: %v", err)
		}
		ev2, err := DecodeEvent(again)
		if err != nil {
			t.Fatalf("re-encoded event does not decode: %v\n%s", err, again)
		}
		// Encoding is a fixed point after one round (empty and nil collections both vanish).
		again2, err := EncodeEvent(&ev2)
		if err != nil || string(again2) != string(again) {
			t.Fatalf("round trip differs:\n%s\n%s", again, again2)
		}
		snap, err := g.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		// Whatever the event did, the state it left must survive a snapshot.
		if _, err := DecodeSnapshot(snap); err != nil {
			t.Fatalf("snapshot after %s does not decode: %v", ev.Type, err)
		}
	})
}

// TestDecodeForeignLayouts: events written by other encoders (payload first, in the middle,
// whitespace, a "payload" key inside the payload) decode the same as ours.
func TestDecodeForeignLayouts(t *testing.T) {
	want := &NodesAdded{Nodes: []Node{{ID: "a", Props: Props{"payload": json.RawMessage(`{"payload":1}`)}}}}
	for _, in := range []string{
		`{"payload":{"nodes":[{"id":"a","props":{"payload":{"payload":1}}}]},"id":"1","graph_id":"g","type":"nodes_added","schema_version":1,"time":"2026-11-27T12:00:00Z"}`,
		`{"id":"1","graph_id":"g","payload":{"nodes":[{"id":"a","props":{"payload":{"payload":1}}}]},"type":"nodes_added","schema_version":1,"time":"2026-11-27T12:00:00Z"}`,
		`{ "id": "1", "graph_id": "g", "type": "nodes_added", "schema_version": 1, "time": "2026-11-27T12:00:00Z", "payload": {"nodes": [{"id": "a", "props": {"payload": {"payload":1}}}]} }`,
		`{"id":"1","graph_id":"g","type":"nodes_added","schema_version":1,"time":"2026-11-27T12:00:00Z","payload":{"nodes":[{"id":"a","props":{"payload":{"payload":1}}}]}}`,
	} {
		ev, err := DecodeEvent([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got := ev.Data.(*NodesAdded)
		if len(got.Nodes) != 1 || got.Nodes[0].ID != "a" || string(got.Nodes[0].Props["payload"]) != string(want.Nodes[0].Props["payload"]) ||
			ev.ID != "1" || ev.Type != EventNodesAdded {
			t.Fatalf("%s decoded to %+v", in, ev)
		}
	}
}

func TestExternalPayload(t *testing.T) {
	evs, _ := Wrap("g", []Payload{&NodesAdded{Nodes: []Node{{ID: "a"}}}}, Meta{Time: t0})
	evs[0].PayloadCID = "bafkreiexample"
	data, err := EncodeEvent(&evs[0])
	if err != nil {
		t.Fatal(err)
	}
	ev, err := DecodeEvent(data)
	if !errors.Is(err, ErrPayloadExternal) || ev.PayloadCID != "bafkreiexample" || ev.Type != EventNodesAdded || len(ev.Payload) != 0 {
		t.Fatalf("external payload: %v %+v", err, ev.Envelope)
	}
	raw, _ := json.Marshal(evs[0].Data)
	if err := ev.DecodePayload(raw); err != nil || !reflect.DeepEqual(ev.Data, evs[0].Data) {
		t.Fatalf("resolved payload: %v", err)
	}
}
