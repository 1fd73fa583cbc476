package flowtable

import (
	"container/list"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

type flow struct {
	agent string
	// digest is the flow's stable identity: the first of digest_prev (the
	// tuple digest from agent 5.2 on) or, without one, the first digest seen.
	digest  string
	aliases []string

	iface    string
	internal bool

	// start is the series start of the cumulative sums: the receive time of
	// the flow's first record, fixed for the life of the entry.
	start time.Time
	sum   Counters
	// pending is what has not yet been handed downstream, since pendingStart.
	pending      Counters
	pendingStart time.Time
	hasStats     bool
	hasTCP       bool

	hasRates  bool
	localRate float64
	otherRate float64

	hasTotals    bool
	totalBytes   uint64
	totalPackets uint64
	// totalStart moves when the agent's total goes down (a new flow under an
	// old digest, or an agent restart).
	totalStart time.Time

	hasDetection bool
	detection    uint64

	lastUpdate time.Time
	// gen counts applied records, so a flush can tell whether the flow
	// changed between its snapshot and its acknowledgement.
	gen    uint64
	dirty  bool
	purged bool
	// ended is set once the flow's final point was handed downstream. The
	// entry stays (clean, evictable, expiring) so that late or redelivered
	// records of the flow are recognised instead of starting a new series.
	ended bool

	// recent holds fingerprints of the latest stats records, to drop
	// redeliveries.
	recent     [recentRecords]uint64
	recentN    int
	recentNext int

	list *list.List
	elem *list.Element
}

// stableDigest is the identity a new flow gets from its first record.
func stableDigest(r *record.Record) string {
	if len(r.DigestPrev) > 0 && r.DigestPrev[0] != "" {
		return r.DigestPrev[0]
	}
	return r.Digest
}

// maxFirstSeenAge bounds how far back an agent's first_seen_at may move a
// series start: further back, the agent's clock is more likely wrong than
// the flow that old.
const maxFirstSeenAge = 24 * time.Hour

// seriesStart is when a new flow's series start: the agent's first_seen_at
// when the record carries a plausible one (so the lifetime totals and the
// first delta cover the flow's life so far); else, for a flow first seen
// through a periodic report, one agent update interval before it (the
// interval its deltas cover) when the agent's agent_status told it; else the
// receive time.
func seriesStart(r *record.Record, now time.Time, interval time.Duration) time.Time {
	if r.FirstSeenAtMillis > 0 {
		first := time.UnixMilli(r.FirstSeenAtMillis).UTC()
		if !first.After(now) && now.Sub(first) <= maxFirstSeenAge {
			return first
		}
	}
	if interval > 0 && (r.Type == record.TypeFlowStats || r.Type == record.TypeFlowPurge) {
		return now.Add(-interval)
	}
	return now
}

func newFlow(agent string, r *record.Record, now time.Time, interval time.Duration) *flow {
	start := seriesStart(r, now, interval)
	f := &flow{
		agent:        agent,
		digest:       stableDigest(r),
		start:        start,
		pendingStart: start,
		totalStart:   start,
	}
	f.seen(r) // remember the first record too
	return f
}

// revivedBy reports whether a record brings an ended flow back: only a new
// periodic report does (the agent reuses the tuple digest for a new flow on
// the same addresses and ports); late metadata, DPI events and purges do not.
func (f *flow) revivedBy(r *record.Record) bool {
	return r.Type == record.TypeFlowStats
}

func (f *flow) apply(r *record.Record, now time.Time) {
	// A record without these fields keeps the flow's attributes: changing
	// them would start another series mid-flow.
	if r.HasInterface || f.gen == 0 {
		f.iface = r.Interface
	}
	if r.HasInternal || f.gen == 0 {
		f.internal = r.Internal
	}
	f.ended = false
	f.lastUpdate = now
	f.gen++

	changed := false
	// Only flow_stats and flow_purge carry deltas the agent resets after
	// dispatch. The DPI events carry the interval's counters so far, which
	// the next flow_stats reports again: adding them would count twice.
	isStats := r.Type == record.TypeFlowStats || r.Type == record.TypeFlowPurge
	if isStats {
		if r.HasStats || r.HasTCP {
			d := countersOf(r)
			f.sum.add(d)
			f.pending.add(d)
			f.hasStats = true
			changed = true
		}
		if r.HasTCP {
			f.hasTCP = true
		}
	}
	if r.HasRates {
		f.hasRates, f.localRate, f.otherRate = true, r.LocalRate, r.OtherRate
		changed = true
	}
	if r.HasTotals {
		lower := f.hasTotals && (r.TotalBytes < f.totalBytes || r.TotalPackets < f.totalPackets)
		// In conntrack-counter mode the agent's totals can lag at 0 while
		// the deltas move: a zero is no news, not a new flow.
		lagging := f.hasTotals && r.TotalBytes == 0 && r.TotalPackets == 0
		switch {
		case lagging:
		case !lower:
			f.hasTotals, f.totalBytes, f.totalPackets = true, r.TotalBytes, r.TotalPackets
			changed = true
		case isStats:
			// A periodic report with a lower total: the agent counts a new
			// flow under the old digests; its total series starts again.
			f.totalStart = now
			f.hasTotals, f.totalBytes, f.totalPackets = true, r.TotalBytes, r.TotalPackets
			changed = true
		default:
			// A DPI or flow record with a lower total is older than what
			// the flow already reported (a redelivery): it moves nothing.
		}
	}
	if r.HasDetectionPackets {
		f.hasDetection, f.detection = true, r.DetectionPackets
		changed = true
	}
	// Only periodic reports decide whether the flow has ended: a DPI record
	// redelivered after the purge must not bring the flow back.
	if isStats {
		f.purged = r.Type == record.TypeFlowPurge
	}
	if changed || f.purged {
		f.dirty = true
	}
}
