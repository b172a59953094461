// Package game is the game-theory engine: normal-form games, equilibria,
// Pareto optimality, evolutionary dynamics, a decision engine and
// cooperative (TU) games. It is pure: no I/O beyond parsing byte slices, no
// goroutines, and only gonum besides the standard library.
//
// # Numbers
//
// Game stores payoffs as exact rationals (math/big.Rat) or float64, chosen
// by the caller (NewGame's exact flag); see Game for why this is one type
// with two representations rather than a generic type. Every two-player
// mixed-equilibrium algorithm, every LP and every cooperative solution runs
// in exact arithmetic and returns exact rationals (a float64 converts to a
// rational exactly). Only the replicator dynamics (an ODE) and the sampling
// Shapley estimate are float64.
//
// # Non-cooperative games and sources
//
//   - Best responses, expected payoffs, regret and the exact Nash test for
//     n-player mixed profiles (Nash 1951).
//   - Iterated elimination of strictly (pure or mixed, by exact LP) or weakly
//     dominated strategies (Fudenberg & Tirole, Game Theory, 1991, §2.1).
//   - Pure Nash equilibria of n-player games by one sweep of each player's
//     best-response lines.
//   - Two-player mixed equilibria (von Stengel, "Equilibrium computation for
//     two-player games in strategic and extensive form", ch. 3 of Nisan,
//     Roughgarden, Tardos & Vazirani, Algorithmic Game Theory, 2007):
//     support enumeration (§3.3), vertex enumeration of the best-response
//     polytopes with a degeneracy flag (§3.4; Avis, Rosenberg, Savani & von
//     Stengel, Economic Theory 42, 2010) and Lemke–Howson from a chosen
//     missing label starting at the artificial equilibrium (Lemke & Howson,
//     SIAM J. Appl. Math. 12, 1964; §3.5–3.7 for integer pivoting and the
//     lexicographic ratio test). Results are checked against nashpy and
//     Gambit examples in the tests.
//   - Pareto and weak Pareto optimal profiles by a sort-filter skyline
//     (Börzsönyi, Kossmann & Stocker, ICDE 2001).
//   - Multi-objective utilities: weighted sums and lexicographic preferences.
//   - Replicator dynamics (Taylor & Jonker, Math. Biosci. 40, 1978),
//     one- and two-population, integrated by RK4 with zero allocations.
//   - Decision engine: payoff and risk dominance (Harsanyi & Selten, A
//     General Theory of Equilibrium Selection in Games, 1988) and maximin
//     security strategies (von Neumann 1928) by exact LP.
//
// # Cooperative games and sources
//
//   - Shapley value (Shapley 1953), exact for n ≤ 20 in one pass over the
//     coalitions, and by permutation sampling with a normal confidence
//     interval above (Castro, Gómez & Tejada, Comput. Oper. Res. 36, 2009).
//   - Core non-emptiness by the Bondareva–Shapley balancedness LP (Bondareva
//     1963; Shapley 1967), exact with this package's simplex (Dantzig 1963,
//     Bland's rule 1977) or in float64 with gonum's optimize/convex/lp; core
//     membership with the most violated coalition.
//   - Nucleolus (Schmeidler 1969) and prenucleolus by sequential LPs
//     (Kopelowitz 1967; Maschler, Peleg & Shapley 1979), fixing coalitions
//     by positive dual weights as Guajardo & Jörnsten (EJOR 2015) advise; the
//     tests check Kohlberg's (1971) balancedness criterion and Aumann &
//     Maschler's (1985) Talmud bankruptcy divisions.
//   - Coalition formation by merge-and-split (Apt & Witzel, Math. Struct.
//     Comput. Sci. 19, 2009) under a stated rule (utilitarian or Pareto with
//     equal shares), stability analysis of a coalition structure (merge and
//     split stability, efficiency against the optimal structure by the
//     subset dynamic programme, and the core of the structure of Aumann &
//     Drèze 1974), and fair allocation by Shapley value or nucleolus.
//
// Cost games are handled through negation: for a cost function c the core
// {x(N) = c(N), x(S) ≤ c(S)} is −core(−c), the Shapley value is linear and
// the cost nucleolus is −nucleolus(−c).
//
// # Formats
//
// ParseGame reads Gambit .nfg files (payoff and outcome versions) and two
// JSON forms; ParseCoop reads the cooperative JSON form; Solve and SolveCoop
// return JSON-serialisable results. docs/game-theory.md documents them with examples
// (the files under testdata are those examples and are parsed by the tests).
//
// # Components
//
// Strategy, Utility and Coalition are the plain component types a graph
// node can carry; the aggregate's commands and events embed them.
package game
