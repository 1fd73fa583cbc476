package ingesttest

import (
	"context"
	"fmt"
	"sync"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
)

// DecodeErrors is an ingest.Counter that counts what an input reports. A
// report under another transport name than Transport is kept as an error,
// naming it.
type DecodeErrors struct {
	Transport string

	mu      sync.Mutex
	bad     int
	skipped int
	wrong   []error
}

var _ ingest.Counter = (*DecodeErrors)(nil)

// Malformed counts refused records.
func (d *DecodeErrors) Malformed(_ context.Context, transport string, n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.check(transport)
	d.bad += n
}

// Skipped counts records of other types.
func (d *DecodeErrors) Skipped(_ context.Context, transport string, n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.check(transport)
	d.skipped += n
}

func (d *DecodeErrors) check(transport string) {
	if transport != d.Transport {
		d.wrong = append(d.wrong, fmt.Errorf("wrong transport %q", transport))
	}
}

// Count is how many records were refused.
func (d *DecodeErrors) Count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.bad
}

// SkippedCount is how many records of other types were counted.
func (d *DecodeErrors) SkippedCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.skipped
}

// WrongTransports are the reports made under another transport name.
func (d *DecodeErrors) WrongTransports() []error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]error(nil), d.wrong...)
}
