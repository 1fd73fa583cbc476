package ingest

import (
	"context"
	"errors"

	"go.uber.org/zap"
)

// DeliverBatch is Deliver for a batch an input gathered from a stream
// (many records read at once): the same limits, refusals and backpressure,
// but when the sink is busy the batch is offered in halves. The sink takes
// a batch whole or not at all, and a full flow table refuses a batch that
// needs more new flows than it can make room for: halving keeps a large
// batch from waiting on room a single record would not need.
func (g *Gate) DeliverBatch(ctx context.Context, b Batch, rej *Rejects) error {
	g.admit(&b, rej)
	g.Refuse(ctx, b.Agent, *rej)
	b.Transport = g.transport
	return deliverHalving(ctx, g.sink, b, g.log)
}

// deliverHalving offers b whole; while the sink is busy it offers each
// half in turn, down to single records, which wait as Deliver's do. The
// halves are marked Reoffer: the sink counted their records busy already.
func deliverHalving(ctx context.Context, sink Sink, b Batch, log *zap.Logger) error {
	if len(b.Records) <= 1 {
		return Deliver(ctx, sink, b, log)
	}
	taken, err := sink.Accept(ctx, b)
	b.Records = b.Records[min(max(taken, 0), len(b.Records)):]
	switch {
	case err == nil || len(b.Records) == 0:
		return nil
	case !errors.Is(err, ErrBusy):
		log.Warn("Sink rejected records; skipping them", zap.Int("records", len(b.Records)), zap.Error(err))
		return nil
	}
	first, rest := b, b
	first.Reoffer, rest.Reoffer = true, true
	half := len(b.Records) / 2
	first.Records, rest.Records = b.Records[:half], b.Records[half:]
	if err := deliverHalving(ctx, sink, first, log); err != nil {
		return err
	}
	return deliverHalving(ctx, sink, rest, log)
}
