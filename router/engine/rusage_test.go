//go:build unix

package engine

import (
	"syscall"
	"time"
)

// processCPU returns the user and system CPU time the test process used so far, so that
// benchmarks can report CPU per operation independent of other load on the machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
