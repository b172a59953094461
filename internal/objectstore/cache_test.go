package objectstore

import (
	"testing"
	"time"
)

func TestCacheByteLimitAndLRU(t *testing.T) {
	bc := newBlockCache(CacheConfig{MaxBytes: 1000, MaxBlock: 600})
	blk := func(i int, n int) ([]byte, Block) {
		d := make([]byte, n)
		d[0] = byte(i)
		return d, Block{Cid: BlockCID(d), Data: d}
	}
	_, a := blk(1, 400)
	_, b := blk(2, 400)
	_, c := blk(3, 400)
	bc.add(a.Cid, a.Data)
	bc.add(b.Cid, b.Data)
	if _, ok := bc.get(a.Cid); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	bc.add(c.Cid, c.Data) // 1200 > 1000: evicts the least recent, b
	if _, ok := bc.get(b.Cid); ok {
		t.Fatal("b survived eviction")
	}
	for _, x := range []Block{a, c} {
		if _, ok := bc.get(x.Cid); !ok {
			t.Fatalf("%s evicted", x.Cid)
		}
	}
	if st := bc.stats(); st.Bytes != 800 || st.Blocks != 2 {
		t.Fatalf("stats %+v, want 2 blocks of 800 bytes", st)
	}
	_, big := blk(4, 700)
	bc.add(big.Cid, big.Data) // over MaxBlock: not cached, nothing evicted
	if _, ok := bc.get(big.Cid); ok {
		t.Fatal("a block over MaxBlock was cached")
	}
	bc.add(a.Cid, a.Data) // re-adding does not double count
	if st := bc.stats(); st.Bytes != 800 {
		t.Fatalf("bytes after re-add %d, want 800", st.Bytes)
	}
}

func TestCacheTTL(t *testing.T) {
	now := time.Unix(1000, 0)
	bc := newBlockCache(CacheConfig{MaxBytes: 1 << 20, TTL: time.Minute})
	bc.now = func() time.Time { return now }
	d := []byte("x")
	c := BlockCID(d)
	bc.add(c, d)
	now = now.Add(59 * time.Second)
	if _, ok := bc.get(c); !ok {
		t.Fatal("expired early")
	}
	now = now.Add(2 * time.Second)
	if _, ok := bc.get(c); ok {
		t.Fatal("served after its TTL")
	}
	if st := bc.stats(); st.Blocks != 0 || st.Bytes != 0 {
		t.Fatalf("expired entry kept: %+v", st)
	}
}

func TestCacheDisabled(t *testing.T) {
	bc := newBlockCache(CacheConfig{MaxBytes: -1})
	d := []byte("x")
	bc.add(BlockCID(d), d)
	if _, ok := bc.get(BlockCID(d)); ok {
		t.Fatal("disabled cache served a block")
	}
}
