package netifyflowstatsreceiver

import (
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/metric"
)

// recordAttrCache holds the records counter's options per transport, type
// and outcome. It is read for every record, so a lookup neither locks nor
// allocates; the rare miss copies the map under a mutex. The options are
// kept as the slice Add takes: passing one option alone made Add's variadic
// slice, one allocation per record.
type recordAttrCache struct {
	m  atomic.Pointer[map[recordsKey][]metric.AddOption]
	mu sync.Mutex
}

// get returns k's options, made by build the first time k is seen.
func (c *recordAttrCache) get(k recordsKey, build func() metric.AddOption) []metric.AddOption {
	if m := c.m.Load(); m != nil {
		if opt, ok := (*m)[k]; ok {
			return opt
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if opt, ok := (*old)[k]; ok {
			return opt
		}
	}
	next := make(map[recordsKey][]metric.AddOption, 1)
	if old != nil {
		for key, opt := range *old {
			next[key] = opt
		}
	}
	opts := []metric.AddOption{build()}
	next[k] = opts
	c.m.Store(&next)
	return opts
}
