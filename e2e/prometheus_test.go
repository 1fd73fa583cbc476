package e2e

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const exposition = `# HELP netify_flow_io_bytes_total Bytes sent by each endpoint of the flow.
# TYPE netify_flow_io_bytes_total counter
netify_flow_io_bytes_total{netify_agent_id="a1",network_io_direction="transmit",netify_flow_digest="d1"} 5559
netify_flow_io_bytes_total{netify_agent_id="a1",network_io_direction="receive",netify_flow_digest="d1"} 913
netify_flow_io_bytes_total{netify_agent_id="a1",network_io_direction="transmit",netify_flow_digest="d2"} 100
# HELP netify_flow_rate_bytes_per_second Burst rate.
# TYPE netify_flow_rate_bytes_per_second gauge
netify_flow_rate_bytes_per_second{netify_agent_id="a1",network_io_direction="transmit",netify_flow_digest="d1"} 1510.6666259765625
# HELP h A histogram is not flattened into samples.
# TYPE h histogram
h_bucket{le="1"} 1
h_bucket{le="+Inf"} 2
h_sum 3
h_count 2
`

func TestParseTextAndQuery(t *testing.T) {
	fams, err := ParseText(strings.NewReader(exposition))
	require.NoError(t, err)
	require.Equal(t, []string{"h", "netify_flow_io_bytes_total", "netify_flow_rate_bytes_per_second"}, fams.Names())

	s, ok, err := fams.Find("netify_flow_io_bytes_total", map[string]string{"network_io_direction": "receive"})
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 913.0, s.Value)
	require.Equal(t, "d1", s.Labels["netify_flow_digest"])

	_, _, err = fams.Find("netify_flow_io_bytes_total", map[string]string{"network_io_direction": "transmit"})
	require.Error(t, err, "two transmit series match: Find must refuse to pick one")

	require.Equal(t, 5659.0, fams.Sum("netify_flow_io_bytes_total", map[string]string{"network_io_direction": "transmit"}))
	require.Equal(t, 6572.0, fams.Sum("netify_flow_io_bytes_total", nil))
	require.True(t, math.IsNaN(fams.Sum("netify_flow_packets_total", nil)), "a missing metric must not sum to 0")

	rate, ok, err := fams.Find("netify_flow_rate_bytes_per_second", nil)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 1510.6666259765625, rate.Value)

	require.Empty(t, fams.Samples("h"), "histograms are not flattened")
}

func TestParseTextRejectsGarbage(t *testing.T) {
	_, err := ParseText(strings.NewReader("netify_flow_io_bytes_total{unterminated 1\n"))
	require.Error(t, err)
}
