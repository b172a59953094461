package app

import (
	"context"
	"errors"
	"flag"

	"github.com/infoalchemist/alchemist/internal/conceptual"
	"github.com/infoalchemist/alchemist/internal/config"
	"github.com/infoalchemist/alchemist/internal/eventstore"
	"github.com/infoalchemist/alchemist/internal/game"
	"github.com/infoalchemist/alchemist/internal/graphio"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/objectstore"
	"github.com/infoalchemist/alchemist/internal/platform"
	rgl "github.com/infoalchemist/alchemist/internal/render/gl"
)

// Exit codes: the one place errors become numbers.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2 // bad flags, configuration or input data
	ExitNoDisplay   = 3 // no window system, or no usable OpenGL
	ExitUnreachable = 4 // NATS not reachable, or credentials refused
	ExitDataLocked  = 5 // another process owns the data directory
	ExitNotFound    = 6 // the named graph, object or CID does not exist
	ExitInterrupted = 130
)

// ExitCode maps an error from any subcommand to the process exit status.
func ExitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.Is(err, config.ErrInvalid), errors.Is(err, ErrUsage), errors.Is(err, game.ErrParse),
		errors.Is(err, game.ErrInvalidGame), errors.Is(err, game.ErrTooLarge), errors.Is(err, game.ErrNotTwoPlayer),
		errors.Is(err, objectstore.ErrBadCID), errors.Is(err, layout.ErrInvalidInput), errors.Is(err, layout.ErrInvalidParams), errors.Is(err, graphio.ErrFormat), isFieldError(err):
		return ExitUsage
	case errors.Is(err, platform.ErrNoDisplay), errors.Is(err, rgl.ErrUnsupported):
		return ExitNoDisplay
	case errors.Is(err, natsx.ErrUnreachable), errors.Is(err, natsx.ErrAuth), errors.Is(err, ErrNeedServer):
		return ExitUnreachable
	case errors.Is(err, natsx.ErrDataDirLocked):
		return ExitDataLocked
	case errors.Is(err, objectstore.ErrNotFound), errors.Is(err, eventstore.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	}
	return ExitFailure
}

func isFieldError(err error) bool {
	var fe *conceptual.FieldError
	return errors.As(err, &fe)
}

// ErrUsage marks a command line that could not be used; the message says why.
var ErrUsage = errors.New("usage")
