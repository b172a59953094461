package objectstore_test

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/infoalchemist/alchemist/internal/objectstore/objectstoretest"
	"github.com/ipfs/go-cid"

	. "github.com/infoalchemist/alchemist/internal/objectstore"
)

// Published vectors: kubo test/sharness/t0040-add-and-cat.sh and the raw CIDs of "" and "hello world".
const (
	cidEmpty      = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
	cidHelloWorld = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
	cid5MB        = objectstoretest.CID5MiB
	sha15MB       = objectstoretest.SHA15MiB
	cid100MB      = objectstoretest.CID100MiB
	sha1100MB     = objectstoretest.SHA1100MiB
)

func TestPublishedRawCIDs(t *testing.T) {
	for _, tc := range []struct{ in, want string }{{"", cidEmpty}, {"hello world", cidHelloWorld}} {
		if got := BlockCID([]byte(tc.in)).String(); got != tc.want {
			t.Errorf("BlockCID(%q) = %s, want %s", tc.in, got, tc.want)
		}
		got, err := RawCID(strings.NewReader(tc.in))
		if err != nil || got.String() != tc.want {
			t.Errorf("RawCID(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
		got, err = RootCID(strings.NewReader(tc.in))
		if err != nil || got.String() != tc.want {
			t.Errorf("RootCID(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestGoRandomMatchesPublishedSums(t *testing.T) {
	h := sha1.New()
	if _, err := io.Copy(h, objectstoretest.NewGoRandom(5242880, 41)); err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha15MB {
		t.Fatalf("sha1 of random 5242880 41 = %s, want %s", got, sha15MB)
	}
}

func TestRootCIDPublishedKubo(t *testing.T) {
	cases := []struct {
		name        string
		size, seed  int64
		want, sha1x string
	}{
		{"5MiB", 5242880, 41, cid5MB, sha15MB},
		{"100MiB", 104857600, 42, cid100MB, sha1100MB},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := sha1.New()
			got, err := RootCID(io.TeeReader(objectstoretest.NewGoRandom(tc.size, tc.seed), h))
			if err != nil {
				t.Fatal(err)
			}
			if s := hex.EncodeToString(h.Sum(nil)); s != tc.sha1x {
				t.Fatalf("generator: sha1 %s, want %s", s, tc.sha1x)
			}
			if got.String() != tc.want {
				t.Fatalf("RootCID = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseCID(t *testing.T) {
	c, err := ParseCID(cidHelloWorld)
	if err != nil || c.String() != cidHelloWorld {
		t.Fatalf("ParseCID(%s) = %s, %v", cidHelloWorld, c, err)
	}
	if _, err := ParseCID("QmSr7FqYkxYWGoSfy8ZiaMWQ5vosb18DQGCzjwEQnVHkTb"); err != nil {
		t.Fatalf("CIDv0: %v", err)
	}
	for _, bad := range []string{"", "hello", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5", "zzzz"} {
		if _, err := ParseCID(bad); !errors.Is(err, ErrBadCID) {
			t.Errorf("ParseCID(%q) error = %v, want ErrBadCID", bad, err)
		}
	}
	// A valid CID of a codec this store does not address (dag-cbor).
	dc := cid.NewCidV1(cid.DagCBOR, BlockCID(nil).Hash())
	if _, err := ParseCID(dc.String()); !errors.Is(err, ErrBadCID) {
		t.Errorf("dag-cbor CID: error = %v, want ErrBadCID", err)
	}
}

func TestVerify(t *testing.T) {
	data := []byte("hello world")
	c := BlockCID(data)
	if err := Verify(c, data); err != nil {
		t.Fatal(err)
	}
	if err := Verify(c, []byte("hello worle")); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Verify of altered bytes = %v, want ErrCorrupt", err)
	}
	// A non-sha256 CID goes through the generic path.
	p := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: 0x13, MhLength: -1} // sha2-512
	c512, err := p.Sum(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(c512, data); err != nil {
		t.Fatal(err)
	}
	if err := Verify(c512, bytes.ToUpper(data)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("sha2-512 mismatch = %v, want ErrCorrupt", err)
	}
}
