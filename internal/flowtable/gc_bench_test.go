package flowtable

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/cputime"
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
				c0, w0 := cputime.Process(), time.Now()
				runtime.GC()
				cpu += cputime.Process() - c0
				wall += time.Since(w0)
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "gc-cpu-ms")
			b.ReportMetric(float64(wall.Microseconds())/1000/float64(b.N), "gc-wall-ms")
			runtime.KeepAlive(tb)
		})
	}
}
