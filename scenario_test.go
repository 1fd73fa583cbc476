package netifyflowstatsreceiver

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadatatest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// scenarioEpoch is the time "@at 0s" stands for.
var scenarioEpoch = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// step is one line of a scenario file: a record (raw JSON) or a directive.
type step struct {
	line   int
	agent  string
	at     time.Duration
	record []byte
	// flush is set on "@flush"; failWith is "", "retryable" or "permanent".
	flush    bool
	failWith string
}

func loadScenario(t *testing.T, path string) []step {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var (
		steps []step
		agent string
		at    time.Duration
	)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "@agent "):
			agent = strings.TrimSpace(strings.TrimPrefix(line, "@agent "))
		case strings.HasPrefix(line, "@at "):
			at, err = time.ParseDuration(strings.TrimSpace(strings.TrimPrefix(line, "@at ")))
			require.NoError(t, err, "%s:%d", path, n)
		case line == "@flush" || strings.HasPrefix(line, "@flush "):
			fail := strings.TrimSpace(strings.TrimPrefix(line, "@flush"))
			require.Contains(t, []string{"", "retryable", "permanent"}, fail, "%s:%d", path, n)
			steps = append(steps, step{line: n, at: at, flush: true, failWith: fail})
		case strings.HasPrefix(line, "@"):
			t.Fatalf("%s:%d: unknown directive %q", path, n, line)
		default:
			steps = append(steps, step{line: n, agent: agent, at: at, record: []byte(line)})
		}
	}
	require.NoError(t, sc.Err())
	return steps
}

// scriptedConsumer fails the calls of a flush when told to (a flush makes a
// batch of flows and one of agent health), and keeps what it took.
type scriptedConsumer struct {
	consumertest.MetricsSink
	mu       sync.Mutex
	failNext error
	calls    int
}

func (c *scriptedConsumer) ConsumeMetrics(ctx context.Context, md pmetric.Metrics) error {
	c.mu.Lock()
	c.calls++
	err := c.failNext
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return c.MetricsSink.ConsumeMetrics(ctx, md)
}

func (c *scriptedConsumer) fail(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch kind {
	case "retryable":
		c.failNext = fmt.Errorf("backend unavailable")
	case "permanent":
		c.failNext = consumererror.NewPermanent(fmt.Errorf("backend refused the data"))
	default:
		c.failNext = nil
	}
}

// enablePerFlow turns on the per-flow metrics that were on by default
// before views (all but netify.flow.detection.packets).
func enablePerFlow(cfg *Config) {
	m := &cfg.Metrics
	for _, on := range []*bool{
		&m.NetifyFlowIo.Enabled, &m.NetifyFlowPackets.Enabled, &m.NetifyFlowRate.Enabled,
		&m.NetifyFlowTCPResets.Enabled, &m.NetifyFlowTCPRetransmissions.Enabled, &m.NetifyFlowTCPSequenceErrors.Enabled,
		&m.NetifyFlowLifetimeIo.Enabled, &m.NetifyFlowLifetimePackets.Enabled,
	} {
		*on = true
	}
}

// perFlowOnly is the configuration most tests use: per-flow metrics on,
// no views, no zero hold.
func perFlowOnly(cfg *Config) {
	enablePerFlow(cfg)
	cfg.Views = nil
	cfg.ZeroHold = 0
}

// newTestReceiver starts a receiver with no input of its own and a flush
// interval long enough that only the test flushes. Unless tweaked, it has
// the per-flow metrics and no views (perFlowOnly). Its clock stands at
// scenarioEpoch.
func newTestReceiver(t testing.TB, temporality string, next consumer.Metrics, tweak ...func(*Config)) *netifyReceiver {
	t.Helper()
	return startTestReceiver(t, receivertest.NewNopSettings(metadata.Type), temporality, next, tweak)
}

// newTelemetryTestReceiver is newTestReceiver (cumulative) with telemetry
// the test reads.
func newTelemetryTestReceiver(t testing.TB, next consumer.Metrics, tweak ...func(*Config)) (*netifyReceiver, *componenttest.Telemetry) {
	t.Helper()
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	return startTestReceiver(t, metadatatest.NewSettings(tt), temporalityCumulative, next, tweak), tt
}

func startTestReceiver(t testing.TB, set receiver.Settings, temporality string, next consumer.Metrics, tweak []func(*Config)) *netifyReceiver {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	cfg.HTTP = configoptional.None[HTTPConfig]()
	cfg.Temporality = temporality
	cfg.FlushInterval = time.Hour
	cfg.Flows.IdleTimeout = 24 * time.Hour
	if len(tweak) == 0 {
		tweak = []func(*Config){perFlowOnly}
	}
	for _, f := range tweak {
		f(cfg)
	}
	r, err := newReceiver(set, cfg, next)
	require.NoError(t, err)
	r.now = func() time.Time { return scenarioEpoch }
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return r
}

// playRecord decodes one record line as the HTTP input would and hands it
// to the sink.
func playRecord(t *testing.T, sink ingest.Sink, s step) {
	t.Helper()
	recs, errs := record.Decode(s.record, "application/json")
	require.Empty(t, errs, "line %d", s.line)
	_, err := sink.Accept(context.Background(), ingest.Batch{
		Agent: s.agent, Transport: "http", Received: scenarioEpoch.Add(s.at), Records: recs,
	})
	require.NoError(t, err, "line %d", s.line)
}
