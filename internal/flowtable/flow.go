package flowtable

import (
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Flow is one tracked flow. Observers read it through its methods while the
// table's lock is held.
//
// A table holds a million of them, in its slab: the fields are ordered by
// size so that the struct has no padding (216 bytes), values that rarely
// need 64 bits are held in 32 (see sum.go, narrow.go), and what few flows
// need is behind x.
type Flow struct {
	// Times are stamps (Unix nanoseconds): a time.Time is three times the
	// size, and a table holds a million flows.

	// start is the series start of the cumulative sums (see seriesStart),
	// fixed for the life of the entry.
	start stamp
	// localBytes, otherBytes and counts (the packets and TCP counts, in
	// the order of Counters) are the flow's deltas summed since it
	// started, read with sum: a packet count passes 4 billion rarely, and
	// a flow whose sum outgrows 32 bits keeps it whole in more (wideSum).
	localBytes, otherBytes uint64
	// x holds what only some flows need; nil for the others.
	x *extra

	localRate float64
	otherRate float64

	// totalBytes and totalPackets are the agent's totals, read with
	// totals; detection the detection packets, read with detectionPackets
	// (see narrow.go).
	totalBytes   uint64
	totalPackets uint32
	detection    uint32

	lastUpdate stamp
	// lastSeenAt is the agent's last_seen_at (epoch ms) of the latest record
	// carrying one.
	lastSeenAt int64

	agent agentID
	// slot is the flow's place in the table's slab, which the index refers
	// to; incarnation counts the flows the slot held before.
	slot        uint32
	incarnation uint32

	counts [5]uint32
	// attrs and ports: see packedAttrs.
	attrs packedAttrs
	ports ports
	// keys and nkeys: see Update.ViewKeys.
	keys [inlineKeys]int32
	// prevLink and nextLink link the flow in the table's list it is in
	// (see flowList, Flow.inList).
	prevLink, nextLink uint32
	nkeys              uint8
	// idBuf[:idLen] holds the flow's packed ids (see Flow.ids): its stable
	// identity (the first of digest_prev, the tuple digest from agent 5.2
	// on, or without one the first digest seen) and the digests it is
	// indexed under; idLen is 0 when they are in x.far.
	idBuf [inlineIDs]byte
	idLen uint8

	// flags are the flow's flag bits (see flag).
	flags flag
}

// flag is one of a flow's yes/no states, as bits of Flow.flags.
type flag uint16

const (
	hasStats flag = 1 << iota
	hasTCP
	hasRates
	hasTotals
	hasDetection
	// dirty: changed since last handed downstream.
	dirty
	// purged: the latest periodic report was a flow_purge.
	purged
	// ended is set once the flow's final point was handed downstream. The
	// entry stays (clean, evictable, expiring) so that late or redelivered
	// records of the flow are recognised instead of starting a new series.
	ended
	// finished is set once the Observer was told the flow ended, until it
	// is told the flow started again.
	finished
	// wideSum: the flow's sum is in more.wide.
	wideSum
	// wideTotals, wideDetection: the flow's totalPackets, detection are
	// in more (see narrow.go).
	wideTotals
	wideDetection
	// applied: the flow took a record.
	applied
)

// The list a flow is in (a listID) is two bits of Flow.flags.
const (
	listShift = 14
	listBits  = flag(3) << listShift
)

// inList is the table's list the flow is in.
func (f *Flow) inList() listID { return listID(f.flags >> listShift) }

func (f *Flow) setList(id listID) { f.flags = f.flags&^listBits | flag(id)<<listShift }

func (f *Flow) has(b flag) bool { return f.flags&b != 0 }

func (f *Flow) set(b flag, on bool) {
	if on {
		f.flags |= b
	} else {
		f.flags &^= b
	}
}

// extra is the part of a flow that only per-flow metrics, or a flow out of
// the ordinary (see more), need.
type extra struct {
	// pending is what has not yet been handed downstream, since
	// pendingStart; kept only for per-flow metrics (Config.PerFlow).
	pending      Counters
	pendingStart stamp
	// announced is when the flow's per-flow series were first handed
	// downstream as zeros (see Config.ZeroHold); zero until then.
	announced stamp
	more      *more
	// far is the flow's packed ids when they do not fit inline (see
	// farIDs): here rather than in more, a lookup reaches them from the
	// flow in two dependent loads instead of three.
	far *byte
	// gen counts applied records, so a flush can tell whether the flow
	// changed between its snapshot and its acknowledgement.
	gen uint32
	// epoch is the flush that last took the flow (see Table.BeginFlush).
	epoch uint32
}

// more is what few flows need, per-flow metrics or not.
type more struct {
	// life is set when the agent reused the flow's tuple after it ended:
	// where the current life began (nil: with the entry).
	life *life
	// totalStart is where the agent's total series starts, when not at
	// the flow's start: it moves when the agent's total goes down (a new
	// flow under an old digest, or an agent restart).
	totalStart stamp
	// wide is the flow's sum once it outgrew the flow (see wideSum).
	wide Counters
	// totalPackets, detection: see narrow.go.
	totalPackets, detection uint64
}

// inlineKeys is how many view keys a flow holds inline: the default
// configuration has three views.
const inlineKeys = 3

// inlineViewKeys is the flow's n keys (n <= inlineKeys), all set to unset
// when it had not n keys before (see Update.ViewKeys).
func (f *Flow) inlineViewKeys(n int, unset int32) []int32 {
	if int(f.nkeys) != n {
		f.nkeys = uint8(n)
		for i := range n {
			f.keys[i] = unset
		}
	}
	return f.keys[:n]
}

// totalStart is where the agent's total series starts.
func (f *Flow) totalStart() stamp {
	if m := f.rare(); m != nil && m.totalStart != 0 {
		return m.totalStart
	}
	return f.start
}

// rare is f's more, nil when it has none.
func (f *Flow) rare() *more {
	if f.x == nil {
		return nil
	}
	return f.x.more
}

// more returns f's more, made when missing.
func (f *Flow) more() *more {
	x := f.extra()
	if x.more == nil {
		x.more = new(more)
	}
	return x.more
}

// extra returns f.x, made when missing.
func (f *Flow) extra() *extra {
	if f.x == nil {
		f.x = &extra{pendingStart: f.start}
	}
	return f.x
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
// interval its deltas cover, at most the idle timeout) when the agent's
// agent_status told it; else the receive time.
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

// init makes f, a zeroed flow, a new flow of agent from its first record.
func (f *Flow) init(agent agentID, r *record.Record, now time.Time, interval time.Duration, perFlow bool) {
	f.agent = agent
	f.start = stampOf(seriesStart(r, now, interval))
	f.initIDs(stableDigest(r))
	if perFlow {
		f.extra()
	}
}

// revivedBy reports whether a record brings an ended flow back: only a new
// periodic report does (the agent reuses the tuple digest for a new flow on
// the same addresses and ports); late metadata, DPI events and purges do not.
func (f *Flow) revivedBy(r *record.Record) bool {
	return r.Type == record.TypeFlowStats
}

// apply updates the flow with a record and fills u with what changed;
// perFlow is the table's Config.PerFlow.
func (f *Flow) apply(r *record.Record, now time.Time, u *Update, perFlow bool) {
	// A record without these fields keeps the flow's attributes: changing
	// them would start another series mid-flow.
	attrsChanged := false
	first := !f.has(applied)
	// A periodic report carries the interface and internal flag, mostly
	// the flow's already: those are compared where they are interned,
	// without unpacking the flow's attributes.
	if first || r.HasMeta || (r.HasInterface || r.HasInternal) && !f.attrs.keeps(r, &u.slab.interned) {
		old := f.attrs.unpack(f.ports, &u.slab.interned)
		a := old
		if (r.HasInterface || first) && a.Interface != r.Interface {
			a.Interface = r.Interface
			attrsChanged = true
		}
		if (r.HasInternal || first) && a.Internal != r.Internal {
			a.Internal = r.Internal
			attrsChanged = true
		}
		if mergeMeta(&a.Meta, r) {
			attrsChanged = true
		}
		if attrsChanged {
			f.attrs, f.ports = pack(a, old, f.attrs, &u.slab.interned)
		}
	}
	u.AttrsChanged = attrsChanged && !u.Started
	if r.LastSeenAtMillis > 0 {
		f.lastSeenAt = r.LastSeenAtMillis
	}
	f.set(ended, false)
	// Deliveries of one flow can race to the lock: its time never goes back.
	if t := stampOf(now); t > f.lastUpdate {
		f.lastUpdate = t
	}
	f.set(applied, true)
	if f.x != nil {
		f.x.gen++ // only flushes of per-flow metrics, which have x, read it
	}

	changed := false
	// Only flow_stats and flow_purge carry deltas the agent resets after
	// dispatch. The DPI events carry the interval's counters so far, which
	// the next flow_stats reports again: adding them would count twice.
	isStats := r.Type == record.TypeFlowStats || r.Type == record.TypeFlowPurge
	if isStats {
		if r.HasStats || r.HasTCP {
			d := countersOf(r)
			u.Delta = d
			f.addSum(d)
			if f.x != nil && perFlow {
				// Only kept for per-flow metrics: without them no flow
				// is dirty, and no flush reads it.
				f.x.pending.Add(d)
			}
			f.set(hasStats, true)
			changed = true
		}
		if r.HasTCP {
			f.set(hasTCP, true)
		}
	}
	u.PrevLocalRate, u.PrevOtherRate = f.localRate, f.otherRate
	if r.HasRates {
		f.set(hasRates, true)
		f.localRate, f.otherRate = r.LocalRate, r.OtherRate
		changed = true
	}
	if r.HasTotals {
		totalBytes, totalPackets := f.totals()
		lower := f.has(hasTotals) && (r.TotalBytes < totalBytes || r.TotalPackets < totalPackets)
		// In conntrack-counter mode the agent's totals can lag at 0 while
		// the deltas move: a zero is no news, not a new flow.
		lagging := f.has(hasTotals) && r.TotalBytes == 0 && r.TotalPackets == 0
		switch {
		case lagging:
		case !lower:
			f.set(hasTotals, true)
			f.setTotals(r.TotalBytes, r.TotalPackets)
			changed = true
		case isStats:
			// A periodic report with a lower total: the agent counts a new
			// flow under the old digests; its total series starts again.
			f.more().totalStart = stampOf(now)
			f.set(hasTotals, true)
			f.setTotals(r.TotalBytes, r.TotalPackets)
			changed = true
		default:
			// A DPI or flow record with a lower total is older than what
			// the flow already reported (a redelivery): it moves nothing.
		}
	}
	if r.HasDetectionPackets {
		f.set(hasDetection, true)
		f.setDetectionPackets(r.DetectionPackets)
		changed = true
	}
	// Only periodic reports decide whether the flow has ended: a DPI record
	// redelivered after the purge must not bring the flow back.
	if isStats {
		f.set(purged, r.Type == record.TypeFlowPurge)
		if f.has(purged) && !f.has(finished) {
			u.Ended = purgeReason(r.Reason)
		}
	}
	if changed || f.has(purged) {
		f.set(dirty, true)
	}
}

func purgeReason(reason string) EndReason {
	if reason == "closed" {
		return EndClosed
	}
	return EndExpired
}

// Digest is the flow's stable identity (see stableDigest).
// It is unpacked at each call.
func (f *Flow) Digest() string { return f.ids().stable() }

// Sum is the flow's deltas summed since it started.
func (f *Flow) Sum() Counters { return f.sum() }

// HasTCP reports whether the flow carried TCP counters.
func (f *Flow) HasTCP() bool { return f.has(hasTCP) }

// Rates are the flow's latest burst rates (bytes per second).
func (f *Flow) Rates() (local, other float64) { return f.localRate, f.otherRate }

// Totals are the agent's own cumulative counts of the flow, when it sent any.
func (f *Flow) Totals() (bytes, packets uint64, ok bool) {
	bytes, packets = f.totals()
	return bytes, packets, f.has(hasTotals)
}

// FirstSeen is the start of the flow's series: the agent's first_seen_at
// when it told a plausible one, else when the receiver first heard of it.
func (f *Flow) FirstSeen() time.Time { return f.start.Time() }

// LastSeen is the agent's last_seen_at of the flow's latest record that had
// one, else the receive time of its latest record.
func (f *Flow) LastSeen() time.Time {
	if f.lastSeenAt > 0 {
		return time.UnixMilli(f.lastSeenAt).UTC()
	}
	return f.lastUpdate.Time()
}

// LastUpdate is when the flow's latest record was received.
func (f *Flow) LastUpdate() time.Time { return f.lastUpdate.Time() }

// Active reports whether the flow goes on: it has not ended, as far as the
// Observer was told.
func (f *Flow) Active() bool { return !f.has(finished) }

// life is where a revived flow's current life began.
type life struct {
	start time.Time
	// base is what the entry had summed before this life.
	base Counters
}

// LifeFirstSeen and LifeSum are FirstSeen and Sum of the flow's current
// life: a flow revived after it ended (the agent reusing the tuple) keeps
// its entry and series, but its duration and size start again.
func (f *Flow) LifeFirstSeen() time.Time {
	if m := f.rare(); m != nil && m.life != nil {
		return m.life.start
	}
	return f.start.Time()
}

// LifeSum: see LifeFirstSeen.
func (f *Flow) LifeSum() Counters {
	s := f.sum()
	if m := f.rare(); m != nil && m.life != nil {
		s.Sub(m.life.base)
	}
	return s
}

// stamp is a time as Unix nanoseconds, 0 for none.
type stamp int64

func stampOf(t time.Time) stamp {
	if t.IsZero() {
		return 0
	}
	return stamp(t.UnixNano())
}

// Time is the stamp as a UTC time; the zero time for 0.
func (s stamp) Time() time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(s)).UTC()
}
