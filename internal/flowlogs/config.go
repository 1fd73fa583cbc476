// Package flowlogs turns finished flows into OpenTelemetry log records: it
// observes the flow table (flowtable.Observer), keeps a compact copy of
// every flow that ends (and, optionally, of long-lived flows now and then)
// in a bounded queue, and builds plog.Logs from the queue in bounded batches.
package flowlogs // import "github.com/netify-otel/netifyflowstatsreceiver/internal/flowlogs"

import (
	"errors"
	"fmt"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
)

// Defaults of Config.
const (
	// A busy gateway ends a few hundred flows a second; past a thousand a
	// second the log store, not the receiver, is what needs protecting.
	DefaultMaxPerSecond = 1000
	// Twenty seconds of records at the default rate: two flushes' worth at
	// the default 10 s flush interval. A queued record takes 344 bytes (its
	// strings are shared with the flow table): ~7 MB at the bound, allocated
	// only as records wait.
	DefaultQueueSize = 20_000
)

// Config is the `logs:` section of the receiver's configuration. The logs
// are on when a logs pipeline uses the receiver.
type Config struct {
	// Filter: a flow gets a record only if it passes every condition, on
	// the same attributes and with the same operators as views' filters.
	Filter []flowmetrics.FilterConfig `mapstructure:"filter"`
	// MinBytes skips flows that moved fewer bytes (both directions, summed
	// deltas) than this.
	MinBytes uint64 `mapstructure:"min_bytes"`
	// LongFlowInterval, when positive, also makes a progress record
	// (event netify.flow.progress) for a flow still going this long after
	// its start or its previous progress record, at its next record. Off (0)
	// by default.
	LongFlowInterval time.Duration `mapstructure:"long_flow_interval"`
	// MaxPerSecond bounds the records made per second (a token bucket with
	// one second's worth of burst); records past it are dropped and counted.
	// 0 removes the bound.
	MaxPerSecond float64 `mapstructure:"max_per_second"`
	// QueueSize bounds the records waiting for the next flush; past it new
	// records are dropped and counted.
	QueueSize int `mapstructure:"queue_size"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// NewDefaultConfig is the configuration of a fresh install.
func NewDefaultConfig() Config {
	return Config{MaxPerSecond: DefaultMaxPerSecond, QueueSize: DefaultQueueSize}
}

// Validate checks the section; every message names the key at fault under
// logs.
func (c *Config) Validate() error {
	var errs []error
	if _, err := flowmetrics.CompileFilters(c.Filter); err != nil {
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			errs = append(errs, fmt.Errorf("logs.%w", e))
		}
	}
	if c.LongFlowInterval < 0 {
		errs = append(errs, fmt.Errorf("logs.long_flow_interval must not be negative, got %s", c.LongFlowInterval))
	}
	if c.MaxPerSecond < 0 {
		errs = append(errs, fmt.Errorf("logs.max_per_second must not be negative (0 removes the bound), got %v", c.MaxPerSecond))
	}
	if c.QueueSize <= 0 {
		errs = append(errs, fmt.Errorf("logs.queue_size must be positive, got %d", c.QueueSize))
	}
	return errors.Join(errs...)
}
