package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// TestAgentHealthHTTP: the agents' interface_stats counters, summed by the
// receiver, equal what the simulator says it delivered, over OTLP and
// Prometheus; agent_status gives the agent's figures; the interface sums
// are cumulative with a start that does not move.
func TestAgentHealthHTTP(t *testing.T) {
	fc := startFlowCollector(t, flowInputs{})
	sim := StartSimulator(t, append(simWorkload("303"),
		"-mode", "http", "-agents", "2", "-url", "http://"+fc.HTTP+"/v1/netify/${uuid_agent}")...)
	sum := sim.Wait(simTimeout)
	requireAllDelivered(t, sum, 2, nil)

	want := map[string]string{}
	for _, a := range sum.Agents {
		require.Equal(t, a.Intervals, a.Delivered.Records["interface_stats"])
		require.Positive(t, a.Delivered.Interface.Packets)
		want[a.AgentID] = fmt.Sprintf("packets=%d wire=%d resets=%d dropped=%d",
			a.Delivered.Interface.Packets, a.Delivered.Interface.WireBytes,
			a.Delivered.Interface.TCPResets, a.Delivered.Interface.CaptureDropped)
	}

	// Prometheus: each agent's one interface, summed over the run.
	var got map[string]string
	var fams Families
	ok := assert.Eventually(t, func() bool {
		var err error
		fams, err = Scrape(context.Background(), fc.Metrics)
		if err != nil {
			return false
		}
		got = map[string]string{}
		for agent := range want {
			m := map[string]string{"netify_agent_id": agent}
			dropped := map[string]string{"netify_agent_id": agent, "netify_drop_stage": "capture"}
			got[agent] = fmt.Sprintf("packets=%.0f wire=%.0f resets=%.0f dropped=%.0f",
				fams.Sum("netify_interface_packets_total", m), fams.Sum("netify_interface_io_bytes_total", m),
				fams.Sum("netify_interface_tcp_resets_total", m), fams.Sum("netify_interface_dropped_total", dropped))
		}
		return assert.ObjectsAreEqual(want, got)
	}, 30*time.Second, 200*time.Millisecond)
	if !ok {
		t.Fatalf("Prometheus interface sums:\n got  %v\n want %v", got, want)
	}
	for _, a := range sum.Agents {
		m := map[string]string{"netify_agent_id": a.AgentID}
		up, found, err := fams.Find("netify_agent_uptime_seconds", m)
		require.NoError(t, err)
		require.True(t, found, "netify_agent_uptime_seconds of %s", a.AgentID)
		assert.Equal(t, "5.2.1", up.Labels["netify_agent_version"])
		assert.Equal(t, 20.0, fams.Sum("netify_agent_flows", m), "flow_count: 20 concurrent flows")
		assert.Positive(t, fams.Sum("netify_agent_cpu_time_seconds_total", m))
		assert.Positive(t, fams.Sum("netify_agent_memory_rss_bytes", m))
		assert.InDelta(t, 0.1, fams.Sum("netify_agent_update_interval_seconds", m), 1e-9)
	}
	// Every netify family keeps one label set.
	for _, name := range fams.Names() {
		if !strings.HasPrefix(name, "netify_agent_") && !strings.HasPrefix(name, "netify_interface_") {
			continue
		}
		shapes := map[string]bool{}
		for _, s := range fams.Samples(name) {
			shapes[labelNames(s.Labels)] = true
		}
		assert.Len(t, shapes, 1, "Prometheus family %s mixes label sets %v", name, keysOf(shapes))
	}

	// OTLP: the interface sums are cumulative, monotonic, and each series
	// keeps one start time across flushes.
	points := LatestPoints(fc.Sink.Batches(ProtocolGRPC))
	starts := map[string]map[int64]bool{}
	for _, md := range fc.Sink.Batches(ProtocolGRPC) {
		for _, p := range flattenFor(md, "netify.interface.packets") {
			key := p.Agent() + "/" + fmt.Sprint(p.Attributes["network.interface.name"])
			if starts[key] == nil {
				starts[key] = map[int64]bool{}
			}
			starts[key][int64(p.Start)] = true
			assert.Equal(t, pmetric.AggregationTemporalityCumulative, p.Temporality)
			assert.True(t, p.Monotonic)
		}
	}
	require.Len(t, starts, 2, "one interface per agent")
	for key, s := range starts {
		assert.Len(t, s, 1, "%s: start times %v", key, s)
	}
	total := map[string]float64{}
	for _, p := range points {
		if p.Metric == "netify.interface.packets" {
			total[p.Agent()] += p.Value
		}
	}
	for _, a := range sum.Agents {
		assert.Equal(t, float64(a.Delivered.Interface.Packets), total[a.AgentID], "OTLP netify.interface.packets of %s", a.AgentID)
	}
}

// flattenFor is the points of one metric in a batch.
func flattenFor(md pmetric.Metrics, metric string) []Point {
	var out []Point
	for _, p := range flatten(md) {
		if p.Metric == metric {
			out = append(out, p)
		}
	}
	return out
}
