package socketin

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
)

type malformedCount struct{ n atomic.Int64 }

func (c *malformedCount) Malformed(_ context.Context, _ string, n int) { c.n.Add(int64(n)) }
func (c *malformedCount) Skipped(context.Context, string, int)         {}

// A stream written in one go reaches the sink in a few batches, in order,
// none larger than maxBatch; a damaged line among them costs only itself.
func TestRecordsReadTogetherAreDeliveredTogether(t *testing.T) {
	const records = 3000 // ~600 KiB: several reads of the decoder's 64 KiB buffer
	agent := newTCPAgent(t)
	sink := &ingesttest.RecordingSink{}
	counter := &malformedCount{}
	startInput(t, testConfig(10*time.Second, EndpointConfig{Endpoint: agent.endpoint()}), sink, componenttest.NewNopHost(), counter)

	var b strings.Builder
	for n := 1; n <= records; n++ {
		b.WriteString(flowStats(n))
		if n == records/2 {
			b.WriteString("{\"type\":\"flow_stats\",\"flow\":{\"digest\":\n") // damaged: cut short
		}
	}
	write(t, agent.accept(), b.String())

	require.Eventually(t, func() bool { return len(sink.Digests()) == records }, waitFor, 5*time.Millisecond)
	assert.Equal(t, ingesttest.DigestRange(1, records), sink.Digests(), "no record lost, none repeated, order kept")
	assert.EqualValues(t, 1, counter.n.Load(), "the damaged line is counted, alone")
	batches := sink.Batches()
	assert.Less(t, len(batches), records/10, "records read together are delivered together")
	for _, bt := range batches {
		assert.LessOrEqual(t, len(bt.Records), maxBatch)
		assert.False(t, bt.Received.IsZero())
	}
}
