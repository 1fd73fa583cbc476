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

// smokeConfig runs the receiver's HTTP input into the Prometheus exporter,
// every listener on a free loopback port.
const smokeConfig = `
receivers:
  netifyflowstats:
    http:
      endpoint: {{.HTTP}}
    flush_interval: 200ms
` + perFlowOnly + `exporters:
  prometheus:
    endpoint: {{.Prometheus}}
    resource_constant_labels:
      included: ["netify.agent.id"]
extensions:
  health_check:
    endpoint: {{.Health}}
service:
  extensions: [health_check]
  pipelines:
    metrics:
      receivers: [netifyflowstats]
      exporters: [prometheus]
  telemetry:
    metrics:
      level: none
`

// flowStats is the flow_stats record of the Netify documentation.
const flowStats = `{"flow":{"detection_packets":2,"digest":"c3086c57745b","digest_prev":["fcd1061d4c2ba844"],"last_seen_at":1772665318561,"local_bytes":5559,"local_packets":6,"local_rate":5559,"other_bytes":913,"other_packets":6,"other_rate":913,"tcp":{"resets":0,"retrans":0,"seq_errors":0},"total_bytes":613175,"total_packets":1064},"interface":"wlp3s0","internal":true,"type":"flow_stats"}`

type smokePorts struct{ HTTP, Prometheus, Health string }

func startSmokeCollector(t *testing.T) (*Collector, smokePorts) {
	t.Helper()
	ports := smokePorts{HTTP: FreeAddr(t), Prometheus: FreeAddr(t), Health: FreeAddr(t)}
	c := StartCollector(t, RenderConfig(t, smokeConfig, ports))
	c.WaitForHTTP("http://" + ports.Health + "/")
	return c, ports
}

func postRecord(t *testing.T, url, body string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "POST %s answered %s", url, answer)
}

// The binary carries the receiver: a record posted over HTTP comes out of the
// Prometheus exporter, and SIGTERM stops the collector cleanly.
func TestCollectorSmoke(t *testing.T) {
	c, ports := startSmokeCollector(t)
	postRecord(t, "http://"+ports.HTTP+"/v1/netify/e2e-agent", flowStats)

	metrics := "http://" + ports.Prometheus + "/metrics"
	want := map[string]float64{"transmit": 5559, "receive": 913}
	assert.EventuallyWithT(t, func(ct *assert.CollectT) {
		fams, err := Scrape(context.Background(), metrics)
		require.NoError(ct, err)
		for dir, bytes := range want {
			s, ok, err := fams.Find("netify_flow_io_bytes_total", map[string]string{
				"netify_agent_id":        "e2e-agent",
				"network_io_direction":   dir,
				"network_interface_name": "wlp3s0",
				"netify_flow_internal":   "true",
			})
			require.NoError(ct, err)
			require.True(ct, ok, "no %s series of netify_flow_io_bytes_total yet; families: %v", dir, fams.Names())
			assert.Equal(ct, bytes, s.Value, "%s bytes", dir)
		}
	}, 30*time.Second, 100*time.Millisecond)

	require.NoError(t, c.Stop(), "collector did not stop cleanly on SIGTERM")
	require.True(t, c.Exited())
}

// Every netify metric must keep its own Prometheus name: the exporter drops
// "total" from names and appends _total to counters, so two OTel metrics can
// land in one family (and their series mix, one with labels the other lacks).
func TestPrometheusFamiliesHaveOneShape(t *testing.T) {
	_, ports := startSmokeCollector(t)
	postRecord(t, "http://"+ports.HTTP+"/v1/netify/e2e-agent", flowStats)

	var fams Families
	require.Eventually(t, func() bool {
		var err error
		fams, err = Scrape(context.Background(), "http://"+ports.Prometheus+"/metrics")
		return err == nil && len(fams.Samples("netify_flow_io_bytes_total")) > 0
	}, 30*time.Second, 100*time.Millisecond, "no netify_flow_io_bytes_total series")

	for _, name := range fams.Names() {
		if !strings.HasPrefix(name, "netify_") {
			continue
		}
		shapes := map[string]bool{}
		for _, s := range fams.Samples(name) {
			shapes[labelNames(s.Labels)] = true
		}
		assert.Len(t, shapes, 1, "Prometheus family %s mixes series of different label sets %v: two OTel metrics map to this name", name, keysOf(shapes))
	}
}

func labelNames(labels map[string]string) string {
	return strings.Join(keysOf(labels), ",")
}
