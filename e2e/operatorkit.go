package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// KitQuery is one PromQL query of the operator kit (deploy/): a dashboard
// panel target or a rule expression.
type KitQuery struct {
	Source string // "dashboard: <panel> [A]" or "rule: <name>"
	Expr   string
}

// DashboardVars are the concrete values the dashboard's variables take when
// its queries are run outside Grafana.
type DashboardVars struct {
	Agent        string // regex for $agent
	RateInterval string // $__rate_interval
	Range        string // $__range
}

// Expand replaces the dashboard variables of expr.
func (v DashboardVars) Expand(expr string) string {
	return strings.NewReplacer(
		"$__rate_interval", v.RateInterval,
		"$__range", v.Range,
		"${agent}", v.Agent,
		"$agent", v.Agent,
	).Replace(expr)
}

// Dashboard is the part of a Grafana dashboard the tests read.
type Dashboard struct {
	Title      string `json:"title"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Type       string `json:"type"`
			Query      any    `json:"query"`
			Definition string `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
	Panels []DashboardPanel `json:"panels"`
}

// DashboardPanel is a panel and its Prometheus targets.
type DashboardPanel struct {
	Type       string `json:"type"`
	Title      string `json:"title"`
	Datasource *struct {
		Type string `json:"type"`
		UID  string `json:"uid"`
	} `json:"datasource"`
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
	Panels []DashboardPanel `json:"panels"` // of a collapsed row
}

// LoadDashboard reads deploy/grafana/netify-dashboard.json.
func LoadDashboard(t testing.TB) Dashboard {
	t.Helper()
	var d Dashboard
	raw := readFile(t, filepath.Join(RepoRoot(t), "deploy", "grafana", "netify-dashboard.json"))
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatalf("parsing the dashboard: %v", err)
	}
	return d
}

// Queries are every target of every panel, variables expanded.
func (d Dashboard) Queries(v DashboardVars) []KitQuery {
	var out []KitQuery
	var walk func([]DashboardPanel)
	walk = func(ps []DashboardPanel) {
		for _, p := range ps {
			for _, tg := range p.Targets {
				out = append(out, KitQuery{Source: fmt.Sprintf("dashboard: %s [%s]", p.Title, tg.RefID), Expr: v.Expand(tg.Expr)})
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

// RuleGroups is a Prometheus rule file.
type RuleGroups struct {
	Groups []struct {
		Name     string `json:"name"`
		Interval string `json:"interval"`
		Rules    []struct {
			Record string `json:"record"`
			Alert  string `json:"alert"`
			Expr   string `json:"expr"`
		} `json:"rules"`
	} `json:"groups"`
}

// RulesPath is deploy/prometheus/netify-rules.yaml.
func RulesPath(t testing.TB) string {
	return filepath.Join(RepoRoot(t), "deploy", "prometheus", "netify-rules.yaml")
}

// LoadRules parses the kit's rule file.
func LoadRules(t testing.TB) RuleGroups {
	t.Helper()
	var g RuleGroups
	if err := yaml.Unmarshal([]byte(readFile(t, RulesPath(t))), &g); err != nil {
		t.Fatalf("parsing %s: %v", RulesPath(t), err)
	}
	return g
}

// finalComparison is an alert's threshold: a comparison with a number at
// the end of its expression.
var finalComparison = regexp.MustCompile(`(?s)^(.*\S)\s*(>=|<=|==|!=|>|<)\s*[0-9.eE+-]+\s*$`)

// Queries are the recording rules' expressions and their recorded series,
// and the measured side of each alert: its expression without the final
// threshold, which returns data whether or not the alert fires (promtool
// test rules checks the thresholds).
func (g RuleGroups) Queries(t testing.TB) []KitQuery {
	t.Helper()
	var out []KitQuery
	for _, grp := range g.Groups {
		for _, r := range grp.Rules {
			switch {
			case r.Record != "":
				out = append(out,
					KitQuery{Source: "rule: " + r.Record, Expr: r.Expr},
					KitQuery{Source: "recorded: " + r.Record, Expr: r.Record})
			case r.Alert != "":
				m := finalComparison.FindStringSubmatch(r.Expr)
				if m == nil {
					t.Fatalf("alert %s: expression %q does not end in a comparison with a number", r.Alert, r.Expr)
				}
				out = append(out, KitQuery{Source: "alert: " + r.Alert, Expr: m[1]})
			}
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// writeTempRules writes the rule file with each group's evaluation
// interval replaced by interval, so that a short test sees several
// evaluations; nothing else changes.
func writeTempRules(t testing.TB, dir, interval string) string {
	t.Helper()
	raw := readFile(t, RulesPath(t))
	re := regexp.MustCompile(`(?m)^(\s+interval:\s*)\S+\s*$`)
	if !re.MatchString(raw) {
		t.Fatalf("%s has no group interval to shorten", RulesPath(t))
	}
	path := filepath.Join(dir, "netify-rules.yaml")
	if err := os.WriteFile(path, []byte(re.ReplaceAllString(raw, "${1}"+interval)), 0o600); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
	return path
}

var httpClient = &http.Client{Timeout: 10 * time.Second}

func newPost(url, body string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Netify-Agent", "kit-agent-1")
	return req, nil
}
