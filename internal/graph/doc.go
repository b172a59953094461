// Package graph is the event-sourced Graph aggregate: graph metadata, nodes, directed edges,
// subgraphs and node components, changed only by past-tense events.
//
// The shape follows the decide/evolve split of event sourcing (Greg Young, "CQRS Documents", 2010;
// Jérémie Chassaing, "Functional Event Sourcing Decider", 2021, as practised by
// github.com/hallgren/eventsourcing): [Decide] validates a [Command] against the current state and
// returns events or a typed error; [Graph.Apply] folds an event into the state and never validates,
// because a stored event is a fact. Events travel in an [Envelope] (ARCHITECTURE §3) with a schema
// version; payloads written by older schema versions are upcast on decode (Young, "Versioning in an
// Event Sourced System", 2017, chapter "Upcasting").
//
// The state is kept lean for 100K nodes / 300K edges: nodes and edges live in slot slices addressed
// by int32 with free lists, edges refer to node slots rather than id strings, and kinds are interned.
// A snapshot ([Graph.MarshalBinary]) is a compact varint encoding so that opening a big graph is
// snapshot + tail.
//
// Components make nodes meaningful: conceptual spaces (Gärdenfors, "Conceptual Spaces", 2000) with
// node coordinates and prototypes, and the game-theory components strategy, utility and coalition.
// They are commands and events like the rest, so they replay and time-travel. Their domain rules
// (compiling a space, ranges of dimensions, exact rationals) belong to internal/conceptual and
// internal/game, which this package may not import: Decide calls them through [ComponentRules],
// installed by internal/components, and Apply never does, so replay does not depend on them.
//
// The package is pure: no I/O, no goroutines, no NATS.
package graph
