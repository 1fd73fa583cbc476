package socketin

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
)

// flowStats is one newline-terminated flow_stats record whose digest
// carries the sequence number n, so the sink side can check order and loss.
func flowStats(n int) string {
	return fmt.Sprintf(`{"flow":{"digest":"%s","last_seen_at":1772665318561,"local_bytes":%d,"local_packets":1,"other_bytes":2,"other_packets":1,"total_bytes":100,"total_packets":4},"interface":"lan","internal":false,"type":"flow_stats"}`+"\n", digest(n), n)
}

func digest(n int) string { return fmt.Sprintf("d%06d", n) }

func digests(from, to int) []string {
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, digest(n))
	}
	return out
}

// recordingSink is the input boundary: it keeps every batch it takes. When
// busy is set, it answers ErrBusy while busy returns true.
type recordingSink struct {
	busy func() bool

	mu        sync.Mutex
	batches   []ingest.Batch
	busyCalls int
}

func (s *recordingSink) Accept(_ context.Context, b ingest.Batch) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy != nil && s.busy() {
		s.busyCalls++
		return 0, ingest.ErrBusy
	}
	s.batches = append(s.batches, b)
	return len(b.Records), nil
}

func (s *recordingSink) digests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, b := range s.batches {
		for _, r := range b.Records {
			out = append(out, r.Digest)
		}
	}
	return out
}

func (s *recordingSink) snapshot() []ingest.Batch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ingest.Batch(nil), s.batches...)
}

func (s *recordingSink) busyCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busyCalls
}

// statusHost records the status events the input reports.
type statusHost struct {
	component.Host
	mu     sync.Mutex
	events []*componentstatus.Event
}

func newStatusHost() *statusHost { return &statusHost{Host: componenttest.NewNopHost()} }

func (h *statusHost) Report(ev *componentstatus.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

func (h *statusHost) statuses() []componentstatus.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []componentstatus.Status
	for _, ev := range h.events {
		out = append(out, ev.Status())
	}
	return out
}

func (h *statusHost) last() componentstatus.Status {
	st := h.statuses()
	if len(st) == 0 {
		return componentstatus.StatusNone
	}
	return st[len(st)-1]
}

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

type decodeErrors struct {
	mu   sync.Mutex
	errs []error
}

func (d *decodeErrors) record(transport string, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if transport != Transport {
		err = fmt.Errorf("wrong transport %q: %w", transport, err)
	}
	d.errs = append(d.errs, err)
}

func (d *decodeErrors) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.errs)
}

func startInput(t *testing.T, cfg Config, sink ingest.Sink, host component.Host, onErr func(string, error)) *Input {
	t.Helper()
	in, err := New(cfg, sink, componenttest.NewNopTelemetrySettings(), onErr)
	require.NoError(t, err)
	require.NoError(t, in.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, in.Shutdown(context.Background())) })
	return in
}
