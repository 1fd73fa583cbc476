package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// perFlowOnly is the receiver settings of the tests that check every flow's
// sums against the simulator: the per-flow metrics (off by default) on, no
// views, no zero hold.
const perFlowOnly = `    views: []
    zero_hold: 0s
    metrics:
      netify.flow.io: {enabled: true}
      netify.flow.packets: {enabled: true}
      netify.flow.rate: {enabled: true}
      netify.flow.tcp.resets: {enabled: true}
      netify.flow.tcp.retransmissions: {enabled: true}
      netify.flow.tcp.sequence_errors: {enabled: true}
      netify.flow.lifetime.io: {enabled: true}
      netify.flow.lifetime.packets: {enabled: true}
`

// flowsConfig runs the receiver with the inputs a test asks for into the
// Prometheus exporter and both OTLP exporters, which send to the test's
// OTLPSink. The HTTP input is always on (it is the receiver's default).
const flowsConfig = `
receivers:
  netifyflowstats:
    http:
      endpoint: {{.HTTP}}
{{- if .Sockets}}
    socket:
      endpoints:
{{- range .Sockets}}
        - endpoint: {{.Endpoint}}
          agent_id: {{.AgentID}}
          format: json
{{- end}}
      reconnect:
        initial_interval: 50ms
        max_interval: 500ms
{{- end}}
{{- if .Broker}}
    mqtt:
      brokers: [{{.Broker}}]
      client_id: {{.ClientID}}
      topics: ["netify/+/#"]
      agent_id_topic_level: 1
{{- end}}
    flush_interval: {{.Flush}}
` + perFlowOnly + `exporters:
  prometheus:
    endpoint: {{.Prometheus}}
    resource_constant_labels:
      included: ["netify.agent.id"]
  otlp_grpc:
    endpoint: {{.OTLPGRPC}}
    tls:
      insecure: true
  otlp_http:
    endpoint: {{.OTLPHTTP}}
extensions:
  health_check:
    endpoint: {{.Health}}
service:
  extensions: [health_check]
  pipelines:
    metrics:
      receivers: [netifyflowstats]
      exporters: [prometheus, otlp_grpc, otlp_http]
  telemetry:
    metrics:
      level: none
`

// flushInterval is the receiver's flush_interval in the flow tests: short,
// so a test waits little for the last flush.
const flushInterval = "500ms"

// socketEndpoint is one agent socket the collector dials.
type socketEndpoint struct{ Endpoint, AgentID string }

// flowInputs are the inputs of flowsConfig besides HTTP.
type flowInputs struct {
	Sockets  []socketEndpoint
	Broker   string // tcp://host:port; empty: no MQTT input
	ClientID string
}

type flowsConfigData struct {
	flowInputs
	HTTP, Prometheus, Health, OTLPGRPC, OTLPHTTP, Flush string
}

// flowCollector is a collector started with flowsConfig and where its
// output can be read.
type flowCollector struct {
	*Collector
	HTTP    string // host:port of the receiver's HTTP input
	Metrics string // the Prometheus exporter's URL
	Sink    *OTLPSink
}

// startFlowCollector starts a collector with flowsConfig and waits until its
// pipelines run.
func startFlowCollector(t *testing.T, in flowInputs) *flowCollector {
	t.Helper()
	sink := StartOTLPSink(t)
	data := flowsConfigData{
		flowInputs: in,
		HTTP:       FreeAddr(t), Prometheus: FreeAddr(t), Health: FreeAddr(t),
		OTLPGRPC: sink.GRPCEndpoint, OTLPHTTP: sink.HTTPEndpoint, Flush: flushInterval,
	}
	c := StartCollector(t, RenderConfig(t, flowsConfig, data))
	c.WaitForHTTP("http://" + data.Health + "/")
	return &flowCollector{Collector: c, HTTP: data.HTTP, Metrics: "http://" + data.Prometheus + "/metrics", Sink: sink}
}

// waitForLog polls until the collector's output contains text, e.g. an
// input's log line saying it is ready.
func waitForLog(t *testing.T, c *Collector, text string) {
	t.Helper()
	require.Eventually(t, func() bool {
		return c.Exited() || strings.Contains(c.Output(), text)
	}, StartupTimeout, 50*time.Millisecond, "collector never logged %q", text)
	require.False(t, c.Exited(), "collector exited before logging %q", text)
}
