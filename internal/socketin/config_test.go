package socketin

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func TestDefaultConfig(t *testing.T) {
	cfg := NewDefaultConfig()
	assert.Equal(t, 60*time.Second, cfg.IdleTimeout)
	assert.Equal(t, 10*time.Second, cfg.DialTimeout)
	assert.Equal(t, 1<<20, cfg.MaxRecordBytes)
	assert.Equal(t, ReconnectConfig{InitialInterval: time.Second, MaxInterval: 30 * time.Second, Multiplier: 1.5, Jitter: 0.2}, cfg.Reconnect)
	assert.ErrorContains(t, cfg.Check(), "endpoints", "the defaults name no agent")
}

func TestValidate(t *testing.T) {
	valid := func() Config {
		cfg := NewDefaultConfig()
		cfg.Endpoints = []EndpointConfig{{Endpoint: "unix:///var/run/netifyd/flows.sock"}, {Endpoint: "tcp://10.0.0.1:7150", Format: "msgpack"}}
		return cfg
	}
	require.NoError(t, func() error { c := valid(); return c.Check() }())

	for name, tc := range map[string]struct {
		mutate func(*Config)
		want   []string
	}{
		"http scheme":       {func(c *Config) { c.Endpoints[0].Endpoint = "http://x:1" }, []string{"endpoints[0]::endpoint", `"http://x:1"`, "unix or tcp"}},
		"tcp without port":  {func(c *Config) { c.Endpoints[1].Endpoint = "tcp://10.0.0.1" }, []string{"endpoints[1]::endpoint", `"tcp://10.0.0.1"`}},
		"tcp without host":  {func(c *Config) { c.Endpoints[1].Endpoint = "tcp://:7150" }, []string{"endpoints[1]::endpoint", `"tcp://:7150"`}},
		"unix without path": {func(c *Config) { c.Endpoints[0].Endpoint = "unix://host" }, []string{"endpoints[0]::endpoint", `"unix://host"`}},
		"duplicate":         {func(c *Config) { c.Endpoints[1].Endpoint = c.Endpoints[0].Endpoint }, []string{"endpoints[1]::endpoint", "twice"}},
		"format":            {func(c *Config) { c.Endpoints[1].Format = "xml" }, []string{"endpoints[1]::format", `"xml"`}},
		"agent id":          {func(c *Config) { c.Endpoints[1].AgentID = "a\nb" }, []string{"endpoints[1]::agent_id", "control character U+000A"}},
		"long endpoint id":  {func(c *Config) { c.Endpoints[0].Endpoint = "unix:///" + strings.Repeat("s", 130) }, []string{"endpoints[0]::agent_id", "at most 128"}},
		"idle":              {func(c *Config) { c.IdleTimeout = 0 }, []string{"idle_timeout", "0s"}},
		"dial":              {func(c *Config) { c.DialTimeout = -time.Second }, []string{"dial_timeout", "-1s"}},
		"max record":        {func(c *Config) { c.MaxRecordBytes = 0 }, []string{"max_record_bytes", "0"}},
		"initial":           {func(c *Config) { c.Reconnect.InitialInterval = 0 }, []string{"reconnect::initial_interval", "0s"}},
		"max below initial": {func(c *Config) { c.Reconnect.MaxInterval = 500 * time.Millisecond }, []string{"reconnect::max_interval", "500ms"}},
		"multiplier":        {func(c *Config) { c.Reconnect.Multiplier = 0.5 }, []string{"reconnect::multiplier", "0.5"}},
		"jitter":            {func(c *Config) { c.Reconnect.Jitter = 1.5 }, []string{"reconnect::jitter", "1.5"}},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := valid()
			tc.mutate(&cfg)
			err := cfg.Check()
			require.Error(t, err)
			for _, w := range tc.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}

func TestEndpointDerivations(t *testing.T) {
	ep := EndpointConfig{Endpoint: "unix:///var/run/netifyd/flows.sock"}
	network, addr, err := ep.dialTarget()
	require.NoError(t, err)
	assert.Equal(t, "unix", network)
	assert.Equal(t, "/var/run/netifyd/flows.sock", addr)
	assert.Equal(t, "unix:///var/run/netifyd/flows.sock", ep.agentID())

	ep = EndpointConfig{Endpoint: "tcp://[::1]:7150", AgentID: "a1b2", Format: "json"}
	network, addr, err = ep.dialTarget()
	require.NoError(t, err)
	assert.Equal(t, "tcp", network)
	assert.Equal(t, "[::1]:7150", addr)
	assert.Equal(t, "a1b2", ep.agentID())
	f, err := ep.streamFormat()
	require.NoError(t, err)
	assert.Equal(t, record.FormatJSON, f)
}
