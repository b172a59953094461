package objectstore

import (
	"io"
	"sync"

	"github.com/ipfs/go-cid"
)

// Block is one stored unit: its bytes and their CID.
type Block struct {
	Cid  cid.Cid
	Data []byte
}

// bufPool recycles chunk buffers (maxChunk bytes each) across calls, so a put or a RootCID
// allocates about as many as it has in flight at once, not one per chunk; the GC reclaims idle ones.
type bufPool struct{}

var chunkBufs = sync.Pool{New: func() any { b := make([]byte, maxChunk); return &b }}

func (bufPool) get() []byte { return (*chunkBufs.Get().(*[]byte))[:maxChunk] }

func (bufPool) put(b []byte) {
	if cap(b) < maxChunk {
		return
	}
	b = b[:maxChunk]
	chunkBufs.Put(&b)
}

// builder lays chunks out as a balanced UnixFS file DAG, streaming: it holds one chunk of
// look-ahead and one partly filled node per tree level, whatever the content size.
//
// The recursion is go-unixfs's importer/balanced (Layout, fillNodeRec) step for step: the first
// leaf is the root until a second chunk exists; then each round puts the old root as the first
// child of a new root one level deeper and fills it, depth first, left to right, up to MaxLinks
// children per node. Matching it exactly is what makes the CIDs equal to ipfs add's.
type builder struct {
	ch     chunker
	hasher *blockHasher
	pool   bufPool
	// emit receives every block but the root, children before parents. It owns a leaf's Data and
	// returns it to pool when done with it. Nil: blocks are only hashed.
	emit func(b Block, leaf bool) error

	cur    []byte // look-ahead chunk; nil once the content is exhausted
	levels [][]link
	leaves int64
}

func newBuilder(ch chunker, pool bufPool, emit func(Block, bool) error) *builder {
	return &builder{ch: ch, hasher: newBlockHasher(), pool: pool, emit: emit}
}

func (b *builder) advance() error {
	buf := b.pool.get()
	n, err := b.ch.next(buf)
	if err == io.EOF {
		b.pool.put(buf)
		b.cur = nil
		return nil
	}
	if err != nil {
		b.pool.put(buf)
		return err
	}
	b.cur = buf[:n]
	return nil
}

func (b *builder) done() bool { return b.cur == nil }

// leaf turns the look-ahead chunk into a raw leaf block and reads the next chunk.
func (b *builder) leaf() (Block, link, error) {
	data := b.cur
	c := b.hasher.cid(CodecRaw, data)
	b.leaves++
	if err := b.advance(); err != nil {
		return Block{}, link{}, err
	}
	n := uint64(len(data))
	return Block{Cid: c, Data: data}, link{c: c, tsize: n, fsize: n}, nil
}

func (b *builder) give(blk Block, leaf bool) error {
	if b.emit == nil {
		if leaf {
			b.pool.put(blk.Data)
		}
		return nil
	}
	return b.emit(blk, leaf)
}

// build consumes the whole content and returns the root block, not yet given to emit: a store
// writes it last, once everything under it is safe.
func (b *builder) build() (root Block, rootLink link, leaf bool, err error) {
	if err := b.advance(); err != nil {
		return Block{}, link{}, false, err
	}
	if b.done() {
		c := b.hasher.cid(CodecRaw, nil)
		return Block{Cid: c, Data: []byte{}}, link{c: c}, true, nil
	}
	root, rootLink, err = b.leaf()
	if err != nil {
		return Block{}, link{}, false, err
	}
	leaf = true
	for depth := 1; !b.done(); depth++ {
		if err := b.give(root, leaf); err != nil {
			return Block{}, link{}, false, err
		}
		root, rootLink, err = b.fill(depth, &rootLink)
		if err != nil {
			return Block{}, link{}, false, err
		}
		leaf = false
	}
	return root, rootLink, leaf, nil
}

// fill builds one node of the given depth (1: its children are leaves), optionally starting with an
// existing child, and returns it without emitting it.
func (b *builder) fill(depth int, first *link) (Block, link, error) {
	for len(b.levels) <= depth {
		b.levels = append(b.levels, make([]link, 0, MaxLinks))
	}
	links := b.levels[depth][:0]
	if first != nil {
		links = append(links, *first)
	}
	for len(links) < MaxLinks && !b.done() {
		var (
			blk  Block
			l    link
			err  error
			leaf = depth == 1
		)
		if leaf {
			blk, l, err = b.leaf()
		} else {
			blk, l, err = b.fill(depth-1, nil)
		}
		if err != nil {
			return Block{}, link{}, err
		}
		if err := b.give(blk, leaf); err != nil {
			return Block{}, link{}, err
		}
		links = append(links, l)
	}
	b.levels[depth] = links
	data := encodeFileNode(make([]byte, 0, 16+len(links)*48), links)
	c := b.hasher.cid(CodecDagPB, data)
	nl := link{c: c, tsize: uint64(len(data))}
	for _, l := range links {
		nl.tsize += l.tsize
		nl.fsize += l.fsize
	}
	return Block{Cid: c, Data: data}, nl, nil
}

// RootCID is the root CID of the content r yields under fixed 256 KiB chunking: what
// `ipfs add --cid-version=1 --raw-leaves --chunker=size-262144` prints. It streams: memory stays at
// two chunks and one node per tree level whatever the content size.
func RootCID(r io.Reader) (cid.Cid, error) { return RootCIDWith(r, ChunkFixed) }

// RootCIDWith is RootCID under a chosen Chunking.
func RootCIDWith(r io.Reader, chunking Chunking) (cid.Cid, error) {
	ch, err := newChunker(chunking, r)
	if err != nil {
		return cid.Undef, err
	}
	root, _, _, err := newBuilder(ch, bufPool{}, nil).build()
	if err != nil {
		return cid.Undef, err
	}
	return root.Cid, nil
}
