package ingesttest

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func batch(agent string, digests ...string) ingest.Batch {
	b := ingest.Batch{Agent: agent}
	for _, d := range digests {
		b.Records = append(b.Records, record.Record{Type: record.TypeFlowStats, Digest: d})
	}
	return b
}

func TestRecordingSinkKeepsBatchesInOrder(t *testing.T) {
	var s RecordingSink
	n, err := s.Accept(context.Background(), batch("a", "d1", "d2"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	n, err = s.Accept(context.Background(), batch("b", "d2", "d3"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	assert.Equal(t, []string{"d1", "d2", "d2", "d3"}, s.Digests())
	assert.Equal(t, 3, s.Distinct())
	got := s.Batches()
	require.Len(t, got, 2)
	assert.Equal(t, "a", got[0].Agent)
	assert.Equal(t, "b", got[1].Agent)
	assert.Zero(t, s.BusyCalls())
}

func TestRecordingSinkIsBusyWhileBusySaysSo(t *testing.T) {
	var busy atomic.Bool
	busy.Store(true)
	s := &RecordingSink{Busy: busy.Load}
	for range 3 {
		n, err := s.Accept(context.Background(), batch("a", "d1"))
		assert.ErrorIs(t, err, ingest.ErrBusy)
		assert.Zero(t, n)
	}
	assert.Equal(t, 3, s.BusyCalls())
	assert.Empty(t, s.Digests())

	busy.Store(false)
	n, err := s.Accept(context.Background(), batch("a", "d1"))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, []string{"d1"}, s.Digests())
	assert.Equal(t, 3, s.BusyCalls())
}
