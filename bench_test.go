package netifyflowstatsreceiver

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/cputime"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
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
		LastSeenAtMillis: 1772665318561 + int64(i),
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

// BenchmarkFlush is the cost of one flush of N changed flows: per-flow
// metrics alone, or the three default views alone (their series are few, so
// their flush cost is the snapshot of the series). It reports the cost per
// flow and per data point. The 1,000,000-flow case is only run when
// selected: -bench 'Flush/.*flows=1000000' -benchtime 3x.
func BenchmarkFlush(b *testing.B) {
	modes := map[string]func(*Config){
		"perflow": perFlowOnly,
		"views": func(cfg *Config) {
			cfg.Views = flowmetrics.DefaultViews()
			cfg.ZeroHold = 0
		},
	}
	for _, mode := range []string{"perflow", "views"} {
		for _, flows := range []int{10_000, 100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/flows=%d", mode, flows), func(b *testing.B) {
				if flows >= 1_000_000 && !strings.Contains(benchFilter(), "1000000") {
					b.Skip("select with -bench 'Flush/.*flows=1000000'")
				}
				sink := &countingConsumer{}
				r := newTestReceiver(b, temporalityCumulative, sink, modes[mode], func(cfg *Config) { cfg.Flows.Max = flows })
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
					for j := 0; j < len(recs); j += 1000 {
						batch := ingest.Batch{Agent: "a", Transport: "http", Received: scenarioEpoch.Add(time.Duration(i) * time.Second), Records: recs[j:min(j+1000, len(recs))]}
						if _, err := r.Accept(context.Background(), batch); err != nil {
							b.Fatal(err)
						}
					}
					sink.points = 0
					b.StartTimer()
					r.flush(context.Background())
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*flows), "ns/flow")
				if sink.points > 0 {
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sink.points), "ns/point")
				}
			})
		}
	}
}

// benchFilter is the -test.bench pattern.
func benchFilter() string {
	if f := flag.Lookup("test.bench"); f != nil {
		return f.Value.String()
	}
	return ""
}

// countingConsumer counts the data points of each flush and drops them.
type countingConsumer struct {
	consumertest.MetricsSink
	points int
}

func (c *countingConsumer) ConsumeMetrics(_ context.Context, md pmetric.Metrics) error {
	c.points += md.DataPointCount()
	return nil
}

// BenchmarkFlushLockWait measures how long an input waits to hand one record
// to the table while a flush of N changed flows runs: the longest wait of a
// goroutine that delivers one record after another during the flush, as
// max-wait-ms, and the 99th and 99.9th percentiles of its waits
// (p99-wait-ms, p999-wait-ms). Three flushes:
//   - views: the default configuration (three views, no per-flow metrics);
//   - perflow: per-flow metrics and the views on, every flow's points built;
//   - expire: the default configuration, every flow idle: the flush expires
//     them all.
//
// On a busy machine, or while the garbage collector's mark workers hold the
// processors (perflow: the points' garbage), the longest wait is often the
// scheduler's doing rather than the table's lock. The 1,000,000-flow cases
// are only run when selected: -bench 'FlushLockWait/.*/flows=1000000'
// -benchtime 1x.
func BenchmarkFlushLockWait(b *testing.B) {
	cases := []struct {
		name    string
		perFlow bool
		expire  bool
	}{{"views", false, false}, {"perflow", true, false}, {"expire", false, true}}
	for _, c := range cases {
		for _, flows := range []int{100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/flows=%d", c.name, flows), func(b *testing.B) {
				if flows >= 1_000_000 && !strings.Contains(benchFilter(), "1000000") {
					b.Skip("select with -bench 'FlushLockWait/.*/flows=1000000'")
				}
				r := newTestReceiver(b, temporalityCumulative, &countingConsumer{}, func(cfg *Config) {
					if c.perFlow {
						enablePerFlow(cfg)
					}
					cfg.Flows.Max = flows + 1
					cfg.ZeroHold = 0
				})
				idle := r.cfg.Flows.IdleTimeout
				// The records are made a batch at a time: a million of them
				// held at once would be the benchmark's heap, not the
				// receiver's, for the garbage collector to mark.
				recs := make([]record.Record, 1000)
				var worst time.Duration
				var waits waitHistogram
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					// Each round starts past the last one's expiry.
					received := scenarioEpoch.Add(time.Duration(i) * 3 * idle)
					for j := 0; j < flows; j += len(recs) {
						batch := recs[:min(len(recs), flows-j)]
						for k := range batch {
							batch[k] = benchRecord(j + k)
							batch[k].LastSeenAtMillis += int64(i) + 1 // a new report, not a redelivery
						}
						if _, err := r.Accept(context.Background(), ingest.Batch{Agent: "a", Transport: "http", Received: received, Records: batch}); err != nil {
							b.Fatal(err)
						}
					}
					flushAt := received
					if c.expire {
						flushAt = received.Add(2 * idle)
					}
					r.now = func() time.Time { return flushAt }
					probe := benchRecord(flows)
					done := make(chan struct{})
					waited := make(chan time.Duration)
					go func() {
						var longest time.Duration
						for n := 0; ; n++ {
							select {
							case <-done:
								waited <- longest
								return
							default:
							}
							probe.LastSeenAtMillis++
							start := time.Now()
							_, _ = r.Accept(context.Background(), ingest.Batch{Agent: "probe", Transport: "http", Received: flushAt, Records: []record.Record{probe}})
							d := time.Since(start)
							longest = max(longest, d)
							waits.add(d)
						}
					}()
					b.StartTimer()
					r.flush(context.Background())
					b.StopTimer()
					close(done)
					worst = max(worst, <-waited)
					if c.expire && r.table.Len() > 1 {
						b.Fatalf("%d flows left after the expiry", r.table.Len())
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(worst.Microseconds())/1000, "max-wait-ms")
				b.ReportMetric(waits.quantile(0.99), "p99-wait-ms")
				b.ReportMetric(waits.quantile(0.999), "p999-wait-ms")
			})
		}
	}
}

// waitHistogram counts waits in 0.1 ms buckets up to one second.
type waitHistogram struct {
	buckets [10_001]int64
	n       int64
}

func (h *waitHistogram) add(d time.Duration) {
	h.buckets[min(int(d/(100*time.Microsecond)), len(h.buckets)-1)]++
	h.n++
}

// quantile is the upper bound, in milliseconds, of the bucket holding the
// q-quantile.
func (h *waitHistogram) quantile(q float64) float64 {
	rank := int64(q * float64(h.n))
	var seen int64
	for i, c := range h.buckets {
		if seen += c; seen > rank {
			return float64(i+1) / 10
		}
	}
	return 0
}

// BenchmarkHTTPOneRecordPost is the agent's own path: one flow_stats record
// per POST over a kept-alive connection, into the default configuration
// (views, no per-flow metrics), answer read. It reports the process's CPU
// time per request beside the wall time.
func BenchmarkHTTPOneRecordPost(b *testing.B) {
	cfg := createDefaultConfig().(*Config)
	cfg.HTTP.Get().ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	cfg.FlushInterval = time.Hour
	r, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	if err := r.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Shutdown(context.Background()) })
	url := "http://" + r.httpAddr.String() + cfg.HTTP.Get().Path + "/bench-agent"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	body := []byte(`{"flow":{"detection_packets":32,"digest":"9a1e0c55d2b34f7e8a6b1c2d3e4f5a6b7c8d9e0f","digest_prev":["0f1e2d3c4b5a69788796a5b4c3d2e1f001234567","77aa88bb99cc00dd11ee22ff33aa44bb55cc66dd"],"last_seen_at":1765893801667,"local_bytes":2028,"local_packets":34,"local_rate":1510.6666259765625,"other_bytes":29478,"other_packets":37,"other_rate":29478.0,"tcp":{"resets":0,"retrans":1,"seq_errors":0},"total_bytes":9404196,"total_packets":18450},"interface":"lan","internal":false,"type":"flow_stats"}`)
	cpu0 := cputime.Process()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		resp, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
