package netifyflowstatsreceiver

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// BenchmarkFlushPeakMemory is the live heap while a flush of N changed
// flows (every per-flow metric on) is handed downstream, against the live
// heap before it (the steady state: the table and its flows). The consumer
// measures the live heap (after a collection) while it holds each batch,
// the moment the flush has the most alive. Reported: steady-MiB, peak-MiB
// and peak/steady. The 1,000,000-flow case is only run when selected:
// -bench 'FlushPeakMemory/flows=1000000' -benchtime 1x.
func BenchmarkFlushPeakMemory(b *testing.B) {
	for _, flows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("flows=%d", flows), func(b *testing.B) {
			if flows >= 1_000_000 && !strings.Contains(benchFilter(), "1000000") {
				b.Skip("select with -bench 'FlushPeakMemory/flows=1000000'")
			}
			sink := &liveHeapConsumer{every: 16}
			r := newTestReceiver(b, temporalityCumulative, sink, func(cfg *Config) {
				enablePerFlow(cfg)
				cfg.Flows.Max = flows
				cfg.ZeroHold = 0
			})
			var steady, peak uint64
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				recs := make([]record.Record, 1000)
				for j := 0; j < flows; j += len(recs) {
					for k := range recs {
						recs[k] = benchRecord(j + k)
						recs[k].LastSeenAtMillis += int64(i)
					}
					batch := ingest.Batch{Agent: "a", Transport: "http", Received: scenarioEpoch.Add(time.Duration(i) * time.Second), Records: recs}
					if _, err := r.Accept(context.Background(), batch); err != nil {
						b.Fatal(err)
					}
				}
				recs = nil
				steady = max(steady, liveHeap())
				sink.peak = 0
				b.StartTimer()
				r.flush(context.Background())
				peak = max(peak, sink.peak)
			}
			if sink.batches == 0 {
				b.Fatal("the flush handed nothing downstream")
			}
			b.ReportMetric(float64(steady)/(1<<20), "steady-MiB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			b.ReportMetric(float64(peak)/float64(steady), "peak/steady")
		})
	}
}

// liveHeap is the heap in use once garbage is collected.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// liveHeapConsumer measures the live heap on every `every`th batch it is
// handed (a collection per batch would make a 1,000,000-flow flush take
// minutes), then drops the batch.
type liveHeapConsumer struct {
	consumertest.MetricsSink
	every, batches int
	peak           uint64
}

func (c *liveHeapConsumer) ConsumeMetrics(_ context.Context, md pmetric.Metrics) error {
	if c.batches%c.every == 0 && md.DataPointCount() > 0 {
		c.peak = max(c.peak, liveHeap())
		// The batch is what is measured: it must not be garbage yet.
		runtime.KeepAlive(md)
	}
	c.batches++
	return nil
}
