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

	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

func loadConfig(t *testing.T, name string) (*Config, error) {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	id := component.NewID(metadata.Type)
	if name != "" {
		id = component.NewIDWithName(metadata.Type, name)
	}
	sub, err := cm.Sub(id.String())
	require.NoError(t, err)
	cfg := createDefaultConfig().(*Config)
	require.NoError(t, sub.Unmarshal(cfg))
	return cfg, confmap.Validate(cfg)
}

func TestDefaultConfigWorksOutOfTheBox(t *testing.T) {
	cfg, err := loadConfig(t, "")
	require.NoError(t, err)
	h := cfg.HTTP.Get()
	require.NotNil(t, h, "HTTP is on by default")
	assert.Equal(t, "localhost:9735", h.ServerConfig.NetAddr.Endpoint)
	assert.Equal(t, "/v1/netify", h.Path)
	assert.Equal(t, "X-Netify-Agent", h.AgentIDHeader)
	assert.False(t, cfg.Socket.HasValue())
	assert.False(t, cfg.MQTT.HasValue())
	assert.Equal(t, "cumulative", cfg.Temporality)
	assert.Equal(t, 10*time.Second, cfg.FlushInterval)
	assert.Equal(t, 100_000, cfg.Flows.Max)
	assert.Equal(t, time.Minute, cfg.Flows.IdleTimeout)
	// Per-flow metrics are opt-in: the default views give bounded series.
	assert.False(t, cfg.Metrics.NetifyFlowIo.Enabled)
	assert.False(t, cfg.Metrics.NetifyFlowDetectionPackets.Enabled)
	require.Len(t, cfg.Views, 3)
	assert.Equal(t, []string{"interface", "application", "protocol"}, []string{cfg.Views[0].Name, cfg.Views[1].Name, cfg.Views[2].Name})
	assert.Equal(t, time.Minute, cfg.ZeroHold)
}

func TestFullConfig(t *testing.T) {
	cfg, err := loadConfig(t, "full")
	require.NoError(t, err)
	h := cfg.HTTP.Get()
	require.NotNil(t, h)
	assert.Equal(t, "0.0.0.0:9735", h.ServerConfig.NetAddr.Endpoint)
	assert.Equal(t, "/netify", h.Path)
	assert.Equal(t, "X-Agent-UUID", h.AgentIDHeader)
	assert.Equal(t, int64(1<<20), h.ServerConfig.MaxRequestBodySize)
	assert.Equal(t, "delta", cfg.Temporality)
	assert.Equal(t, 5*time.Second, cfg.FlushInterval)
	assert.Equal(t, FlowsConfig{Max: 5000, IdleTimeout: 2 * time.Minute}, cfg.Flows)
	assert.True(t, cfg.Metrics.NetifyFlowDetectionPackets.Enabled)
	assert.False(t, cfg.Metrics.NetifyFlowLifetimePackets.Enabled)
}

func TestInvalidConfigs(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"http_disabled_no_input", "no input enabled: enable at least one of http, socket, mqtt"},
		{"bad_temporality", `temporality must be "cumulative" or "delta", got "cumulitive"`},
		{"bad_path", `http.path must start with "/", got "netify"`},
		{"bad_flows", "flush_interval must be positive, got 0s\nflows.max must be positive, got 0\nflows.idle_timeout must be positive, got -1s"},
		{"idle_shorter_than_flush", "flows.idle_timeout (10s) must not be shorter than flush_interval (30s)"},
		{"agent_id_disabled", "resource_attributes::netify.agent.id must stay enabled: without it the flows of different agents collide in one series"},
		{"digest_removed", "metrics::netify.flow.io::attributes must keep netify.flow.digest and network.io.direction: each flow is its own series, and flows left with equal attributes would collide (bound cardinality with flows.max, or aggregate downstream in delta temporality)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(t, tt.name)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}
