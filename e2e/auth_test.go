package e2e

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// authConfig puts the built collector's bearertokenauth extension in front
// of the receiver's HTTP input.
const authConfig = `
receivers:
  netifyflowstats:
    http:
      endpoint: {{.HTTP}}
      auth:
        authenticator: bearertokenauth
    flush_interval: 200ms
    zero_hold: 0s
exporters:
  prometheus:
    endpoint: {{.Prometheus}}
    resource_constant_labels:
      included: ["netify.agent.id"]
extensions:
  bearertokenauth:
    token: e2e-agents-token
service:
  extensions: [bearertokenauth]
  pipelines:
    metrics:
      receivers: [netifyflowstats]
      exporters: [prometheus]
  telemetry:
    metrics:
      level: none
`

// TestBearerTokenGuardsTheHTTPInput: with the collector's bearertokenauth
// extension on the HTTP input, posts without the token or with another one
// are refused with 401 and count for nothing; the agent's post with the
// token (an HTTP sink header) is taken.
func TestBearerTokenGuardsTheHTTPInput(t *testing.T) {
	ports := struct{ HTTP, Prometheus string }{FreeAddr(t), FreeAddr(t)}
	c := StartCollector(t, RenderConfig(t, authConfig, ports))
	c.WaitForTCP(ports.HTTP)
	url := "http://" + ports.HTTP + "/v1/netify/"

	post := func(agent, authorization string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, url+agent, strings.NewReader(flowStats))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	status, body := post("intruder", "")
	assert.Equal(t, http.StatusUnauthorized, status, "no token: %s", body)
	status, body = post("intruder", "Bearer wrong-token")
	assert.Equal(t, http.StatusUnauthorized, status, "wrong token: %s", body)
	status, body = post("agent-1", "Bearer e2e-agents-token")
	require.Equal(t, http.StatusOK, status, "the agent's token: %s", body)

	metrics := "http://" + ports.Prometheus + "/metrics"
	require.EventuallyWithT(t, func(ct *assert.CollectT) {
		fams, err := Scrape(context.Background(), metrics)
		require.NoError(ct, err)
		got := fams.Sum("netify_view_interface_io_bytes_total", map[string]string{"netify_agent_id": "agent-1", "network_io_direction": "transmit"})
		assert.Equal(ct, 5559.0, got)
	}, 30*time.Second, 100*time.Millisecond)
	fams, err := Scrape(context.Background(), metrics)
	require.NoError(t, err)
	for _, s := range fams.Samples("netify_view_interface_io_bytes_total") {
		assert.NotEqual(t, "intruder", s.Labels["netify_agent_id"], "a refused post left a series")
	}
}
