package flowlogs

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func benchFlow(i int, typ string) record.Record {
	d := fmt.Sprintf("%016x", i)
	r := record.Record{
		Type: typ, Interface: "lan", HasInterface: true, Digest: d,
		HasStats: true, LocalBytes: 1500, LocalPackets: 3, OtherBytes: 64000, OtherPackets: 50,
		HasTCP: true, TCPRetrans: 1, HasTotals: true, TotalBytes: 65500, TotalPackets: 53,
		HasMeta: true,
	}
	r.Meta.ApplicationName, r.Meta.ApplicationID = "netify.example", 10
	r.Meta.ProtocolName, r.Meta.ProtocolID = "HTTP/S", 196
	r.Meta.IPProtocol, r.Meta.IPVersion = 6, 4
	r.Meta.LocalIP, r.Meta.LocalPort = netip.MustParseAddr("192.168.1.10"), uint16(30000+i%30000)
	r.Meta.OtherIP, r.Meta.OtherPort = netip.MustParseAddr("198.51.100.7"), 443
	if typ == record.TypeFlowPurge {
		r.Reason = "closed"
	}
	return r
}

// BenchmarkFlowLife is the cost of one flow's life in the table (a
// flow_stats that starts it, a flow_purge that ends it) with the default
// views observing it, without and with flow logs: the difference is what
// the logs observer adds per finished flow. Compare the two sub-benchmarks
// of one run.
func BenchmarkFlowLife(b *testing.B) {
	for _, withLogs := range []bool{false, true} {
		b.Run(fmt.Sprintf("logs=%t", withLogs), func(b *testing.B) {
			views := flowmetrics.NewViews(flowmetrics.DefaultViews())
			var obs flowtable.Observer = views
			logs := New(NewDefaultConfig())
			if withLogs {
				cfg := NewDefaultConfig()
				cfg.MaxPerSecond = 0
				logs = New(cfg)
				obs = flowtable.Observers{views, logs}
			}
			table := flowtable.New(flowtable.Config{MaxFlows: 10_000, IdleTimeout: time.Hour, Observer: obs})
			const n = 4096
			stats, purges := make([]record.Record, n), make([]record.Record, n)
			for i := range n {
				stats[i], purges[i] = benchFlow(i, record.TypeFlowStats), benchFlow(i, record.TypeFlowPurge)
			}
			out := make([]flowtable.Outcome, 1)
			now := t0
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := table.ApplyBatch("a", stats[i%n:i%n+1], now, false, out); err != nil {
					b.Fatal(err)
				}
				if err := table.ApplyBatch("a", purges[i%n:i%n+1], now, false, out); err != nil {
					b.Fatal(err)
				}
				if i%n == n-1 {
					logs.Commit(logs.Len()) // what a flush does
				}
			}
		})
	}
}

// BenchmarkBuild is the cost of writing one record into plog (batches of
// 4096 records of one agent).
func BenchmarkBuild(b *testing.B) {
	cfg := NewDefaultConfig()
	cfg.MaxPerSecond = 0
	logs := New(cfg)
	table := flowtable.New(flowtable.Config{MaxFlows: 10_000, IdleTimeout: time.Hour, Observer: logs})
	out := make([]flowtable.Outcome, 1)
	for i := range 4096 {
		s, p := benchFlow(i, record.TypeFlowStats), benchFlow(i, record.TypeFlowPurge)
		_ = table.ApplyBatch("a", []record.Record{s}, t0, false, out)
		_ = table.ApplyBatch("a", []record.Record{p}, t0, false, out)
	}
	recs := logs.Peek(nil, 4096)
	if len(recs) != 4096 {
		b.Fatalf("queued %d records, want 4096", len(recs))
	}
	b.ReportAllocs()
	for b.Loop() {
		ld := Build(recs, Scope{Name: "s"})
		if ld.LogRecordCount() != len(recs) {
			b.Fatal("short build")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}
