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
)

var errShuttingDown = errors.New("receiver is shutting down")

// Accept implements ingest.Sink: the records of one delivery go into the flow
// table in order.
func (r *netifyReceiver) Accept(ctx context.Context, b ingest.Batch) (int, error) {
	if r.closing.Load() {
		r.countRecords(ctx, b.Transport, "", outcomeBusy, len(b.Records))
		return 0, errors.Join(ingest.ErrBusy, errShuttingDown)
	}
	obs := r.obsFor(b.Transport)
	opCtx := obs.StartMetricsOp(ctx)
	accepted := 0
	for i := range b.Records {
		rec := &b.Records[i]
		if !rec.IsFlow() {
			r.countRecords(ctx, b.Transport, rec.Type, outcomeSkipped, 1)
			continue
		}
		outcome, err := r.table.Apply(b.Agent, rec, b.Received)
		if err != nil {
			rest := len(b.Records) - i
			r.countRecords(ctx, b.Transport, "", outcomeBusy, rest)
			obs.EndMetricsOp(opCtx, b.Transport, accepted, nil)
			obs.EndMetricsOp(obs.StartMetricsOp(ctx), b.Transport, rest, err)
			r.logger.Warn("Flow table full; refusing records until a flush hands pending data downstream",
				zap.String("agent", b.Agent), zap.Int("refused", rest), zap.Int("flows.max", r.cfg.Flows.Max))
			return i, errors.Join(ingest.ErrBusy, err)
		}
		switch outcome {
		case flowtable.Duplicate:
			r.countRecords(ctx, b.Transport, rec.Type, outcomeDuplicate, 1)
			continue
		case flowtable.AppliedEvicting:
			r.telemetry.NetifyflowstatsFlowsEvicted.Add(ctx, 1, reasonCapacity)
		}
		accepted++
		r.countRecords(ctx, b.Transport, rec.Type, outcomeAccepted, 1)
	}
	obs.EndMetricsOp(opCtx, b.Transport, accepted, nil)
	return len(b.Records), nil
}

// Malformed counts and logs records an input could not decode.
func (r *netifyReceiver) Malformed(ctx context.Context, transport, agent string, errs []error) {
	if len(errs) == 0 {
		return
	}
	r.countRecords(ctx, transport, "", outcomeMalformed, len(errs))
	obs := r.obsFor(transport)
	obs.EndMetricsOp(obs.StartMetricsOp(ctx), transport, len(errs), errors.Join(errs...))
	r.logger.Warn("Malformed records refused",
		zap.String("transport", transport), zap.String("agent", agent),
		zap.Int("count", len(errs)), zap.Error(errs[0]))
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
		record.TypeFlowStats, record.TypeFlowPurge, record.TypeAgentStatus:
	default:
		typ = "other"
	}
	k := recordsKey{transport, typ, outcome}
	opt, ok := r.recordAttrs.Load(k)
	if !ok {
		attrs := []attribute.KeyValue{attribute.String("transport", transport), attribute.String("outcome", outcome)}
		if typ != "" {
			attrs = append(attrs, attribute.String("type", typ))
		}
		opt, _ = r.recordAttrs.LoadOrStore(k, metric.WithAttributeSet(attribute.NewSet(attrs...)))
	}
	r.telemetry.NetifyflowstatsRecords.Add(ctx, int64(n), opt.(metric.AddOption))
}

var _ ingest.Sink = (*netifyReceiver)(nil)
