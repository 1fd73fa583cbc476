package netifyflowstatsreceiver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func benchRecord(i int) record.Record {
	d := fmt.Sprintf("%016x", i)
	return record.Record{
		Type: record.TypeFlowStats, Interface: "lan", Digest: d, DigestPrev: []string{"t" + d},
		HasStats: true, LocalBytes: 1500, LocalPackets: 3, OtherBytes: 64000, OtherPackets: 50,
		HasTCP: true, TCPRetrans: 1,
		HasRates: true, LocalRate: 100.5, OtherRate: 4266.7,
		HasTotals: true, TotalBytes: uint64(i) * 1000, TotalPackets: uint64(i),
		LastSeenAtMillis: int64(1772665318561 + i),
	}
}

// BenchmarkAccept is the cost of taking one flow_stats record into the flow
// table, over a table of 10,000 flows.
func BenchmarkAccept(b *testing.B) {
	r := newTestReceiver(b, temporalityCumulative, consumertest.NewNop())
	const flows = 10_000
	recs := make([]record.Record, flows)
	for i := range recs {
		recs[i] = benchRecord(i)
	}
	now := scenarioEpoch
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		rec := recs[i%flows]
		// A new report of the flow: it must not look like a redelivery.
		rec.LastSeenAtMillis += int64(i)
		if _, err := r.Accept(context.Background(), ingest.Batch{Agent: "a", Transport: "http", Received: now, Records: []record.Record{rec}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFlush is the cost of one flush of N changed flows, split by how
// many flows go to the metrics builder between two emits (see flowsPerChunk).
// Compare the chunk sizes with: benchstat -col /chunk.
func BenchmarkFlush(b *testing.B) {
	for _, flows := range []int{1_000, 10_000} {
		for _, chunk := range []int{flowsPerChunk, 128, 1 << 30} {
			name := fmt.Sprintf("flows=%d/chunk=%d", flows, chunk)
			if chunk > flows {
				if flows > 1_000 {
					continue // quadratic: 10,000 flows in one chunk take minutes
				}
				name = fmt.Sprintf("flows=%d/chunk=all", flows)
			}
			b.Run(name, func(b *testing.B) {
				r := newTestReceiver(b, temporalityCumulative, consumertest.NewNop())
				r.builder.chunk = chunk
				recs := make([]record.Record, flows)
				for i := range recs {
					recs[i] = benchRecord(i)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					for j := range recs {
						recs[j].LastSeenAtMillis++
					}
					if _, err := r.Accept(context.Background(), ingest.Batch{Agent: "a", Transport: "http", Received: scenarioEpoch.Add(time.Duration(i) * time.Second), Records: recs}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					r.flush(context.Background())
				}
			})
		}
	}
}
