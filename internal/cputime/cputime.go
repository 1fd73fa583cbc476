// Package cputime reads CPU time for the benchmarks: on a shared machine a
// benchmark's wall time also counts the time it waited for a core, its CPU
// time does not.
package cputime // import "github.com/netify-otel/netifyflowstatsreceiver/internal/cputime"

import (
	"time"

	"golang.org/x/sys/unix"
)

// Process is the CPU time of the whole process so far: every thread, user
// and system, the garbage collector's workers too.
func Process() time.Duration { return clock(unix.CLOCK_PROCESS_CPUTIME_ID) }

// Thread is the calling thread's CPU time so far: lock the goroutine to its
// thread (runtime.LockOSThread) around what is measured.
func Thread() time.Duration { return clock(unix.CLOCK_THREAD_CPUTIME_ID) }

func clock(id int32) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(id, &ts); err != nil {
		panic("cputime: clock_gettime: " + err.Error())
	}
	return time.Duration(ts.Nano())
}
