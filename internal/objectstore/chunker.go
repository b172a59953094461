package objectstore

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// Chunking selects how content is cut into leaves.
type Chunking uint8

const (
	// ChunkFixed cuts fixed 256 KiB chunks: roots equal `ipfs add --cid-version=1 --raw-leaves
	// --chunker=size-262144`. The default.
	ChunkFixed Chunking = iota
	// ChunkBuzhash cuts where a rolling buzhash says so (128–512 KiB): edits that shift bytes keep
	// the chunks around them, so versions of a file share most blocks. Its roots differ from
	// ChunkFixed's for the same content.
	ChunkBuzhash
)

func (c Chunking) String() string {
	switch c {
	case ChunkFixed:
		return "fixed-262144"
	case ChunkBuzhash:
		return "buzhash"
	}
	return fmt.Sprintf("Chunking(%d)", uint8(c))
}

// Chunk sizes.
const (
	ChunkSize  = 256 << 10 // fixed chunk size
	buzMin     = 128 << 10
	buzMax     = 512 << 10
	buzWindow  = 32
	buzMask    = 1<<17 - 1 // a cut every 128 KiB on average past buzMin
	maxChunk   = buzMax    // the largest leaf any Chunking makes
	fixedChunk = ChunkSize
)

// chunker yields the content of a reader as a sequence of chunks.
type chunker interface {
	// next fills buf (len(buf) >= maxChunk) with the next chunk and returns its length; io.EOF
	// once no content is left (never with n > 0).
	next(buf []byte) (int, error)
}

func newChunker(c Chunking, r io.Reader) (chunker, error) {
	switch c {
	case ChunkFixed:
		return &fixedChunker{r: r}, nil
	case ChunkBuzhash:
		return &buzChunker{r: r, buf: make([]byte, buzMax)}, nil
	}
	return nil, fmt.Errorf("objectstore: unknown chunking %d", uint8(c))
}

type fixedChunker struct {
	r   io.Reader
	eof bool
}

func (f *fixedChunker) next(buf []byte) (int, error) {
	if f.eof {
		return 0, io.EOF
	}
	n, err := io.ReadFull(f.r, buf[:fixedChunk])
	switch {
	case err == nil:
		return n, nil
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		f.eof = true
		if n == 0 {
			return 0, io.EOF
		}
		return n, nil
	default:
		return 0, fmt.Errorf("objectstore: read content: %w", err)
	}
}

// buzChunker is a content-defined chunker: a buzhash over a 32-byte window (Uzgalis 1992; the
// scheme and bounds of go-ipfs-chunker) cuts where the low 17 bits of the hash are zero, scanning
// from buzMin, and cuts at buzMax if none is found. It keeps up to buzMax bytes read ahead.
type buzChunker struct {
	r   io.Reader
	buf []byte
	n   int // bytes of buf holding content not yet returned
	err error
}

func (b *buzChunker) next(dst []byte) (int, error) {
	if b.err == nil && b.n < len(b.buf) {
		k, err := io.ReadFull(b.r, b.buf[b.n:])
		b.n += k
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF
			} else {
				err = fmt.Errorf("objectstore: read content: %w", err)
			}
			b.err = err
		}
	}
	if b.n == 0 {
		return 0, b.err
	}
	if b.err != nil && b.err != io.EOF {
		return 0, b.err
	}
	cut := b.n
	if b.n > buzMin {
		cut = buzCut(b.buf[:b.n])
	}
	copy(dst, b.buf[:cut])
	b.n = copy(b.buf, b.buf[cut:b.n])
	return cut, nil
}

// buzCut returns where the chunk starting at data[0] ends; len(data) > buzMin.
func buzCut(data []byte) int {
	var state uint32
	for i := buzMin - buzWindow; i < buzMin; i++ {
		state = bits.RotateLeft32(state, 1) ^ buzTable[data[i]]
	}
	// state covers data[i-32:i]; roll it forward one byte at a time. Rotating by the window length
	// (32) is the identity on uint32, which is why the outgoing byte's table entry needs no rotation.
	for i := buzMin; i < len(data); i++ {
		if state&buzMask == 0 {
			return i
		}
		state = bits.RotateLeft32(state, 1) ^ buzTable[data[i-buzWindow]] ^ buzTable[data[i]]
	}
	return len(data)
}

// buzTable maps each byte to a random 32-bit word. Ours, from splitmix64 with a fixed seed, so
// cuts are stable forever (changing it changes every buzhash root). Each bit column is balanced
// enough for a rolling hash; see TestBuzTableBalanced.
var buzTable = func() [256]uint32 {
	var t [256]uint32
	x := uint64(0x1a1c4e3157ab0001)
	for i := range t {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		z ^= z >> 31
		t[i] = uint32(z >> 32)
	}
	return t
}()
