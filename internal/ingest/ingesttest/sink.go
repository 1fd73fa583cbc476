package ingesttest

import (
	"context"
	"slices"
	"sync"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
)

// RecordingSink is an ingest.Sink that keeps every batch it takes, whole.
// When Busy is set, it answers ingest.ErrBusy (taking nothing) while Busy
// returns true, so tests can drive an input's backpressure. Busy is called
// with the sink's lock held. The zero value is ready to use.
type RecordingSink struct {
	Busy func() bool

	mu        sync.Mutex
	batches   []ingest.Batch
	busyCalls int
}

var _ ingest.Sink = (*RecordingSink)(nil)

// Accept records b, or answers ErrBusy while Busy says so.
func (s *RecordingSink) Accept(_ context.Context, b ingest.Batch) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Busy != nil && s.Busy() {
		s.busyCalls++
		return 0, ingest.ErrBusy
	}
	// A sink must not keep the caller's slice (see ingest.Sink).
	b.Records = slices.Clone(b.Records)
	s.batches = append(s.batches, b)
	return len(b.Records), nil
}

// Digests is the digest of every record taken, in the order taken.
func (s *RecordingSink) Digests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, b := range s.batches {
		for _, r := range b.Records {
			out = append(out, r.Digest)
		}
	}
	return out
}

// Distinct is how many different digests were taken.
func (s *RecordingSink) Distinct() int {
	seen := map[string]bool{}
	for _, d := range s.Digests() {
		seen[d] = true
	}
	return len(seen)
}

// Batches is a copy of the batches taken so far.
func (s *RecordingSink) Batches() []ingest.Batch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ingest.Batch(nil), s.batches...)
}

// BusyCalls is how many Accept calls were answered with ErrBusy.
func (s *RecordingSink) BusyCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busyCalls
}
