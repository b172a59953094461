// Package timeline keeps one graph's event history in memory so that the workbench can show the graph
// exactly as it was at any version: the event timeline of issue 9 (scrubber, markers, compare).
//
// A [History] records the events in store order and, every K events or every N estimated bytes of
// events, a checkpoint: a clone of the aggregate ([graph.Graph.Clone]). The state at
// version v is the nearest checkpoint at or below v plus a replay of the events in between — the
// "snapshot + replay" reconstruction of event sourcing (Greg Young, "CQRS Documents", 2010, section
// "Rolling Snapshots"; Martin Fowler, "Event Sourcing", 2005, "Temporal Query"). Checkpoints are live
// aggregates restored by cloning: at 100K nodes / 300K edges a clone takes 24 ms where decoding the
// encoded snapshot takes 175 ms, which is what keeps a jump to any version under 100 ms. They cost
// about 6× the memory of the encoded form, which the budget's thinning bounds.
//
// A memory budget thins the checkpoints, oldest region first, the way a "logarithmic" checkpoint
// schedule keeps recent history dense and old history sparse (the strategy of reversible debuggers and
// of Apache Flink's retained checkpoints): restoring an old version then replays more events but
// stays correct, since the base checkpoint is never dropped.
//
// [History.Diff] answers the "compare" view: the node and edge ids present at one version and not at
// the other. It restores the earlier version once and replays forward, noting only the ids the
// events in between touched, so its cost is one restore plus the span of events, not two full scans.
//
// The package is pure: no goroutines, no I/O, no NATS, no GL.
package timeline
