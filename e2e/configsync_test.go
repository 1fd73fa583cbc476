package e2e

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The node-agent config lives in three places; they must not drift apart.
func TestDeployConfigsMatchNodeAgentExample(t *testing.T) {
	example := ParseConfig(t, "examples/k8s-node-agent.yaml",
		readFile(t, filepath.Join(RepoRoot(t), "examples", "k8s-node-agent.yaml")))
	configMap := ParseConfig(t, "deploy/kubernetes/configmap.yaml", ConfigMapCollectorConfig(t))
	helm := ParseConfig(t, "deploy/helm/values.yaml", HelmCollectorConfig(t))

	require.Equal(t, example, configMap, "deploy/kubernetes/configmap.yaml differs from examples/k8s-node-agent.yaml")
	require.Equal(t, example, helm, "deploy/helm/values.yaml `config` (nulls removed) differs from examples/k8s-node-agent.yaml")
}
