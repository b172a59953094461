package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/infoalchemist/alchemist/internal/config"
	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/platform"
	rgl "github.com/infoalchemist/alchemist/internal/render/gl"
)

// Exit codes, the one place errors become numbers.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2 // bad flags, bad configuration
	exitNoDisplay   = 3 // no window system, or no usable OpenGL
	exitUnreachable = 4 // NATS not reachable, or credentials refused
	exitDataLocked  = 5 // another process owns the data directory
	exitInterrupted = 130
)

func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if errors.Is(err, errUsage) {
		return exitUsage
	}
	fmt.Fprintf(stderr, "alchemist: %v\n", err)
	switch {
	case errors.Is(err, config.ErrInvalid):
		return exitUsage
	case errors.Is(err, platform.ErrNoDisplay), errors.Is(err, rgl.ErrUnsupported):
		return exitNoDisplay
	case errors.Is(err, natsx.ErrUnreachable), errors.Is(err, natsx.ErrAuth):
		return exitUnreachable
	case errors.Is(err, natsx.ErrDataDirLocked):
		return exitDataLocked
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return exitFailure
}
