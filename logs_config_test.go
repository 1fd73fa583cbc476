package netifyflowstatsreceiver

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowlogs"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

func loadLogsConfig(t *testing.T, name string) (*Config, error) {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "logs", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
	require.NoError(t, err)
	cfg := createDefaultConfig().(*Config)
	require.NoError(t, sub.Unmarshal(cfg))
	return cfg, confmap.Validate(cfg)
}

func TestLogsConfigDefaults(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	assert.Equal(t, flowlogs.NewDefaultConfig(), cfg.Logs)
	assert.Equal(t, float64(1000), cfg.Logs.MaxPerSecond)
	assert.Equal(t, 20_000, cfg.Logs.QueueSize)
	assert.Zero(t, cfg.Logs.LongFlowInterval, "progress records are off by default")
}

func TestLogsConfigLoads(t *testing.T) {
	cfg, err := loadLogsConfig(t, "logs")
	require.NoError(t, err)
	l := cfg.Logs
	require.Len(t, l.Filter, 2)
	assert.Equal(t, []string{"netify.tailscale", "netify.github"}, l.Filter[0].In)
	assert.Equal(t, []string{"10.0.0.0/8"}, l.Filter[1].NotCIDR)
	assert.Equal(t, uint64(4096), l.MinBytes)
	assert.Equal(t, 5*time.Minute, l.LongFlowInterval)
	assert.Zero(t, l.MaxPerSecond)
	assert.Equal(t, 500, l.QueueSize)
}

// The collector validates nested sections: each error names logs.<key>.
func TestLogsConfigInvalid(t *testing.T) {
	_, err := loadLogsConfig(t, "bad_logs")
	require.Error(t, err)
	for _, want := range []string{
		`logs.filter[0]: unknown attribute "colour"`,
		"logs.filter[1]: application: exactly one of equals",
		"logs.long_flow_interval must not be negative, got -1m0s",
		"logs.max_per_second must not be negative (0 removes the bound), got -5",
		"logs.queue_size must be positive, got 0",
	} {
		assert.ErrorContains(t, err, want)
	}
}
