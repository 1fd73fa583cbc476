package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"math"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// flowsPerChunk bounds how many flows are recorded into the metrics builder
// between two emits. The builder looks for a data point to merge with by
// scanning every point of the metric, so recording a whole flush at once
// would cost time quadratic in the number of flows.
const flowsPerChunk = 8

// deltaSums are the metrics built from the agent's per-interval deltas, the
// ones whose temporality the configuration chooses.
var deltaSums = map[string]bool{
	"netify.flow.io":                  true,
	"netify.flow.packets":             true,
	"netify.flow.tcp.resets":          true,
	"netify.flow.tcp.retransmissions": true,
	"netify.flow.tcp.sequence_errors": true,
}

// metricsBuilder turns flow table snapshots into metrics. It is used by one
// goroutine at a time.
type metricsBuilder struct {
	mb    *metadata.MetricsBuilder
	delta bool
	// chunk is flowsPerChunk, a field so benchmarks can compare sizes.
	chunk int
}

func ts(t time.Time) pcommon.Timestamp { return pcommon.NewTimestampFromTime(t) }

// clamp keeps a counter that overflowed int64 at the largest value the data
// point can hold instead of wrapping negative.
func clamp(v uint64) int64 {
	if v > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}

// build returns one ResourceMetrics per agent, in the order the agents first
// appear in the snapshot.
func (b *metricsBuilder) build(points []flowtable.Point) pmetric.Metrics {
	byAgent := make(map[string][]int)
	var agents []string
	for i := range points {
		a := points[i].Agent
		if _, ok := byAgent[a]; !ok {
			agents = append(agents, a)
		}
		byAgent[a] = append(byAgent[a], i)
	}
	for _, agent := range agents {
		rb := b.mb.NewResourceBuilder()
		rb.SetNetifyAgentID(agent)
		res := rb.Emit()
		idx := byAgent[agent]
		for n, i := range idx {
			b.record(&points[i])
			if (n+1)%b.chunk == 0 || n == len(idx)-1 {
				b.mb.EmitForResource(metadata.WithResource(res))
			}
		}
	}
	md := b.mb.Emit()
	mergeChunks(md)
	if b.delta {
		setDeltaTemporality(md)
	}
	return md
}

func (b *metricsBuilder) record(p *flowtable.Point) {
	now := ts(p.Time)
	iface, internal, digest := p.Interface, p.Internal, p.Digest
	if p.HasStats {
		start, c := p.Start, p.Sum
		if b.delta {
			start, c = p.DeltaStart, p.Delta
		}
		b.mb.Reset(metadata.WithStartTime(ts(start)))
		b.mb.RecordNetifyFlowIoDataPoint(now, clamp(c.LocalBytes), iface, internal, digest, metadata.AttributeDirectionTransmit)
		b.mb.RecordNetifyFlowIoDataPoint(now, clamp(c.OtherBytes), iface, internal, digest, metadata.AttributeDirectionReceive)
		b.mb.RecordNetifyFlowPacketsDataPoint(now, clamp(c.LocalPackets), iface, internal, digest, metadata.AttributeDirectionTransmit)
		b.mb.RecordNetifyFlowPacketsDataPoint(now, clamp(c.OtherPackets), iface, internal, digest, metadata.AttributeDirectionReceive)
		if p.HasTCP {
			b.mb.RecordNetifyFlowTCPResetsDataPoint(now, clamp(c.TCPResets), iface, internal, digest)
			b.mb.RecordNetifyFlowTCPRetransmissionsDataPoint(now, clamp(c.TCPRetrans), iface, internal, digest)
			b.mb.RecordNetifyFlowTCPSequenceErrorsDataPoint(now, clamp(c.TCPSeqErrors), iface, internal, digest)
		}
	}
	// Gauges carry the flow's start too: it tells a backend which flow
	// lifetime the value belongs to.
	b.mb.Reset(metadata.WithStartTime(ts(p.Start)))
	if p.HasRates {
		b.mb.RecordNetifyFlowRateDataPoint(now, p.LocalRate, iface, internal, digest, metadata.AttributeDirectionTransmit)
		b.mb.RecordNetifyFlowRateDataPoint(now, p.OtherRate, iface, internal, digest, metadata.AttributeDirectionReceive)
	}
	if p.HasDetection {
		b.mb.RecordNetifyFlowDetectionPacketsDataPoint(now, clamp(p.Detection), iface, internal, digest)
	}
	if p.HasTotals {
		b.mb.Reset(metadata.WithStartTime(ts(p.TotalStart)))
		b.mb.RecordNetifyFlowLifetimeIoDataPoint(now, clamp(p.TotalBytes), iface, internal, digest)
		b.mb.RecordNetifyFlowLifetimePacketsDataPoint(now, clamp(p.TotalPackets), iface, internal, digest)
	}
}

// mergeChunks folds consecutive ResourceMetrics of the same agent (emitted
// in chunks, see flowsPerChunk) into the first one, metric by metric.
func mergeChunks(md pmetric.Metrics) {
	rms := md.ResourceMetrics()
	if rms.Len() < 2 {
		return
	}
	var (
		head   pmetric.ResourceMetrics
		agent  string
		byName map[string]pmetric.Metric
	)
	rms.RemoveIf(func(rm pmetric.ResourceMetrics) bool {
		a, _ := rm.Resource().Attributes().Get("netify.agent.id")
		if byName == nil || a.AsString() != agent {
			head, agent = rm, a.AsString()
			byName = make(map[string]pmetric.Metric)
			ms := head.ScopeMetrics().At(0).Metrics()
			for i := 0; i < ms.Len(); i++ {
				byName[ms.At(i).Name()] = ms.At(i)
			}
			return false
		}
		ms := rm.ScopeMetrics().At(0).Metrics()
		for i := 0; i < ms.Len(); i++ {
			m := ms.At(i)
			dst, ok := byName[m.Name()]
			if !ok {
				dst = head.ScopeMetrics().At(0).Metrics().AppendEmpty()
				m.MoveTo(dst)
				byName[dst.Name()] = dst
				continue
			}
			switch m.Type() {
			case pmetric.MetricTypeSum:
				m.Sum().DataPoints().MoveAndAppendTo(dst.Sum().DataPoints())
			case pmetric.MetricTypeGauge:
				m.Gauge().DataPoints().MoveAndAppendTo(dst.Gauge().DataPoints())
			}
		}
		return true
	})
}

func setDeltaTemporality(md pmetric.Metrics) {
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		sms := rms.At(i).ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				if m := ms.At(k); deltaSums[m.Name()] {
					m.Sum().SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
				}
			}
		}
	}
}
