package mqttin

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
)

const waitFor = 20 * time.Second

// flowStats is one flow_stats record whose digest carries n.
func flowStats(n int) []byte {
	return []byte(fmt.Sprintf(`{"flow":{"digest":"%s","last_seen_at":1772665318561,"local_bytes":%d,"local_packets":1,"other_bytes":2,"other_packets":1,"total_bytes":100,"total_packets":4},"interface":"lan","internal":false,"type":"flow_stats"}`, digest(n), n))
}

func digest(n int) string { return fmt.Sprintf("d%06d", n) }

func digests(from, to int) []string {
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, digest(n))
	}
	return out
}

// recordingSink is the input boundary. busy, when set, makes it answer
// ErrBusy while it returns true.
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

func (s *recordingSink) distinct() int {
	seen := map[string]bool{}
	for _, d := range s.digests() {
		seen[d] = true
	}
	return len(seen)
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

// duplicates counts the records seen more than once, by digest.
func duplicates(ds []string) (extra int, which map[string]int) {
	which = map[string]int{}
	for _, d := range ds {
		which[d]++
	}
	for d, n := range which {
		if n == 1 {
			delete(which, d)
			continue
		}
		extra += n - 1
	}
	return extra, which
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

func (h *statusHost) count(st componentstatus.Status) int {
	n := 0
	for _, s := range h.statuses() {
		if s == st {
			n++
		}
	}
	return n
}

func (h *statusHost) last() componentstatus.Status {
	st := h.statuses()
	if len(st) == 0 {
		return componentstatus.StatusNone
	}
	return st[len(st)-1]
}

func testConfig(b *mosquittotest.Broker, clientID string) Config {
	cfg := NewDefaultConfig()
	cfg.Brokers = []string{b.URL()}
	cfg.ClientID = clientID
	cfg.ConnectTimeout = 2 * time.Second
	cfg.KeepAlive = 5 * time.Second
	cfg.MaxReconnectInterval = 250 * time.Millisecond
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

// startInput starts an input and waits until it is subscribed (status OK).
func startInput(t *testing.T, cfg Config, sink ingest.Sink, host *statusHost, onErr func(string, error)) *Input {
	t.Helper()
	in, err := New(cfg, sink, componenttest.NewNopTelemetrySettings(), onErr)
	require.NoError(t, err)
	oks := host.count(componentstatus.StatusOK)
	require.NoError(t, in.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, in.Shutdown(context.Background())) })
	require.Eventually(t, func() bool { return host.count(componentstatus.StatusOK) > oks }, waitFor, 10*time.Millisecond,
		"the input did not connect and subscribe")
	return in
}

// publisher plays the agent's MQTT sink: a real Paho client publishing at
// QoS 1 and republishing what the broker did not acknowledge.
type publisher struct {
	c mqtt.Client
}

func newPublisher(t *testing.T, b *mosquittotest.Broker) *publisher {
	t.Helper()
	opts := mqtt.NewClientOptions().AddBroker(b.URL()).
		SetClientID("agent-" + strings.ReplaceAll(t.Name(), "/", "-")).
		SetCleanSession(true).
		SetAutoReconnect(true).
		SetConnectRetry(true).
		SetConnectRetryInterval(50 * time.Millisecond).
		SetMaxReconnectInterval(250 * time.Millisecond).
		SetConnectTimeout(2 * time.Second)
	c := mqtt.NewClient(opts)
	tok := c.Connect()
	require.True(t, tok.WaitTimeout(waitFor), "publisher connect timed out")
	require.NoError(t, tok.Error())
	t.Cleanup(func() { c.Disconnect(100) })
	return &publisher{c: c}
}

// publish returns how many attempts the broker needed to acknowledge the
// message: more than one means the broker may hold it twice.
func (p *publisher) publish(topic string, payload []byte) (attempts int, err error) {
	for attempts = 1; attempts <= 100; attempts++ {
		tok := p.c.Publish(topic, 1, false, payload)
		if tok.WaitTimeout(3*time.Second) && tok.Error() == nil {
			return attempts, nil
		}
		time.Sleep(50 * time.Millisecond) // pacing the retries while the broker restarts
	}
	return attempts, fmt.Errorf("publish to %s: no PUBACK after %d attempts", topic, attempts-1)
}

func (p *publisher) publishRange(t *testing.T, topic string, from, to int) {
	t.Helper()
	for n := from; n <= to; n++ {
		_, err := p.publish(topic, flowStats(n))
		require.NoError(t, err)
	}
}
