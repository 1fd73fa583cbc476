package netifyflowstatsreceiver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// A stream's batch that a full table refuses is offered again in halves at
// once (ingest.DeliverBatch): its records count busy once, not once per
// half. Here the table is full of unsent flows (per-flow metrics, no flush
// yet), so nothing can be taken until the context ends the wait.
func TestBusyBatchCountsEachRecordOnce(t *testing.T) {
	r, tt := newTelemetryTestReceiver(t, consumertest.NewNop(), func(cfg *Config) {
		perFlowOnly(cfg)
		cfg.Flows.Max = 2
	})

	flows := func(from, n int) ingest.Batch {
		b := ingest.Batch{Agent: "a", Transport: "socket", Received: time.Now()}
		for i := range n {
			b.Records = append(b.Records, record.Record{Type: record.TypeFlowStats, Digest: fmt.Sprintf("%04x", from+i), HasStats: true, LocalBytes: 1})
		}
		return b
	}
	_, err := r.Accept(context.Background(), flows(0, 2))
	require.NoError(t, err)

	// 8 new flows: refused whole, then as 4+4, 2+2..., then single records
	// that wait, each offered again after a wait until the context ends.
	g := ingest.NewGate(ingest.Settings{Sink: r, Telemetry: componenttest.NewNopTelemetrySettings()}, "socket")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err = g.DeliverBatch(ctx, flows(2, 8), &ingest.Rejects{})
	require.ErrorIs(t, err, context.DeadlineExceeded)

	got := int64Sum(t, tt, "otelcol_netifyflowstats_records")
	assert.Equal(t, int64(2), got["accepted/flow_stats/"])
	// The whole batch once (8), then the first single record's offers
	// after a wait (it waits until the context ends, after at most three
	// backoffs of 5, 10 and 20 ms; the records after it are never offered).
	// Counted per offer, the halves offered at once would add 4+2+1.
	busy := got["busy/"]
	assert.GreaterOrEqual(t, busy, int64(8))
	assert.LessOrEqual(t, busy, int64(8+3), "the halves offered at once were counted again")
}
