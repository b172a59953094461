// Package timeline keeps one graph's event history in memory so that the workbench can show the graph
// exactly as it was at any version: the event timeline of issue 9 (scrubber and compare; the workbench
// derives its markers from the events it shows).
//
// A [History] records the events in store order and, every K events or every N estimated bytes of
// events, a checkpoint: a clone of the aggregate ([graph.Graph.Clone]). The state at
// version v is the nearest checkpoint at or below v plus a replay of the events in between — the
// "snapshot + replay" reconstruction of event sourcing (Greg Young, "CQRS Documents", 2010, section
// "Rolling Snapshots"; Martin Fowler, "Event Sourcing", 2005, "Temporal Query"). Checkpoints are live
// aggregates restored by cloning: at 100K nodes / 300K edges a clone takes 11–35 ms where decoding the
// encoded snapshot takes 175 ms. They cost about 6× the memory of the encoded form, which the
// budget's thinning bounds.
//
// A restore costs a clone of the checkpoint (proportional to the state's size) plus a replay
// (proportional to the events' bytes); the package models both in nanoseconds (schedule.go). A memory
// budget thins the checkpoints greedily: each step drops the checkpoint whose removal leaves the
// cheapest merged interval, which approximates the min-max placement (the dearest restore as cheap
// as the budget allows) — the cost-weighted form of the "logarithmic" schedules of reversible
// debuggers and of Apache Flink's retained checkpoints: where states are small, clones are cheap and
// replays may grow; where they are large, checkpoints stay dense. Once thinning has started, a new
// checkpoint waits until the tip's restore would be the dearest, so the history does not clone states
// it would drop at once. The base checkpoint is never dropped, so every version stays reachable.
//
// A [Cursor] is the scrubber's view: it keeps one working aggregate and moves it forward by replaying
// only the events passed — dragging right or playing costs microseconds per event and allocates no
// clone — and backward by restoring from a checkpoint, as [History.At] does. Going back without a
// clone needs the graph package's help: tables shared copy-on-write between a checkpoint and its
// clones (persistent data structures; Driscoll, Sarnak, Sleator, Tarjan, 1989).
//
// [History.Diff] answers the "compare" view: the node and edge ids present at one version and not at
// the other. Only the ids the events in between name can differ, so it never scans whole states: over
// a short span it restores the earlier version and replays the span; over a long one it restores both
// versions and looks the named ids up in each, whichever the cost model rates cheaper.
//
// Every restore allocates a clone as large as the state (48 MB at 100K nodes / 300K edges). In a Go
// process that holds hundreds of megabytes of checkpoints, that allocation is what a jump really
// costs: fresh memory is page-faulted in (≈ 12 µs a page on the shared VM: a cold clone takes 140 ms
// where a warm one takes 11 ms), and with GOGC=100 the collector marks, amortised, about one live byte
// for each byte allocated (≈ 2 ns a byte on the shared VM). Scrub with a
// Cursor, which allocates nothing on the way forward; keep At for jumps and for states to keep.
//
// The package is pure: no goroutines, no I/O, no NATS, no GL.
package timeline
