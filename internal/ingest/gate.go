package ingest

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Rejects are the records of one delivery an input refused: how many, and
// the first record.MaxKeptErrors errors saying why.
type Rejects struct {
	N    int
	Errs []error
}

// Add counts one refused record.
func (r *Rejects) Add(err error) {
	r.N++
	if len(r.Errs) < record.MaxKeptErrors {
		r.Errs = append(r.Errs, err)
	}
}

// AddBody counts the records DecodeBody could not decode.
func (r *Rejects) AddBody(b record.Body) {
	r.N += b.Bad
	room := max(record.MaxKeptErrors-len(r.Errs), 0)
	r.Errs = append(r.Errs, b.Errors[:min(room, len(b.Errors))]...)
}

// Gate is the one way an input's deliveries reach the sink. It applies the
// limits to every record (CheckRecord), counts and logs what it refuses and
// the records of other types, and offers the rest to the sink.
type Gate struct {
	transport string
	// source names the input in an agent id's refusal, built once rather
	// than per delivery.
	source  string
	sink    Sink
	counter Counter
	log     *zap.Logger
	// refusals logs refused deliveries, sampled: a sender of garbage makes a
	// few lines every 10 s, not one per record.
	refusals *zap.Logger
}

// NewGate returns the gate of the input named transport ("http",
// "socket", "mqtt").
func NewGate(set Settings, transport string) *Gate {
	log := set.Telemetry.Logger
	if log == nil {
		log = zap.NewNop()
	}
	log = log.With(zap.String("transport", transport))
	return &Gate{
		transport: transport,
		source:    "the " + transport + " input",
		sink:      set.Sink,
		counter:   set.Counter,
		log:       log,
		refusals: log.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
			return zapcore.NewSamplerWithOptions(c, 10*time.Second, 5, 1000)
		})),
	}
}

// Logger is the input's logger.
func (g *Gate) Logger() *zap.Logger { return g.log }

// Refuse counts and logs rejects of a delivery from agent (the peer's
// address when the delivery named no valid agent).
func (g *Gate) Refuse(ctx context.Context, agent string, rej Rejects) {
	if rej.N == 0 {
		return
	}
	if g.counter != nil {
		g.counter.Malformed(ctx, g.transport, rej.N)
	}
	fields := []zap.Field{zap.String("agent", agent), zap.Int("count", rej.N)}
	if len(rej.Errs) > 0 {
		fields = append(fields, zap.Error(rej.Errs[0]))
	}
	g.refusals.Warn("Malformed records refused", fields...)
}

// Skip counts records of types the receiver does not take.
func (g *Gate) Skip(ctx context.Context, n int) {
	if n > 0 && g.counter != nil {
		g.counter.Skipped(ctx, g.transport, n)
	}
}

// admit removes the records of b that break a limit, adding them to rej.
// A batch whose agent id breaks the rules is refused whole.
func (g *Gate) admit(b *Batch, rej *Rejects) {
	if err := CheckAgentID(b.Agent, g.source); err != nil {
		for range b.Records {
			rej.Add(err)
		}
		b.Records = nil
		return
	}
	// Compacted in place; a record is moved only once one before it was
	// refused (a Record is a few hundred bytes).
	n := 0
	var c recordChecker
	for i := range b.Records {
		if err := c.check(&b.Records[i]); err != nil {
			rej.Add(fmt.Errorf("flow %s: %w", Excerpt(b.Records[i].Digest), err))
			continue
		}
		if n != i {
			b.Records[n] = b.Records[i]
		}
		n++
	}
	clear(b.Records[n:])
	b.Records = b.Records[:n]
}

// Offer applies the limits, reports what the delivery refused (rej holds
// its decode errors on entry, and the records the limits refuse on
// return) and offers the rest to the sink once: for inputs whose peer
// retries (HTTP answers 503 on ErrBusy).
func (g *Gate) Offer(ctx context.Context, b Batch, rej *Rejects) (taken int, err error) {
	g.admit(&b, rej)
	g.Refuse(ctx, b.Agent, *rej)
	if len(b.Records) == 0 {
		return 0, nil
	}
	b.Transport = g.transport
	return g.sink.Accept(ctx, b)
}

// Deliver is Offer for inputs that hold their peer while the sink is busy
// (a socket stops reading, MQTT withholds the ack): see the package's
// Deliver. It returns only ctx's error.
func (g *Gate) Deliver(ctx context.Context, b Batch, rej *Rejects) error {
	g.admit(&b, rej)
	g.Refuse(ctx, b.Agent, *rej)
	b.Transport = g.transport
	return Deliver(ctx, g.sink, b, g.log)
}
