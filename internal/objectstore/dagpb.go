package objectstore

import (
	"encoding/binary"
	"fmt"

	"github.com/ipfs/go-cid"
)

// The two protobufs of a UnixFS file node, written and read by hand: they are small, and owning the
// bytes is what makes the root CID reproducible.
//
//	message PBLink { optional bytes Hash = 1; optional string Name = 2; optional uint64 Tsize = 3; }
//	message PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }
//	message Data   { required DataType Type = 1; optional bytes Data = 2; optional uint64 filesize = 3;
//	                 repeated uint64 blocksizes = 4; ... }
//
// Canonical DAG-PB writes every link before Data, and each link as Hash, Name, Tsize. go-unixfs
// always writes Name, so a file link carries an empty Name (0x12 0x00). Blocksizes is a proto2
// repeated field: unpacked, one tag per value.

// UnixFS DataType values.
const (
	unixfsRaw  = 0
	unixfsFile = 2
)

// MaxLinks is the most links a UnixFS node of the balanced layout holds (go-unixfs
// DefaultLinksPerBlock: 8 KiB / 47-byte links).
const MaxLinks = 174

// link is one child of a node being built: its CID, Tsize (serialized bytes of its whole DAG) and
// the content bytes under it.
type link struct {
	c     cid.Cid
	tsize uint64
	fsize uint64
}

// encodeFileNode appends the dag-pb bytes of a UnixFS file node over links to dst.
func encodeFileNode(dst []byte, links []link) []byte {
	var filesize uint64
	for _, l := range links {
		filesize += l.fsize
	}
	// The UnixFS Data message is written last but its length prefix must be known: count it first.
	udLen := 2 + 1 + uvarintLen(filesize)
	for _, l := range links {
		udLen += 1 + uvarintLen(l.fsize)
	}
	for _, l := range links {
		h := l.c.KeyString() // the binary CID: what a link's Hash holds
		ll := 1 + uvarintLen(uint64(len(h))) + len(h) + 2 + 1 + uvarintLen(l.tsize)
		dst = append(dst, 0x12)
		dst = binary.AppendUvarint(dst, uint64(ll))
		dst = append(dst, 0x0a)
		dst = binary.AppendUvarint(dst, uint64(len(h)))
		dst = append(dst, h...)
		dst = append(dst, 0x12, 0x00)
		dst = append(dst, 0x18)
		dst = binary.AppendUvarint(dst, l.tsize)
	}
	dst = append(dst, 0x0a)
	dst = binary.AppendUvarint(dst, uint64(udLen))
	dst = append(dst, 0x08, unixfsFile, 0x18)
	dst = binary.AppendUvarint(dst, filesize)
	for _, l := range links {
		dst = append(dst, 0x20)
		dst = binary.AppendUvarint(dst, l.fsize)
	}
	return dst
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// pbLink is a decoded PBLink.
type pbLink struct {
	c     cid.Cid
	tsize uint64
}

// fileNode is the part of a decoded UnixFS node that reading a file needs.
type fileNode struct {
	links      []pbLink
	typ        uint64
	data       []byte // inline content (leaves of DAGs built without raw leaves)
	filesize   uint64
	blocksizes []uint64
}

// decodeFileNode parses a dag-pb block holding a UnixFS file or raw node.
func decodeFileNode(c cid.Cid, b []byte) (*fileNode, error) {
	n := &fileNode{}
	var ud []byte
	haveData := false
	err := walkFields(b, func(field int, wire int, v uint64, bytes []byte) error {
		switch {
		case field == 2 && wire == 2:
			l, err := decodeLink(bytes)
			if err != nil {
				return err
			}
			n.links = append(n.links, l)
		case field == 1 && wire == 2:
			ud, haveData = bytes, true
		default:
			return fmt.Errorf("unexpected PBNode field %d (wire type %d)", field, wire)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: dag-pb node %s: %v", ErrCorrupt, c, err)
	}
	if !haveData {
		return nil, fmt.Errorf("%w: dag-pb node %s has no UnixFS data", ErrUnsupported, c)
	}
	haveType, haveSize := false, false
	err = walkFields(ud, func(field int, wire int, v uint64, bytes []byte) error {
		switch {
		case field == 1 && wire == 0:
			n.typ, haveType = v, true
		case field == 2 && wire == 2:
			n.data = bytes
		case field == 3 && wire == 0:
			n.filesize, haveSize = v, true
		case field == 4 && wire == 0:
			n.blocksizes = append(n.blocksizes, v)
		case field == 4 && wire == 2: // packed, tolerated on read
			for len(bytes) > 0 {
				x, k := binary.Uvarint(bytes)
				if k <= 0 {
					return fmt.Errorf("bad packed blocksizes")
				}
				n.blocksizes = append(n.blocksizes, x)
				bytes = bytes[k:]
			}
		default: // hashType, fanout, mode, mtime: not needed to read a file
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: UnixFS data of %s: %v", ErrCorrupt, c, err)
	}
	if !haveType {
		return nil, fmt.Errorf("%w: UnixFS data of %s has no Type", ErrCorrupt, c)
	}
	if n.typ != unixfsFile && n.typ != unixfsRaw {
		return nil, fmt.Errorf("%w: %s is a UnixFS node of type %d, not a file", ErrUnsupported, c, n.typ)
	}
	if !haveSize {
		n.filesize = uint64(len(n.data))
		for _, s := range n.blocksizes {
			n.filesize += s
		}
	}
	if len(n.blocksizes) != len(n.links) {
		return nil, fmt.Errorf("%w: node %s has %d links and %d blocksizes", ErrCorrupt, c, len(n.links), len(n.blocksizes))
	}
	sum := uint64(len(n.data))
	for _, s := range n.blocksizes {
		sum += s
	}
	if sum != n.filesize {
		return nil, fmt.Errorf("%w: node %s: filesize %d but data and blocksizes add to %d", ErrCorrupt, c, n.filesize, sum)
	}
	return n, nil
}

func decodeLink(b []byte) (pbLink, error) {
	var l pbLink
	err := walkFields(b, func(field int, wire int, v uint64, bytes []byte) error {
		switch {
		case field == 1 && wire == 2:
			c, err := cid.Cast(bytes)
			if err != nil {
				return fmt.Errorf("link hash: %v", err)
			}
			l.c = c
		case field == 2 && wire == 2: // name: files have none worth keeping
		case field == 3 && wire == 0:
			l.tsize = v
		default:
			return fmt.Errorf("unexpected PBLink field %d (wire type %d)", field, wire)
		}
		return nil
	})
	if err == nil && !l.c.Defined() {
		err = fmt.Errorf("link without hash")
	}
	return l, err
}

// walkFields calls fn for each field of a protobuf message: varints as v, length-delimited fields as
// bytes (a sub-slice of b). Other wire types are rejected; neither message uses them.
func walkFields(b []byte, fn func(field, wire int, v uint64, bytes []byte) error) error {
	for len(b) > 0 {
		key, k := binary.Uvarint(b)
		if k <= 0 {
			return fmt.Errorf("bad field key")
		}
		b = b[k:]
		field, wire := int(key>>3), int(key&7)
		if field == 0 {
			return fmt.Errorf("field number 0")
		}
		switch wire {
		case 0:
			v, k := binary.Uvarint(b)
			if k <= 0 {
				return fmt.Errorf("bad varint in field %d", field)
			}
			b = b[k:]
			if err := fn(field, wire, v, nil); err != nil {
				return err
			}
		case 2:
			n, k := binary.Uvarint(b)
			if k <= 0 || n > uint64(len(b)-k) {
				return fmt.Errorf("bad length in field %d", field)
			}
			bytes := b[k : k+int(n)]
			b = b[k+int(n):]
			if err := fn(field, wire, 0, bytes); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected wire type %d in field %d", wire, field)
		}
	}
	return nil
}
