package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// validateEnv are the environment variables the shipped configs reference
// without a default; `validate` needs values to build the components.
var validateEnv = []string{
	"OTLP_BEARER_TOKEN=e2e-placeholder-token",
	"K8S_NODE_NAME=e2e-node",
	"MY_POD_IP=127.0.0.1",
}

func TestExampleConfigsValidate(t *testing.T) {
	bin := CollectorBinary(t)
	configs := CollectorConfigs(t)
	// Guard against the glob silently matching less than what ships.
	want := []string{
		"examples/local-demo.yaml", "examples/prometheus.yaml", "examples/otlp-backend.yaml", "examples/flow-logs.yaml",
		"examples/k8s-node-agent.yaml", "examples/gateway-deltatocumulative.yaml",
		"deploy/otelcol-netify.yaml", "deploy/kubernetes/configmap.yaml", "deploy/helm/values.yaml",
	}
	names := map[string]bool{}
	for _, c := range configs {
		names[c.Name] = true
	}
	for _, w := range want {
		if !names[w] {
			t.Errorf("config %s is not among those validated", w)
		}
	}

	for _, c := range configs {
		t.Run(strings.ReplaceAll(c.Name, "/", "_"), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(c.YAML), 0o600); err != nil {
				t.Fatalf("writing %s: %v", path, err)
			}
			cmd := exec.Command(bin, "validate", "--config", path)
			cmd.Env = append(os.Environ(), validateEnv...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s validate --config %s (%s): %v\n%s", bin, path, c.Name, err, out)
			}
		})
	}
}

// TestValidateRejectsBadConfig proves the validation above can fail: a config
// error in the receiver must make `validate` exit non-zero and name the key.
func TestValidateRejectsBadConfig(t *testing.T) {
	bin := CollectorBinary(t)
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := `receivers:
  netifyflowstats:
    temporality: sideways
exporters:
  debug: {}
service:
  pipelines:
    metrics:
      receivers: [netifyflowstats]
      exporters: [debug]
`
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
	out, err := exec.Command(bin, "validate", "--config", path).CombinedOutput()
	if err == nil {
		t.Fatalf("validate accepted temporality: sideways; output:\n%s", out)
	}
	if !strings.Contains(string(out), "temporality") {
		t.Fatalf("validate's error does not name the temporality key:\n%s", out)
	}
}
