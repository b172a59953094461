package jetstream_test

import (
	"context"
	"testing"

	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/infoalchemist/alchemist/internal/objectstore/jetstream"
	"github.com/infoalchemist/alchemist/internal/objectstore/objectstoretest"
	"github.com/ipfs/go-cid"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

func openStore(t testing.TB, nc *nats.Conn, cfg jetstream.Config) *jetstream.Store {
	t.Helper()
	s, err := jetstream.OpenConn(context.Background(), nc, cfg)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	_, nc := natstest.Start(t)
	n := 0
	objectstoretest.Run(t, func(t *testing.T) objectstoretest.Harness {
		n++
		bucket := "conf" + string(rune('a'+n%26)) + string(rune('a'+n/26))
		s := openStore(t, nc, jetstream.Config{Bucket: bucket})
		return objectstoretest.Harness{
			Store: s,
			Corrupt: func(t testing.TB, c cid.Cid, data []byte) {
				subj, err := jetstream.Subject(bucket, c)
				if err != nil {
					t.Fatal(err)
				}
				// A plain publish replaces the one message the subject keeps: what a damaged
				// disk or a rogue writer would leave.
				js, _ := natsjs.New(nc)
				if _, err := js.Publish(context.Background(), subj, data); err != nil {
					t.Fatalf("corrupt %s: %v", c, err)
				}
			},
		}
	})
}

func TestLayout(t *testing.T) {
	_, nc := natstest.Start(t)
	ctx := context.Background()
	s := openStore(t, nc, jetstream.Config{Bucket: "layout"})
	data := []byte("hello world")
	c := objectstore.BlockCID(data)
	if _, err := s.Put(ctx, c, data); err != nil {
		t.Fatal(err)
	}
	js, _ := natsjs.New(nc)
	st, err := js.Stream(ctx, "CAS_layout")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := st.GetLastMsgForSubject(ctx, "cas.layout.raw."+c.String())
	if err != nil {
		t.Fatalf("block not at its documented subject: %v", err)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "application/vnd.ipld.raw" {
		t.Fatalf("Content-Type %q", ct)
	}
	// A CIDv0 name of a dag-pb block finds the block stored under its CIDv1.
	node := []byte{0x0a, 0x02, 0x08, 0x02} // PBNode{Data: UnixFS{Type: File}}
	v1 := cid.NewCidV1(cid.DagProtobuf, objectstore.BlockCID(node).Hash())
	if _, err := s.Put(ctx, v1, node); err != nil {
		t.Fatal(err)
	}
	v0 := cid.NewCidV0(v1.Hash())
	if got, err := s.Get(ctx, v0); err != nil || string(got) != string(node) {
		t.Fatalf("Get by CIDv0 = %x, %v", got, err)
	}
	if ok, err := s.Has(ctx, v0); err != nil || !ok {
		t.Fatalf("Has by CIDv0 = %v, %v", ok, err)
	}
}

func TestBadConfig(t *testing.T) {
	_, nc := natstest.Start(t)
	for _, b := range []string{"a.b", "a b", "x>", "*"} {
		if _, err := jetstream.OpenConn(context.Background(), nc, jetstream.Config{Bucket: b}); err == nil {
			t.Errorf("bucket %q accepted", b)
		}
	}
}
