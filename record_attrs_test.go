package netifyflowstatsreceiver

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
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
		got := metric.NewAddConfig([]metric.AddOption{c.get(k, builder(k))}).Attributes()
		want := attribute.NewSet(attribute.String("transport", k.transport), attribute.String("type", k.typ))
		assert.True(t, want.Equals(&got), "%v: %v", k, got.Encoded(attribute.DefaultEncoder()))
	}
	k := keys[1]
	build := builder(k)
	assert.Zero(t, testing.AllocsPerRun(100, func() { c.get(k, build) }), "a hit allocates nothing")
}
