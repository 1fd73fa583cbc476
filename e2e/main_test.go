package e2e

import (
	"fmt"
	"os"
	"testing"
)

// TestMain gives SimulatorBinary a directory to build netifysim into, once
// per test binary run, and removes it afterwards.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "netifysim-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating the simulator build directory:", err)
		os.Exit(1)
	}
	simBinDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
