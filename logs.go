package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowlogs"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// logsPerBatch bounds the log records of one ConsumeLogs call.
const logsPerBatch = 4096

var (
	logsDroppedRate    = metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", "rate")))
	logsDroppedQueue   = metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", "queue")))
	logsDroppedRefused = metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", "refused")))
)

func createLogsReceiver(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Logs) (receiver.Logs, error) {
	return receivers.get(set, cfg.(*Config), func(r *netifyReceiver) { r.nextLogs = next })
}

// observer is what watches the flow table: the views when a metrics
// pipeline uses the receiver, the flow logs when a logs pipeline does.
func (r *netifyReceiver) observer() flowtable.Observer {
	var os flowtable.Observers
	if r.next != nil {
		os = append(os, r.views)
	}
	if r.nextLogs != nil {
		r.logs = flowlogs.New(r.cfg.Logs)
		os = append(os, r.logs)
	}
	switch len(os) {
	case 0:
		return nil
	case 1:
		return os[0]
	}
	return os
}

// flushLogs hands the queued flow log records downstream in batches: those
// queued when it starts, so that records arriving as fast as they are sent
// cannot keep it going. A batch failed with a retryable error stays queued
// for the next flush.
func (r *netifyReceiver) flushLogs(ctx context.Context) {
	if r.logs == nil {
		return
	}
	d := r.logs.TakeDrops()
	if d.Rate > 0 {
		r.telemetry.NetifyflowstatsLogsDropped.Add(ctx, d.Rate, logsDroppedRate)
	}
	if d.Queue > 0 {
		r.telemetry.NetifyflowstatsLogsDropped.Add(ctx, d.Queue, logsDroppedQueue)
	}
	scope := flowlogs.Scope{Name: metadata.ScopeName, Version: r.set.BuildInfo.Version}
	buf := make([]flowlogs.Record, 0, min(r.logs.Len(), logsPerBatch))
	for left := r.logs.Len(); left > 0; {
		buf = r.logs.Peek(buf[:0], min(left, logsPerBatch))
		if len(buf) == 0 {
			return
		}
		if !r.sendLogs(ctx, flowlogs.Build(buf, scope), len(buf)) {
			return
		}
		r.logs.Commit(len(buf))
		left -= len(buf)
	}
}

// sendLogs hands one batch to the logs consumer and reports whether it is
// done with: taken, or refused for good (counted as dropped).
func (r *netifyReceiver) sendLogs(ctx context.Context, ld plog.Logs, n int) bool {
	opCtx := r.obs.StartLogsOp(ctx)
	err := r.nextLogs.ConsumeLogs(opCtx, ld)
	r.obs.EndLogsOp(opCtx, metadata.Type.String(), n, err)
	switch {
	case err == nil:
		r.telemetry.NetifyflowstatsLogsEmitted.Add(ctx, int64(n))
		return true
	case consumererror.IsPermanent(err):
		r.telemetry.NetifyflowstatsLogsDropped.Add(ctx, int64(n), logsDroppedRefused)
		r.logger.Error("Next consumer refused flow log records for good; dropped", zap.Int("log_records", n), zap.Error(err))
		return true
	case r.closing.Load():
		r.telemetry.NetifyflowstatsLogsDropped.Add(context.Background(), int64(n), logsDroppedRefused)
		r.logger.Error("Next consumer failed on the final flush at shutdown; flow log records dropped", zap.Int("log_records", n), zap.Error(err))
		return true
	default:
		r.logger.Warn("Next consumer failed; the flow log records will be sent again at the next flush", zap.Int("log_records", n), zap.Error(err))
		return false
	}
}
