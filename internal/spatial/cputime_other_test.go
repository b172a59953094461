//go:build !linux

package spatial

import "time"

var cpuStart = time.Now()

// threadCPU falls back to wall time off Linux.
func threadCPU() time.Duration { return time.Since(cpuStart) }
