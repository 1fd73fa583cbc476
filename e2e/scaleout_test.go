package e2e

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// Flow state lives per agent in one collector. These tests spread agents
// over two edge collectors on loopback, each agent posting to one edge only
// (sticky assignment), the edges exporting delta sums to gateway collectors
// that turn them back into cumulative counters. Every agent's series must
// come out of the gateways with the simulator's totals, from exactly one
// edge (one collector.instance) and one gateway, with one start time each.

// TestScaleOutEdgesToGateway: examples/scaleout-edge.yaml twice, into one
// examples/scaleout-gateway.yaml.
func TestScaleOutEdgesToGateway(t *testing.T) {
	gw := startGateway(t)
	edges := []*edge{
		startEdge(t, "scaleout-edge.yaml", "edge-a", "GATEWAY_ENDPOINT="+gw.OTLP),
		startEdge(t, "scaleout-edge.yaml", "edge-b", "GATEWAY_ENDPOINT="+gw.OTLP),
	}
	verifyScaleOut(t, runAgentsOnEdges(t, edges, 2), []*gateway{gw})
}

// TestScaleOutLoadBalancedGateways: examples/scaleout-edge-loadbalancing.yaml
// twice, routing by netify.agent.id over two gateways.
func TestScaleOutLoadBalancedGateways(t *testing.T) {
	gws := []*gateway{startGateway(t), startGateway(t)}
	env := []string{"GATEWAY_1=" + gws[0].OTLP, "GATEWAY_2=" + gws[1].OTLP}
	edges := []*edge{
		startEdge(t, "scaleout-edge-loadbalancing.yaml", "edge-a", env...),
		startEdge(t, "scaleout-edge-loadbalancing.yaml", "edge-b", env...),
	}
	verifyScaleOut(t, runAgentsOnEdges(t, edges, 3), gws)
}

// verifyScaleOut checks the gateways' output against the summaries of the
// simulators, keyed by the edge their agents posted to.
func verifyScaleOut(t *testing.T, sums map[string]SimSummary, gws []*gateway) {
	t.Helper()
	want := map[string]FlowTotals{}
	edgeOf := map[string]string{}
	for instance, sum := range sums {
		for agent, totals := range DeliveredTotals(sum) {
			require.NotContains(t, edgeOf, agent, "agent %s simulated for two edges", agent)
			want[agent], edgeOf[agent] = totals, instance
		}
	}
	otlp := make([]totalsSource, len(gws))
	prom := make([]totalsSource, len(gws))
	for i, g := range gws {
		otlp[i] = otlpTotalsSource(g.Sink, ProtocolGRPC)
		prom[i] = promTotalsSource(g.Metrics, "netify_agent_id")
	}
	awaitExactTotals(t, want, map[string]totalsSource{
		"OTLP of the gateways":       disjointUnion(otlp),
		"Prometheus of the gateways": disjointUnion(prom),
	})

	served := map[string]int{} // agent -> gateway index
	for i, g := range gws {
		batches := g.Sink.Batches(ProtocolGRPC)
		agents := checkSingleOrigin(t, fmt.Sprintf("gateway %d", i), batches, edgeOf)
		t.Logf("gateway %d: %d agents, %d OTLP requests, %d data points", i, len(agents), len(batches), PointCount(batches))
		for _, a := range agents {
			if prev, ok := served[a]; ok {
				t.Errorf("agent %s is served by gateways %d and %d", a, prev, i)
			}
			served[a] = i
		}
		if len(agents) == 0 {
			continue
		}
		checkOTLPShapes(t, LatestPoints(batches), agents, instanceAttribute)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		fams, err := Scrape(ctx, g.Metrics)
		cancel()
		require.NoError(t, err)
		checkPromShapes(t, fams, agents, "collector_instance", "netify_agent_id")
		checkPromOrigin(t, fmt.Sprintf("gateway %d", i), fams, edgeOf)
	}
	assert.Len(t, served, len(want), "agents served by a gateway")
}

// disjointUnion merges per-agent totals of several gateways; an agent
// exported by two gateways is an error, its series would be split.
func disjointUnion(sources []totalsSource) totalsSource {
	return func() (map[string]FlowTotals, error) {
		out := map[string]FlowTotals{}
		from := map[string]int{}
		for i, read := range sources {
			got, err := read()
			if err != nil {
				return nil, fmt.Errorf("gateway %d: %w", i, err)
			}
			for agent, totals := range got {
				if j, dup := from[agent]; dup {
					return nil, fmt.Errorf("agent %s exported by gateways %d and %d", agent, j, i)
				}
				out[agent], from[agent] = totals, i
			}
		}
		return out, nil
	}
}

// checkSingleOrigin checks every data point a gateway exported: its agent's
// collector.instance is the edge the agent posted to, and each stream
// (resource, metric, attributes) has one start time. It returns the agents
// seen.
func checkSingleOrigin(t *testing.T, name string, batches []pmetric.Metrics, edgeOf map[string]string) []string {
	t.Helper()
	type stream struct{ resource, metric, attrs string }
	starts := map[stream]map[pcommon.Timestamp]bool{}
	instances := map[string]map[any]bool{}
	for _, md := range batches {
		for _, p := range flatten(md) {
			agent := p.Agent()
			if instances[agent] == nil {
				instances[agent] = map[any]bool{}
			}
			instances[agent][p.Resource[instanceAttribute]] = true
			k := stream{canonical(p.Resource), p.Metric, canonical(p.Attributes)}
			if starts[k] == nil {
				starts[k] = map[pcommon.Timestamp]bool{}
			}
			starts[k][p.Start] = true
		}
	}
	agents := make([]string, 0, len(instances))
	for agent, got := range instances {
		agents = append(agents, agent)
		assert.Equal(t, map[any]bool{edgeOf[agent]: true}, got, "%s: collector.instance of agent %q", name, agent)
	}
	sort.Strings(agents)
	multi := 0
	for k, s := range starts {
		if len(s) > 1 {
			if multi < 3 {
				t.Errorf("%s: stream %s %s of %s has %d start times", name, k.metric, k.attrs, k.resource, len(s))
			}
			multi++
		}
	}
	assert.Zero(t, multi, "%s: streams with more than one start time, of %d", name, len(starts))
	return agents
}

// checkPromOrigin checks that every series of a gateway's scrape carries the
// collector_instance of its agent's edge.
func checkPromOrigin(t *testing.T, name string, fams Families, edgeOf map[string]string) {
	t.Helper()
	for _, m := range flowMetrics {
		for _, s := range fams.Samples(m.Family) {
			agent := s.Labels["netify_agent_id"]
			if !assert.Equal(t, edgeOf[agent], s.Labels["collector_instance"], "%s: %s series of agent %q", name, m.Family, agent) {
				return
			}
		}
	}
}
