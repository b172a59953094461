package game

import "errors"

// Sentinel errors; every error returned by this package wraps one of them so
// callers can branch with errors.Is while the message names the exact place.
var (
	// ErrInvalidGame reports a malformed game: ragged matrices, wrong payoff
	// counts, bad shapes, out-of-range indices.
	ErrInvalidGame = errors.New("game: invalid game")
	// ErrParse reports unreadable input (JSON, .nfg, rational strings).
	ErrParse = errors.New("game: parse error")
	// ErrTooLarge reports an input beyond the limit of an exact algorithm.
	ErrTooLarge = errors.New("game: too large for this algorithm")
	// ErrInfeasible reports an empty feasible set (e.g. an empty imputation set).
	ErrInfeasible = errors.New("game: infeasible")
	// ErrUnbounded reports an unbounded linear program.
	ErrUnbounded = errors.New("game: unbounded")
	// ErrNoEquilibrium reports that an equilibrium-based rule found nothing to choose from.
	ErrNoEquilibrium = errors.New("game: no equilibrium")
	// ErrNotTwoPlayer reports a two-player algorithm applied to another game.
	ErrNotTwoPlayer = errors.New("game: algorithm needs exactly two players")
	// ErrNoConvergence reports an iterative procedure that hit its iteration cap.
	ErrNoConvergence = errors.New("game: no convergence")
)
