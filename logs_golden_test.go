package netifyflowstatsreceiver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadatatest"
)

// scriptedLogs fails the next call when told to, and keeps what it took.
type scriptedLogs struct {
	consumertest.LogsSink
	mu       sync.Mutex
	failNext error
	calls    int
}

func (c *scriptedLogs) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	c.mu.Lock()
	c.calls++
	err := c.failNext
	c.failNext = nil
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

func (c *scriptedLogs) fail(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch kind {
	case "retryable":
		c.failNext = errors.New("backend unavailable")
	case "permanent":
		c.failNext = consumererror.NewPermanent(errors.New("backend refused the data"))
	}
}

// logsReceiver is a started receiver in a metrics and a logs pipeline, with
// no input of its own, whose clock the test moves.
type logsReceiver struct {
	*netifyReceiver
	logs  *scriptedLogs
	clock time.Time
}

func newLogsReceiver(t *testing.T, set receiver.Settings, tweak func(*Config)) *logsReceiver {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	cfg.HTTP = configoptional.None[HTTPConfig]()
	cfg.FlushInterval = time.Hour
	cfg.Flows.IdleTimeout = time.Minute
	cfg.Flows.Max = 5
	cfg.Views = nil
	if tweak != nil {
		tweak(cfg)
	}
	r, err := newReceiver(set, cfg, new(consumertest.MetricsSink))
	require.NoError(t, err)
	lr := &logsReceiver{netifyReceiver: r, logs: &scriptedLogs{}, clock: scenarioEpoch}
	r.nextLogs = lr.logs
	r.now = func() time.Time { return lr.clock }
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return lr
}

// TestLogsGoldenScenarios plays each logs scenario and compares the log
// records of every flush with its golden file (-update rewrites them).
func TestLogsGoldenScenarios(t *testing.T) {
	scenarios, err := filepath.Glob(filepath.Join("testdata", "logs", "scenarios", "*.ndjson"))
	require.NoError(t, err)
	require.NotEmpty(t, scenarios)
	for _, path := range scenarios {
		name := filepath.Base(path[:len(path)-len(filepath.Ext(path))])
		t.Run(name, func(t *testing.T) {
			playLogsGolden(t, path, filepath.Join("testdata", "logs", "golden", name))
		})
	}
}

func playLogsGolden(t *testing.T, scenario, dir string) {
	r := newLogsReceiver(t, receivertest.NewNopSettings(metadata.Type), nil)
	if *updateGolden {
		require.NoError(t, os.RemoveAll(dir))
		require.NoError(t, os.MkdirAll(dir, 0o755))
	}
	flushes := 0
	for _, s := range loadScenario(t, scenario) {
		r.clock = scenarioEpoch.Add(s.at)
		if !s.flush {
			playRecord(t, r, s)
			continue
		}
		flushes++
		r.logs.fail(s.failWith)
		before, callsBefore := len(r.logs.AllLogs()), r.logs.calls
		r.flush(context.Background())
		file := filepath.Join(dir, fmt.Sprintf("flush-%d.yaml", flushes))
		if s.failWith != "" {
			assert.Equal(t, callsBefore+1, r.logs.calls, "flush %d (line %d) should have reached the consumer", flushes, s.line)
			assert.NoFileExists(t, file, "flush %d failed downstream; it has no golden file", flushes)
			continue
		}
		all := r.logs.AllLogs()
		if len(all) == before {
			if !*updateGolden {
				assert.NoFileExists(t, file, "flush %d (line %d) emitted nothing", flushes, s.line)
			}
			continue
		}
		require.Len(t, all, before+1, "flush %d (line %d) fits one batch", flushes, s.line)
		got := all[len(all)-1]
		if *updateGolden {
			require.NoError(t, golden.WriteLogsToFile(file, got))
			continue
		}
		want, err := golden.ReadLogs(file)
		require.NoError(t, err, "flush %d (line %d)", flushes, s.line)
		require.NoError(t, plogtest.CompareLogs(want, got), "flush %d (line %d) differs from %s", flushes, s.line, file)
		// CompareLogs leaves event names out.
		assert.Equal(t, eventNames(want), eventNames(got), "flush %d event names", flushes)
	}
	if !*updateGolden {
		_, err := os.Stat(filepath.Join(dir, fmt.Sprintf("flush-%d.yaml", flushes+1)))
		assert.True(t, errors.Is(err, os.ErrNotExist), "golden files beyond the last flush in %s", dir)
	}
}

func eventNames(ld plog.Logs) []string {
	var out []string
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				out = append(out, lrs.At(k).EventName())
			}
		}
	}
	return out
}

// TestLogsScenarioTelemetry plays the lifecycle scenario and checks what the
// receiver says about its log records: those the consumer took, and the one
// it refused for good.
func TestLogsScenarioTelemetry(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	set := receivertest.NewNopSettings(metadata.Type)
	set.TelemetrySettings = tt.NewTelemetrySettings()
	r := newLogsReceiver(t, set, nil)
	for _, s := range loadScenario(t, filepath.Join("testdata", "logs", "scenarios", "lifecycle.ndjson")) {
		r.clock = scenarioEpoch.Add(s.at)
		if !s.flush {
			playRecord(t, r, s)
			continue
		}
		r.logs.fail(s.failWith)
		r.flush(context.Background())
	}
	metadatatest.AssertEqualNetifyflowstatsLogsEmitted(t, tt, []metricdata.DataPoint[int64]{{Value: 7}}, metricdatatest.IgnoreTimestamp())
	metadatatest.AssertEqualNetifyflowstatsLogsDropped(t, tt, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(attribute.String("reason", "refused"))},
	}, metricdatatest.IgnoreTimestamp())
	assert.Equal(t, 7, r.logs.LogRecordCount())
}

// A rate bound of one record a second drops the rest of a burst, counted.
func TestLogsRateBoundCounted(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	set := receivertest.NewNopSettings(metadata.Type)
	set.TelemetrySettings = tt.NewTelemetrySettings()
	r := newLogsReceiver(t, set, func(cfg *Config) { cfg.Logs.MaxPerSecond = 1 })
	for i := range 3 {
		playRecord(t, r, step{agent: "a", record: fmt.Appendf(nil,
			`{"type":"flow_purge","reason":"closed","interface":"lan","internal":false,"flow":{"digest":"abc%d","local_bytes":1,"other_bytes":1}}`, i)})
	}
	r.flush(context.Background())
	assert.Equal(t, 1, r.logs.LogRecordCount())
	metadatatest.AssertEqualNetifyflowstatsLogsDropped(t, tt, []metricdata.DataPoint[int64]{
		{Value: 2, Attributes: attribute.NewSet(attribute.String("reason", "rate"))},
	}, metricdatatest.IgnoreTimestamp())
}

// At shutdown there is no next flush: records the logs pipeline fails to
// take on the final flush are dropped and counted, not kept.
func TestLogsFinalFlushFailureCounted(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	set := receivertest.NewNopSettings(metadata.Type)
	set.TelemetrySettings = tt.NewTelemetrySettings()
	r := newLogsReceiver(t, set, nil)
	playRecord(t, r, step{agent: "a", record: []byte(
		`{"type":"flow_purge","reason":"closed","interface":"lan","internal":false,"flow":{"digest":"abc1","local_bytes":1,"other_bytes":1}}`)})
	r.logs.fail("retryable")
	r.flush(context.Background())
	assert.Equal(t, 1, r.logs.calls)
	assert.Equal(t, 1, r.netifyReceiver.logs.Len(), "a retryable failure keeps the record queued")

	r.logs.fail("retryable")
	require.NoError(t, r.Shutdown(context.Background()))
	assert.Equal(t, 2, r.logs.calls, "the final flush tried again")
	assert.Zero(t, r.netifyReceiver.logs.Len())
	assert.Zero(t, r.logs.LogRecordCount())
	metadatatest.AssertEqualNetifyflowstatsLogsDropped(t, tt, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(attribute.String("reason", "refused"))},
	}, metricdatatest.IgnoreTimestamp())
}
