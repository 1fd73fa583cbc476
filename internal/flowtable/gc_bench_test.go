package flowtable

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// BenchmarkTableGC is what one full garbage collection costs with a table of
// N flows (filled as BenchmarkTableMemory fills it, default configuration)
// in the heap: the process's CPU time and the wall time of runtime.GC. The
// collector marks what the flows point to; a flush and the inputs share
// the cores with it.
func BenchmarkTableGC(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint("flows=", n), func(b *testing.B) {
			tb := New(Config{MaxFlows: n, IdleTimeout: time.Hour, Observer: viewKeys{}})
			fillTable(tb, n, false)
			runtime.GC()
			var cpu, wall time.Duration
			for b.Loop() {
				c0, w0 := processCPU(), time.Now()
				runtime.GC()
				cpu += processCPU() - c0
				wall += time.Since(w0)
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "gc-cpu-ms")
			b.ReportMetric(float64(wall.Microseconds())/1000/float64(b.N), "gc-wall-ms")
			runtime.KeepAlive(tb)
		})
	}
}

// processCPU is the CPU time of the whole process (all threads: the
// collector's workers too).
func processCPU() time.Duration {
	const clockProcessCPUTime = 2 // CLOCK_PROCESS_CPUTIME_ID, Linux
	var ts syscall.Timespec
	_, _, _ = syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
