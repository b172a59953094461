// Package jetstream is the NATS JetStream implementation of eventstore.Store.
//
// One stream (default GRAPH_EVENTS) holds every graph on graph.events.v1.> with file storage, a
// duplicate window and direct gets. A graph's version is the stream sequence of its last event;
// appends carry Nats-Msg-Id = event id and the expected last sequence for the graph's wildcard
// subject graph.events.v1.<id>.> (Nats-Expected-Last-Subject-Sequence with
// Nats-Expected-Last-Subject-Sequence-Subject), which is JetStream's optimistic concurrency per
// aggregate. A multi-event append is one atomic batch (Nats-Batch-Id/-Sequence/-Commit, server
// 2.12+); the domain decides one event per command, so batches are the exception (see
// docs/bench-eventstore.md for the measured trade-off).
//
// Bulk imports pipeline asynchronous publishes. Each message after the first carries
// Nats-Expected-Last-Msg-Id = the previous event's id: it is stored only if the stream's last message
// is our previous event, so the chain cannot skip or interleave; any other publish to the stream
// breaks the chain, and the importer resynchronises from the graph's last message (continuing if it
// is ours, failing with eventstore.ErrConflict if another writer touched the graph).
//
// A retried append whose first attempt landed fails the sequence check (error 10071, checked
// before de-duplication on R1 streams, ARCHITECTURE §4); the store then compares the graph's last
// Nats-Msg-Id with the append's last event id and reports success.
//
// Snapshots live in a KV bucket (default GRAPH_SNAPSHOTS), split into chunks below the payload limit
// and keyed <graph>.<version>.<chunk>, with <graph>.head naming the newest complete one. Loaded
// aggregates are kept in an LRU (hashicorp/golang-lru/v2).
package jetstream
