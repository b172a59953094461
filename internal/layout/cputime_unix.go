//go:build unix

package layout

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time of the process so far, so
// that a benchmark on a shared machine can report the work a step costs
// next to its wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
