package record

import (
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/cputime"
)

// cpuTimer reports the process's CPU time per operation (user + system,
// GC included) as cpu-ns/op: on a shared machine a benchmark's wall time
// also counts the time it waited for a core, its CPU time does not. Run
// with -cpu=1 so that the figure is one goroutine's work plus its GC.
type cpuTimer struct{ start time.Duration }

func startCPU(b *testing.B) *cpuTimer {
	b.Helper()
	return &cpuTimer{start: cputime.Process()}
}

func (c *cpuTimer) report(b *testing.B) {
	b.Helper()
	b.ReportMetric(float64((cputime.Process()-c.start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
