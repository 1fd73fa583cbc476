package flowlogs

import (
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
)

// Event names of the records (LogRecord.EventName).
const (
	EventEnd      = "netify.flow.end"
	EventProgress = "netify.flow.progress"
)

// Record is what a log record needs of a flow, copied while the table's
// lock is held: plain values and interned strings, no pointer into the
// table.
type Record struct {
	Agent  string
	Digest string
	Attrs  flowtable.Attributes
	Sum    flowtable.Counters
	HasTCP bool

	HasTotals    bool
	TotalBytes   uint64
	TotalPackets uint64

	FirstSeen time.Time
	LastSeen  time.Time
	// Observed is when the change that made the record happened: the
	// receive time of the flow_purge or latest report, or the time of the
	// expiry or eviction.
	Observed time.Time
	// Ended is why the flow ended; NotEnded for a progress record.
	Ended flowtable.EndReason
}

func recordOf(u *flowtable.Update) Record {
	f := u.Flow
	tb, tp, ok := f.Totals()
	return Record{
		Agent:        u.Agent,
		Digest:       f.Digest(),
		Attrs:        u.Attrs(),
		Sum:          f.Sum(),
		HasTCP:       f.HasTCP(),
		HasTotals:    ok,
		TotalBytes:   tb,
		TotalPackets: tp,
		FirstSeen:    f.FirstSeen(),
		LastSeen:     f.LastSeen(),
		Observed:     u.Time,
		Ended:        u.Ended,
	}
}

// Event is the record's event name.
func (r *Record) Event() string {
	if r.Ended == flowtable.NotEnded {
		return EventProgress
	}
	return EventEnd
}
