package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Outcomes of a record, the "outcome" attribute of the records counter.
const (
	outcomeAccepted  = "accepted"
	outcomeSkipped   = "skipped"
	outcomeMalformed = "malformed"
	outcomeBusy      = "busy"
	outcomeDuplicate = "duplicate"
	outcomeLate      = "late"
)

// outcomeNames names each flow table outcome in the records counter.
var outcomeNames = [...]string{
	flowtable.Applied:         outcomeAccepted,
	flowtable.AppliedEvicting: outcomeAccepted,
	flowtable.Duplicate:       outcomeDuplicate,
	flowtable.Late:            outcomeLate,
	flowtable.Skipped:         outcomeSkipped,
}

var errShuttingDown = errors.New("receiver is shutting down")

// Accept implements ingest.Sink: the records of one delivery go into the flow
// table in order, all of them or, when the table cannot make room for the
// flows they start, none.
func (r *netifyReceiver) Accept(ctx context.Context, b ingest.Batch) (int, error) {
	if r.closing.Load() {
		if !b.Reoffer {
			r.countRecords(ctx, b.Transport, "", outcomeBusy, len(b.Records))
		}
		return 0, errors.Join(ingest.ErrBusy, errShuttingDown)
	}
	outcomes := make([]flowtable.Outcome, len(b.Records))
	if err := r.table.ApplyBatch(b.Agent, b.Records, b.Received, b.AtLeastOnce, outcomes); err != nil {
		if b.Reoffer {
			return 0, errors.Join(ingest.ErrBusy, err)
		}
		r.countRecords(ctx, b.Transport, "", outcomeBusy, len(b.Records))
		r.logger.Warn("Flow table full of unsent flows; refusing records until a flush hands them downstream",
			zap.String("agent", b.Agent), zap.Int("refused", len(b.Records)), zap.Int("flows.max", r.cfg.Flows.Max))
		return 0, errors.Join(ingest.ErrBusy, err)
	}
	// Records are counted per type and outcome over the whole batch, one
	// Add per pair (a handful per batch): the counter's cost is per call,
	// not per record, and a stream's types interleave.
	var counts batchCounts
	evicted := 0
	for i, o := range outcomes {
		if o == flowtable.AppliedEvicting {
			evicted++
		}
		outcome := outcomeNames[o]
		if b.Records[i].Agent != nil { // agent health: see agentOutcome
			outcome = r.agentOutcome(&b, i, outcome)
		}
		counts.add(b.Records[i].Type, outcome)
	}
	counts.each(func(typ, outcome string, n int) { r.countRecords(ctx, b.Transport, typ, outcome, n) })
	if evicted > 0 {
		r.telemetry.NetifyflowstatsFlowsEvicted.Add(ctx, int64(evicted), reasonCapacity)
	}
	return len(b.Records), nil
}

// recordsRun is n records of one type and outcome.
type recordsRun struct {
	typ, outcome string
	n            int
}

// batchCounts tallies a batch's records per type and outcome, in the order
// the pairs first appear. Types are counted as countedType names them, so a
// batch holds at most a few dozen distinct pairs whatever the sender's
// types: a linear search (the last pair found first) beats a map. The
// first pairs live in an array (no allocation), any further in more.
type batchCounts struct {
	fix  [8]recordsRun
	n    int // pairs in fix
	more []recordsRun
	last int // index (fix, then more) of the pair found last
}

// at is the pair at index i (fix, then more). An index, not a pointer:
// a pointer into fix would move the whole tally to the heap.
func (c *batchCounts) at(i int) *recordsRun {
	if i < len(c.fix) {
		return &c.fix[i]
	}
	return &c.more[i-len(c.fix)]
}

func (c *batchCounts) add(typ, outcome string) {
	// The last pair first, before typ is named: a pair's type is a known
	// type or "other", which countedType gives back as they are, so a typ
	// equal to it is counted under it. The decoders share one copy of
	// each type name, which compares equal at its pointer.
	if c.addToLast(typ, outcome) {
		return
	}
	typ = countedType(typ)
	if c.addToLast(typ, outcome) {
		return
	}
	total := c.n + len(c.more)
	for i := range total {
		if l := c.at(i); l.typ == typ && l.outcome == outcome {
			l.n++
			c.last = i
			return
		}
	}
	run := recordsRun{typ: typ, outcome: outcome, n: 1}
	c.last = total
	if c.n < len(c.fix) {
		c.fix[c.n] = run
		c.n++
		return
	}
	c.more = append(c.more, run)
}

// addToLast counts the record under the pair found last, if it is that
// pair.
func (c *batchCounts) addToLast(typ, outcome string) bool {
	if c.last >= c.n+len(c.more) {
		return false
	}
	l := c.at(c.last)
	if l.typ != typ || l.outcome != outcome {
		return false
	}
	l.n++
	return true
}

// each calls f for every pair, in the order they first appeared.
func (c *batchCounts) each(f func(typ, outcome string, n int)) {
	for _, r := range c.fix[:c.n] {
		f(r.typ, r.outcome, r.n)
	}
	for _, r := range c.more {
		f(r.typ, r.outcome, r.n)
	}
}

// Malformed implements ingest.Counter: records an input refused (the input
// logs why).
func (r *netifyReceiver) Malformed(ctx context.Context, transport string, n int) {
	r.countRecords(ctx, transport, "", outcomeMalformed, n)
}

// Skipped implements ingest.Counter: records of types the receiver does
// not take, counted by the input without reaching the sink.
func (r *netifyReceiver) Skipped(ctx context.Context, transport string, n int) {
	r.countRecords(ctx, transport, "other", outcomeSkipped, n)
}

var reasonCapacity = metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", "capacity")))
var reasonIdle = metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", "idle")))

// countedType is typ as the records counter names it: record types outside
// the known set are counted as "other", so a hostile sender cannot grow the
// series.
func countedType(typ string) string {
	switch typ {
	case "", record.TypeFlow, record.TypeFlowDPIUpdate, record.TypeFlowDPIComplete,
		record.TypeFlowStats, record.TypeFlowPurge, record.TypeAgentStatus, record.TypeInterfaceStats:
		return typ
	}
	return "other"
}

type recordsKey struct{ transport, typ, outcome string }

// countRecords adds to the records counter (types as countedType names
// them).
func (r *netifyReceiver) countRecords(ctx context.Context, transport, typ, outcome string, n int) {
	if n == 0 {
		return
	}
	typ = countedType(typ)
	opts := r.recordAttrs.get(recordsKey{transport, typ, outcome}, func() metric.AddOption {
		attrs := []attribute.KeyValue{attribute.String("transport", transport), attribute.String("outcome", outcome)}
		if typ != "" {
			attrs = append(attrs, attribute.String("type", typ))
		}
		return metric.WithAttributeSet(attribute.NewSet(attrs...))
	})
	r.telemetry.NetifyflowstatsRecords.Add(ctx, int64(n), opts...)
}

var (
	_ ingest.Sink    = (*netifyReceiver)(nil)
	_ ingest.Counter = (*netifyReceiver)(nil)
)
