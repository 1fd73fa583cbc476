package netifyflowstatsreceiver

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

func TestRecordAttrCache(t *testing.T) {
	var c recordAttrCache
	builds := map[recordsKey]int{}
	var mu sync.Mutex
	builder := func(k recordsKey) func() metric.AddOption {
		return func() metric.AddOption {
			mu.Lock()
			builds[k]++
			mu.Unlock()
			return metric.WithAttributeSet(attribute.NewSet(attribute.String("transport", k.transport), attribute.String("type", k.typ)))
		}
	}
	keys := []recordsKey{{"http", "flow", "accepted"}, {"http", "flow_stats", "accepted"}, {"socket", "flow", "busy"}}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				for _, k := range keys {
					c.get(k, builder(k))
				}
			}
		})
	}
	wg.Wait()
	for _, k := range keys {
		assert.Equal(t, 1, builds[k], "%v built once", k)
		got := metric.NewAddConfig(c.get(k, builder(k))).Attributes()
		want := attribute.NewSet(attribute.String("transport", k.transport), attribute.String("type", k.typ))
		assert.True(t, want.Equals(&got), "%v: %v", k, got.Encoded(attribute.DefaultEncoder()))
	}
	k := keys[1]
	build := builder(k)
	// A meter behind an interface, as the receiver's: a single option
	// passed alone would cost Add's variadic slice here.
	counter, err := componenttest.NewNopTelemetrySettings().MeterProvider.Meter("test").Int64Counter("records")
	require.NoError(t, err)
	ctx := context.Background()
	assert.Zero(t, testing.AllocsPerRun(100, func() { counter.Add(ctx, 1, c.get(k, build)...) }),
		"a hit, and adding with its options, allocates nothing")
}
