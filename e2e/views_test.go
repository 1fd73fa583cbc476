package e2e

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// viewsConfig is the receiver as a fresh install has it (per-flow metrics
// off, the three default views), with a short flush and a zero hold above
// the test Prometheus's scrape interval, into the Prometheus exporter.
const viewsConfig = `
receivers:
  netifyflowstats:
    http:
      endpoint: {{.HTTP}}
    flush_interval: 250ms
    zero_hold: 2s
exporters:
  prometheus:
    endpoint: {{.Prometheus}}
    resource_constant_labels:
      included: ["netify.agent.id"]
service:
  pipelines:
    metrics:
      receivers: [netifyflowstats]
      exporters: [prometheus]
  telemetry:
    metrics:
      level: none
`

// scrapeInterval is the test Prometheus's: below the receiver's zero hold,
// so every view series is scraped at 0 before its first value.
const scrapeInterval = time.Second

// TestViewsIncreaseInPrometheus runs the simulator into a collector with the
// default configuration and checks what a user's Prometheus computes from
// the view counters: increase() of each view's bytes and packets, summed
// per agent and direction, equals the simulator's truth within 1% (it is
// exact: every series is scraped at 0 before its first value), and the
// series follow the views' keys, not the flows.
func TestViewsIncreaseInPrometheus(t *testing.T) {
	data := struct{ HTTP, Prometheus string }{FreeAddr(t), FreeAddr(t)}
	c := StartCollector(t, RenderConfig(t, viewsConfig, data))
	c.WaitForTCP(data.HTTP)
	prom := StartPrometheus(t, fmt.Sprintf("global:\n  scrape_interval: %s\nscrape_configs:\n  - job_name: collector\n    static_configs:\n      - targets: [%q]\n", scrapeInterval, data.Prometheus))
	ctx := context.Background()
	awaitQuery(t, prom, `up{job="collector"} == 1`, "Prometheus scraping the collector")

	sim := StartSimulator(t, append(simWorkload("301"),
		"-mode", "http", "-agents", "3", "-url", "http://"+data.HTTP+"/v1/netify/${uuid_agent}")...)
	sum := sim.Wait(simTimeout)
	requireAllDelivered(t, sum, 3, nil)
	want := DeliveredTotals(sum)

	// The exporter shows the final sums once the last flush is out and the
	// last series' zero hold has passed.
	views := []string{"interface", "application", "protocol"}
	require.EventuallyWithT(t, func(ct *assert.CollectT) {
		fams, err := Scrape(context.Background(), "http://"+data.Prometheus+"/metrics")
		require.NoError(ct, err)
		for _, v := range views {
			for agent, w := range want {
				for dir, n := range map[string]int64{"transmit": w.TransmitBytes, "receive": w.ReceiveBytes} {
					got := fams.Sum("netify_view_"+v+"_io_bytes_total", map[string]string{"netify_agent_id": agent, "network_io_direction": dir})
					assert.Equal(ct, float64(n), got, "exporter: view %s agent %s %s", v, agent, dir)
				}
			}
		}
	}, 60*time.Second, 250*time.Millisecond)
	// Let Prometheus scrape the final values twice.
	time.Sleep(3 * scrapeInterval)

	// Evaluate at the last scrape, so increase() needs no extrapolation past
	// the last sample; the zero first samples need none before the first.
	last, err := prom.Query(ctx, `max(timestamp(up{job="collector"}))`)
	require.NoError(t, err)
	require.Len(t, last, 1)
	at := time.UnixMilli(int64(last[0].Float() * 1000))

	for _, v := range views {
		for _, m := range []struct {
			family            string
			transmit, receive func(FlowTotals) int64
		}{
			{"io_bytes_total", func(f FlowTotals) int64 { return f.TransmitBytes }, func(f FlowTotals) int64 { return f.ReceiveBytes }},
			{"packets_total", func(f FlowTotals) int64 { return f.TransmitPackets }, func(f FlowTotals) int64 { return f.ReceivePackets }},
		} {
			q := fmt.Sprintf(`sum by (netify_agent_id, network_io_direction) (increase(netify_view_%s_%s[10m]))`, v, m.family)
			res, err := prom.QueryAt(ctx, q, at)
			require.NoError(t, err)
			got := map[string]float64{}
			for _, s := range res {
				got[s.Metric["netify_agent_id"]+"/"+s.Metric["network_io_direction"]] = s.Float()
			}
			for agent, w := range want {
				for dir, n := range map[string]int64{"transmit": m.transmit(w), "receive": m.receive(w)} {
					g := got[agent+"/"+dir]
					assert.InEpsilon(t, float64(n), g, 0.01, "%s: agent %s %s: increase() %.0f, truth %d", q, agent, dir, g, n)
					t.Logf("view %s %s agent %s %s: increase() %.1f, truth %d (%.4f%%)", v, m.family, agent[:8], dir, g, n, 100*math.Abs(g-float64(n))/float64(n))
				}
			}
		}
	}

	// Per key, against the simulator's truth for each view: bytes by
	// direction, retransmissions and flows started, as increase() computes
	// them.
	for _, a := range sum.Agents {
		for _, v := range views {
			keys := a.Views[v]
			require.NotEmpty(t, keys, "simulator truth for view %s", v)
			for _, k := range keys {
				sel := fmt.Sprintf(`netify_agent_id=%q`, a.AgentID)
				for attr, val := range k.Key {
					sel += fmt.Sprintf(`,%s=%q`, promLabel(attr), val)
				}
				tot := k.Totals()
				for _, c := range []struct {
					expr string
					want int64
				}{
					{fmt.Sprintf(`sum(increase(netify_view_%s_io_bytes_total{%s,network_io_direction="transmit"}[10m]))`, v, sel), tot.TransmitBytes},
					{fmt.Sprintf(`sum(increase(netify_view_%s_io_bytes_total{%s,network_io_direction="receive"}[10m]))`, v, sel), tot.ReceiveBytes},
					{fmt.Sprintf(`sum(increase(netify_view_%s_tcp_retransmissions_total{%s}[10m]))`, v, sel), tot.TCPRetrans},
					{fmt.Sprintf(`sum(increase(netify_view_%s_flows_started_total{%s}[10m]))`, v, sel), k.FlowsStarted},
				} {
					res, err := prom.QueryAt(ctx, c.expr, at)
					require.NoError(t, err)
					require.Len(t, res, 1, "%s", c.expr)
					if c.want == 0 {
						assert.Zero(t, res[0].Float(), "%s", c.expr)
						continue
					}
					assert.InEpsilon(t, float64(c.want), res[0].Float(), 0.01, "%s", c.expr)
				}
			}
		}
	}

	// TCP health and flow counts are there for every key, from their first
	// value too.
	flows := flowsStarted(sum)
	res, err := prom.QueryAt(ctx, `sum(increase(netify_view_interface_flows_started_total[10m]))`, at)
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.InEpsilon(t, float64(flows), res[0].Float(), 0.01, "flows started over all agents")

	// Series follow the keys: each agent reports on one interface, so the
	// interface view has at most 2 (internal or not) x 2 (directions)
	// byte series per agent, whatever the number of flows.
	res, err = prom.QueryAt(ctx, `count by (netify_agent_id) (netify_view_interface_io_bytes_total)`, at)
	require.NoError(t, err)
	require.Len(t, res, 3)
	for _, s := range res {
		assert.LessOrEqual(t, s.Float(), 4.0, "interface series of agent %s", s.Metric["netify_agent_id"])
	}
	res, err = prom.QueryAt(ctx, `count(netify_view_application_io_bytes_total)`, at)
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.Less(t, res[0].Float(), float64(2*flows), "application series are bounded by the applications, not by the %d flows", flows)
}

// promLabel is the Prometheus label name of an attribute key.
func promLabel(key string) string { return strings.NewReplacer(".", "_", "-", "_").Replace(key) }

// awaitQuery waits until expr returns a non-empty result.
func awaitQuery(t *testing.T, p *PromServer, expr, what string) {
	t.Helper()
	require.Eventually(t, func() bool {
		res, err := p.Query(context.Background(), expr)
		return err == nil && len(res) > 0
	}, StartupTimeout, 200*time.Millisecond, what)
}
