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

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"
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
		for _, temporality := range []string{temporalityCumulative, temporalityDelta} {
			t.Run(name+"-"+temporality, func(t *testing.T) {
				dir := filepath.Join("testdata", "golden", name+"-"+temporality)
				playGolden(t, path, dir, temporality)
			})
		}
	}
}

func playGolden(t *testing.T, scenario, dir, temporality string) {
	next := &scriptedConsumer{}
	r := newTestReceiver(t, temporality, next)
	if *updateGolden {
		require.NoError(t, os.RemoveAll(dir))
		require.NoError(t, os.MkdirAll(dir, 0o755))
	}
	flushes := 0
	for _, s := range loadScenario(t, scenario) {
		if !s.flush {
			playRecord(t, r, s)
			continue
		}
		flushes++
		next.fail(s.failWith)
		before, callsBefore := len(next.AllMetrics()), next.calls
		r.flush(context.Background())
		// A flush emits up to two batches: the flows (flush-N.yaml), then
		// the agents' health (agents-N.yaml).
		files := map[string]string{
			"flows":  filepath.Join(dir, fmt.Sprintf("flush-%d.yaml", flushes)),
			"agents": filepath.Join(dir, fmt.Sprintf("agents-%d.yaml", flushes)),
		}
		if s.failWith != "" {
			assert.Greater(t, next.calls, callsBefore, "flush %d (line %d) should have reached the consumer", flushes, s.line)
			for _, file := range files {
				assert.NoFileExists(t, file, "flush %d failed downstream; it has no golden file", flushes)
			}
			continue
		}
		got := map[string]pmetric.Metrics{}
		for _, md := range next.AllMetrics()[before:] {
			kind := batchKind(md)
			require.NotContains(t, got, kind, "flush %d (line %d) emitted two %s batches", flushes, s.line, kind)
			got[kind] = md
		}
		for kind, file := range files {
			md, ok := got[kind]
			switch {
			case !ok && !*updateGolden:
				assert.NoFileExists(t, file, "flush %d (line %d) emitted no %s", flushes, s.line, kind)
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
