package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
)

// The flow tests drive the collector with netifysim over one transport each
// and require the exported counters, summed per agent over its flows, to
// equal exactly what the simulator says it delivered: over OTLP/gRPC,
// OTLP/HTTP (the latest cumulative point of every series) and Prometheus.

// TestFlowsHTTP: three agents post gzipped JSON to the HTTP input,
// identified by the URL path and the X-Netify-Agent header.
func TestFlowsHTTP(t *testing.T) {
	fc := startFlowCollector(t, flowInputs{})
	start := time.Now()
	sim := StartSimulator(t, append(simWorkload("101"),
		"-mode", "http", "-agents", "3", "-gzip",
		"-url", "http://"+fc.HTTP+"/v1/netify/${uuid_agent}")...)
	sum := sim.Wait(simTimeout)
	t.Logf("simulator ran %s", time.Since(start).Round(time.Millisecond))
	requireAllDelivered(t, sum, 3, nil)
	verifyFlowExports(t, fc, sum)
}

// TestFlowsSocket: three agents write newline-delimited JSON to unix sockets
// they listen on, like the socket sink; the collector dials each one, the
// agent id coming from its endpoint.
func TestFlowsSocket(t *testing.T) {
	CollectorBinary(t) // skip (or fail under CI) before starting the simulator
	agents := []string{"e2e-socket-agent-1", "e2e-socket-agent-2", "e2e-socket-agent-3"}
	dir := t.TempDir()
	var sockets []socketEndpoint
	for _, a := range agents {
		sockets = append(sockets, socketEndpoint{Endpoint: "unix://" + filepath.Join(dir, a+".sock"), AgentID: a})
	}
	// The simulator binds first and holds each agent's first interval until
	// the collector is connected, so no record is dropped for want of a
	// client.
	start := time.Now()
	sim := StartSimulator(t, append(simWorkload("202"),
		"-mode", "socket", "-agent-ids", strings.Join(agents, ","),
		"-listen", "unix://"+filepath.Join(dir, "${uuid_agent}.sock"), "-wait-client")...)
	fc := startFlowCollector(t, flowInputs{Sockets: sockets})
	sum := sim.Wait(simTimeout)
	t.Logf("simulator ran %s", time.Since(start).Round(time.Millisecond))
	requireAllDelivered(t, sum, len(agents), agents)
	verifyFlowExports(t, fc, sum)
}

// TestFlowsMQTT: three agents publish gzipped msgpack at QoS 1 to a real
// Mosquitto on netify/<agent id>/flows; the collector subscribes to
// netify/+/# and takes the agent id from topic level 1.
func TestFlowsMQTT(t *testing.T) {
	CollectorBinary(t) // skip (or fail under CI) before starting the broker
	broker := mosquittotest.Start(t)
	fc := startFlowCollector(t, flowInputs{Broker: broker.URL(), ClientID: "e2e-flows-mqtt"})
	// A publish before the subscription exists reaches nobody, yet the
	// broker acknowledges it and the simulator counts it delivered.
	waitForLog(t, fc.Collector, "Connected to MQTT broker and subscribed")
	start := time.Now()
	sim := StartSimulator(t, append(simWorkload("303"),
		"-mode", "mqtt", "-agents", "3", "-broker", broker.URL(), "-qos", "1",
		"-format", "msgpack", "-gzip")...)
	sum := sim.Wait(simTimeout)
	t.Logf("simulator ran %s", time.Since(start).Round(time.Millisecond))
	requireAllDelivered(t, sum, 3, nil)
	verifyFlowExports(t, fc, sum)
}

// verifyFlowExports waits for the exports to settle on the summary's totals,
// then checks the shape of what was exported.
func verifyFlowExports(t *testing.T, fc *flowCollector, sum SimSummary) {
	t.Helper()
	awaitExactTotals(t, DeliveredTotals(sum), map[string]totalsSource{
		"OTLP/gRPC":  otlpTotalsSource(fc.Sink, ProtocolGRPC),
		"OTLP/HTTP":  otlpTotalsSource(fc.Sink, ProtocolHTTP),
		"Prometheus": promTotalsSource(fc.Metrics, "netify_agent_id"),
	})
	agents := agentIDs(sum)
	for _, protocol := range []string{ProtocolGRPC, ProtocolHTTP} {
		batches := fc.Sink.Batches(protocol)
		points := LatestPoints(batches)
		all := PointCount(batches)
		t.Logf("OTLP/%s: %d requests, %d data points, %d series", protocol, len(batches), all, len(points))
		require.Greater(t, all, len(points), "OTLP/%s: no series was updated by a later flush; the test did not exercise cumulative sums across flushes", protocol)
		checkOTLPShapes(t, points, agents)
		checkFlowIdentity(t, points, sum)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fams, err := Scrape(ctx, fc.Metrics)
	require.NoError(t, err)
	checkPromShapes(t, fams, agents, "netify_agent_id")
}
