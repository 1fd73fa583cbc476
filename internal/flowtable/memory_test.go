package flowtable

import (
	"fmt"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// BenchmarkTableMemory reports the live heap one tracked flow costs, with
// the flow known under three 40-character digests (the tuple digest and two
// DPI digests, as a classified flow of agent 5.2 is) and its metadata
// (addresses: 250 local hosts, a remote address per 20 flows), at 100,000
// and 1,000,000 flows: as the default configuration keeps it (views only,
// records over HTTP; the three default views keep a key each in the flow),
// and with per-flow metrics over MQTT (pending sums and redelivery
// fingerprints kept).
func BenchmarkTableMemory(b *testing.B) {
	for _, mode := range []struct {
		name           string
		perFlow, dedup bool
	}{{"default", false, false}, {"perflow-mqtt", true, true}} {
		for _, n := range []int{100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/flows=%d", mode.name, n), func(b *testing.B) {
				for b.Loop() {
					var before, after runtime.MemStats
					settle()
					runtime.ReadMemStats(&before)
					tb := New(Config{MaxFlows: n, IdleTimeout: time.Hour, PerFlow: mode.perFlow, Observer: viewKeys{}})
					fillTable(tb, n, mode.dedup)
					runtime.GC()
					runtime.ReadMemStats(&after)
					b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "B/flow")
					runtime.KeepAlive(tb)
				}
			})
		}
	}
}

// settle collects what earlier runs left (their tables) before a run reads
// the heap.
func settle() {
	for range 3 {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
}

// viewKeys gives each new flow a key per default view, as the views
// (internal/flowmetrics) do.
type viewKeys struct{}

func (viewKeys) Observe(u *Update) {
	u.ViewKeys(3, -2)
}

func fillTable(tb *Table, n int, dedup bool) {
	out := make([]Outcome, 3)
	recs := make([]record.Record, 3)
	for i := 0; i < n; i++ {
		tuple := fmt.Sprintf("%040x", i)
		d1 := fmt.Sprintf("%040x", uint64(i)+1<<40)
		d2 := fmt.Sprintf("%040x", uint64(i)+2<<40)
		recs[0] = record.Record{Type: record.TypeFlow, HasInterface: true, Interface: "eth0", Digest: d1, DigestPrev: []string{tuple},
			HasMeta: true, Meta: record.Meta{ApplicationID: 10, ApplicationName: "netify.youtube", ProtocolID: 196, ProtocolName: "HTTP/S",
				HostServerName: "www.youtube.com", IPProtocol: 6, IPVersion: 4, LocalPort: uint16(i), OtherPort: 443,
				LocalIP: netip.AddrFrom4([4]byte{192, 168, 1, byte(i % 250)}), OtherIP: netip.AddrFrom4([4]byte{203, byte(i / 20 >> 16), byte(i / 20 >> 8), byte(i / 20)})}}
		recs[1] = *stats(d2, []string{tuple, d1}, 100, 1000)
		recs[1].LastSeenAtMillis = int64(i)
		recs[2] = recs[1]
		recs[2].LastSeenAtMillis++
		_ = tb.ApplyBatch("8a1f0f3e-0000-4000-8000-00000000000a", recs, t0, dedup, out)
	}
}
