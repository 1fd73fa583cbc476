package netifyflowstatsreceiver

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGoldenScenarios plays each scenario in both temporalities and compares
// every flush with its golden file. A flush that emits nothing must have no
// golden file.
func TestGoldenScenarios(t *testing.T) {
	scenarios, err := filepath.Glob(filepath.Join("testdata", "scenarios", "*.ndjson"))
	require.NoError(t, err)
	require.NotEmpty(t, scenarios)
	for _, path := range scenarios {
		name := filepath.Base(path[:len(path)-len(filepath.Ext(path))])
		for _, mode := range goldenModes {
			for _, temporality := range []string{temporalityCumulative, temporalityDelta} {
				run := name + mode.suffix + "-" + temporality
				t.Run(run, func(t *testing.T) {
					playGolden(t, path, filepath.Join("testdata", "golden", run), temporality, mode.tweak)
				})
			}
		}
	}
}

// goldenModes are the configurations every scenario is played in: per-flow
// metrics alone (golden/<scenario>-<temporality>), and views with enriched
// per-flow metrics (golden/<scenario>-views-<temporality>).
var goldenModes = []struct {
	suffix string
	tweak  func(*Config)
}{
	{"", perFlowOnly},
	{"-views", func(cfg *Config) {
		cfg.Views = append(flowmetrics.DefaultViews(), flowmetrics.ViewConfig{
			Name: "external_hosts", GroupBy: []string{"host"}, MaxSeries: 2,
			Measures: []string{flowmetrics.MeasureIO, flowmetrics.MeasureFlows},
			Filter:   []flowmetrics.FilterConfig{{Attribute: "internal", In: []string{"false"}}},
		}, flowmetrics.ViewConfig{
			// Every other attribute, each rendered as documented.
			Name: "endpoints", Measures: []string{flowmetrics.MeasureIO},
			GroupBy: []string{"ip_version", "application_category", "protocol_category", "domain_category",
				"local_address", "local_port", "other_address", "other_port", "other_type", "local_origin", "vlan"},
		})
		cfg.Metrics.NetifyFlowIo.Enabled = true
		cfg.PerFlowAttributes = []string{"application", "transport"}
		cfg.ZeroHold = 20 * time.Second
	}},
}

func playGolden(t *testing.T, scenario, dir, temporality string, tweak func(*Config)) {
	next := &scriptedConsumer{}
	r := newTestReceiver(t, temporality, next, tweak)
	// The receiver's clock follows the scenario's: flushes happen at the
	// receive time of the records before them.
	clock := scenarioEpoch
	r.now = func() time.Time { return clock }
	if *updateGolden {
		require.NoError(t, os.RemoveAll(dir))
		require.NoError(t, os.MkdirAll(dir, 0o755))
	}
	flushes := 0
	for _, s := range loadScenario(t, scenario) {
		clock = scenarioEpoch.Add(s.at)
		if !s.flush {
			playRecord(t, r, s)
			continue
		}
		flushes++
		next.fail(s.failWith)
		before, callsBefore := len(next.AllMetrics()), next.calls
		r.flush(context.Background())
		// A flush hands its points over in batches: per-flow points and
		// view series (flush-N.yaml, merged), then the agents' health
		// (agents-N.yaml). A golden file holds what the consumer took, and
		// a flush of which it took nothing of a kind has no file of it.
		files := map[string]string{
			"flows":  filepath.Join(dir, fmt.Sprintf("flush-%d.yaml", flushes)),
			"agents": filepath.Join(dir, fmt.Sprintf("agents-%d.yaml", flushes)),
		}
		if s.failWith != "" {
			assert.Greater(t, next.calls, callsBefore, "flush %d (line %d) should have reached the consumer", flushes, s.line)
		}
		got := map[string]pmetric.Metrics{}
		for _, md := range next.AllMetrics()[before:] {
			kind := batchKind(md)
			if _, ok := got[kind]; !ok {
				got[kind] = pmetric.NewMetrics()
			}
			md.ResourceMetrics().MoveAndAppendTo(got[kind].ResourceMetrics())
		}
		for kind, file := range files {
			md, ok := got[kind]
			switch {
			case !ok && !*updateGolden:
				assert.NoFileExists(t, file, "flush %d (line %d) handed over no %s", flushes, s.line, kind)
			case !ok:
			case *updateGolden:
				require.NoError(t, golden.WriteMetrics(t, file, md, golden.SkipMetricTimestampNormalization()))
			default:
				want, err := golden.ReadMetrics(file)
				require.NoError(t, err, "flush %d (line %d)", flushes, s.line)
				require.NoError(t, pmetrictest.CompareMetrics(want, md,
					pmetrictest.IgnoreResourceMetricsOrder(),
					pmetrictest.IgnoreMetricsOrder(),
					pmetrictest.IgnoreMetricDataPointsOrder(),
				), "flush %d (line %d) differs from %s", flushes, s.line, file)
			}
		}
	}
	if !*updateGolden {
		// No golden file may be left over from a flush the scenario lost.
		for _, name := range []string{"flush-%d.yaml", "agents-%d.yaml"} {
			_, err := os.Stat(filepath.Join(dir, fmt.Sprintf(name, flushes+1)))
			assert.True(t, errors.Is(err, os.ErrNotExist), "golden files beyond the last flush in %s", dir)
		}
	}
}

// batchKind tells the agents' health batch from the flows' one.
func batchKind(md pmetric.Metrics) string {
	rms := md.ResourceMetrics()
	if rms.Len() > 0 && rms.At(0).ScopeMetrics().Len() > 0 && rms.At(0).ScopeMetrics().At(0).Metrics().Len() > 0 {
		name := rms.At(0).ScopeMetrics().At(0).Metrics().At(0).Name()
		if strings.HasPrefix(name, "netify.agent.") || strings.HasPrefix(name, "netify.interface.") {
			return "agents"
		}
	}
	return "flows"
}
