package objectstore_test

import (
	"testing"

	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/infoalchemist/alchemist/internal/objectstore/objectstoretest"
	"github.com/ipfs/go-cid"
)

func TestMemStoreConformance(t *testing.T) {
	objectstoretest.Run(t, func(t *testing.T) objectstoretest.Harness {
		m := objectstore.NewMemStore()
		return objectstoretest.Harness{
			Store: m,
			Corrupt: func(t testing.TB, c cid.Cid, data []byte) {
				if !m.Corrupt(c, data) {
					t.Fatalf("corrupt %s: not stored", c)
				}
			},
		}
	})
}
