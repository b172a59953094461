package conceptual

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error returned by this package wraps one of them so
// callers can branch with errors.Is, and most are wrapped in a *FieldError
// that names the offending input field.
var (
	ErrUnknownDimension = errors.New("unknown dimension")
	ErrUnknownDomain    = errors.New("unknown domain")
	ErrInvalidWeight    = errors.New("weight must be a finite number > 0")
	ErrEmptyDomain      = errors.New("domain has no dimensions")
	ErrEmptySpace       = errors.New("space has no domains")
	ErrDuplicateName    = errors.New("duplicate name")
	ErrInvalidRange     = errors.New("invalid range")
	ErrInvalidKind      = errors.New("invalid dimension kind")
	ErrNaN              = errors.New("coordinate is NaN or infinite")
	ErrOutOfRange       = errors.New("value outside the dimension's range")
	ErrDimensionCount   = errors.New("wrong number of coordinates")
	ErrNoCommonDomain   = errors.New("no domain is defined for both points")
	ErrMalformed        = errors.New("malformed input")
	ErrInvalidParameter = errors.New("invalid parameter")
	ErrEmptyCore        = errors.New("concept core has no cuboids")
	ErrCoreNotStar      = errors.New("core cuboids do not share a common point")
	ErrTooFewPoints     = errors.New("too few points")
)

// FieldError names the input field (a JSON-path-like string such as
// "domains[1].dimensions[0].weight" or "queries[3].hue") an error is about.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %v", e.Field, e.Err) }

// Unwrap lets errors.Is reach the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field string, err error) error { return &FieldError{Field: field, Err: err} }

func fieldErrf(field string, sentinel error, format string, args ...any) error {
	return &FieldError{Field: field, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}
