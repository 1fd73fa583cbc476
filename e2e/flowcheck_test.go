package e2e

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// simWorkload is the deterministic workload of the flow tests: 30 update
// intervals of 20 concurrent flows per agent, on a virtual clock so the
// records are the same every run. The intervals are 100ms of wall time
// (not -fast, which sends everything within one flush) so that the 3 s of
// traffic spans several flushes and the cumulative series are updated
// from one flush to the next.
func simWorkload(seed string) []string {
	return []string{
		"-intervals", "30", "-interval", "100ms", "-start", "2026-01-01T00:00:00Z",
		"-seed", seed, "-flows", "20",
	}
}

// simTimeout bounds one simulator run of simWorkload.
const simTimeout = 90 * time.Second

// requireAllDelivered checks the premise of a comparison with the summary:
// the simulator ran the agents wanted (agents of them, with these ids when
// ids is not nil), generated traffic, and delivered every record (nothing
// failed or was dropped for want of a socket client).
func requireAllDelivered(t *testing.T, sum SimSummary, agents int, ids []string) {
	t.Helper()
	require.Len(t, sum.Agents, agents, "agents in the summary")
	if ids != nil {
		require.ElementsMatch(t, ids, agentIDs(sum), "agent ids in the summary")
	}
	for _, a := range sum.Agents {
		require.Positive(t, a.Delivered.LocalBytes, "agent %s delivered no bytes", a.AgentID)
		require.Positive(t, a.Delivered.Records["flow_stats"], "agent %s delivered no flow_stats", a.AgentID)
		require.Zero(t, a.Failed.RecordsTotal, "agent %s: records failed: %+v", a.AgentID, a.Failed.Records)
		require.Zero(t, a.Dropped.RecordsTotal, "agent %s: records dropped: %+v", a.AgentID, a.Dropped.Records)
		require.Equal(t, a.Generated, a.Delivered, "agent %s: delivered differs from generated", a.AgentID)
	}
	t.Logf("simulator delivered %d records, %d bytes (transmit+receive), %d flows over %d agents",
		sum.Total.Delivered.RecordsTotal, sum.Total.Delivered.LocalBytes+sum.Total.Delivered.OtherBytes,
		flowsStarted(sum), len(sum.Agents))
}

func flowsStarted(sum SimSummary) int64 {
	var n int64
	for _, a := range sum.Agents {
		n += a.FlowsStarted
	}
	return n
}

func agentIDs(sum SimSummary) []string {
	out := make([]string, 0, len(sum.Agents))
	for _, a := range sum.Agents {
		out = append(out, a.AgentID)
	}
	sort.Strings(out)
	return out
}

// totalsSource reads one exporter's per-agent totals.
type totalsSource func() (map[string]FlowTotals, error)

func otlpTotalsSource(sink *OTLPSink, protocol string) totalsSource {
	return func() (map[string]FlowTotals, error) {
		return OTLPTotals(LatestPoints(sink.Batches(protocol)))
	}
}

func promTotalsSource(url, agentLabel string) totalsSource {
	return func() (map[string]FlowTotals, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		fams, err := Scrape(ctx, url)
		if err != nil {
			return nil, err
		}
		return PromTotals(fams, agentLabel)
	}
}

// Waiting for the exports to settle: a source counts as settled once its
// totals have not changed for exportQuiet; when it settles on the expected
// totals the wait ends at once, when it settles on anything else the wait
// goes on for exportSettle in case the pipeline was only slow, then fails.
const (
	exportQuiet   = 2 * time.Second
	exportSettle  = 10 * time.Second
	exportTimeout = 90 * time.Second
)

// awaitExactTotals waits until every source has stopped changing, then
// requires each to equal want exactly, agent by agent.
func awaitExactTotals(t *testing.T, want map[string]FlowTotals, sources map[string]totalsSource) {
	t.Helper()
	type state struct {
		got     map[string]FlowTotals
		err     error
		changed time.Time
	}
	states := map[string]*state{}
	start := time.Now()
	for {
		now := time.Now()
		done := true
		for name, read := range sources {
			got, err := read()
			st := states[name]
			if st == nil || !reflect.DeepEqual(st.got, got) || fmt.Sprint(st.err) != fmt.Sprint(err) {
				st = &state{got: got, err: err, changed: now}
				states[name] = st
			}
			quiet := now.Sub(st.changed)
			settled := (err == nil && reflect.DeepEqual(got, want) && quiet >= exportQuiet) || quiet >= exportSettle
			done = done && settled
		}
		if done || now.Sub(start) > exportTimeout {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for name := range sources {
		st := states[name]
		if assert.NoError(t, st.err, "reading %s", name) {
			assert.Equal(t, want, st.got, "per-agent totals exported via %s differ from the simulator's delivered summary", name)
		}
	}
	t.Logf("exports settled %s after the simulator ended (%s of it the quiet period)", time.Since(start).Round(time.Millisecond), exportQuiet)
}

// flowMetric is one documented metric and its Prometheus family.
type flowMetric struct {
	Name, Unit, Family string
	Gauge              bool
	Direction          bool // has network.io.direction
}

var flowMetrics = []flowMetric{
	{Name: "netify.flow.io", Unit: "By", Family: "netify_flow_io_bytes_total", Direction: true},
	{Name: "netify.flow.packets", Unit: "{packet}", Family: "netify_flow_packets_total", Direction: true},
	{Name: "netify.flow.rate", Unit: "By/s", Family: "netify_flow_rate_bytes_per_second", Gauge: true, Direction: true},
	{Name: "netify.flow.tcp.resets", Unit: "{reset}", Family: "netify_flow_tcp_resets_total"},
	{Name: "netify.flow.tcp.retransmissions", Unit: "{segment}", Family: "netify_flow_tcp_retransmissions_total"},
	{Name: "netify.flow.tcp.sequence_errors", Unit: "{error}", Family: "netify_flow_tcp_sequence_errors_total"},
	{Name: "netify.flow.lifetime.io", Unit: "By", Family: "netify_flow_lifetime_io_bytes_total"},
	{Name: "netify.flow.lifetime.packets", Unit: "{packet}", Family: "netify_flow_lifetime_packets_total"},
}

// attributeKeys are a metric's data point attribute keys, sorted and joined.
func (m flowMetric) attributeKeys() string {
	keys := []string{"netify.flow.digest", "netify.flow.internal", "network.interface.name"}
	if m.Direction {
		keys = append(keys, "network.io.direction")
	}
	return strings.Join(keys, ",")
}

// promLabels are the label names of the metric's Prometheus series, the
// resource labels extra included.
func (m flowMetric) promLabels(extra ...string) string {
	keys := strings.Split(strings.ReplaceAll(m.attributeKeys(), ".", "_"), ",")
	keys = append(keys, extra...)
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// checkOTLPShapes checks the exported metrics against the documentation:
// names, units, types, temporality, attribute keys and types, and one
// resource per agent identified by netify.agent.id (plus extraResource
// keys, e.g. added by a processor).
func checkOTLPShapes(t *testing.T, points []Point, agents []string, extraResource ...string) {
	t.Helper()
	require.NotEmpty(t, points, "no OTLP data points")
	shapes := Shapes(points)
	for _, m := range flowMetrics {
		s, ok := shapes[m.Name]
		if !assert.True(t, ok, "metric %s not exported over OTLP; got %v", m.Name, keysOf(shapes)) {
			continue
		}
		assert.Equal(t, set(m.Unit), s.Units, "%s unit", m.Name)
		assert.Equal(t, set(m.attributeKeys()), s.AttributeKeys, "%s data point attribute keys", m.Name)
		assert.Equal(t, set("bool"), s.AttributeTypes["netify.flow.internal"], "%s netify.flow.internal type", m.Name)
		if m.Gauge {
			assert.Equal(t, set("Gauge"), s.Types, "%s type", m.Name)
		} else {
			assert.Equal(t, set("Sum"), s.Types, "%s type", m.Name)
			assert.Equal(t, set("Cumulative"), s.Temporalities, "%s temporality", m.Name)
			assert.Equal(t, map[bool]bool{true: true}, s.Monotonic, "%s monotonic", m.Name)
		}
	}
	resourceKeys := append([]string{AgentIDAttribute}, extraResource...)
	sort.Strings(resourceKeys)
	seen := map[string]bool{}
	for _, p := range points {
		keys := make([]string, 0, len(p.Resource))
		for k := range p.Resource {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !assert.Equal(t, resourceKeys, keys, "resource attributes of %s", p.Metric) {
			break
		}
		seen[p.Agent()] = true
	}
	assert.ElementsMatch(t, agents, keysOf(seen), "netify.agent.id values over OTLP")
	for _, p := range points {
		if d, ok := p.Attributes["network.io.direction"]; ok && d != "transmit" && d != "receive" {
			t.Errorf("%s has network.io.direction %q, want transmit or receive", p.Metric, d)
			break
		}
	}
}

// promScopeLabels are the instrumentation scope labels the Prometheus
// exporter adds to every series.
var promScopeLabels = []string{"otel_scope_name", "otel_scope_schema_url", "otel_scope_version"}

// checkPromShapes checks the scrape's families: each documented metric has
// its family, of the right type, with one label set: the attributes, the
// scope labels and resourceLabels (the resource attributes the exporter is
// configured to add).
func checkPromShapes(t *testing.T, fams Families, agents []string, resourceLabels ...string) {
	t.Helper()
	extraLabels := append(append([]string(nil), promScopeLabels...), resourceLabels...)
	for _, m := range flowMetrics {
		fam, ok := fams[m.Family]
		if !assert.True(t, ok, "Prometheus family %s (of %s) missing; netify families: %v", m.Family, m.Name, netifyFamilies(fams)) {
			continue
		}
		want := dto.MetricType_COUNTER
		if m.Gauge {
			want = dto.MetricType_GAUGE
		}
		assert.Equal(t, want, fam.GetType(), "%s type", m.Family)
		shapes := map[string]bool{}
		agentsSeen := map[string]bool{}
		for _, s := range fams.Samples(m.Family) {
			shapes[labelNames(s.Labels)] = true
			agentsSeen[s.Labels["netify_agent_id"]] = true
		}
		assert.Equal(t, set(m.promLabels(extraLabels...)), shapes, "%s label names", m.Family)
		assert.ElementsMatch(t, agents, keysOf(agentsSeen), "%s netify_agent_id values", m.Family)
	}
}

func netifyFamilies(fams Families) []string {
	var out []string
	for _, n := range fams.Names() {
		if strings.HasPrefix(n, "netify") {
			out = append(out, n)
		}
	}
	return out
}

// checkFlowIdentity checks that the receiver kept one series per simulated
// flow: as many distinct netify.flow.digest values per agent as flows the
// simulator started, although DPI changed the digests of many of them.
func checkFlowIdentity(t *testing.T, points []Point, sum SimSummary) {
	t.Helper()
	digests := map[string]map[any]bool{}
	for _, p := range points {
		if p.Metric != "netify.flow.io" {
			continue
		}
		if digests[p.Agent()] == nil {
			digests[p.Agent()] = map[any]bool{}
		}
		digests[p.Agent()][p.Attributes["netify.flow.digest"]] = true
	}
	for _, a := range sum.Agents {
		assert.Equal(t, a.FlowsStarted, int64(len(digests[a.AgentID])), "agent %s: flows (distinct netify.flow.digest of netify.flow.io) vs flows started", a.AgentID)
	}
}

func set(items ...string) map[string]bool {
	out := map[string]bool{}
	for _, i := range items {
		out[i] = true
	}
	return out
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
