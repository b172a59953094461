// Package palette is the command palette's search: fuzzy subsequence matching with the scoring of
// fzf and VS Code's quick open, and a ranker that puts recently used entries first. It is pure: no
// UI, no NATS, no goroutines; the app turns its ranked hits into rows and actions.
//
// # Algorithm and sources
//
// A query matches a text when its characters appear in the text in order, case-insensitively (Unicode
// simple lower case). Among all the ways to place them, the score of the best is found by dynamic
// programming over (query character, text position), like a Smith–Waterman local alignment with an
// affine gap penalty:
//
//   - T. F. Smith and M. S. Waterman, "Identification of common molecular subsequences", J. Mol. Biol.
//     147 (1981); O. Gotoh, "An improved algorithm for matching biological sequences", J. Mol. Biol.
//     162 (1982) for the affine gap (open −3, extend −1) kept in one running maximum per row.
//   - The bonuses and their values follow Junegunn Choi's fzf, algo.go (FuzzyMatchV2, MIT licence):
//     +16 per matched character; a match at a word start after white space +10, after a delimiter
//     (/ , : ; | - _ .) +9, after other punctuation +8; a camelCase hump or the first digit of a
//     number +7; the first query character's bonus counts twice; consecutive matches carry the bonus
//     of the start of their run (at least +4), so "opg" prefers the word starts of "Open graph" to
//     letters scattered inside words.
//   - Ties are broken like fzf's default --tiebreak=length: the shorter text first, then the
//     caller's order. VS Code's quick open ranks recently used entries first; the ranker adds a
//     boost that decays with how long ago an entry was chosen (see Ranker).
//
// Scoring keeps two rows and reuses the Matcher's buffers, so ranking 100K node names does not
// allocate (BenchmarkTopK). Positions for highlighting keep the whole matrix, which is done only for
// the few rows on screen.
package palette
