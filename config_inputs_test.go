package netifyflowstatsreceiver

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
)

// Each input's section reports every problem, each named with its key
// path once.
func TestInputConfigErrorsAreJoinedAndPrefixedOnce(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cm := confmap.NewFromStringMap(map[string]any{
		"socket": map[string]any{"endpoints": []any{map[string]any{"endpoint": "http://x:1"}}, "idle_timeout": "0s"},
		"mqtt":   map[string]any{"brokers": []any{"tcp://x"}, "qos": 5},
	})
	require.NoError(t, cm.Unmarshal(cfg))
	err := confmap.Validate(cfg)
	require.Error(t, err)
	assert.Equal(t, `socket::endpoints[0]::endpoint: "http://x:1": scheme must be unix or tcp
socket::idle_timeout: must be positive, got 0s
mqtt::brokers[0]: "tcp://x": want scheme://host:port
mqtt::qos: must be 0, 1 or 2, got 5`, err.Error())
}
