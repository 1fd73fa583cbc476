package e2e

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// healthCheckPort is where the health_check extension listens in the
// node-agent config and where the probes must point.
const healthCheckPort = 13133

type k8sObjects struct {
	daemonSets      []*appsv1.DaemonSet
	configMaps      []*corev1.ConfigMap
	serviceAccounts []*corev1.ServiceAccount
	services        []*corev1.Service
}

func loadKubernetesManifests(t *testing.T) k8sObjects {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(RepoRoot(t), "deploy", "kubernetes", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no manifests in deploy/kubernetes")
	var objs k8sObjects
	for _, f := range files {
		for _, m := range DecodeManifests(t, f) {
			switch o := m.Object.(type) {
			case *appsv1.DaemonSet:
				objs.daemonSets = append(objs.daemonSets, o)
			case *corev1.ConfigMap:
				objs.configMaps = append(objs.configMaps, o)
			case *corev1.ServiceAccount:
				objs.serviceAccounts = append(objs.serviceAccounts, o)
			case *corev1.Service:
				objs.services = append(objs.services, o)
			default:
				t.Fatalf("%s: unexpected kind %T", f, o)
			}
		}
	}
	require.Len(t, objs.daemonSets, 1, "DaemonSets")
	require.Len(t, objs.configMaps, 1, "ConfigMaps")
	require.Len(t, objs.serviceAccounts, 1, "ServiceAccounts")
	require.Len(t, objs.services, 1, "Services")
	return objs
}

func TestKubernetesManifests(t *testing.T) {
	objs := loadKubernetesManifests(t)
	ds, cm, sa, svc := objs.daemonSets[0], objs.configMaps[0], objs.serviceAccounts[0], objs.services[0]
	cfg := ParseConfig(t, "ConfigMap "+cm.Name, cm.Data[ConfigMapKey])
	pod := ds.Spec.Template.Spec
	require.Len(t, pod.Containers, 1, "DaemonSet containers")
	c := pod.Containers[0]

	t.Run("selector", func(t *testing.T) {
		require.NotNil(t, ds.Spec.Selector)
		require.True(t, labelsInclude(ds.Spec.Template.Labels, ds.Spec.Selector.MatchLabels),
			"DaemonSet selector %v does not select its pod labels %v", ds.Spec.Selector.MatchLabels, ds.Spec.Template.Labels)
	})

	t.Run("service account", func(t *testing.T) {
		require.Equal(t, sa.Name, pod.ServiceAccountName)
	})

	t.Run("resources", func(t *testing.T) {
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			limit, ok := c.Resources.Limits[r]
			require.True(t, ok, "no %s limit", r)
			require.False(t, limit.IsZero(), "zero %s limit", r)
			req, ok := c.Resources.Requests[r]
			require.True(t, ok, "no %s request", r)
			require.LessOrEqual(t, req.Cmp(limit), 0, "%s request %s above limit %s", r, req.String(), limit.String())
		}
	})

	t.Run("probes on health_check", func(t *testing.T) {
		endpoint, err := Dig(cfg, "extensions", "health_check", "endpoint")
		require.NoError(t, err, "health_check extension in the ConfigMap config")
		require.Equal(t, strconv.Itoa(healthCheckPort), portOf(t, endpoint.(string)))
		require.Contains(t, serviceExtensions(t, cfg), "health_check", "health_check is not in service.extensions")
		for name, p := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
			require.NotNil(t, p, "%s probe", name)
			require.NotNil(t, p.HTTPGet, "%s probe is not an HTTP GET", name)
			require.Equal(t, healthCheckPort, resolvePort(t, c, p.HTTPGet.Port), "%s probe port", name)
		}
	})

	t.Run("config mount", func(t *testing.T) {
		configPath := configArg(t, c)
		mount, vol := mountFor(t, pod, c, configPath)
		require.NotNil(t, vol.ConfigMap, "%s is not mounted from a ConfigMap", configPath)
		require.Equal(t, cm.Name, vol.ConfigMap.Name)
		require.Equal(t, configPath, path.Join(mount.MountPath, configMapFile(vol.ConfigMap, ConfigMapKey)),
			"--config does not point at the ConfigMap's %s", ConfigMapKey)
	})

	t.Run("socket hostPath", func(t *testing.T) {
		sockets := socketPaths(t, cfg)
		require.NotEmpty(t, sockets, "the ConfigMap config has no unix socket endpoint")
		for _, sock := range sockets {
			mount, vol := mountFor(t, pod, c, sock)
			require.NotNil(t, vol.HostPath, "socket %s is not on a hostPath volume", sock)
			require.Equal(t, path.Clean(vol.HostPath.Path), path.Clean(mount.MountPath),
				"the hostPath %s is mounted at %s: the agent's socket would appear elsewhere", vol.HostPath.Path, mount.MountPath)
		}
	})

	t.Run("http hostPort", func(t *testing.T) {
		endpoint, err := Dig(cfg, "receivers", "netifyflowstats", "http", "endpoint")
		require.NoError(t, err)
		port := portOf(t, endpoint.(string))
		cp := containerPort(c, port)
		require.NotNil(t, cp, "no container port %s for the receiver's http endpoint", port)
		require.Equal(t, cp.ContainerPort, cp.HostPort, "the agent posts to <node IP>:%s: it needs the hostPort", port)
	})

	t.Run("prometheus scrape annotations", func(t *testing.T) {
		endpoint, err := Dig(cfg, "exporters", "prometheus", "endpoint")
		require.NoError(t, err)
		require.Equal(t, portOf(t, endpoint.(string)), ds.Spec.Template.Annotations["prometheus.io/port"])
	})

	t.Run("service", func(t *testing.T) {
		require.True(t, labelsInclude(ds.Spec.Template.Labels, svc.Spec.Selector),
			"Service selector %v does not select the DaemonSet's pods %v", svc.Spec.Selector, ds.Spec.Template.Labels)
		require.NotEmpty(t, svc.Spec.Ports)
		for _, p := range svc.Spec.Ports {
			resolvePort(t, c, p.TargetPort)
		}
	})
}

// TestStrictManifestDecoding proves the decoding above rejects what
// Kubernetes would reject or silently drop.
func TestStrictManifestDecoding(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field": `apiVersion: v1
kind: ServiceAccount
metadata:
  name: x
automountToken: false
`,
		"duplicate field": `apiVersion: v1
kind: ServiceAccount
metadata:
  name: x
  name: y
`,
		"unknown kind": `apiVersion: v1
kind: Sevrice
metadata:
  name: x
`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeManifest([]byte(doc))
			require.Error(t, err)
		})
	}
	obj, err := DecodeManifest([]byte("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n"))
	require.NoError(t, err)
	require.IsType(t, &corev1.ServiceAccount{}, obj)
}

func labelsInclude(labels, selector map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// portOf is the port of a host:port endpoint whose host may be a
// ${env:VAR} reference (which net.SplitHostPort rejects for its colon).
func portOf(t *testing.T, endpoint string) string {
	t.Helper()
	i := strings.LastIndex(endpoint, ":")
	require.Positive(t, i, "endpoint %q has no port", endpoint)
	port := endpoint[i+1:]
	_, err := strconv.ParseUint(port, 10, 16)
	require.NoError(t, err, "endpoint %q: port", endpoint)
	return port
}

func serviceExtensions(t *testing.T, cfg map[string]any) []any {
	t.Helper()
	v, err := Dig(cfg, "service", "extensions")
	require.NoError(t, err)
	l, ok := v.([]any)
	require.True(t, ok, "service.extensions is not a list")
	return l
}

// resolvePort turns a probe's or Service's port (number or name) into the
// container port number.
func resolvePort(t *testing.T, c corev1.Container, p intstr.IntOrString) int {
	t.Helper()
	if p.Type == intstr.Int {
		return p.IntValue()
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort)
		}
	}
	t.Fatalf("container %s has no port named %q", c.Name, p.StrVal)
	return 0
}

func containerPort(c corev1.Container, port string) *corev1.ContainerPort {
	for i := range c.Ports {
		if strconv.Itoa(int(c.Ports[i].ContainerPort)) == port {
			return &c.Ports[i]
		}
	}
	return nil
}

func configArg(t *testing.T, c corev1.Container) string {
	t.Helper()
	args := append(append([]string{}, c.Command...), c.Args...)
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--config="); ok {
			return v
		}
		if a == "--config" && i+1 < len(args) {
			return args[i+1]
		}
	}
	t.Fatalf("container %s has no --config argument: %v", c.Name, args)
	return ""
}

// mountFor finds the volume mount (the deepest one) holding file, and its volume.
func mountFor(t *testing.T, pod corev1.PodSpec, c corev1.Container, file string) (corev1.VolumeMount, corev1.Volume) {
	t.Helper()
	var best *corev1.VolumeMount
	for i, m := range c.VolumeMounts {
		dir := path.Clean(m.MountPath)
		if strings.HasPrefix(path.Clean(file), dir+"/") && (best == nil || len(dir) > len(best.MountPath)) {
			best = &c.VolumeMounts[i]
		}
	}
	if best == nil {
		t.Fatalf("no volume mount holds %s", file)
	}
	for _, v := range pod.Volumes {
		if v.Name == best.Name {
			return *best, v
		}
	}
	t.Fatalf("volume mount %s names no volume of the pod", best.Name)
	return corev1.VolumeMount{}, corev1.Volume{}
}

func configMapFile(v *corev1.ConfigMapVolumeSource, key string) string {
	for _, item := range v.Items {
		if item.Key == key {
			return item.Path
		}
	}
	return key
}

// socketPaths are the file paths of the receiver's unix socket endpoints.
func socketPaths(t *testing.T, cfg map[string]any) []string {
	t.Helper()
	v, err := Dig(cfg, "receivers", "netifyflowstats", "socket", "endpoints")
	require.NoError(t, err)
	var out []string
	for i, e := range v.([]any) {
		raw, err := Dig(e, "endpoint")
		require.NoError(t, err, fmt.Sprintf("socket endpoint %d", i))
		u, err := url.Parse(raw.(string))
		require.NoError(t, err)
		if u.Scheme == "unix" {
			out = append(out, u.Path)
		}
	}
	return out
}
