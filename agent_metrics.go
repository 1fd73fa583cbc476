package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"
	"math"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/agentstate"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Bounds on the agent health the receiver keeps (see internal/agentstate).
const (
	// maxAgents: more agents than one collector serves; a sender inventing
	// agent ids cannot grow the state past it. With 64 interfaces each the
	// state stays under about 25 MB (BenchmarkStoreMemory in agentstate).
	maxAgents = 1024
	// agentTimeout forgets an agent (or interface) after this long without
	// a report: twenty missed 15 s intervals.
	agentTimeout = 5 * time.Minute
)

// agentHealth turns agent_status and interface_stats into the netify.agent.*
// and netify.interface.* metrics. Its builder is used under flushMu only.
type agentHealth struct {
	store *agentstate.Store
	mb    *metadata.MetricsBuilder
	// refused counts reports of agents refused for want of room, so that
	// the warning is logged once per thousand rather than per record.
	refused atomic.Int64
}

func newAgentHealth(cfg *Config, set receiver.Settings) agentHealth {
	return agentHealth{
		store: agentstate.New(agentstate.Config{
			MaxAgents:     maxAgents,
			MaxInterfaces: record.MaxAgentInterfaces,
			Timeout:       agentTimeout,
		}),
		mb: metadata.NewMetricsBuilder(cfg.MetricsBuilderConfig, set),
	}
}

// initOperatorTelemetry reports flows.max, so that flows_tracked can be
// read against it, and starts the counters of rare events at zero, so that
// an alert on their rate has a series before the first event.
func (r *netifyReceiver) initOperatorTelemetry(ctx context.Context) error {
	r.telemetry.NetifyflowstatsDatapointsDropped.Add(ctx, 0)
	r.telemetry.NetifyflowstatsFlowsEvicted.Add(ctx, 0, reasonCapacity)
	r.telemetry.NetifyflowstatsFlowsEvicted.Add(ctx, 0, reasonIdle)
	return r.telemetry.RegisterNetifyflowstatsFlowsLimitCallback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(int64(r.cfg.Flows.Max))
		return nil
	})
}

// agentOutcome takes record i of b into the agent state when it carries
// agent health, and returns the record's outcome: accepted when the state
// took it, skipped when it was refused (too many agents) or carries none.
func (r *netifyReceiver) agentOutcome(b *ingest.Batch, i int, outcome string) string {
	rep := b.Records[i].Agent
	if rep == nil {
		return outcome
	}
	if !r.agents.store.Observe(b.Agent, rep, b.Received) {
		if n := r.agents.refused.Add(1); n%1000 == 1 {
			r.logger.Warn("Too many agents reporting health; ignoring new ones until others go silent",
				zap.String("agent", b.Agent), zap.Int("max_agents", maxAgents), zap.Int64("reports_ignored", n))
		}
		return outcomeSkipped
	}
	return outcomeAccepted
}

// flushAgents emits the agents' health, every flush while an agent is
// known: cumulative sums and the latest gauges, so series stay continuous.
// Called with flushMu held.
func (r *netifyReceiver) flushAgents(ctx context.Context) {
	r.agents.store.Expire(r.now())
	agents := r.agents.store.Snapshot()
	if len(agents) == 0 {
		return
	}
	md := r.agents.build(agents, r.now())
	points := md.DataPointCount()
	if points == 0 {
		return
	}
	// A retryable error keeps nothing: the next flush sends the same
	// cumulative values again.
	r.send(ctx, md, points)
}

// build makes one ResourceMetrics per agent, stamped now.
func (h *agentHealth) build(agents []agentstate.Agent, now time.Time) pmetric.Metrics {
	at := ts(now)
	for i := range agents {
		a := &agents[i]
		if st := a.Status; st != nil {
			h.recordStatus(st, at)
		}
		for j := range a.Interfaces {
			h.recordInterface(&a.Interfaces[j], at)
		}
		rb := h.mb.NewResourceBuilder()
		rb.SetNetifyAgentID(a.ID)
		h.mb.EmitForResource(metadata.WithResource(rb.Emit()))
	}
	return h.mb.Emit()
}

// bytesOfKiB converts the agent's KiB figures, saturating.
func bytesOfKiB(v uint64) int64 {
	if v > math.MaxInt64/1024 {
		return math.MaxInt64
	}
	return int64(v) * 1024
}

func (h *agentHealth) recordStatus(st *agentstate.Status, at pcommon.Timestamp) {
	mb := h.mb
	// Gauges: their start is the agent's start, which tells a backend which
	// run of the agent a value belongs to.
	mb.Reset(metadata.WithStartTime(ts(st.CPUStart)))
	mb.RecordNetifyAgentReportTimeDataPoint(at, st.Received.Unix())
	if st.HasUptime {
		mb.RecordNetifyAgentUptimeDataPoint(at, clamp(st.Uptime), st.Version)
	}
	if st.HasUpdateInterval {
		mb.RecordNetifyAgentUpdateIntervalDataPoint(at, st.UpdateInterval)
	}
	if st.HasFlowCount {
		mb.RecordNetifyAgentFlowsDataPoint(at, clamp(st.FlowCount))
	}
	if st.HasFlowsActive {
		mb.RecordNetifyAgentFlowsActiveDataPoint(at, clamp(st.FlowsActive))
	}
	if st.HasCPUCores {
		mb.RecordNetifyAgentCPUCountDataPoint(at, clamp(st.CPUCores))
	}
	if st.HasMemRSS {
		mb.RecordNetifyAgentMemoryRssDataPoint(at, bytesOfKiB(st.MemRSSKB))
	}
	if st.HasMaxRSS {
		mb.RecordNetifyAgentMemoryRssPeakDataPoint(at, bytesOfKiB(st.MaxRSSKB))
	}
	if st.HasTCMalloc {
		mb.RecordNetifyAgentMemoryAllocatedDataPoint(at, bytesOfKiB(st.TCMallocKB))
	}
	// The CPU times are the agent's running totals since CPUStart.
	if st.HasCPUUser {
		mb.RecordNetifyAgentCPUTimeDataPoint(at, st.CPUUser, metadata.AttributeCPUModeUser)
	}
	if st.HasCPUSystem {
		mb.RecordNetifyAgentCPUTimeDataPoint(at, st.CPUSystem, metadata.AttributeCPUModeSystem)
	}
	if st.HasFlowsPurged {
		mb.Reset(metadata.WithStartTime(ts(st.PurgedStart)))
		mb.RecordNetifyAgentFlowsPurgedDataPoint(at, clamp(st.PurgedSum))
	}
}

// protocolCounters map interface counters to netify.packet.protocol.
var protocolCounters = []struct {
	c record.InterfaceCounter
	p metadata.AttributePacketProtocol
}{
	{record.IfEthernet, metadata.AttributePacketProtocolEthernet},
	{record.IfVLAN, metadata.AttributePacketProtocolVlan},
	{record.IfMPLS, metadata.AttributePacketProtocolMpls},
	{record.IfPPPoE, metadata.AttributePacketProtocolPppoe},
	{record.IfFragmented, metadata.AttributePacketProtocolFragmented},
	{record.IfIP, metadata.AttributePacketProtocolIP},
	{record.IfTCP, metadata.AttributePacketProtocolTCP},
	{record.IfUDP, metadata.AttributePacketProtocolUDP},
	{record.IfICMP, metadata.AttributePacketProtocolIcmp},
	{record.IfIGMP, metadata.AttributePacketProtocolIgmp},
}

var dropCounters = []struct {
	c record.InterfaceCounter
	s metadata.AttributeDropStage
}{
	{record.IfCaptureDropped, metadata.AttributeDropStageCapture},
	{record.IfQueueDropped, metadata.AttributeDropStageQueue},
	{record.IfFlowDropped, metadata.AttributeDropStageFlow},
}

func (h *agentHealth) recordInterface(it *agentstate.Interface, at pcommon.Timestamp) {
	mb, name := h.mb, it.Name
	mb.Reset(metadata.WithStartTime(ts(it.Start)))
	sum := func(c record.InterfaceCounter, rec func(pcommon.Timestamp, int64, string)) {
		if it.Has[c] {
			rec(at, clamp(it.Sums[c]), name)
		}
	}
	sum(record.IfRaw, mb.RecordNetifyInterfacePacketsDataPoint)
	sum(record.IfWireBytes, mb.RecordNetifyInterfaceIoDataPoint)
	sum(record.IfIPBytes, mb.RecordNetifyInterfaceIPIoDataPoint)
	sum(record.IfDiscarded, mb.RecordNetifyInterfaceDiscardedDataPoint)
	sum(record.IfDiscardedBytes, mb.RecordNetifyInterfaceDiscardedIoDataPoint)
	sum(record.IfCaptureFiltered, mb.RecordNetifyInterfaceFilteredDataPoint)
	sum(record.IfTCPResets, mb.RecordNetifyInterfaceTCPResetsDataPoint)
	sum(record.IfTCPSeqErrors, mb.RecordNetifyInterfaceTCPSequenceErrorsDataPoint)
	for _, pc := range protocolCounters {
		if it.Has[pc.c] {
			mb.RecordNetifyInterfaceProtocolPacketsDataPoint(at, clamp(it.Sums[pc.c]), name, pc.p)
		}
	}
	for _, dc := range dropCounters {
		if it.Has[dc.c] {
			mb.RecordNetifyInterfaceDroppedDataPoint(at, clamp(it.Sums[dc.c]), name, dc.s)
		}
	}
	if it.HasLargest {
		mb.RecordNetifyInterfaceFrameLargestDataPoint(at, clamp(it.Largest), name)
	}
}

func ts(t time.Time) pcommon.Timestamp { return pcommon.NewTimestampFromTime(t) }

// clamp keeps a counter beyond int64 at the largest value a data point
// holds instead of wrapping negative.
func clamp(v uint64) int64 {
	if v > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}
