// Package agents is the AI agent interface of the workbench (docs/agents.md): agents are separate
// processes, in any language, that analyse a graph and propose changes.
//
//   - Agents are NATS micro services named agent-<name> (the NATS "micro" service protocol,
//     ADR-32 of nats-architecture-and-design) whose metadata declares their capabilities. They are
//     found with $SRV.PING/$SRV.INFO ([Discover], [Monitor]); health comes from periodic pings and
//     $SRV.STATS; instances of one agent share requests through the endpoint's queue group.
//   - A request ([Request]) names a graph, its version, a selection and parameters, and carries a
//     request id and a deadline. Progress and partial results stream on agents.v1.progress.<id>, a
//     cancel on agents.v1.cancel.<id> stops the work, and failures come back as micro error headers
//     with a code and a readable message ([Error]).
//   - Suggestions are graph commands with a confidence, reasoning and the agent's identity. They are
//     recorded as events of the graph they concern (suggestion_proposed, suggestion_accepted,
//     suggestion_rejected, registered with graph.MustRegister); [Suggestions] keeps each graph's
//     ledger by replaying them. Accepting appends the acceptance and the suggestion's changes in one
//     atomic append with the suggestion as causation, after checking a suggestion made against an
//     older version for conflicts with the changes since, in the manner of optimistic offline
//     locking (Fowler, "Patterns of Enterprise Application Architecture", 2002) per graph entity.
//   - The SDK ([Agent], [Start], [Call]) makes an agent in about thirty lines; the built-in agents
//     live in internal/agents/builtin and their graph algorithms in internal/agents/structure.
//
// The agent never writes to a graph: it only answers with suggestions, which the workbench checks
// and applies through the event store like any other command, so a crashing or wrong agent cannot
// corrupt a graph.
package agents
