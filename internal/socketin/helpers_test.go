package socketin

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
)

// flowStats is one newline-terminated flow_stats record whose digest
// carries the sequence number n, so the sink side can check order and loss.
func flowStats(n int) string { return ingesttest.FlowStatsJSON(n) + "\n" }

// testAgent plays the agent's socket sink: it listens, and the test writes
// to each connection the receiver makes.
type testAgent struct {
	t       *testing.T
	network string
	addr    string
	ln      net.Listener
	conns   chan net.Conn
}

func newUnixAgent(t *testing.T) *testAgent {
	// Unix socket paths are limited to ~108 bytes; t.TempDir can be longer.
	dir, err := os.MkdirTemp("", "sockin")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return listenAgent(t, "unix", filepath.Join(dir, "flows.sock"))
}

func newTCPAgent(t *testing.T) *testAgent { return listenAgent(t, "tcp", "127.0.0.1:0") }

func listenAgent(t *testing.T, network, addr string) *testAgent {
	a := &testAgent{t: t, network: network, conns: make(chan net.Conn, 16)}
	a.listen(addr)
	t.Cleanup(a.stop)
	return a
}

func (a *testAgent) listen(addr string) {
	ln, err := net.Listen(a.network, addr)
	require.NoError(a.t, err, "test agent listen on %s %s", a.network, addr)
	a.ln = ln
	a.addr = ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			a.conns <- c
		}
	}()
}

// endpoint is the receiver-side URL of the agent.
func (a *testAgent) endpoint() string {
	if a.network == "unix" {
		return "unix://" + a.addr
	}
	return "tcp://" + a.addr
}

// accept waits for the receiver's next connection.
func (a *testAgent) accept() net.Conn {
	a.t.Helper()
	select {
	case c := <-a.conns:
		a.t.Cleanup(func() { _ = c.Close() })
		return c
	case <-time.After(15 * time.Second):
		a.t.Fatalf("the receiver did not connect to %s", a.endpoint())
		return nil
	}
}

// stop closes the listener (the agent went away); restart brings it back
// at the same address.
func (a *testAgent) stop() {
	_ = a.ln.Close()
	if a.network == "unix" {
		_ = os.Remove(a.addr)
	}
}

func (a *testAgent) restart() { a.listen(a.addr) }

func write(t *testing.T, c net.Conn, s string) {
	t.Helper()
	_, err := c.Write([]byte(s))
	require.NoError(t, err)
}

func writeRecords(t *testing.T, c net.Conn, from, to int) {
	t.Helper()
	for n := from; n <= to; n++ {
		write(t, c, flowStats(n))
	}
}

// testConfig dials fast and re-dials fast, so tests exercise the loops
// without waiting on production intervals.
func testConfig(idle time.Duration, endpoints ...EndpointConfig) Config {
	cfg := NewDefaultConfig()
	cfg.Endpoints = endpoints
	cfg.IdleTimeout = idle
	cfg.DialTimeout = 2 * time.Second
	cfg.Reconnect.InitialInterval = 10 * time.Millisecond
	cfg.Reconnect.MaxInterval = 50 * time.Millisecond
	return cfg
}

func startInput(t *testing.T, cfg Config, sink ingest.Sink, host component.Host, counter ingest.Counter) *Input {
	t.Helper()
	in, err := New(cfg, settings(sink, counter))
	require.NoError(t, err)
	require.NoError(t, in.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, in.Shutdown(context.Background())) })
	return in
}

// settings are the input's shared settings for a test: no health of its
// own, so the input reports to the host it is started with.
func settings(sink ingest.Sink, counter ingest.Counter) ingest.Settings {
	return ingest.Settings{Sink: sink, Telemetry: componenttest.NewNopTelemetrySettings(), Counter: counter}
}
