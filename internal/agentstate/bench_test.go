package agentstate

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// BenchmarkStoreMemory fills a store to its bounds, 1024 agents of 64
// interfaces with every counter, and reports the heap it holds per
// interface and in all (B/iface, MB/full).
func BenchmarkStoreMemory(b *testing.B) {
	const agents, ifaces = 1024, record.MaxAgentInterfaces
	rep := &record.AgentReport{Status: status(100, 1, 1).Status}
	for i := range ifaces {
		st := record.InterfaceStats{Name: fmt.Sprintf("interface-name-%02d", i)}
		for c := range st.Counters {
			st.Has[c], st.Counters[c] = true, uint64(c)
		}
		rep.Interfaces = append(rep.Interfaces, st)
	}
	var perIface float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s := New(Config{MaxAgents: agents, MaxInterfaces: ifaces, Timeout: time.Minute})
		for a := range agents {
			s.Observe(fmt.Sprintf("agent-%04d-0000-4000-8000-000000000000", a), rep, t0)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perIface = float64(after.HeapAlloc-before.HeapAlloc) / (agents * ifaces)
		runtime.KeepAlive(s)
	}
	b.ReportMetric(perIface, "B/iface")
	b.ReportMetric(perIface*agents*ifaces/1e6, "MB/full")
}
