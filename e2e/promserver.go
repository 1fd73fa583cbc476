package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/syncbuf"
)

// PromServer is a real Prometheus (Debian's prometheus package, installed by
// scripts/install-prometheus.sh) scraping targets on loopback, queried
// through its HTTP API.
type PromServer struct {
	t    testing.TB
	Addr string
	cmd  *exec.Cmd
	out  *syncbuf.Buffer
}

// PromTarget is one scrape job.
type PromTarget struct {
	Job, Addr string
	// Path defaults to /metrics.
	Path string
}

// StartPrometheus starts Prometheus scraping the targets every interval,
// with its storage in a temporary directory and its rules, if any, from
// ruleFiles. It is stopped when the test ends.
func StartPrometheus(t testing.TB, interval time.Duration, targets []PromTarget, ruleFiles ...string) *PromServer {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("prometheus not found (scripts/install-prometheus.sh installs it): %v", err)
		}
		t.Skipf("prometheus not found: %v", err)
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf("global:\n  scrape_interval: %s\n  evaluation_interval: %s\n", interval, interval)
	if len(ruleFiles) > 0 {
		cfg += "rule_files:\n"
		for _, f := range ruleFiles {
			cfg += fmt.Sprintf("  - %q\n", f)
		}
	}
	cfg += "scrape_configs:\n"
	for _, tg := range targets {
		path := tg.Path
		if path == "" {
			path = "/metrics"
		}
		cfg += fmt.Sprintf("  - job_name: %q\n    metrics_path: %q\n    static_configs:\n      - targets: [%q]\n", tg.Job, path, tg.Addr)
	}
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	p := &PromServer{t: t, Addr: FreeAddr(t), out: &syncbuf.Buffer{}}
	p.cmd = exec.Command(bin,
		"--config.file="+cfgPath,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+p.Addr,
		"--log.level=warn",
	)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting prometheus: %v", err)
	}
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus output:\n%s", p.out.String())
		}
	})
	deadline := time.Now().Add(StartupTimeout)
	for {
		resp, err := http.Get("http://" + p.Addr + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready on %s: %v\n%s", p.Addr, err, p.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// PromSample is one series of an instant query's result.
type PromSample struct {
	Labels map[string]string
	Value  float64
}

// Query runs an instant query at time at (the zero time: now).
func (p *PromServer) Query(expr string, at time.Time) ([]PromSample, error) {
	q := url.Values{"query": {expr}}
	if !at.IsZero() {
		q.Set("time", strconv.FormatFloat(float64(at.UnixMilli())/1000, 'f', 3, 64))
	}
	resp, err := http.Get("http://" + p.Addr + "/api/v1/query?" + q.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("query %q: %w", expr, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("query %q: %s", expr, body.Error)
	}
	var out []PromSample
	for _, r := range body.Data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("query %q: value %q: %w", expr, s, err)
		}
		out = append(out, PromSample{Labels: r.Metric, Value: v})
	}
	return out, nil
}
