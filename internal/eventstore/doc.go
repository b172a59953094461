// Package eventstore stores graph histories: the [Store] interface every backend implements (append
// with an expected version, load, subscribe, last version), its sentinel errors, an in-memory
// implementation, and a [Repository] that loads aggregates (cache → snapshot → tail), runs commands
// with optimistic concurrency and imports in bulk.
//
// Versions are store positions: a graph's version is the sequence number of its last event in the
// store (the JetStream stream sequence; a global counter in [Memory]), 0 before its first event.
// Appends are optimistic: they name the version the caller decided against and fail with
// [ErrConflict] if another writer got there first (Fowler, "Patterns of Enterprise Application
// Architecture", 2002, Optimistic Offline Lock). The conformance suite in package storetest holds
// every implementation to the same contract, after restic's backend tests and goes' eventstoretest.
package eventstore
