package mosquittotest

import (
	"os"
	"os/exec"
	"testing"
)

// debianPath is where the Debian package installs mosquitto, a directory
// that is often not on a non-root PATH.
const debianPath = "/usr/sbin/mosquitto"

const missingMessage = "mosquitto not found on PATH or at " + debianPath + ": run scripts/install-mosquitto.sh"

// Binary returns the mosquitto executable. When there is none it skips the
// test, or fails it when the environment says CI=true: CI must not pass by
// skipping every MQTT test.
func Binary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p
	}
	if fi, err := os.Stat(debianPath); err == nil && !fi.IsDir() {
		return debianPath
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(missingMessage)
	}
	t.Skip(missingMessage)
	return ""
}
