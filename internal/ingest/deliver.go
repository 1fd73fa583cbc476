package ingest

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.uber.org/zap"
)

// busyBackoff paces retries while the sink answers ErrBusy: short, because
// the flow table frees up as soon as an export finishes.
func busyBackoff() *backoff.ExponentialBackOff {
	return &backoff.ExponentialBackOff{
		InitialInterval:     5 * time.Millisecond,
		MaxInterval:         250 * time.Millisecond,
		Multiplier:          2,
		RandomizationFactor: 0.2,
	}
}

// Deliver offers b to the sink until every record is taken. While the sink
// is busy the caller (a socket read, an MQTT ack) is held here, which is the
// backpressure: the same records are offered again, never dropped. It
// returns only ctx's error; a sink error other than ErrBusy means the
// records can never be applied, so they are logged and skipped.
func Deliver(ctx context.Context, sink Sink, b Batch, log *zap.Logger) error {
	var bo *backoff.ExponentialBackOff
	for len(b.Records) > 0 {
		taken, err := sink.Accept(ctx, b)
		taken = min(max(taken, 0), len(b.Records))
		b.Records = b.Records[taken:]
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, ErrBusy):
			log.Warn("Sink rejected records; skipping them", zap.Int("records", len(b.Records)), zap.Error(err))
			return nil
		case len(b.Records) == 0:
			return nil
		}
		if bo == nil {
			bo = busyBackoff()
		}
		// After a wait, a refusal is news again.
		b.Reoffer = false
		if err := Sleep(ctx, bo.NextBackOff()); err != nil {
			return err
		}
	}
	return nil
}

// Sleep waits d or until ctx is done, whichever is first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
