package flowmetrics

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// allOn is the generated configuration with every per-flow metric on.
func allOn() metadata.MetricsBuilderConfig {
	cfg := metadata.DefaultMetricsBuilderConfig()
	m := &cfg.Metrics
	for _, on := range []*bool{
		&m.NetifyFlowIo.Enabled, &m.NetifyFlowPackets.Enabled, &m.NetifyFlowRate.Enabled,
		&m.NetifyFlowTCPResets.Enabled, &m.NetifyFlowTCPRetransmissions.Enabled, &m.NetifyFlowTCPSequenceErrors.Enabled,
		&m.NetifyFlowLifetimeIo.Enabled, &m.NetifyFlowLifetimePackets.Enabled, &m.NetifyFlowDetectionPackets.Enabled,
	} {
		*on = true
	}
	return cfg
}

// TestPerFlowMetricsAreThoseMetadataDeclares checks the direct emitter's
// names, descriptions, units and types against what mdatagen generated from
// metadata.yaml.
func TestPerFlowMetricsAreThoseMetadataDeclares(t *testing.T) {
	cfg := allOn()
	mb := metadata.NewMetricsBuilder(cfg, receivertest.NewNopSettings(metadata.Type))
	ts := pcommon.Timestamp(1)
	mb.RecordNetifyFlowIoDataPoint(ts, 1, "i", true, "d", metadata.AttributeDirectionTransmit)
	mb.RecordNetifyFlowPacketsDataPoint(ts, 1, "i", true, "d", metadata.AttributeDirectionTransmit)
	mb.RecordNetifyFlowRateDataPoint(ts, 1, "i", true, "d", metadata.AttributeDirectionTransmit)
	mb.RecordNetifyFlowTCPResetsDataPoint(ts, 1, "i", true, "d")
	mb.RecordNetifyFlowTCPRetransmissionsDataPoint(ts, 1, "i", true, "d")
	mb.RecordNetifyFlowTCPSequenceErrorsDataPoint(ts, 1, "i", true, "d")
	mb.RecordNetifyFlowLifetimeIoDataPoint(ts, 1, "i", true, "d")
	mb.RecordNetifyFlowLifetimePacketsDataPoint(ts, 1, "i", true, "d")
	mb.RecordNetifyFlowDetectionPacketsDataPoint(ts, 1, "i", true, "d")
	want := describe(mb.Emit())

	e := Emitter{PerFlow: NewPerFlow(cfg.Metrics, nil)}
	md, _ := e.BuildFlows([]flowtable.Point{{
		Agent: "a", Digest: "d", HasStats: true, HasTCP: true, HasRates: true, HasTotals: true, HasDetection: true,
	}})
	got := describe(md)
	require.Len(t, want, 9)
	assert.Equal(t, want, got)
}

func describe(md pmetric.Metrics) map[string][3]string {
	out := map[string][3]string{}
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		ms := rms.At(i).ScopeMetrics().At(0).Metrics()
		for j := 0; j < ms.Len(); j++ {
			m := ms.At(j)
			out[m.Name()] = [3]string{m.Description(), m.Unit(), m.Type().String()}
		}
	}
	return out
}
