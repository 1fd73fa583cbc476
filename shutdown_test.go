package netifyflowstatsreceiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// blockingConsumer blocks every call until its context is done.
type blockingConsumer struct{ consumertest.MetricsSink }

func (c *blockingConsumer) ConsumeMetrics(ctx context.Context, _ pmetric.Metrics) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestShutdownIsBoundedByItsContext(t *testing.T) {
	r, _ := startHTTPReceiver(t, &consumertest.MetricsSink{})
	// Swap in a consumer that never returns on its own.
	r.next = &blockingConsumer{}
	_, err := r.Accept(context.Background(), ingest.Batch{Agent: "a", Transport: "http", Received: time.Now(),
		Records: []record.Record{{Type: record.TypeFlowStats, Digest: "ab", HasStats: true, LocalBytes: 1}}})
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = r.Shutdown(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the final flush was cancelled, and Shutdown says so")
	assert.Contains(t, err.Error(), "shutting down the netifyflowstats receiver")

	// Once shut down, records are refused as busy, never half taken.
	taken, err := r.Accept(context.Background(), ingest.Batch{Agent: "a", Transport: "http", Received: time.Now(),
		Records: []record.Record{{Type: record.TypeFlowStats, Digest: "cd"}}})
	assert.Equal(t, 0, taken)
	assert.ErrorIs(t, err, ingest.ErrBusy)
}
