package record

import (
	"syscall"
	"testing"
	"time"
)

// cpuTimer reports the process's CPU time per operation (user + system,
// GC included) as cpu-ns/op: on a shared machine a benchmark's wall time
// also counts the time it waited for a core, its CPU time does not. Run
// with -cpu=1 so that the figure is one goroutine's work plus its GC.
type cpuTimer struct{ start time.Duration }

func startCPU(b *testing.B) *cpuTimer {
	b.Helper()
	return &cpuTimer{start: processCPU(b)}
}

func (c *cpuTimer) report(b *testing.B) {
	b.Helper()
	b.ReportMetric(float64((processCPU(b)-c.start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
