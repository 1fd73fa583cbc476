package e2e

import (
	"net"
	"testing"
)

// FreeAddr returns a loopback host:port that was free a moment ago. Another
// process can take it before the collector binds it; the window is small and
// a collector that cannot bind fails to start loudly.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free loopback port: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("releasing port %s: %v", addr, err)
	}
	return addr
}
