package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Outcomes of a record, the "outcome" attribute of the records counter.
const (
	outcomeAccepted  = "accepted"
	outcomeSkipped   = "skipped"
	outcomeMalformed = "malformed"
	outcomeBusy      = "busy"
	outcomeDuplicate = "duplicate"
	outcomeLate      = "late"
)

// outcomeNames names each flow table outcome in the records counter.
var outcomeNames = [...]string{
	flowtable.Applied:         outcomeAccepted,
	flowtable.AppliedEvicting: outcomeAccepted,
	flowtable.Duplicate:       outcomeDuplicate,
	flowtable.Late:            outcomeLate,
	flowtable.Skipped:         outcomeSkipped,
}

var errShuttingDown = errors.New("receiver is shutting down")

// Accept implements ingest.Sink: the records of one delivery go into the flow
// table in order, all of them or, when the table cannot make room for the
// flows they start, none.
func (r *netifyReceiver) Accept(ctx context.Context, b ingest.Batch) (int, error) {
	if r.closing.Load() {
		if !b.Reoffer {
			r.countRecords(ctx, b.Transport, "", outcomeBusy, len(b.Records))
		}
		return 0, errors.Join(ingest.ErrBusy, errShuttingDown)
	}
	outcomes := make([]flowtable.Outcome, len(b.Records))
	if err := r.table.ApplyBatch(b.Agent, b.Records, b.Received, b.AtLeastOnce, outcomes); err != nil {
		if b.Reoffer {
			return 0, errors.Join(ingest.ErrBusy, err)
		}
		r.countRecords(ctx, b.Transport, "", outcomeBusy, len(b.Records))
		r.logger.Warn("Flow table full of unsent flows; refusing records until a flush hands them downstream",
			zap.String("agent", b.Agent), zap.Int("refused", len(b.Records)), zap.Int("flows.max", r.cfg.Flows.Max))
		return 0, errors.Join(ingest.ErrBusy, err)
	}
	// Consecutive records of one type and outcome (most of a stream) are
	// counted with one Add: the counter's cost is per call, not per record.
	var run recordsRun
	evicted := 0
	for i, o := range outcomes {
		if o == flowtable.AppliedEvicting {
			evicted++
		}
		typ, outcome := b.Records[i].Type, r.agentOutcome(&b, i, outcomeNames[o])
		if run.n > 0 && (typ != run.typ || outcome != run.outcome) {
			r.countRecords(ctx, b.Transport, run.typ, run.outcome, run.n)
			run.n = 0
		}
		run.typ, run.outcome = typ, outcome
		run.n++
	}
	r.countRecords(ctx, b.Transport, run.typ, run.outcome, run.n)
	if evicted > 0 {
		r.telemetry.NetifyflowstatsFlowsEvicted.Add(ctx, int64(evicted), reasonCapacity)
	}
	return len(b.Records), nil
}

// recordsRun is n consecutive records of one type and outcome.
type recordsRun struct {
	typ, outcome string
	n            int
}

// Malformed implements ingest.Counter: records an input refused (the input
// logs why).
func (r *netifyReceiver) Malformed(ctx context.Context, transport string, n int) {
	r.countRecords(ctx, transport, "", outcomeMalformed, n)
}

// Skipped implements ingest.Counter: records of types the receiver does
// not take, counted by the input without reaching the sink.
func (r *netifyReceiver) Skipped(ctx context.Context, transport string, n int) {
	r.countRecords(ctx, transport, "other", outcomeSkipped, n)
}

var reasonCapacity = metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", "capacity")))
var reasonIdle = metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", "idle")))

type recordsKey struct{ transport, typ, outcome string }

// countRecords adds to the records counter. Record types outside the known
// set are counted as "other" so a hostile sender cannot grow the series.
func (r *netifyReceiver) countRecords(ctx context.Context, transport, typ, outcome string, n int) {
	if n == 0 {
		return
	}
	switch typ {
	case "", record.TypeFlow, record.TypeFlowDPIUpdate, record.TypeFlowDPIComplete,
		record.TypeFlowStats, record.TypeFlowPurge, record.TypeAgentStatus, record.TypeInterfaceStats:
	default:
		typ = "other"
	}
	opts := r.recordAttrs.get(recordsKey{transport, typ, outcome}, func() metric.AddOption {
		attrs := []attribute.KeyValue{attribute.String("transport", transport), attribute.String("outcome", outcome)}
		if typ != "" {
			attrs = append(attrs, attribute.String("type", typ))
		}
		return metric.WithAttributeSet(attribute.NewSet(attrs...))
	})
	r.telemetry.NetifyflowstatsRecords.Add(ctx, int64(n), opts...)
}

var (
	_ ingest.Sink    = (*netifyReceiver)(nil)
	_ ingest.Counter = (*netifyReceiver)(nil)
)
