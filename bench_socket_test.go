package netifyflowstatsreceiver

import (
	"context"
	"net"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/cputime"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadatatest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

// BenchmarkSocketStream is the socket input end to end, bytes to pmetric:
// the benchmark plays the agent's socket sink (listening on loopback TCP;
// the receiver dials it) and writes a simulated NDJSON stream in 128 KiB
// writes, as `make compare` delivers it; the receiver, in its default
// configuration (three views, no per-flow metrics), decodes, applies and
// aggregates every record; one flush per pass builds the pmetric. One op is
// one pass of the stream; it reports wall and process CPU time, and
// allocations, per record.
func BenchmarkSocketStream(b *testing.B) {
	stream, records := socketBenchStream(b)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()

	r, tt := startBenchReceiver(b, func(cfg *Config) {
		s := socketin.NewDefaultConfig()
		s.Endpoints = []socketin.EndpointConfig{{Endpoint: "tcp://" + ln.Addr().String(), AgentID: "bench-agent", Format: socketin.FormatJSON}}
		cfg.Socket = configoptional.Some(s)
	})
	conn, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()

	const writeSize = 128 << 10
	var want int64
	cpu0 := cputime.Process()
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		for p := 0; p < len(stream); p += writeSize {
			if _, err := conn.Write(stream[p:min(p+writeSize, len(stream))]); err != nil {
				b.Fatal(err)
			}
		}
		want += int64(records)
		deadline := time.Now().Add(time.Minute)
		for socketTaken(b, tt) < want {
			if time.Now().After(deadline) {
				b.Fatalf("the socket input took %d of %d records", socketTaken(b, tt), want)
			}
			time.Sleep(2 * time.Millisecond)
		}
		r.flush(context.Background())
	}
	n := float64(b.N * records)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/record")
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/n, "cpu-ns/record")
	b.ReportMetric(float64(records), "records/op")
}

// socketBenchStream is NDJSON from the simulator: 5,000 flows over 10
// intervals, every record type, as `make compare` streams (smaller).
func socketBenchStream(b *testing.B) (stream []byte, records int) {
	stream, records, err := gen.NDJSON(gen.Config{Seed: 1, Agents: 1, Flows: 5000}, time.UnixMilli(1772665318561), 10)
	if err != nil {
		b.Fatal(err)
	}
	return stream, records
}

// socketTaken is how many records the socket input handed over and the
// receiver took or refused for good (every outcome but busy).
func socketTaken(b *testing.B, tt *componenttest.Telemetry) int64 {
	m, err := tt.GetMetric("otelcol_netifyflowstats_records")
	if err != nil { // nothing recorded yet
		return 0
	}
	sum, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		b.Fatalf("records counter is %T, want an int64 sum", m.Data)
	}
	var n int64
	for _, dp := range sum.DataPoints {
		transport, _ := dp.Attributes.Value("transport")
		outcome, _ := dp.Attributes.Value("outcome")
		if transport.AsString() == socketin.Transport && outcome.AsString() != outcomeBusy {
			n += dp.Value
		}
	}
	return n
}

// startBenchReceiver starts the receiver in its default configuration
// (views, no HTTP input, no flush during the benchmark) with what tweak
// adds, and shuts it down when the benchmark ends; its telemetry is the
// returned one.
func startBenchReceiver(b *testing.B, tweak func(*Config)) (*netifyReceiver, *componenttest.Telemetry) {
	b.Helper()
	cfg := createDefaultConfig().(*Config)
	cfg.HTTP = configoptional.None[HTTPConfig]()
	cfg.FlushInterval = time.Hour
	if tweak != nil {
		tweak(cfg)
	}
	tt := componenttest.NewTelemetry()
	b.Cleanup(func() { _ = tt.Shutdown(context.Background()) })
	r, err := newReceiver(metadatatest.NewSettings(tt), cfg, consumertest.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	if err := r.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Shutdown(context.Background()) })
	return r, tt
}
