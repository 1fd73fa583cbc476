package socketin

import (
	"context"
	"slices"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// maxBatch bounds the records held before a delivery. The stream decoder
// reads 64 KiB at a time (about 130 flow_stats records), so a batch is
// usually cut by the next read, not by this bound.
const maxBatch = 1024

// pending is the records decoded since the last delivery of one
// connection. Its slice is reused from batch to batch: the sink copies
// what it keeps from a record, never the slice.
type pending struct {
	e         *endpoint
	ctx       context.Context
	recs      []record.Record
	delivered bool
	err       error // sticky: the context's error a delivery ended with
}

func (e *endpoint) newPending(ctx context.Context) *pending {
	return &pending{e: e, ctx: ctx, recs: make([]record.Record, 0, 256)}
}

// decode decodes the next record straight into the batch's slice (a
// Record is a few hundred bytes: no copy), and keeps it unless dec returned
// an error.
func (p *pending) decode(dec *record.StreamDecoder) error {
	p.recs = slices.Grow(p.recs, 1)
	n := len(p.recs)
	// The record is decoded past the batch's end: a delivery made while
	// dec reads (the reader's before hook) hands over p.recs[:n] only, and
	// leaves p.recs empty, the new record still at index n.
	slot := &p.recs[:n+1][n]
	if err := dec.NextInto(slot); err != nil {
		return err
	}
	if len(p.recs) == n {
		p.recs = p.recs[:n+1]
		return nil
	}
	p.recs = append(p.recs, *slot)
	*slot = record.Record{}
	return nil
}

// full reports whether the batch is full.
func (p *pending) full() bool { return len(p.recs) >= maxBatch }

// deliver hands the pending records to the sink, holding the connection
// while the sink is busy. It returns only the context's error, which also
// stays in p.err.
func (p *pending) deliver() error {
	if p.err != nil {
		return p.err
	}
	if len(p.recs) == 0 {
		return nil
	}
	b := ingest.Batch{Agent: p.e.agent, Received: time.Now(), Records: p.recs}
	err := p.e.in.gate.DeliverBatch(p.ctx, b, &ingest.Rejects{})
	// The gate compacts the records it admits in place and clears the rest:
	// clearing the batch leaves no record's strings alive past its delivery.
	clear(p.recs)
	p.recs = p.recs[:0]
	if err != nil {
		p.err = err
		return err
	}
	p.delivered = true
	return nil
}
