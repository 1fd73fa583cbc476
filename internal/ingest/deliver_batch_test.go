package ingest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// roomSink is a full flow table's answer: busy for any batch of more than
// room records, whole or nothing.
type roomSink struct {
	room   int
	offers []int
	took   []string
	// refused counts the records of refused offers that were not marked
	// Reoffer: what the receiver counts busy.
	refused int
}

func (s *roomSink) Accept(_ context.Context, b Batch) (int, error) {
	s.offers = append(s.offers, len(b.Records))
	if len(b.Records) > s.room {
		if !b.Reoffer {
			s.refused += len(b.Records)
		}
		return 0, ErrBusy
	}
	for _, r := range b.Records {
		s.took = append(s.took, r.Digest)
	}
	return len(b.Records), nil
}

func digests(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("d%02d", i)
	}
	return out
}

func TestDeliverBatchHalvesWhatTheSinkCannotTakeWhole(t *testing.T) {
	s := &roomSink{room: 3}
	g := NewGate(Settings{Sink: s, Telemetry: componenttest.NewNopTelemetrySettings()}, "socket")
	require.NoError(t, g.DeliverBatch(context.Background(), batch(digests(10)...), &Rejects{}))
	assert.Equal(t, digests(10), s.took, "every record once, in order")
	assert.Equal(t, []int{10, 5, 2, 3, 5, 2, 3}, s.offers, "halves, without waiting, until they fit")
	assert.Equal(t, 10, s.refused, "the halves are marked Reoffer: each record counts busy once")
}

// A record Deliver offers again after a wait is news again: only its first
// offer keeps the Reoffer mark it came with.
func TestDeliverMarksOnlyTheFirstOfferAReoffer(t *testing.T) {
	s := &scriptSink{replies: []reply{{0, ErrBusy}, {0, ErrBusy}, {1, nil}}}
	b := batch("d00")
	b.Reoffer = true
	require.NoError(t, Deliver(context.Background(), s, b, zap.NewNop()))
	assert.Equal(t, []bool{true, false, false}, s.reoffers)
	assert.Equal(t, []string{"d00"}, s.took)
}

func TestDeliverBatchTakenWholeIsOneOffer(t *testing.T) {
	s := &roomSink{room: 100}
	g := NewGate(Settings{Sink: s, Telemetry: componenttest.NewNopTelemetrySettings()}, "socket")
	require.NoError(t, g.DeliverBatch(context.Background(), batch(digests(10)...), &Rejects{}))
	assert.Equal(t, []int{10}, s.offers)
}

func TestDeliverBatchAppliesTheLimits(t *testing.T) {
	sink, c := &countingSink{}, &counts{}
	g := NewGate(Settings{Sink: sink, Counter: c, Telemetry: componenttest.NewNopTelemetrySettings()}, "socket")
	rej := Rejects{}
	recs := []record.Record{flow(nil), flow(func(r *record.Record) { r.Interface = "\xff" }), flow(func(r *record.Record) { r.Digest = "cd" })}
	require.NoError(t, g.DeliverBatch(context.Background(), Batch{Agent: "a", Records: recs}, &rej))
	assert.Equal(t, 1, rej.N)
	assert.Equal(t, 1, c.malformed)
	require.Len(t, sink.batches, 1)
	assert.Equal(t, "socket", sink.batches[0].Transport)
	require.Len(t, sink.batches[0].Records, 2)
	assert.Equal(t, []string{"ab", "cd"}, []string{sink.batches[0].Records[0].Digest, sink.batches[0].Records[1].Digest})
}

func TestDeliverBatchSkipsWhatTheSinkCanNeverTake(t *testing.T) {
	s := &scriptSink{replies: []reply{{1, errors.New("broken")}}}
	g := NewGate(Settings{Sink: s, Telemetry: componenttest.NewNopTelemetrySettings()}, "socket")
	require.NoError(t, g.DeliverBatch(context.Background(), batch("a", "b", "c"), &Rejects{}))
	assert.Equal(t, []string{"a"}, s.took)
}

func TestDeliverBatchStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := deliverHalving(ctx, &roomSink{room: 0}, batch("a", "b"), zap.NewNop())
	assert.ErrorIs(t, err, context.Canceled)
}
