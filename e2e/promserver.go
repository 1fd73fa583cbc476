package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
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

// ToolBinary is the path of a tool scripts/install-prometheus.sh installs
// (prometheus, promtool). When it is missing the test is skipped, or fails
// when CI=true: CI must never pass by skipping.
func ToolBinary(t testing.TB, name string) string {
	t.Helper()
	for _, p := range []string{name, "/usr/bin/" + name} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	msg := name + " not found (install it with scripts/install-prometheus.sh or `make tools`)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// PromServer is a Prometheus server started by StartPrometheus.
type PromServer struct {
	t      testing.TB
	URL    string // http://127.0.0.1:port
	cmd    *exec.Cmd
	output *syncbuf.Buffer
	exited chan struct{}
}

// StartPrometheus starts the prometheus binary with config (YAML) on a free
// loopback port, with its storage in a temporary directory, and waits until
// it is ready. It is stopped when the test ends, its log shown on failure.
func StartPrometheus(t testing.TB, config string) *PromServer {
	t.Helper()
	bin := ToolBinary(t, "prometheus")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		t.Fatalf("writing the Prometheus config: %v", err)
	}
	addr := FreeAddr(t)
	p := &PromServer{t: t, URL: "http://" + addr, output: &syncbuf.Buffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(bin,
		"--config.file="+cfgPath,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
	)
	p.cmd.Stdout, p.cmd.Stderr = p.output, p.output
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting prometheus: %v", err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("prometheus output:\n%s", p.output.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.URL + "/-/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("prometheus exited during start-up:\n%s", p.output.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready after 30s:\n%s", p.output.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// PromSample is one element of an instant query's result.
type PromSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// Float is the sample's value.
func (s PromSample) Float() float64 {
	str, _ := s.Value[1].(string)
	v, err := strconv.ParseFloat(str, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// Query runs an instant query through the HTTP API. A query Prometheus
// rejects (a parse error, say) is an error; an empty result is not.
func (p *PromServer) Query(ctx context.Context, query string) ([]PromSample, error) {
	return p.QueryAt(ctx, query, time.Time{})
}

// QueryAt runs an instant query evaluated at time at (the zero time: now).
func (p *PromServer) QueryAt(ctx context.Context, query string, at time.Time) ([]PromSample, error) {
	q := url.Values{"query": {query}}
	if !at.IsZero() {
		q.Set("time", strconv.FormatFloat(float64(at.UnixMilli())/1000, 'f', 3, 64))
	}
	u := p.URL + "/api/v1/query?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("query %q: %w", query, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("query %q: reading the answer: %w", query, err)
	}
	var ans struct {
		Status    string `json:"status"`
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
		Data      struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("query %q: status %d, answer %q: %w", query, resp.StatusCode, body, err)
	}
	if ans.Status != "success" {
		return nil, fmt.Errorf("query %q: %s: %s", query, ans.ErrorType, ans.Error)
	}
	switch ans.Data.ResultType {
	case "vector":
		var out []PromSample
		if err := json.Unmarshal(ans.Data.Result, &out); err != nil {
			return nil, fmt.Errorf("query %q: %w", query, err)
		}
		return out, nil
	case "scalar":
		var v [2]any
		if err := json.Unmarshal(ans.Data.Result, &v); err != nil {
			return nil, fmt.Errorf("query %q: %w", query, err)
		}
		return []PromSample{{Value: v}}, nil
	}
	return nil, fmt.Errorf("query %q: result type %q, want a vector", query, ans.Data.ResultType)
}
