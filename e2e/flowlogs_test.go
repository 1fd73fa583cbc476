package e2e

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

// flowLogsConfig has ONE netifyflowstats receiver in a metrics pipeline
// (per-flow counters over OTLP/gRPC) and a logs pipeline (flow log records
// over OTLP/HTTP).
const flowLogsConfig = `
receivers:
  netifyflowstats:
    http:
      endpoint: {{.HTTP}}
    flush_interval: {{.Flush}}
    zero_hold: 0s
    metrics:
      netify.flow.io: {enabled: true}
      netify.flow.packets: {enabled: true}
      netify.flow.tcp.resets: {enabled: true}
      netify.flow.tcp.retransmissions: {enabled: true}
      netify.flow.tcp.sequence_errors: {enabled: true}
exporters:
  otlp_grpc:
    endpoint: {{.OTLPGRPC}}
    tls:
      insecure: true
  otlp_http/logs:
    endpoint: {{.OTLPLogs}}
extensions:
  health_check:
    endpoint: {{.Health}}
service:
  extensions: [health_check]
  pipelines:
    metrics:
      receivers: [netifyflowstats]
      exporters: [otlp_grpc]
    logs:
      receivers: [netifyflowstats]
      exporters: [otlp_http/logs]
  telemetry:
    metrics:
      readers:
        - pull:
            exporter:
              prometheus:
                host: {{.TelemetryHost}}
                port: {{.TelemetryPort}}
`

// TestFlowLogsHTTP: three simulated agents post to one receiver serving a
// metrics and a logs pipeline. Every flow the simulator ends (all of them,
// with -purge-on-exit) gets exactly one log record whose totals are the
// simulator's for that flow, and the metrics pipeline still exports exactly
// the simulator's delivered sums.
func TestFlowLogsHTTP(t *testing.T) {
	CollectorBinary(t)
	metrics, logs := StartOTLPSink(t), StartOTLPLogsSink(t)
	telemetry := FreeAddr(t)
	host, port, err := net.SplitHostPort(telemetry)
	require.NoError(t, err)
	data := map[string]string{
		"HTTP": FreeAddr(t), "Health": FreeAddr(t), "Flush": flushInterval,
		"OTLPGRPC": metrics.GRPCEndpoint, "OTLPLogs": logs.Endpoint,
		"TelemetryHost": host, "TelemetryPort": port,
	}
	c := StartCollector(t, RenderConfig(t, flowLogsConfig, data))
	c.WaitForHTTP("http://" + data["Health"] + "/")

	const seed, agents, flows, intervals = 202, 3, 20, 30
	interval := 100 * time.Millisecond
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sim := StartSimulator(t, "-intervals", fmt.Sprint(intervals), "-interval", interval.String(),
		"-start", start.Format(time.RFC3339), "-seed", fmt.Sprint(seed), "-flows", fmt.Sprint(flows),
		"-purge-on-exit", "-mode", "http", "-agents", fmt.Sprint(agents), "-gzip",
		"-url", "http://"+data["HTTP"]+"/v1/netify/${uuid_agent}")
	sum := sim.Wait(simTimeout)
	requireAllDelivered(t, sum, agents, nil)

	truth, err := SimFlowTruth(gen.Config{Seed: seed, Agents: agents, Flows: flows, Interval: interval}, start, intervals, true)
	require.NoError(t, err)
	requireTruthMatchesSummary(t, truth, sum)

	// The metrics pipeline is unchanged by the logs pipeline beside it.
	awaitExactTotals(t, DeliveredTotals(sum), map[string]totalsSource{
		"OTLP/gRPC": otlpTotalsSource(metrics, ProtocolGRPC),
	})

	require.Eventually(t, func() bool { return len(logs.Records()) >= len(truth) }, exportTimeout, 100*time.Millisecond,
		"log records: want %d", len(truth))
	time.Sleep(exportQuiet) // a duplicate would come with a later flush
	recs := logs.Records()
	require.Len(t, recs, len(truth), "one log record per finished flow")
	seen := map[FlowKey]bool{}
	for _, r := range recs {
		digest, _ := r.Attributes["netify.flow.digest"].(string)
		key := FlowKey{r.Agent, digest}
		want, ok := truth[key]
		require.True(t, ok, "log record of a flow the simulator never sent: %+v", key)
		require.False(t, seen[key], "two log records for %+v", key)
		seen[key] = true
		assert.Equal(t, "netify.flow.end", r.EventName)
		assert.Equal(t, want.Reason, r.Attributes["netify.flow.end_reason"], "%+v", key)
		got := gen.Delta{
			LocalBytes: u64(r.Attributes["netify.flow.local_bytes"]), OtherBytes: u64(r.Attributes["netify.flow.other_bytes"]),
			LocalPackets: u64(r.Attributes["netify.flow.local_packets"]), OtherPackets: u64(r.Attributes["netify.flow.other_packets"]),
			TCPResets: u64(r.Attributes["netify.flow.tcp.resets"]), TCPRetrans: u64(r.Attributes["netify.flow.tcp.retransmissions"]),
			TCPSeqErrors: u64(r.Attributes["netify.flow.tcp.sequence_errors"]),
		}
		assert.Equal(t, want.Delta, got, "totals of flow %+v", key)
		// Some simulated flows are never classified: they carry no
		// transport; the others one the simulator sends.
		if tr, ok := r.Attributes["network.transport"]; ok {
			assert.Contains(t, []any{"tcp", "udp", "icmp"}, tr, "%+v", key)
		}
	}
	t.Logf("%d log records, one per finished flow, each with the simulator's totals", len(recs))

	// The receiver's own count of what it handed to the logs pipeline, as
	// the collector's Prometheus reader renders it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fams, err := Scrape(ctx, "http://"+telemetry+"/metrics")
	require.NoError(t, err)
	assert.Equal(t, float64(len(truth)), fams.Sum("otelcol_netifyflowstats_logs_emitted", nil), "families: %v", fams.Names())
	assert.Equal(t, float64(len(truth)), fams.Sum("otelcol_receiver_accepted_log_records", map[string]string{"receiver": "netifyflowstats"}))
	for _, s := range fams.Samples("otelcol_netifyflowstats_logs_dropped") {
		assert.Zero(t, s.Value, "log records dropped: %v", s.Labels)
	}
}

// requireTruthMatchesSummary checks that the replayed generator is the run
// the simulator made: per agent, the flows' sums are the delivered sums and
// every started flow was purged.
func requireTruthMatchesSummary(t *testing.T, truth map[FlowKey]*FlowTruth, sum SimSummary) {
	t.Helper()
	per := map[string]*gen.Delta{}
	flows := map[string]int64{}
	for k, f := range truth {
		require.True(t, f.Purged, "flow %+v never purged", k)
		require.Contains(t, []string{"closed", "expired"}, f.Reason, "flow %+v", k)
		if per[k.Agent] == nil {
			per[k.Agent] = &gen.Delta{}
		}
		per[k.Agent].Add(f.Delta)
		flows[k.Agent]++
	}
	for _, a := range sum.Agents {
		d := a.Delivered
		require.NotNil(t, per[a.AgentID], "agent %s is not in the replayed stream", a.AgentID)
		require.Equal(t, gen.Delta{
			LocalBytes: uint64(d.LocalBytes), OtherBytes: uint64(d.OtherBytes),
			LocalPackets: uint64(d.LocalPackets), OtherPackets: uint64(d.OtherPackets),
			TCPResets: uint64(d.TCPResets), TCPRetrans: uint64(d.TCPRetrans), TCPSeqErrors: uint64(d.TCPSeqErrors),
		}, *per[a.AgentID], "agent %s: replayed flows differ from the simulator's summary", a.AgentID)
		require.Equal(t, a.FlowsStarted, flows[a.AgentID], "agent %s flows", a.AgentID)
		require.Equal(t, a.FlowsStarted, a.FlowsPurged, "agent %s: every flow purged on exit", a.AgentID)
	}
}

// u64 reads an integer attribute (absent: 0).
func u64(v any) uint64 {
	n, _ := v.(int64)
	return uint64(n)
}
