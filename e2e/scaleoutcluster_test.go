package e2e

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// The scale-out tests run the shipped examples/scaleout-*.yaml configs as
// they are, through their environment variables, with two edits each: the
// collector's own telemetry is off (several collectors share the host and
// would all claim its port), and a gateway also exports OTLP to the test.

// instanceAttribute is the resource attribute the edges add.
const instanceAttribute = "collector.instance"

// exampleConfig is examples/<file> with edit applied to its parsed form;
// ${env:...} references are left for the collector to resolve.
func exampleConfig(t *testing.T, file string, edit func(cfg map[string]any)) string {
	t.Helper()
	cfg := ParseConfig(t, file, readFile(t, filepath.Join(RepoRoot(t), "examples", file)))
	service := mapAt(t, cfg, "service")
	service["telemetry"] = map[string]any{"metrics": map[string]any{"level": "none"}}
	if edit != nil {
		edit(cfg)
	}
	out, err := yaml.Marshal(cfg)
	require.NoError(t, err, "encoding the edited %s", file)
	return string(out)
}

func mapAt(t *testing.T, cfg map[string]any, path ...any) map[string]any {
	t.Helper()
	v, err := Dig(cfg, path...)
	require.NoError(t, err)
	m, ok := v.(map[string]any)
	require.True(t, ok, "%v is not a map", path)
	return m
}

// gateway is a collector running examples/scaleout-gateway.yaml.
type gateway struct {
	*Collector
	OTLP    string // host:port of its OTLP/gRPC receiver
	Metrics string // its Prometheus exporter's URL
	Sink    *OTLPSink
}

func startGateway(t *testing.T) *gateway {
	t.Helper()
	g := &gateway{OTLP: FreeAddr(t), Sink: StartOTLPSink(t)}
	prom := FreeAddr(t)
	g.Metrics = "http://" + prom + "/metrics"
	cfg := exampleConfig(t, "scaleout-gateway.yaml", func(cfg map[string]any) {
		mapAt(t, cfg, "exporters")["otlp_grpc/e2e"] = map[string]any{
			"endpoint": g.Sink.GRPCEndpoint,
			"tls":      map[string]any{"insecure": true},
		}
		pipeline := mapAt(t, cfg, "service", "pipelines", "metrics")
		pipeline["exporters"] = append(pipeline["exporters"].([]any), "otlp_grpc/e2e")
	})
	g.Collector = StartCollector(t, cfg, "GATEWAY_OTLP_ENDPOINT="+g.OTLP, "GATEWAY_PROMETHEUS_ENDPOINT="+prom)
	g.WaitForTCP(g.OTLP)
	g.WaitForTCP(prom)
	return g
}

// edge is a collector running one of the edge examples.
type edge struct {
	*Collector
	Instance string // its collector.instance
	HTTP     string // host:port of its receiver's HTTP input
}

// startEdge runs examples/<file> as collector.instance instance; env
// points it at its gateway(s).
func startEdge(t *testing.T, file, instance string, env ...string) *edge {
	t.Helper()
	e := &edge{Instance: instance, HTTP: FreeAddr(t)}
	cfg := exampleConfig(t, file, func(cfg map[string]any) {
		temporality, err := Dig(cfg, "receivers", "netifyflowstats", "temporality")
		require.NoError(t, err)
		require.Equal(t, "delta", temporality, "%s: the edges must emit delta sums", file)
	})
	env = append(env, "NETIFY_HTTP_ENDPOINT="+e.HTTP, "NETIFY_FLUSH_INTERVAL="+flushInterval, "COLLECTOR_INSTANCE="+instance)
	e.Collector = StartCollector(t, cfg, env...)
	e.WaitForTCP(e.HTTP)
	return e
}

// runAgentsOnEdges runs one simulator per edge at once, each with its own
// seed and so its own agents posting to that edge only: the sticky
// assignment of agents to edges. It returns the summaries by edge instance.
func runAgentsOnEdges(t *testing.T, edges []*edge, agentsPerEdge int) map[string]SimSummary {
	t.Helper()
	runs := make(map[string]*SimRun, len(edges))
	for i, e := range edges {
		runs[e.Instance] = StartSimulator(t, append(simWorkload(strconv.Itoa(401+i)),
			"-mode", "http", "-agents", strconv.Itoa(agentsPerEdge),
			"-url", "http://"+e.HTTP+"/v1/netify/${uuid_agent}")...)
	}
	out := make(map[string]SimSummary, len(runs))
	for instance, run := range runs {
		sum := run.Wait(simTimeout)
		requireAllDelivered(t, sum, agentsPerEdge, nil)
		out[instance] = sum
	}
	return out
}
