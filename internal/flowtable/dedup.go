package flowtable

import (
	"hash/maphash"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// recentRecords is how many of a flow's latest stats records are remembered
// to recognise a redelivery. MQTT redelivers at most the broker's in-flight
// window, and per flow that is one or two records.
const recentRecords = 4

var fingerprintSeed = maphash.MakeSeed()

// recent is a ring of the fingerprints of a flow's latest stats records,
// kept beside the flow in its slab (see slab.recentOf) for flows of
// at-least-once transports only.
type recent struct {
	prints  [recentRecords]uint64
	n, next uint8
}

// fingerprint identifies a stats record. Two distinct reports of one flow
// cannot share it: counters are only reported for an interval that carried
// packets, and then last_seen_at (milliseconds) has moved.
type fingerprint struct {
	typ      string
	lastSeen int64
	deltas   Counters
	bytes    uint64
	packets  uint64
}

// seen reports whether the flow already took this record, and remembers it
// otherwise. Records that carry no deltas, or no last_seen_at to tell two
// reports apart, are never taken for duplicates.
func (s *slab) seen(f *Flow, r *record.Record) bool {
	if (r.Type != record.TypeFlowStats && r.Type != record.TypeFlowPurge) || r.LastSeenAtMillis == 0 || !r.HasStats {
		return false
	}
	h := maphash.Comparable(fingerprintSeed, fingerprint{
		typ: r.Type, lastSeen: r.LastSeenAtMillis, deltas: countersOf(r),
		bytes: r.TotalBytes, packets: r.TotalPackets,
	})
	rc := s.recentOf(f)
	for _, x := range rc.prints[:rc.n] {
		if x == h {
			return true
		}
	}
	rc.prints[rc.next] = h
	rc.next = (rc.next + 1) % recentRecords
	rc.n = min(rc.n+1, recentRecords)
	return false
}
