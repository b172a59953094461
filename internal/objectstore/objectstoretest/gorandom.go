package objectstoretest

import (
	"io"
	"math/rand"
)

// GoRandom streams the bytes of jbenet/go-random's `random COUNT SEED` (math/rand seeded with SEED,
// each Uint32 written little-endian), the generator behind the published CIDs of kubo's sharness
// test t0040, so tests can check root CIDs ipfs published without shipping the files. The
// generator is checked against the sha1 sums that test publishes.
type GoRandom struct {
	r    *rand.Rand
	left int64
	w    uint32
	wn   int // bytes of w not yet written
}

// NewGoRandom yields what `random count seed` prints.
func NewGoRandom(count, seed int64) *GoRandom {
	return &GoRandom{r: rand.New(rand.NewSource(seed)), left: count}
}

// Read implements io.Reader.
func (g *GoRandom) Read(p []byte) (int, error) {
	if g.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	for i := range p {
		if g.wn == 0 {
			g.w, g.wn = g.r.Uint32(), 4
		}
		p[i] = byte(g.w)
		g.w >>= 8
		g.wn--
	}
	g.left -= int64(len(p))
	return len(p), nil
}

// Published root CIDs (kubo test/sharness/t0040-add-and-cat.sh, `ipfs add --cid-version=1`, which
// implies raw leaves and 256 KiB chunks) of go-random content, with its sha1.
const (
	// `random 5242880 41`: 20 chunks under one node.
	CID5MiB  = "bafybeigfnx3tka2rf5ovv2slb7ymrt4zbwa3ryeqibe6fipyt5vgsrli3u"
	SHA15MiB = "5620fb92eb5a49c9986b5c6844efda37e471660e"
	// `random 104857600 42`: 400 chunks, more than 174, so a two-level tree.
	CID100MiB  = "bafybeidkj5ecbhrqmzrcee2rw7qwsx24z3364qya3fnp2ktkg2tnsrewhi"
	SHA1100MiB = "885b197b01e0f7ff584458dc236cb9477d2e736d"
)
