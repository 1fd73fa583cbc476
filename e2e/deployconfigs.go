package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// ConfigMapKey is the key of deploy/kubernetes/configmap.yaml that holds the
// collector config.
const ConfigMapKey = "config.yaml"

// NamedConfig is a collector config and where it came from.
type NamedConfig struct {
	Name string // for test names and messages
	YAML string
}

// CollectorConfigs are every collector config the repository ships: the
// examples, the container image's default, the one in the Kubernetes
// ConfigMap and the one in the Helm values.
func CollectorConfigs(t testing.TB) []NamedConfig {
	t.Helper()
	root := RepoRoot(t)
	files, err := filepath.Glob(filepath.Join(root, "examples", "*.yaml"))
	if err != nil {
		t.Fatalf("listing examples: %v", err)
	}
	if len(files) == 0 {
		t.Fatal("no examples/*.yaml found")
	}
	files = append(files, filepath.Join(root, "deploy", "otelcol-netify.yaml"))
	sort.Strings(files)
	var out []NamedConfig
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		out = append(out, NamedConfig{Name: rel, YAML: readFile(t, f)})
	}
	out = append(out,
		NamedConfig{Name: "deploy/kubernetes/configmap.yaml", YAML: ConfigMapCollectorConfig(t)},
		NamedConfig{Name: "deploy/helm/values.yaml", YAML: HelmCollectorConfig(t)},
	)
	return out
}

// ConfigMapCollectorConfig is the collector config embedded in
// deploy/kubernetes/configmap.yaml.
func ConfigMapCollectorConfig(t testing.TB) string {
	t.Helper()
	objs := DecodeManifests(t, filepath.Join(RepoRoot(t), "deploy", "kubernetes", "configmap.yaml"))
	for _, o := range objs {
		if cm, ok := o.Object.(*corev1.ConfigMap); ok {
			cfg, ok := cm.Data[ConfigMapKey]
			if !ok {
				t.Fatalf("ConfigMap %s has no %q key", cm.Name, ConfigMapKey)
			}
			return cfg
		}
	}
	t.Fatal("deploy/kubernetes/configmap.yaml holds no ConfigMap")
	return ""
}

// HelmValues are deploy/helm/values.yaml, parsed.
func HelmValues(t testing.TB) map[string]any {
	t.Helper()
	var values map[string]any
	path := filepath.Join(RepoRoot(t), "deploy", "helm", "values.yaml")
	if err := yaml.Unmarshal([]byte(readFile(t, path)), &values); err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	return values
}

// HelmCollectorConfig is the `config` of the Helm values with its null
// entries removed: the chart merges `config` into its own defaults, and a
// null deletes a default. What is left is the whole config the collector gets
// as long as the nulls cover every chart default (checked by validating it).
func HelmCollectorConfig(t testing.TB) string {
	t.Helper()
	cfg, ok := HelmValues(t)["config"].(map[string]any)
	if !ok {
		t.Fatal("deploy/helm/values.yaml has no `config` map")
	}
	out, err := yaml.Marshal(PruneNulls(cfg))
	if err != nil {
		t.Fatalf("re-encoding the Helm config: %v", err)
	}
	return string(out)
}

// PruneNulls removes the keys whose value is null, at every depth.
func PruneNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if e == nil {
				continue
			}
			out[k] = PruneNulls(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = PruneNulls(e)
		}
		return out
	default:
		return v
	}
}

// ParseConfig parses a collector config into generic maps.
func ParseConfig(t testing.TB, name, text string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("parsing the collector config %s: %v", name, err)
	}
	return m
}

// Dig walks nested maps and lists by key (string) or index (int).
func Dig(v any, path ...any) (any, error) {
	for i, p := range path {
		switch key := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%v: not a map at %v", path[:i+1], path[:i])
			}
			if v, ok = m[key]; !ok {
				return nil, fmt.Errorf("%v: no key %q", path[:i+1], key)
			}
		case int:
			l, ok := v.([]any)
			if !ok || key >= len(l) {
				return nil, fmt.Errorf("%v: no element %d", path[:i+1], key)
			}
			v = l[key]
		default:
			return nil, fmt.Errorf("path element %v is neither a key nor an index", p)
		}
	}
	return v, nil
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return string(b)
}
