package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Decoding errors. A consumer logs an event that fails with one of them and skips it.
var (
	// ErrMalformedEvent: not a JSON envelope, or a required envelope field is missing.
	ErrMalformedEvent = errors.New("malformed event")
	// ErrUnknownEvent: the type is not registered in this build (written by a newer one).
	ErrUnknownEvent = errors.New("unknown event type")
	// ErrFutureVersion: the schema version is newer than this build understands.
	ErrFutureVersion = errors.New("event schema version from the future")
	// ErrPayloadExternal: the payload is stored by CID; fetch it and call [Event.DecodePayload].
	ErrPayloadExternal = errors.New("event payload is stored externally")
)

// Envelope is the metadata every event carries (ARCHITECTURE §3) and its payload, either inline JSON
// or the CID of a payload kept in the object store because it is large.
type Envelope struct {
	ID            string          `json:"id"` // UUIDv7; also the Nats-Msg-Id
	GraphID       string          `json:"graph_id"`
	Type          string          `json:"type"`
	SchemaVersion int             `json:"schema_version"`
	Time          time.Time       `json:"time"`
	Actor         string          `json:"actor,omitempty"`
	CorrelationID string          `json:"correlation_id,omitempty"` // the command id
	CausationID   string          `json:"causation_id,omitempty"`   // the event or command that caused it
	Payload       json.RawMessage `json:"payload,omitempty"`
	PayloadCID    string          `json:"payload_cid,omitempty"`
}

// Event is an envelope with its decoded payload and, once stored, its stream position.
type Event struct {
	Envelope
	// Seq is the event's position in the store (stream sequence); 0 until stored. Not encoded.
	Seq uint64
	// Data is the typed payload; nil when the payload is external and not yet resolved.
	Data Payload
}

// EncodeEvent serialises an event. When Data is set, Type and SchemaVersion are set from its
// registration and Data becomes the inline payload, unless PayloadCID is set: then the caller has
// stored the (large) payload in the object store and only the CID travels.
func EncodeEvent(ev *Event) ([]byte, error) {
	if ev.Data != nil {
		t, ok := LookupEventType(ev.Data.EventType())
		if !ok {
			return nil, fmt.Errorf("encode event: %q: %w", ev.Data.EventType(), ErrUnknownEvent)
		}
		ev.Type, ev.SchemaVersion = t.Name, t.Version
		if ev.PayloadCID == "" { // with a CID the caller has stored the payload elsewhere
			raw, err := json.Marshal(ev.Data)
			if err != nil {
				return nil, fmt.Errorf("encode %s payload: %w", t.Name, err)
			}
			ev.Payload = raw
		} else {
			ev.Payload = nil
		}
	}
	if err := ev.Envelope.check(); err != nil {
		return nil, fmt.Errorf("encode event: %w", err)
	}
	if ev.Data == nil && len(ev.Payload) > 0 && !json.Valid(ev.Payload) {
		return nil, fmt.Errorf("encode event %s: payload is not JSON: %w", ev.ID, ErrMalformedEvent)
	}
	// The payload is spliced in rather than marshalled as a json.RawMessage field, which encoding/json
	// would re-scan and compact: for a 1000-edge import chunk that was a fifth of the import's CPU.
	env := ev.Envelope
	env.Payload = nil
	b, err := json.Marshal(&env)
	if err != nil || len(ev.Payload) == 0 {
		return b, err
	}
	out := make([]byte, 0, len(b)+len(ev.Payload)+12)
	out = append(out, b[:len(b)-1]...)
	out = append(out, `,"payload":`...)
	out = append(out, ev.Payload...)
	return append(out, '}'), nil
}

func (e *Envelope) check() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("no id: %w", ErrMalformedEvent)
	case e.GraphID == "":
		return fmt.Errorf("event %s has no graph id: %w", e.ID, ErrMalformedEvent)
	case e.Type == "":
		return fmt.Errorf("event %s has no type: %w", e.ID, ErrMalformedEvent)
	case e.SchemaVersion < 1:
		return fmt.Errorf("event %s has schema version %d: %w", e.ID, e.SchemaVersion, ErrMalformedEvent)
	case len(e.Payload) == 0 && e.PayloadCID == "":
		return fmt.Errorf("event %s has no payload: %w", e.ID, ErrMalformedEvent)
	}
	return nil
}

// DecodeEvent parses an encoded event, upcasting an older payload to the current schema. On
// ErrUnknownEvent, ErrFutureVersion and ErrPayloadExternal the returned event still carries its
// envelope, so the caller can log it (or fetch the payload) and go on.
func DecodeEvent(data []byte) (Event, error) {
	if ev, ok := decodeSpliced(data); ok {
		return ev, nil
	}
	var ev Event
	if err := json.Unmarshal(data, &ev.Envelope); err != nil {
		return ev, fmt.Errorf("%w: %v", ErrMalformedEvent, err)
	}
	if err := ev.Envelope.check(); err != nil {
		return ev, err
	}
	if len(ev.Payload) == 0 {
		return ev, fmt.Errorf("event %s (%s): payload %s: %w", ev.ID, ev.Type, ev.PayloadCID, ErrPayloadExternal)
	}
	return ev, ev.DecodePayload(ev.Payload)
}

var payloadKey = []byte(`,"payload":`)

// decodeSpliced is the fast path for what EncodeEvent writes: the payload is the last member, so the
// envelope header is parsed alone and the payload once, instead of scanning a 100 KB payload three
// times (validate, skip, copy) as part of the envelope. The first `,"payload":` in the input cannot
// lie inside a JSON string (its quote would be escaped); if the payload was not the last member
// the payload slice is not one JSON value and the caller falls back to the general decoder.
func decodeSpliced(data []byte) (Event, bool) {
	var ev Event
	i := bytes.Index(data, payloadKey)
	if i < 0 || len(data) < i+len(payloadKey)+2 || data[len(data)-1] != '}' {
		return ev, false
	}
	raw := data[i+len(payloadKey) : len(data)-1]
	head := make([]byte, 0, i+1)
	head = append(append(head, data[:i]...), '}')
	if json.Unmarshal(head, &ev.Envelope) != nil || len(ev.Envelope.Payload) != 0 {
		return ev, false
	}
	ev.Payload = raw
	if ev.Envelope.check() != nil || ev.DecodePayload(raw) != nil {
		return Event{}, false
	}
	ev.Payload = bytes.Clone(ev.Payload) // do not alias the caller's buffer
	return ev, true
}

// DecodePayload decodes raw as this event's payload (of the envelope's schema version), upcasting it
// first when it is older than the current version.
func (ev *Event) DecodePayload(raw json.RawMessage) error {
	t, ok := LookupEventType(ev.Type)
	if !ok {
		return fmt.Errorf("event %s: %q: %w", ev.ID, ev.Type, ErrUnknownEvent)
	}
	if ev.SchemaVersion > t.Version {
		return fmt.Errorf("event %s: %s v%d, this build knows v%d: %w", ev.ID, ev.Type, ev.SchemaVersion, t.Version, ErrFutureVersion)
	}
	if ev.SchemaVersion < t.Version {
		up, err := t.upcast(raw, ev.SchemaVersion)
		if err != nil {
			return fmt.Errorf("event %s: %w: %v", ev.ID, ErrMalformedEvent, err)
		}
		raw = up
		ev.SchemaVersion = t.Version
		ev.Payload = raw
	}
	p := t.New()
	if err := json.Unmarshal(raw, p); err != nil {
		return fmt.Errorf("event %s (%s): %w: %v", ev.ID, ev.Type, ErrMalformedEvent, err)
	}
	ev.Data = p
	return nil
}
