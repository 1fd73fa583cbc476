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

	// recent holds fingerprints of the latest stats records, to drop
	// redeliveries.
	recent     [recentRecords]uint64
	recentN    int
	recentNext int

	list *list.List
	elem *list.Element
}

func newFlow(agent string, r *record.Record, now time.Time) *flow {
	digest := r.Digest
	if len(r.DigestPrev) > 0 && r.DigestPrev[0] != "" {
		digest = r.DigestPrev[0]
	}
	f := &flow{
		agent:        agent,
		digest:       digest,
		start:        now,
		pendingStart: now,
		totalStart:   now,
	}
	f.seen(r) // remember the first record too
	return f
}

func (f *flow) apply(r *record.Record, now time.Time) {
	f.iface = r.Interface
	f.internal = r.Internal
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
		switch {
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
