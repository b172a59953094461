// Package objectstore keeps large content (documents, images, embeddings, snapshots) out of events:
// events carry a CID, and the bytes live in a content-addressed block store.
//
// # Addressing
//
// Every block is named by a CIDv1 whose multihash is sha2-256 (CID spec,
// https://github.com/multiformats/cid; multihash, https://github.com/multiformats/multihash). Chunks
// use the raw codec (0x55); the nodes that tie chunks together use dag-pb (0x70).
//
// # Files
//
// Content is cut into fixed 256 KiB chunks and tied by a UnixFS file DAG in the balanced layout of
// go-unixfs/boxo (importer/balanced): at most 174 links per node, the tree grows one level at a time
// and every level is filled left to right, so the root CID equals what
//
//	ipfs add --cid-version=1 --raw-leaves --chunker=size-262144
//
// prints. Content of one chunk or less is its own raw leaf. The dag-pb and UnixFS protobufs are
// encoded by hand (dagpb.go) in the canonical form of the DAG-PB spec
// (https://ipld.io/specs/codecs/dag-pb/spec/): links before data, each link with Hash, an empty Name
// and Tsize (the serialized size of the child's whole DAG); UnixFS Data (https://specs.ipfs.tech/unixfs/)
// with Type=File, filesize and one blocksize per child. The published vectors of kubo's sharness test
// t0040 (5 MiB and 100 MiB of go-random output) check the encoding end to end.
//
// Content-defined chunking (buzhash, after Uzgalis' "BUZ hash" and the parameters of go-ipfs-chunker:
// 32-byte window, cuts where the low 17 bits are zero, chunks between 128 and 512 KiB) is optional and
// off by default. Its roots are ordinary UnixFS file DAGs, readable by the same code, but their CIDs
// differ from the fixed-size ones (the byte table is our own), so a caller records which Chunking made
// a root. It pays when edits shift bytes: unchanged regions keep their chunks and deduplicate.
//
// # Storage
//
// A Store keeps blocks by CID; a block already present is never stored twice. Every read is verified
// against its CID, and a mismatch is an error wrapping ErrCorrupt, never silent data. The Client
// streams content in and out with bounded concurrency and bounded memory (never a whole-file buffer),
// reports progress, honours context cancellation, and caches blocks in a byte-limited LRU with a TTL.
// The root block of a put is written last, after every block under it is acknowledged, so an
// interrupted put never leaves a root that names missing data.
//
// MemStore is the in-memory Store; package objectstore/jetstream is the NATS JetStream one; both pass
// the same conformance suite, objectstoretest.Run.
package objectstore
