package flowmetrics

import (
	"slices"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// Emitter writes flow table snapshots and view batches as metrics.
type Emitter struct {
	Scope Scope
	// Delta: sums of the agent's deltas (and view histograms) are deltas
	// since the previous point; else cumulative.
	Delta bool
	// ZeroHold: a new cumulative series reports zeros for this long before
	// its values, so that Prometheus's rate() and increase(), which never
	// count a series' first sample, count its first values. 0 turns it off
	// (and it is off with Delta).
	ZeroHold time.Duration
	PerFlow  PerFlow
}

// PerFlow is the configuration of the per-flow metrics: which are on, which
// of their attributes, and the flow attributes they carry besides.
type PerFlow struct {
	metrics []perFlowMetric
	// Extra are attributes from Attributes that every per-flow point carries.
	Extra []*Attribute
}

// Enabled reports whether any per-flow metric is on.
func (p *PerFlow) Enabled() bool { return len(p.metrics) > 0 }

type perFlowField uint8

const (
	fieldBytes perFlowField = iota
	fieldPackets
	fieldRate
	fieldResets
	fieldRetrans
	fieldSeqErrors
	fieldLifetimeBytes
	fieldLifetimePackets
	fieldDetection
)

type perFlowMetric struct {
	desc
	field perFlowField
	// The standard attributes this metric keeps.
	iface, internal, digest, direction bool
}

type attrKeys interface{ ~string }

func perFlowMetricOf[K attrKeys](on bool, attrs []K, d desc, field perFlowField) (perFlowMetric, bool) {
	has := func(k string) bool { return slices.Contains(attrs, K(k)) }
	return perFlowMetric{desc: d, field: field,
		iface: has("network.interface.name"), internal: has("netify.flow.internal"),
		digest: has("netify.flow.digest"), direction: has(directionKey)}, on
}

// NewPerFlow reads the per-flow metrics' settings from the generated
// configuration. The descriptions are metadata.yaml's (a test checks them
// against the generated builder).
func NewPerFlow(m metadata.MetricsConfig, extra []*Attribute) PerFlow {
	p := PerFlow{Extra: extra}
	add := func(pm perFlowMetric, on bool) {
		if on {
			p.metrics = append(p.metrics, pm)
		}
	}
	const deltaNote = " Cumulative per flow by default; delta when the receiver is configured with temporality delta."
	add(perFlowMetricOf(m.NetifyFlowIo.Enabled, m.NetifyFlowIo.EnabledAttributes, desc{name: "netify.flow.io", unit: "By", kind: kindSum,
		description: "Bytes sent by each endpoint of the flow, from the agent's per-interval deltas (local_bytes, other_bytes), flow_purge included." + deltaNote}, fieldBytes))
	add(perFlowMetricOf(m.NetifyFlowPackets.Enabled, m.NetifyFlowPackets.EnabledAttributes, desc{name: "netify.flow.packets", unit: "{packet}", kind: kindSum,
		description: "Packets sent by each endpoint of the flow, from the agent's per-interval deltas (local_packets, other_packets), flow_purge included." + deltaNote}, fieldPackets))
	add(perFlowMetricOf(m.NetifyFlowRate.Enabled, m.NetifyFlowRate.EnabledAttributes, desc{name: "netify.flow.rate", unit: "By/s", kind: kindGauge,
		description: "Burst rate of each endpoint over the seconds of the last interval that carried traffic (local_rate, other_rate). Not additive across flows."}, fieldRate))
	add(perFlowMetricOf(m.NetifyFlowTCPResets.Enabled, m.NetifyFlowTCPResets.EnabledAttributes, desc{name: "netify.flow.tcp.resets", unit: "{reset}", kind: kindSum,
		description: "TCP resets seen on the flow, from the agent's per-interval deltas (tcp.resets). TCP flows only." + deltaNote}, fieldResets))
	add(perFlowMetricOf(m.NetifyFlowTCPRetransmissions.Enabled, m.NetifyFlowTCPRetransmissions.EnabledAttributes, desc{name: "netify.flow.tcp.retransmissions", unit: "{segment}", kind: kindSum,
		description: "TCP retransmissions seen on the flow, from the agent's per-interval deltas (tcp.retrans). TCP flows only." + deltaNote}, fieldRetrans))
	add(perFlowMetricOf(m.NetifyFlowTCPSequenceErrors.Enabled, m.NetifyFlowTCPSequenceErrors.EnabledAttributes, desc{name: "netify.flow.tcp.sequence_errors", unit: "{error}", kind: kindSum,
		description: "TCP sequence errors seen on the flow, from the agent's per-interval deltas (tcp.seq_errors). TCP flows only." + deltaNote}, fieldSeqErrors))
	add(perFlowMetricOf(m.NetifyFlowLifetimeIo.Enabled, m.NetifyFlowLifetimeIo.EnabledAttributes, desc{name: "netify.flow.lifetime.io", unit: "By", kind: kindSum, cumulativeOnly: true,
		description: "The agent's own cumulative byte count of the flow since it started (total_bytes). Always cumulative; may lag the deltas in conntrack-counter mode."}, fieldLifetimeBytes))
	add(perFlowMetricOf(m.NetifyFlowLifetimePackets.Enabled, m.NetifyFlowLifetimePackets.EnabledAttributes, desc{name: "netify.flow.lifetime.packets", unit: "{packet}", kind: kindSum, cumulativeOnly: true,
		description: "The agent's own cumulative packet count of the flow since it started (total_packets). Always cumulative."}, fieldLifetimePackets))
	add(perFlowMetricOf(m.NetifyFlowDetectionPackets.Enabled, m.NetifyFlowDetectionPackets.EnabledAttributes, desc{name: "netify.flow.detection.packets", unit: "{packet}", kind: kindGauge,
		description: "Packets of the flow fed to deep packet inspection (capped by the agent's max_detection_pkts)."}, fieldDetection))
	return p
}

// BuildFlows writes a batch of flow table points as metrics, in one pass.
func (e *Emitter) BuildFlows(points []flowtable.Point) (pmetric.Metrics, int) {
	b := newBuilder(e.Scope, e.Delta)
	attrs := pcommon.NewMap()
	for i := range points {
		p := &points[i]
		attrs.Clear()
		for _, a := range e.PerFlow.Extra {
			a.put(attrs, a.value(&p.Attrs))
		}
		for j := range e.PerFlow.metrics {
			e.flowMetric(b, p, &e.PerFlow.metrics[j], attrs)
		}
	}
	return b.take()
}

func (e *Emitter) flowMetric(b *builder, p *flowtable.Point, m *perFlowMetric, extra pcommon.Map) {
	now := pcommon.NewTimestampFromTime(p.Time)
	start, c := p.Start, p.Sum
	if e.Delta {
		start, c = p.DeltaStart, p.Delta
	}
	if p.Zero {
		c = flowtable.Counters{}
	}
	point := func(dir string, start time.Time) pmetric.NumberDataPoint {
		dp := b.number(p.Agent, &m.desc, pcommon.NewTimestampFromTime(start), now)
		a := dp.Attributes()
		a.EnsureCapacity(4 + extra.Len())
		if m.iface {
			a.PutStr("network.interface.name", p.Attrs.Interface)
		}
		if m.internal {
			a.PutBool("netify.flow.internal", p.Attrs.Internal)
		}
		if m.digest {
			a.PutStr("netify.flow.digest", p.Digest)
		}
		if m.direction && dir != "" {
			a.PutStr(directionKey, dir)
		}
		extra.Range(func(k string, v pcommon.Value) bool {
			v.CopyTo(a.PutEmpty(k))
			return true
		})
		return dp
	}
	ints := func(tx, rx uint64) {
		point(directionTransmit, start).SetIntValue(clampInt(tx))
		point(directionReceive, start).SetIntValue(clampInt(rx))
	}
	switch m.field {
	case fieldBytes:
		if p.HasStats {
			ints(c.LocalBytes, c.OtherBytes)
		}
	case fieldPackets:
		if p.HasStats {
			ints(c.LocalPackets, c.OtherPackets)
		}
	case fieldResets, fieldRetrans, fieldSeqErrors:
		if p.HasStats && p.HasTCP {
			v := c.TCPResets
			switch m.field {
			case fieldRetrans:
				v = c.TCPRetrans
			case fieldSeqErrors:
				v = c.TCPSeqErrors
			}
			point("", start).SetIntValue(clampInt(v))
		}
	case fieldRate:
		// Gauges carry the flow's start too: it tells a backend which
		// flow lifetime the value belongs to.
		if p.HasRates {
			point(directionTransmit, p.Start).SetDoubleValue(p.LocalRate)
			point(directionReceive, p.Start).SetDoubleValue(p.OtherRate)
		}
	case fieldLifetimeBytes, fieldLifetimePackets:
		if p.HasTotals {
			v := p.TotalBytes
			if m.field == fieldLifetimePackets {
				v = p.TotalPackets
			}
			if p.Zero {
				v = 0
			}
			point("", p.TotalStart).SetIntValue(clampInt(v))
		}
	case fieldDetection:
		if p.HasDetection {
			point("", p.Start).SetIntValue(clampInt(p.Detection))
		}
	}
}
