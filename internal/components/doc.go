// Package components joins the graph aggregate to the conceptual-space and game-theory engines.
//
// The aggregate (internal/graph) records conceptual spaces, node coordinates, prototypes and the
// strategy, utility and coalition components of nodes as events, but it may not import the engines
// that know what makes those values valid. [Register] installs [Rules] as the aggregate's
// graph.ComponentRules, so that the command service refuses, with an error naming the field, what
// the engines refuse:
//
//   - a space definition must compile (conceptual.Compile: named domains and dimensions, weights > 0,
//     kinds continuous/ordinal/categorical/circular, ranges min < max, circular dimensions with a
//     range; Gärdenfors, "Conceptual Spaces", MIT Press 2000; weights normalised as in Bechberger &
//     Kühnberger, KI 2017); unknown keys are refused so a misspelt "wieght" is not silently 1, and the
//     event records the definition with its defaults made explicit (Space.Definition);
//   - a point (node coordinates, a prototype) must name dimensions of its space with values in their
//     ranges; circular values are wrapped into range (conceptual.Space.Point) and recorded so;
//   - a mixed strategy is a probability vector of exact rationals (each in [0, 1], sum exactly 1;
//     game.ParseRat), recorded in lowest terms; utility weights are exact rationals, not all zero, and
//     a weighted-sum utility without weights gets weight 1 per objective (game.MultiGame.WeightedSum
//     is the reduction they feed); a coalition's value v(S) is an exact rational, and no two members
//     may be the same player (a coalition is a set of players, game.Coalition).
//
// The read helpers turn the aggregate's components into the flat forms the world, the layout and
// the engines use: coordinates of all nodes of a space as one row-major []float64 indexed by the
// caller's node rows ([Points], allocation-free when dst is reused), coalition membership as
// []int32 per row ([Membership]), a coalition structure as a game.Partition ([Partition]), compiled
// spaces and categorizers ([Space], [Categorizer]) and exact mixed strategies and weights.
//
// The package is pure: no I/O, no goroutines, no NATS or GL.
package components
