package objectstore

import (
	"math"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/ipfs/go-cid"
)

// CacheConfig bounds the Client's block cache.
type CacheConfig struct {
	// MaxBytes bounds the bytes of cached blocks; 0 means DefaultCacheBytes, negative disables the cache.
	MaxBytes int64
	// TTL is how long a block stays usable after it was cached; 0 means DefaultCacheTTL. Blocks never
	// change under their CID, so the TTL only returns memory that is no longer wanted.
	TTL time.Duration
	// MaxBlock is the largest block cached; 0 means MaxBytes/8, so one streaming read of a large
	// file cannot flush everything else at once.
	MaxBlock int
}

// Cache defaults.
const (
	DefaultCacheBytes = 64 << 20
	DefaultCacheTTL   = 10 * time.Minute
)

type cacheEntry struct {
	data    []byte
	expires time.Time
}

// blockCache is an LRU of verified blocks bounded by bytes, not entries: golang-lru's simplelru
// orders them, and this type evicts from the cold end until the bytes fit. One mutex guards both.
type blockCache struct {
	mu       sync.Mutex
	lru      *simplelru.LRU[cid.Cid, cacheEntry]
	bytes    int64
	maxBytes int64
	maxBlock int
	ttl      time.Duration
	now      func() time.Time
	hits     int64
	misses   int64
}

func newBlockCache(cfg CacheConfig) *blockCache {
	if cfg.MaxBytes < 0 {
		return nil
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = DefaultCacheBytes
	}
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultCacheTTL
	}
	if cfg.MaxBlock <= 0 {
		cfg.MaxBlock = int(min(cfg.MaxBytes/8, math.MaxInt32))
	}
	bc := &blockCache{maxBytes: cfg.MaxBytes, maxBlock: cfg.MaxBlock, ttl: cfg.TTL, now: time.Now}
	// The entry bound is the byte bound's business; the LRU only needs a count it never reaches.
	lru, err := simplelru.NewLRU(math.MaxInt32, func(_ cid.Cid, e cacheEntry) { bc.bytes -= int64(len(e.data)) })
	if err != nil {
		panic(err) // only for a size <= 0
	}
	bc.lru = lru
	return bc
}

// get returns a cached block; an expired one is dropped and reported missing.
func (bc *blockCache) get(c cid.Cid) ([]byte, bool) {
	if bc == nil {
		return nil, false
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	e, ok := bc.lru.Get(c)
	if ok && bc.now().After(e.expires) {
		bc.lru.Remove(c)
		ok = false
	}
	if !ok {
		bc.misses++
		return nil, false
	}
	bc.hits++
	return e.data, true
}

// add caches a verified block the caller will not modify.
func (bc *blockCache) add(c cid.Cid, data []byte) {
	if bc == nil || len(data) > bc.maxBlock || int64(len(data)) > bc.maxBytes {
		return
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if bc.lru.Contains(c) {
		bc.lru.Remove(c)
	}
	bc.lru.Add(c, cacheEntry{data: data, expires: bc.now().Add(bc.ttl)})
	bc.bytes += int64(len(data))
	for bc.bytes > bc.maxBytes {
		if _, _, ok := bc.lru.RemoveOldest(); !ok {
			break
		}
	}
}

func (bc *blockCache) remove(c cid.Cid) {
	if bc == nil {
		return
	}
	bc.mu.Lock()
	bc.lru.Remove(c)
	bc.mu.Unlock()
}

// CacheStats describes the cache.
type CacheStats struct {
	Blocks       int
	Bytes        int64
	Hits, Misses int64
}

func (bc *blockCache) stats() CacheStats {
	if bc == nil {
		return CacheStats{}
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	return CacheStats{Blocks: bc.lru.Len(), Bytes: bc.bytes, Hits: bc.hits, Misses: bc.misses}
}
