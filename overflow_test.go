package netifyflowstatsreceiver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Flows past a view's max_series count toward its overflow series, and the
// receiver counts each one, by view.
func TestViewOverflowIsCountedByView(t *testing.T) {
	r, tt := newTelemetryTestReceiver(t, consumertest.NewNop(), func(cfg *Config) {
		cfg.Views = []flowmetrics.ViewConfig{{Name: "by_interface", GroupBy: []string{"network.interface.name"}, MaxSeries: 1, IdleTimeout: time.Hour}}
	})

	b := ingest.Batch{Agent: "a", Transport: "http", Received: time.Now()}
	for i, iface := range []string{"lan", "wan", "wan", "dmz"} {
		b.Records = append(b.Records, record.Record{Type: record.TypeFlowStats, Digest: fmt.Sprintf("%04x", i),
			Interface: iface, HasInterface: true, HasStats: true, LocalBytes: 1})
	}
	_, err := r.Accept(context.Background(), b)
	require.NoError(t, err)

	m, err := tt.GetMetric("otelcol_netifyflowstats_views_overflow")
	require.NoError(t, err)
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%T", m.Data)
	require.Len(t, sum.DataPoints, 1)
	view, _ := sum.DataPoints[0].Attributes.Value("view")
	assert.Equal(t, "by_interface", view.AsString())
	assert.Equal(t, int64(3), sum.DataPoints[0].Value, "the three flows past lan's series")
}
