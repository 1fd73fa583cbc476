package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDockerfile parses deploy/Dockerfile with BuildKit's own parser (there
// is no Docker daemon here to build it) and checks what the image promises:
// a static binary built by the pinned ocb, a scratch final stage running as
// an unprivileged user, and a default config that is the one the validate
// test checks.
func TestDockerfile(t *testing.T) {
	root := RepoRoot(t)
	f, err := os.Open(filepath.Join(root, "deploy", "Dockerfile"))
	require.NoError(t, err)
	defer f.Close()
	ast, err := parser.Parse(f)
	require.NoError(t, err)
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	require.NoError(t, err)
	require.Len(t, stages, 2, "a build stage and a runtime stage")
	build, final := stages[0], stages[1]

	args := map[string]string{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Value != nil {
				args[kv.Key] = *kv.Value
			}
		}
	}
	assert.Contains(t, args["GO_IMAGE"], "golang:", "the build stage is a Go image")
	assert.Equal(t, "${GO_IMAGE}", build.BaseName)
	assert.Equal(t, "scratch", final.BaseName, "no shell, no libc in the image")

	var cgoOff, ocbPinned, validates bool
	for _, c := range build.Commands {
		switch c := c.(type) {
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				cgoOff = cgoOff || (kv.Key == "CGO_ENABLED" && kv.Value == "0")
			}
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				if kv.Key == "OCB_VERSION" && kv.Value != nil {
					ocbPinned = *kv.Value == installedOCBVersion(t, root)
				}
			}
		case *instructions.RunCommand:
			line := strings.Join(c.CmdLine, " ")
			validates = validates || strings.Contains(line, "otelcol-netify validate --config /src/deploy/otelcol-netify.yaml")
		}
	}
	assert.True(t, cgoOff, "CGO_ENABLED=0: the binary must be static for scratch")
	assert.True(t, ocbPinned, "the image pins the ocb version scripts/install-tools.sh installs")
	assert.True(t, validates, "the build validates the image's default config")

	var user string
	var copied []string
	var cmd, entrypoint []string
	var exposed []string
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			user = c.User
		case *instructions.CopyCommand:
			copied = append(copied, c.DestPath)
			if c.From == "" {
				assert.Equal(t, []string{"deploy/otelcol-netify.yaml"}, c.SourcePaths, "the only file from the context is the default config")
			}
		case *instructions.CmdCommand:
			cmd = c.CmdLine
		case *instructions.EntrypointCommand:
			entrypoint = c.CmdLine
		case *instructions.ExposeCommand:
			exposed = append(exposed, c.Ports...)
		}
	}
	assert.Regexp(t, regexp.MustCompile(`^[1-9][0-9]*(:[1-9][0-9]*)?$`), user, "a numeric, non-root user")
	assert.Equal(t, []string{"/otelcol-netify"}, entrypoint)
	require.Len(t, cmd, 2)
	assert.Equal(t, "--config", cmd[0])
	assert.Contains(t, copied, cmd[1], "the config the image starts with is the one it copies in")
	assert.Contains(t, copied, "/etc/ssl/certs/ca-certificates.crt", "TLS to backends and brokers needs CA certificates")
	for _, port := range []string{"9735", "13133"} {
		assert.True(t, slices.Contains(exposed, port), "port %s exposed", port)
	}
}

// installedOCBVersion is the ocb version scripts/install-tools.sh pins.
func installedOCBVersion(t *testing.T, root string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "scripts", "install-tools.sh"))
	require.NoError(t, err)
	m := regexp.MustCompile(`OCB_VERSION="\$\{OCB_VERSION:-(v[0-9.]+)\}"`).FindSubmatch(b)
	require.NotNil(t, m, "scripts/install-tools.sh pins OCB_VERSION")
	return string(m[1])
}
