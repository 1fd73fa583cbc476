package ingesttest

import (
	"fmt"
	"sync"
)

// DecodeErrors collects the errors an input reports through its
// onDecodeError callback (pass its Record method). An error reported under
// another transport name than Transport is kept wrapped, naming it.
type DecodeErrors struct {
	Transport string

	mu   sync.Mutex
	errs []error
}

// Record is the onDecodeError callback.
func (d *DecodeErrors) Record(transport string, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if transport != d.Transport {
		err = fmt.Errorf("wrong transport %q: %w", transport, err)
	}
	d.errs = append(d.errs, err)
}

// Count is how many errors were reported.
func (d *DecodeErrors) Count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.errs)
}
