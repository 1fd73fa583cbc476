package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"
	"fmt"
	"runtime"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// Batch bounds of one flush: a flush hands its points downstream in batches
// of at most this many flows or view series, so that neither the points of
// a large table nor the table's lock are held all at once. The flush yields
// the processor between two batches of flows: 256 flows (2,816 points with
// every per-flow metric) take about a millisecond to build, which bounds
// what an input waits for a processor while the garbage collector holds the
// other one (BenchmarkFlushLockWait/perflow: 15-19 ms at 1,000,000 flows
// with batches of 1,024, 8 ms with 256, for the same flush time).
const (
	flowsPerBatch  = 256
	seriesPerBatch = 1024
)

func newEmitter(cfg *Config, set receiver.Settings) flowmetrics.Emitter {
	var extra []*flowmetrics.Attribute
	for _, name := range cfg.PerFlowAttributes {
		a, _ := flowmetrics.LookupAttribute(name)
		extra = append(extra, a)
	}
	e := flowmetrics.Emitter{
		Scope:   flowmetrics.Scope{Name: metadata.ScopeName, Version: set.BuildInfo.Version},
		Delta:   cfg.Temporality == temporalityDelta,
		PerFlow: flowmetrics.NewPerFlow(cfg.Metrics, extra),
	}
	if !e.Delta {
		e.ZeroHold = cfg.ZeroHold
	}
	return e
}

func (r *netifyReceiver) registerGauges() error {
	if err := r.telemetry.RegisterNetifyflowstatsFlowsTrackedCallback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(int64(r.table.Len()))
		return nil
	}); err != nil {
		return fmt.Errorf("registering flows gauge: %w", err)
	}
	if err := r.telemetry.RegisterNetifyflowstatsViewsSeriesCallback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(int64(r.views.SeriesCount()))
		return nil
	}); err != nil {
		return fmt.Errorf("registering view series gauge: %w", err)
	}
	return nil
}

// overflowCounter returns what the views call, under their lock, for every
// flow counted toward a view's overflow series: past a cap that may be
// every new flow, so each view's attribute set is made once, here.
func (r *netifyReceiver) overflowCounter() func(view, agent string) {
	opts := make(map[string][]metric.AddOption, len(r.cfg.Views))
	viewOpts := func(view string) []metric.AddOption {
		return []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(attribute.String("view", view)))}
	}
	for _, v := range r.cfg.Views {
		opts[v.Name] = viewOpts(v.Name)
	}
	return func(view, _ string) {
		o, ok := opts[view]
		if !ok { // the views are the configured ones: not expected
			o = viewOpts(view)
		}
		r.telemetry.NetifyflowstatsViewsOverflow.Add(context.Background(), 1, o...)
	}
}

// flush hands downstream the flows changed since the last flush and every
// view series, in batches. A batch the next consumer fails with a retryable
// error is not committed and ends its part of the flush (per-flow points,
// or view series; the other part is still tried): cumulative values are
// sent again next time and pending deltas merge into the next flush.
func (r *netifyReceiver) flush(ctx context.Context) {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	now := r.now()
	if n := r.table.Expire(now); n > 0 {
		r.telemetry.NetifyflowstatsFlowsEvicted.Add(ctx, int64(n), reasonIdle)
	}
	r.views.Expire(now)
	// After the expiry above (whose flows get records too), whichever way
	// the metrics part below returns: the flow logs, and before them the
	// agents' health, in batches of their own.
	defer r.flushLogs(ctx)
	defer r.flushAgents(ctx)
	if r.emitter.PerFlow.Enabled() {
		r.table.BeginFlush(now)
		for {
			snap := r.table.Snapshot(flowsPerBatch)
			if len(snap.Points) == 0 {
				break
			}
			md, points := r.emitter.BuildFlows(snap.Points)
			if !r.send(ctx, md, points) {
				break
			}
			r.table.Commit(snap)
			// A batch is milliseconds of work: let the inputs waiting
			// for a processor (the flush's garbage has the collector take
			// the other one) run before the next, rather than after the
			// scheduler's 10 ms time slice.
			runtime.Gosched()
		}
	}
	var c flowmetrics.ViewCursor
	for {
		vb := r.views.Snapshot(&c, seriesPerBatch, now, r.emitter.ZeroHold)
		if vb.Len() == 0 {
			return
		}
		md, points := r.emitter.BuildViews(vb)
		if !r.send(ctx, md, points) {
			return
		}
		r.views.Commit(vb)
	}
}

// send hands one batch to the next consumer and reports whether it is done
// with: taken, or refused for good (counted as dropped).
func (r *netifyReceiver) send(ctx context.Context, md pmetric.Metrics, points int) bool {
	if points == 0 || r.next == nil {
		return true
	}
	opCtx := r.obs.StartMetricsOp(ctx)
	err := r.next.ConsumeMetrics(opCtx, md)
	r.obs.EndMetricsOp(opCtx, metadata.Type.String(), points, err)
	switch {
	case err == nil:
		return true
	case consumererror.IsPermanent(err):
		r.telemetry.NetifyflowstatsDatapointsDropped.Add(ctx, int64(points))
		r.logger.Error("Next consumer refused flow metrics for good; dropped", zap.Int("datapoints", points), zap.Error(err))
		return true
	case r.closing.Load():
		// The last flush: there is no next one to send them again.
		r.telemetry.NetifyflowstatsDatapointsDropped.Add(context.Background(), int64(points))
		r.logger.Error("Next consumer failed on the final flush at shutdown; flow metrics dropped", zap.Int("datapoints", points), zap.Error(err))
		return true
	default:
		r.logger.Warn("Next consumer failed; the flow metrics will be sent again at the next flush", zap.Int("datapoints", points), zap.Error(err))
		return false
	}
}
