package mqttin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultConfig(t *testing.T) {
	cfg := NewDefaultConfig()
	assert.Equal(t, "otelcol-netifyflowstats", cfg.ClientID)
	assert.Len(t, cfg.ClientID, 23, "fits the MQTT 3.1.1 guaranteed client id length")
	assert.Equal(t, []string{"netify/+/#"}, cfg.Topics)
	assert.Equal(t, 1, cfg.AgentIDTopicLevel)
	assert.Equal(t, 1, cfg.QoS)
	assert.Equal(t, 10*time.Second, cfg.ConnectTimeout)
	assert.Equal(t, 30*time.Second, cfg.KeepAlive)
	assert.Equal(t, 30*time.Second, cfg.MaxReconnectInterval)
	assert.Equal(t, 1<<20, cfg.MaxMessageBytes)
	assert.ErrorContains(t, cfg.Check(), "brokers", "the defaults name no broker")
}

func TestValidate(t *testing.T) {
	valid := func() Config {
		cfg := NewDefaultConfig()
		cfg.Brokers = []string{"tcp://127.0.0.1:1883", "ssl://broker.example:8883", "ws://b:80/mqtt"}
		return cfg
	}
	c := valid()
	require.NoError(t, c.Check())

	for name, tc := range map[string]struct {
		mutate func(*Config)
		want   []string
	}{
		"scheme":          {func(c *Config) { c.Brokers[0] = "http://b:1883" }, []string{"brokers[0]", `"http://b:1883"`}},
		"no port":         {func(c *Config) { c.Brokers[1] = "ssl://b" }, []string{"brokers[1]", `"ssl://b"`}},
		"credentials":     {func(c *Config) { c.Brokers[0] = "tcp://u:secret@b:1883" }, []string{"brokers[0]", "password"}},
		"client id":       {func(c *Config) { c.ClientID = "" }, []string{"client_id"}},
		"no topics":       {func(c *Config) { c.Topics = nil }, []string{"topics"}},
		"hash not last":   {func(c *Config) { c.Topics = []string{"netify/#/flows"} }, []string{"topics[0]", `"netify/#/flows"`}},
		"partial plus":    {func(c *Config) { c.Topics = []string{"a", "netify/ag+/flows"} }, []string{"topics[1]", `"netify/ag+/flows"`}},
		"level":           {func(c *Config) { c.AgentIDTopicLevel = -1 }, []string{"agent_id_topic_level", "-1"}},
		"qos":             {func(c *Config) { c.QoS = 3 }, []string{"qos", "3"}},
		"connect timeout": {func(c *Config) { c.ConnectTimeout = 0 }, []string{"connect_timeout", "0s"}},
		"keep alive":      {func(c *Config) { c.KeepAlive = 500 * time.Millisecond }, []string{"keep_alive", "500ms"}},
		"reconnect":       {func(c *Config) { c.MaxReconnectInterval = -time.Second }, []string{"max_reconnect_interval", "-1s"}},
		"max message":     {func(c *Config) { c.MaxMessageBytes = 0 }, []string{"max_message_bytes", "0"}},
		"tls":             {func(c *Config) { c.TLS.MinVersion = "0.9" }, []string{"tls"}},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := valid()
			tc.mutate(&cfg)
			err := cfg.Check()
			require.Error(t, err)
			for _, w := range tc.want {
				assert.ErrorContains(t, err, w)
			}
			assert.NotContains(t, err.Error(), "secret", "credentials never reach an error message")
		})
	}
}
