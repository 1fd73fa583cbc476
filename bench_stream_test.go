package netifyflowstatsreceiver

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/cputime"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

// BenchmarkStreamInProcess is BenchmarkSocketStream's work without the
// socket: the same stream read 64 KiB at a time by the stream decoder, the
// records of each read delivered together through a gate to the receiver
// (default configuration: three views), before the next read, as the
// socket input does; one flush per pass. No connection, no other
// goroutine, no polling: its instruction count (cachegrind) is the same
// from run to run, where the socket benchmark's varies with scheduling.
func BenchmarkStreamInProcess(b *testing.B) {
	stream, records := socketBenchStream(b)
	r, _ := startBenchReceiver(b, nil)
	set := ingest.Settings{Sink: r, Telemetry: componenttest.NewNopTelemetrySettings(), Counter: r}
	gate := ingest.NewGate(set, socketin.Transport)
	ctx := context.Background()

	var batch []record.Record
	deliver := func() error {
		if len(batch) > 0 {
			if err := gate.DeliverBatch(ctx, ingest.Batch{Agent: "bench-agent", Received: time.Now(), Records: batch}, &ingest.Rejects{}); err != nil {
				return err
			}
			clear(batch)
			batch = batch[:0]
		}
		return nil
	}
	cpu0 := cputime.Process()
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		dec := record.NewStreamDecoder(&readsOf{data: stream, size: 64 << 10, before: deliver}, record.FormatJSON, 0)
		n := 0
		for {
			// Past the batch's end, as the socket input decodes: a
			// delivery made by the read hands over batch[:k] only.
			batch = slices.Grow(batch, 1)
			k := len(batch)
			slot := &batch[:k+1][k]
			err := dec.NextInto(slot)
			if err != nil {
				if !errors.Is(err, io.EOF) {
					b.Fatal(err)
				}
				break
			}
			n++
			if len(batch) == k {
				batch = batch[:k+1]
			} else {
				batch = append(batch, *slot)
				*slot = record.Record{}
			}
		}
		if err := deliver(); err != nil {
			b.Fatal(err)
		}
		if n != records {
			b.Fatalf("decoded %d records, want %d", n, records)
		}
		r.flush(ctx)
	}
	total := float64(b.N * records)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/record")
	b.ReportMetric(float64((cputime.Process()-cpu0).Nanoseconds())/total, "cpu-ns/record")
}

// readsOf hands out data size bytes at a time, calling before first as the
// socket input's reader does.
type readsOf struct {
	data   []byte
	size   int
	before func() error
}

func (r *readsOf) Read(p []byte) (int, error) {
	if err := r.before(); err != nil {
		return 0, err
	}
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.size)], r.data)
	r.data = r.data[n:]
	return n, nil
}
