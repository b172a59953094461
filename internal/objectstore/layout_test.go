package objectstore

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/ipfs/go-cid"
)

// referenceRoot builds the balanced DAG bottom-up, the brute-force way: hash every chunk, then
// group each level into nodes of MaxLinks until one node is left. For the balanced layout this
// yields the same tree as go-unixfs's top-down recursion that builder ports, so agreement checks
// the recursion (the encoding is checked by the published kubo vectors).
func referenceRoot(data []byte) cid.Cid {
	if len(data) <= ChunkSize {
		return BlockCID(data)
	}
	var level []link
	for off := 0; off < len(data); off += ChunkSize {
		chunk := data[off:min(off+ChunkSize, len(data))]
		level = append(level, link{c: BlockCID(chunk), tsize: uint64(len(chunk)), fsize: uint64(len(chunk))})
	}
	for {
		var next []link
		for i := 0; i < len(level); i += MaxLinks {
			group := level[i:min(i+MaxLinks, len(level))]
			enc := encodeFileNode(nil, group)
			n := link{c: newBlockHasher().cid(CodecDagPB, enc), tsize: uint64(len(enc))}
			for _, l := range group {
				n.tsize += l.tsize
				n.fsize += l.fsize
			}
			next = append(next, n)
		}
		if len(next) == 1 {
			return next[0].c
		}
		level = next
	}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestLayoutBoundaries(t *testing.T) {
	const k = ChunkSize
	// One buffer, sliced: every size shares its prefix, which is fine for CIDs.
	data := randomBytes(MaxLinks*k+2*k, 7)
	cases := []struct {
		size      int
		rootLinks int // 0: the root is a raw leaf
		depth     int
	}{
		{0, 0, 0}, {1, 0, 0}, {k - 1, 0, 0}, {k, 0, 0},
		{k + 1, 2, 1}, {2 * k, 2, 1}, {2*k + 1, 3, 1},
		{MaxLinks * k, MaxLinks, 1},
		{MaxLinks*k + 1, 2, 2},
		{MaxLinks*k + 2*k, 2, 2},
	}
	for _, tc := range cases {
		content := data[:tc.size]
		got, err := RootCID(bytes.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceRoot(content); got != want {
			t.Fatalf("size %d: RootCID %s, reference %s", tc.size, got, want)
		}
		// Structure: collect the blocks and walk the root.
		blocks := map[cid.Cid][]byte{}
		ch, _ := newChunker(ChunkFixed, bytes.NewReader(content))
		bld := newBuilder(ch, bufPool{}, func(b Block, leaf bool) error {
			blocks[b.Cid] = bytes.Clone(b.Data)
			return nil
		})
		root, _, isLeaf, err := bld.build()
		if err != nil || root.Cid != got {
			t.Fatalf("size %d: build = %s, %v", tc.size, root.Cid, err)
		}
		if tc.rootLinks == 0 {
			if !isLeaf || root.Cid.Prefix().Codec != CodecRaw || !bytes.Equal(root.Data, content) {
				t.Fatalf("size %d: root is not the raw leaf of the content", tc.size)
			}
			continue
		}
		n, err := decodeFileNode(root.Cid, root.Data)
		if err != nil {
			t.Fatal(err)
		}
		if len(n.links) != tc.rootLinks || n.filesize != uint64(tc.size) {
			t.Fatalf("size %d: root has %d links, filesize %d; want %d links", tc.size, len(n.links), n.filesize, tc.rootLinks)
		}
		depth := 1
		for first := n; first.links[0].c.Prefix().Codec == CodecDagPB; depth++ {
			first, err = decodeFileNode(first.links[0].c, blocks[first.links[0].c])
			if err != nil {
				t.Fatal(err)
			}
			if len(first.links) != MaxLinks {
				t.Fatalf("size %d: a left node at depth %d has %d links, want full", tc.size, depth, len(first.links))
			}
		}
		if depth != tc.depth {
			t.Fatalf("size %d: depth %d, want %d", tc.size, depth, tc.depth)
		}
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	good := encodeFileNode(nil, []link{{c: BlockCID([]byte("a")), tsize: 1, fsize: 1}})
	c := newBlockHasher().cid(CodecDagPB, good)
	if _, err := decodeFileNode(c, good); err != nil {
		t.Fatalf("decode of an encoded node: %v", err)
	}
	for i := 1; i < len(good); i++ {
		if _, err := decodeFileNode(c, good[:i]); err == nil {
			t.Errorf("truncated to %d bytes: decoded", i)
		}
	}
	dir := []byte{0x0a, 0x02, 0x08, 0x01} // UnixFS Directory
	if _, err := decodeFileNode(c, dir); err == nil {
		t.Error("a directory decoded as a file")
	}
}

// FuzzDecodeFileNode: arbitrary bytes never panic the decoder.
func FuzzDecodeFileNode(f *testing.F) {
	f.Add(encodeFileNode(nil, []link{{c: BlockCID([]byte("a")), tsize: 1, fsize: 1}}))
	f.Add([]byte{0x0a, 0x02, 0x08, 0x02})
	c := BlockCID(nil)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = decodeFileNode(c, b)
	})
}

func TestBuzTableBalanced(t *testing.T) {
	// Each bit of the table words should be set in about half the entries; a stuck bit would make
	// the mask test fire too often or never.
	for bit := range 32 {
		n := 0
		for _, v := range buzTable {
			n += int(v >> bit & 1)
		}
		if n < 100 || n > 156 {
			t.Errorf("bit %d set in %d of 256 entries", bit, n)
		}
	}
}

func TestBuzhashChunkBounds(t *testing.T) {
	data := randomBytes(20<<20, 3)
	ch, _ := newChunker(ChunkBuzhash, bytes.NewReader(data))
	buf := make([]byte, maxChunk)
	total, chunks := 0, 0
	for {
		n, err := ch.next(buf)
		if err != nil {
			break
		}
		if !bytes.Equal(buf[:n], data[total:total+n]) {
			t.Fatalf("chunk %d does not match the content", chunks)
		}
		total += n
		chunks++
		if total < len(data) && (n < buzMin || n > buzMax) {
			t.Fatalf("chunk %d is %d bytes, outside [%d, %d]", chunks, n, buzMin, buzMax)
		}
	}
	if total != len(data) {
		t.Fatalf("chunks cover %d of %d bytes", total, len(data))
	}
	avg := total / chunks
	if avg < buzMin+64<<10 || avg > buzMin+192<<10 {
		t.Errorf("average chunk %d bytes, expected about %d", avg, buzMin+128<<10)
	}
}
