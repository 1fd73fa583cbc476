package netifyflowstatsreceiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadatatest"
)

// failingCounter is a scriptedConsumer that also counts the points of the
// calls it failed.
type failingCounter struct {
	scriptedConsumer
	failedPoints int
}

func (c *failingCounter) ConsumeMetrics(ctx context.Context, md pmetric.Metrics) error {
	err := c.scriptedConsumer.ConsumeMetrics(ctx, md)
	if err != nil {
		c.failedPoints += md.DataPointCount()
	}
	return err
}

func int64Sum(t *testing.T, tt *componenttest.Telemetry, name string) map[string]int64 {
	t.Helper()
	m, err := tt.GetMetric(name)
	require.NoError(t, err, name)
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is %T", name, m.Data)
	out := map[string]int64{}
	for _, dp := range sum.DataPoints {
		key := ""
		for _, k := range []attribute.Key{"outcome", "type"} {
			if v, ok := dp.Attributes.Value(k); ok {
				key += v.AsString() + "/"
			}
		}
		out[key] += dp.Value
	}
	return out
}

// TestScenarioTelemetry plays the golden scenario and checks what the
// receiver says about it: each record's outcome by type, the points the
// consumer took and refused, the points dropped for good.
func TestScenarioTelemetry(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	cfg := createDefaultConfig().(*Config)
	cfg.HTTP = configoptional.None[HTTPConfig]()
	cfg.FlushInterval = time.Hour
	cfg.Flows.IdleTimeout = 24 * time.Hour
	perFlowOnly(cfg)
	next := &failingCounter{}
	r, err := newReceiver(metadatatest.NewSettings(tt), cfg, next)
	require.NoError(t, err)
	r.now = func() time.Time { return scenarioEpoch }
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))

	permanentPoints := 0
	for _, s := range loadScenario(t, "testdata/scenarios/flows.ndjson") {
		if !s.flush {
			playRecord(t, r, s)
			continue
		}
		next.fail(s.failWith)
		before := next.failedPoints
		r.flush(context.Background())
		if s.failWith == "permanent" {
			permanentPoints = next.failedPoints - before
		}
	}
	require.NoError(t, r.Shutdown(context.Background()))

	assert.Equal(t, map[string]int64{
		"accepted/flow/":            1,
		"accepted/flow_stats/":      8,
		"accepted/flow_dpi_update/": 1,
		"accepted/flow_purge/":      1,
		"late/flow_purge/":          1,
		"accepted/agent_status/":    1,
		"skipped/other/":            1,
	}, int64Sum(t, tt, "otelcol_netifyflowstats_records"))

	require.Positive(t, permanentPoints)
	assert.Equal(t, map[string]int64{"": int64(permanentPoints)}, int64Sum(t, tt, "otelcol_netifyflowstats_datapoints_dropped"))

	taken := 0
	for _, md := range next.AllMetrics() {
		taken += md.DataPointCount()
	}
	assert.Equal(t, map[string]int64{"": int64(taken)}, int64Sum(t, tt, "otelcol_receiver_accepted_metric_points"))
	assert.Equal(t, map[string]int64{"": int64(next.failedPoints)}, int64Sum(t, tt, "otelcol_receiver_refused_metric_points"))
}
