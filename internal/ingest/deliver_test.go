package ingest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// scriptSink answers each Accept call with the next scripted reply and
// keeps the digests it took.
type scriptSink struct {
	replies []reply
	took    []string
	// reoffers is each offer's Reoffer mark.
	reoffers []bool
}

type reply struct {
	take int
	err  error
}

func (s *scriptSink) Accept(_ context.Context, b Batch) (int, error) {
	s.reoffers = append(s.reoffers, b.Reoffer)
	r := reply{take: len(b.Records)}
	if len(s.replies) > 0 {
		r, s.replies = s.replies[0], s.replies[1:]
	}
	for _, rec := range b.Records[:r.take] {
		s.took = append(s.took, rec.Digest)
	}
	return r.take, r.err
}

func batch(digests ...string) Batch {
	b := Batch{Agent: "a"}
	for _, d := range digests {
		b.Records = append(b.Records, record.Record{Type: record.TypeFlowStats, Digest: d})
	}
	return b
}

func TestDeliverOffersTheRestAgainWhileBusy(t *testing.T) {
	s := &scriptSink{replies: []reply{{1, ErrBusy}, {0, ErrBusy}, {2, nil}}}
	require.NoError(t, Deliver(context.Background(), s, batch("a", "b", "c"), zap.NewNop()))
	assert.Equal(t, []string{"a", "b", "c"}, s.took, "every record once, in order")
}

func TestDeliverSkipsRecordsTheSinkCanNeverTake(t *testing.T) {
	s := &scriptSink{replies: []reply{{1, errors.New("broken")}}}
	require.NoError(t, Deliver(context.Background(), s, batch("a", "b"), zap.NewNop()))
	assert.Equal(t, []string{"a"}, s.took)
}

func TestDeliverStopsWithItsContext(t *testing.T) {
	busy := make([]reply, 1000)
	for i := range busy {
		busy[i] = reply{0, ErrBusy}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := Deliver(ctx, &scriptSink{replies: busy}, batch("a"), zap.NewNop())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
