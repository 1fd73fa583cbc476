package netifyflowstatsreceiver

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// TestHundredThousandFlowsMakeSeriesOfTheKeys runs 100,000 flows of two
// agents, each with its own host name, through the default views and a host
// view capped at 500 series: the series follow the keys (and the cap), not
// the flows, and every byte is in them.
func TestHundredThousandFlowsMakeSeriesOfTheKeys(t *testing.T) {
	const flows = 100_000
	sink := &consumertest.MetricsSink{}
	r := newTestReceiver(t, temporalityCumulative, sink, func(cfg *Config) {
		cfg.Flows.Max = flows
		cfg.ZeroHold = 0
		cfg.Views = append(flowmetrics.DefaultViews(), flowmetrics.ViewConfig{
			Name: "hosts", GroupBy: []string{"host"}, MaxSeries: 500, Measures: []string{flowmetrics.MeasureIO},
		})
	})
	apps := []string{"netify.youtube", "netify.netflix", "netify.google", "netify.zoom", "netify.github"}
	var batch []record.Record
	var want uint64
	for i := 0; i < flows; i++ {
		d := fmt.Sprintf("%012x", i)
		batch = append(batch, record.Record{
			Type: record.TypeFlow, HasInterface: true, Interface: []string{"lan", "wan"}[i%2], HasInternal: true,
			Digest: d, HasMeta: true, Meta: record.Meta{
				ApplicationID: uint32(1 + i%len(apps)), ApplicationName: apps[i%len(apps)],
				ProtocolID: 196, ProtocolName: "HTTP/S", IPProtocol: 6, IPVersion: 4,
				HostServerName: fmt.Sprintf("host%d.example.com", i), OtherIP: netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}),
			},
		}, record.Record{
			Type: record.TypeFlowStats, Digest: d, HasStats: true, LocalBytes: 10, OtherBytes: 100, LocalPackets: 1, OtherPackets: 1,
		})
		want += 10
		if len(batch) == 2000 || i == flows-1 {
			_, err := r.Accept(context.Background(), ingest.Batch{Agent: []string{"a", "b"}[i/50_000], Transport: "http", Received: scenarioEpoch, Records: batch})
			require.NoError(t, err)
			batch = batch[:0]
		}
	}
	r.flush(context.Background())

	series := map[string]int{}
	var sum = map[string]int64{}
	for _, md := range sink.AllMetrics() {
		rms := md.ResourceMetrics()
		for i := 0; i < rms.Len(); i++ {
			ms := rms.At(i).ScopeMetrics().At(0).Metrics()
			for j := 0; j < ms.Len(); j++ {
				m := ms.At(j)
				if m.Type() != pmetric.MetricTypeSum {
					continue
				}
				dps := m.Sum().DataPoints()
				series[m.Name()] += dps.Len()
				for k := 0; k < dps.Len(); k++ {
					if dir, _ := dps.At(k).Attributes().Get("network.io.direction"); dir.Str() == "transmit" {
						sum[m.Name()] += dps.At(k).IntValue()
					}
				}
			}
		}
	}
	// Per agent: interface 2 keys (lan, wan; internal false), application 5,
	// protocol 1, hosts 500 + overflow; two directions each.
	assert.Equal(t, 2*2*2, series["netify.view.interface.io"])
	assert.Equal(t, 2*5*2, series["netify.view.application.io"])
	assert.Equal(t, 2*1*2, series["netify.view.protocol.io"])
	assert.Equal(t, 2*501*2, series["netify.view.hosts.io"])
	for _, v := range []string{"interface", "application", "protocol", "hosts"} {
		assert.EqualValues(t, want, sum["netify.view."+v+".io"], "view %s transmit bytes", v)
	}
}
