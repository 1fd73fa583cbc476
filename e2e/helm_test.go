package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The Helm values must wire the chart the way deploy/kubernetes is wired.
func TestHelmValues(t *testing.T) {
	v := HelmValues(t)
	get := func(path ...any) any {
		t.Helper()
		x, err := Dig(v, path...)
		require.NoError(t, err)
		return x
	}
	require.Equal(t, "daemonset", get("mode"))
	require.Equal(t, "otelcol-netify", get("command", "name"), "the chart runs /<command.name>: the image's binary")
	require.NotEmpty(t, get("image", "repository"))
	require.NotEmpty(t, get("resources", "limits", "memory"))
	require.NotEmpty(t, get("resources", "limits", "cpu"))

	require.Equal(t, "/var/run/netifyd", get("extraVolumes", 0, "hostPath", "path"))
	require.Equal(t, get("extraVolumes", 0, "name"), get("extraVolumeMounts", 0, "name"))
	require.Equal(t, "/var/run/netifyd", get("extraVolumeMounts", 0, "mountPath"))

	require.Equal(t, true, get("ports", "netify-http", "enabled"))
	require.EqualValues(t, 9735, get("ports", "netify-http", "containerPort"))
	require.EqualValues(t, 9735, get("ports", "netify-http", "hostPort"))
	require.EqualValues(t, 8889, get("ports", "prom-metrics", "containerPort"))
	for _, p := range []string{"otlp", "otlp-http", "jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"} {
		require.Equal(t, false, get("ports", p, "enabled"), "chart default port %s belongs to a receiver this distribution lacks", p)
	}
	require.EqualValues(t, healthCheckPort, get("livenessProbe", "httpGet", "port"))
	require.EqualValues(t, healthCheckPort, get("readinessProbe", "httpGet", "port"))
}
