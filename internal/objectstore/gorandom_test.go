package objectstore

import (
	"io"
	"math/rand"
)

// goRandom streams the bytes of jbenet/go-random's `random COUNT SEED` (math/rand seeded with SEED,
// each Uint32 written little-endian), the generator behind the published CIDs of kubo's sharness
// test t0040. Checked by the sha1 sums that test publishes.
type goRandom struct {
	r    *rand.Rand
	left int64
	w    uint32
	wn   int // bytes of w not yet written
}

func newGoRandom(count, seed int64) *goRandom {
	return &goRandom{r: rand.New(rand.NewSource(seed)), left: count}
}

func (g *goRandom) Read(p []byte) (int, error) {
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
