package spatial

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU is CLOCK_THREAD_CPUTIME_ID: CPU time of the calling thread,
// which excludes time spent descheduled. On the shared 2-core build machine
// wall-clock tails mostly measure other processes; the CPU-time tail
// measures the query. Callers lock the OS thread.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
