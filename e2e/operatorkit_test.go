package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rule file passes promtool's checks and its unit tests.
func TestOperatorKitRulesPromtool(t *testing.T) {
	promtool := ToolBinary(t, "promtool")
	dir := filepath.Join(RepoRoot(t), "deploy", "prometheus")
	for _, args := range [][]string{
		{"check", "rules", "netify-rules.yaml"},
		{"test", "rules", "netify-rules.test.yaml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "promtool %s:\n%s", strings.Join(args, " "), out)
		assert.Contains(t, string(out), "SUCCESS", "promtool %s", strings.Join(args, " "))
	}
}

// The dashboard is valid for import: a Prometheus data source variable, an
// agent selector, and every panel on the data source variable.
func TestOperatorKitDashboardShape(t *testing.T) {
	d := LoadDashboard(t)
	vars := map[string]string{}
	for _, v := range d.Templating.List {
		vars[v.Name] = v.Type
	}
	assert.Equal(t, "datasource", vars["datasource"])
	assert.Equal(t, "query", vars["agent"])
	n := 0
	var walk func([]DashboardPanel)
	walk = func(ps []DashboardPanel) {
		for _, p := range ps {
			walk(p.Panels)
			if p.Type == "row" {
				continue
			}
			n++
			require.NotNil(t, p.Datasource, p.Title)
			assert.Equal(t, "${datasource}", p.Datasource.UID, p.Title)
			assert.NotEmpty(t, p.Targets, p.Title)
		}
	}
	walk(d.Panels)
	assert.GreaterOrEqual(t, n, 20)
}

const operatorKitCollectorConfig = `
receivers:
  netifyflowstats:
    http:
      endpoint: {{.HTTP}}
    flush_interval: 500ms
exporters:
  prometheus:
    endpoint: {{.Exporter}}
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
      level: normal
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: {{.TelemetryPort}}
`

const operatorKitPrometheusConfig = `
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {{.Rules}}
scrape_configs:
  - job_name: netify
    static_configs:
      - targets: ["{{.Exporter}}"]
  - job_name: otelcol
    static_configs:
      - targets: ["127.0.0.1:{{.TelemetryPort}}"]
`

// Every dashboard query and every rule expression returns data from a real
// Prometheus that scraped the collector (its exporter and its own
// telemetry) while the simulator fed it.
func TestOperatorKitQueriesReturnData(t *testing.T) {
	telemetry := FreeAddr(t)
	ports := struct{ HTTP, Exporter, Health, TelemetryPort string }{
		HTTP: FreeAddr(t), Exporter: FreeAddr(t), Health: FreeAddr(t),
		TelemetryPort: telemetry[strings.LastIndexByte(telemetry, ':')+1:],
	}
	c := StartCollector(t, RenderConfig(t, operatorKitCollectorConfig, ports))
	c.WaitForHTTP("http://" + ports.Health + "/")

	rules := writeTempRules(t, t.TempDir(), "2s")
	prom := StartPrometheus(t, RenderConfig(t, operatorKitPrometheusConfig, map[string]string{
		"Rules": rules, "Exporter": ports.Exporter, "TelemetryPort": ports.TelemetryPort,
	}))

	agents := []string{"kit-agent-1", "kit-agent-2"}
	sim := StartSimulator(t, "-mode", "http", "-url", "http://"+ports.HTTP+"/v1/netify",
		"-agent-ids", strings.Join(agents, ","), "-flows", "20", "-interval", "1s", "-intervals", "40")
	// One malformed record, so that the refused-records series exist.
	postMalformed(t, "http://"+ports.HTTP+"/v1/netify")

	vars := DashboardVars{Agent: strings.Join(agents, "|"), RateInterval: "30s", Range: "5m"}
	ruleGroups := LoadRules(t)
	queries := append(LoadDashboard(t).Queries(vars), ruleGroups.Queries(t)...)
	// The agent selector's values: label_values(<metric>, netify_agent_id).
	queries = append(queries, agentVariableQuery(t))

	ctx := context.Background()
	pending := map[string]string{}
	for _, q := range queries {
		pending[q.Source] = q.Expr
	}
	// Data comes in as Prometheus scrapes and evaluates: poll until every
	// query answers with data.
	deadline := time.Now().Add(90 * time.Second)
	for len(pending) > 0 && time.Now().Before(deadline) {
		for src, expr := range pending {
			res, err := prom.Query(ctx, expr)
			require.NoError(t, err, "%s", src)
			if len(res) > 0 {
				delete(pending, src)
			}
		}
		time.Sleep(time.Second)
	}
	for _, src := range sortedKeys(keysSet(pending)) {
		t.Errorf("%s returned no data: %s", src, pending[src])
	}

	// The agent selector lists the simulated agents.
	res, err := prom.Query(ctx, agentVariableQuery(t).Expr)
	require.NoError(t, err)
	var got []string
	for _, s := range res {
		got = append(got, s.Metric["netify_agent_id"])
	}
	assert.ElementsMatch(t, agents, got)

	sim.Wait(60 * time.Second)
}

// agentVariableQuery is the dashboard's agent variable as an instant query.
func agentVariableQuery(t *testing.T) KitQuery {
	t.Helper()
	for _, v := range LoadDashboard(t).Templating.List {
		if v.Name != "agent" {
			continue
		}
		m := regexp.MustCompile(`^label_values\((.+),\s*(\w+)\)$`).FindStringSubmatch(v.Definition)
		require.NotNil(t, m, "agent variable %q is not label_values(metric, label)", v.Definition)
		return KitQuery{Source: "dashboard variable: agent", Expr: "group by (" + m[2] + ") (" + m[1] + ")"}
	}
	t.Fatal("the dashboard has no agent variable")
	return KitQuery{}
}

func postMalformed(t *testing.T, url string) {
	t.Helper()
	req, err := newPost(url, `{"type":"flow_stats","flow":{"digest":"not hex"}}`)
	require.NoError(t, err)
	resp, err := httpClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, 400, resp.StatusCode)
}

func keysSet(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
