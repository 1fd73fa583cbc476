package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot is the receiver repository's root: the parent of this module,
// recognised by its builder-config.yaml.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatalf("resolving the repository root: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "builder-config.yaml")); err != nil {
		t.Fatalf("repository root %s has no builder-config.yaml (run the tests from the e2e directory): %v", root, err)
	}
	return root
}

// CollectorBinary is the otelcol-netify binary under test: $OTELCOL_BIN, else
// _build/otelcol-netify in the repository. When it is missing the test is
// skipped, or fails when CI=true: CI must never pass by skipping.
func CollectorBinary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("OTELCOL_BIN")
	if bin == "" {
		bin = filepath.Join(RepoRoot(t), "_build", "otelcol-netify")
	}
	info, err := os.Stat(bin)
	if err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
		return bin
	}
	msg := "collector binary " + bin + " not found or not executable (build it with `make collector` or set OTELCOL_BIN)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
