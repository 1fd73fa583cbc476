package netifyflowstatsreceiver

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		file := filepath.Join(dir, fmt.Sprintf("flush-%d.yaml", flushes))
		if s.failWith != "" {
			assert.Equal(t, callsBefore+1, next.calls, "flush %d (line %d) should have reached the consumer", flushes, s.line)
			assert.NoFileExists(t, file, "flush %d failed downstream; it has no golden file", flushes)
			continue
		}
		all := next.AllMetrics()
		if len(all) == before {
			if !*updateGolden {
				assert.NoFileExists(t, file, "flush %d (line %d) emitted nothing", flushes, s.line)
			}
			continue
		}
		got := all[len(all)-1]
		if *updateGolden {
			require.NoError(t, golden.WriteMetrics(t, file, got, golden.SkipMetricTimestampNormalization()))
			continue
		}
		want, err := golden.ReadMetrics(file)
		require.NoError(t, err, "flush %d (line %d)", flushes, s.line)
		require.NoError(t, pmetrictest.CompareMetrics(want, got,
			pmetrictest.IgnoreResourceMetricsOrder(),
			pmetrictest.IgnoreMetricsOrder(),
			pmetrictest.IgnoreMetricDataPointsOrder(),
		), "flush %d (line %d) differs from %s", flushes, s.line, file)
	}
	if !*updateGolden {
		// No golden file may be left over from a flush the scenario lost.
		_, err := os.Stat(filepath.Join(dir, fmt.Sprintf("flush-%d.yaml", flushes+1)))
		assert.True(t, errors.Is(err, os.ErrNotExist), "golden files beyond the last flush in %s", dir)
	}
}
