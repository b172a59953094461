package objectstore

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// Multicodec codes of the blocks this package writes and reads.
const (
	CodecRaw   = cid.Raw         // 0x55: a chunk, or content of one chunk or less
	CodecDagPB = cid.DagProtobuf // 0x70: a UnixFS node linking chunks
)

// Sentinel errors; every error of this package that means one of these wraps it.
var (
	// ErrNotFound: no block with this CID is stored.
	ErrNotFound = errors.New("objectstore: not found")
	// ErrCorrupt: stored bytes do not hash to their CID, or a DAG does not describe its content.
	ErrCorrupt = errors.New("objectstore: corrupt data")
	// ErrBadCID: a string is not a CID, or a CID this package cannot address.
	ErrBadCID = errors.New("objectstore: bad CID")
	// ErrUnsupported: a well-formed block of a kind this package does not read (e.g. a directory).
	ErrUnsupported = errors.New("objectstore: unsupported")
)

// sha256Prefix is the multihash header of a sha2-256 digest: code 0x12, length 32.
var sha256Prefix = [2]byte{mh.SHA2_256, sha256.Size}

// blockHasher turns bytes into CIDs, reusing one sha256 state and one multihash buffer.
type blockHasher struct {
	h   hash.Hash
	buf [2 + sha256.Size]byte
}

func newBlockHasher() *blockHasher { return &blockHasher{h: sha256.New()} }

// cid names data under codec. The one allocation is the CID's own string.
func (b *blockHasher) cid(codec uint64, data []byte) cid.Cid {
	b.h.Reset()
	b.h.Write(data)
	copy(b.buf[:2], sha256Prefix[:])
	b.h.Sum(b.buf[:2])
	return cid.NewCidV1(codec, mh.Multihash(b.buf[:]))
}

// BlockCID is the CIDv1 (raw codec, sha2-256) of data: the name of a chunk, and the root of content
// of one chunk or less.
func BlockCID(data []byte) cid.Cid {
	sum := sha256.Sum256(data)
	buf := make([]byte, 0, 2+sha256.Size)
	buf = append(buf, sha256Prefix[:]...)
	buf = append(buf, sum[:]...)
	return cid.NewCidV1(CodecRaw, mh.Multihash(buf))
}

// RawCID is the CIDv1 (raw codec, sha2-256) of everything r yields, hashed as one block whatever its
// size: `alchemist cid --raw`. It streams; memory does not grow with the content.
func RawCID(r io.Reader) (cid.Cid, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return cid.Undef, fmt.Errorf("objectstore: raw cid: read: %w", err)
	}
	buf := append(sha256Prefix[:], h.Sum(nil)...)
	return cid.NewCidV1(CodecRaw, mh.Multihash(buf)), nil
}

// ParseCID parses a CID string (CIDv1 in any multibase, or a CIDv0 "Qm…") and checks that this package
// can address it: a raw or dag-pb block under a known hash function.
func ParseCID(s string) (cid.Cid, error) {
	c, err := cid.Decode(s)
	if err != nil {
		return cid.Undef, fmt.Errorf("%w: %q: %v", ErrBadCID, s, err)
	}
	if err := checkAddressable(c); err != nil {
		return cid.Undef, err
	}
	return c, nil
}

func checkAddressable(c cid.Cid) error {
	if !c.Defined() {
		return fmt.Errorf("%w: undefined CID", ErrBadCID)
	}
	p := c.Prefix()
	if p.Codec != CodecRaw && p.Codec != CodecDagPB {
		return fmt.Errorf("%w: %s: codec 0x%x is neither raw nor dag-pb", ErrBadCID, c, p.Codec)
	}
	if _, ok := mh.Codes[p.MhType]; !ok || p.MhType == mh.IDENTITY {
		return fmt.Errorf("%w: %s: hash function 0x%x not supported", ErrBadCID, c, p.MhType)
	}
	return nil
}

// Verify checks that data hashes to c; a mismatch wraps ErrCorrupt.
func Verify(c cid.Cid, data []byte) error {
	p := c.Prefix()
	if p.MhType == mh.SHA2_256 {
		sum := sha256.Sum256(data)
		dec, err := mh.Decode(c.Hash())
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBadCID, c, err)
		}
		if string(dec.Digest) != string(sum[:]) {
			return fmt.Errorf("%w: block %s: sha2-256 of its %d bytes is %x", ErrCorrupt, c, len(data), sum[:8])
		}
		return nil
	}
	got, err := p.Sum(data)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadCID, c, err)
	}
	if !got.Equals(c) {
		return fmt.Errorf("%w: block %s: its %d bytes hash to %s", ErrCorrupt, c, len(data), got)
	}
	return nil
}
