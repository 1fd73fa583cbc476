package flowtable

import "math"

// sum is the flow's deltas summed since it started.
func (f *Flow) sum() Counters {
	if f.has(wideSum) {
		return f.x.more.wide
	}
	return Counters{
		LocalBytes:   f.localBytes,
		LocalPackets: uint64(f.counts[0]),
		OtherBytes:   f.otherBytes,
		OtherPackets: uint64(f.counts[1]),
		TCPResets:    uint64(f.counts[2]),
		TCPRetrans:   uint64(f.counts[3]),
		TCPSeqErrors: uint64(f.counts[4]),
	}
}

// addSum adds d to the flow's sum (saturating, see Counters.Add).
func (f *Flow) addSum(d Counters) {
	if f.has(wideSum) {
		f.x.more.wide.Add(d)
		return
	}
	// Added where they are held, each count widened: a sum of 32-bit
	// counts and deltas saturates only where Counters.Add would.
	lb, ob := addSat(f.localBytes, d.LocalBytes), addSat(f.otherBytes, d.OtherBytes)
	lp, op := addSat(uint64(f.counts[0]), d.LocalPackets), addSat(uint64(f.counts[1]), d.OtherPackets)
	rs, rt, se := addSat(uint64(f.counts[2]), d.TCPResets), addSat(uint64(f.counts[3]), d.TCPRetrans), addSat(uint64(f.counts[4]), d.TCPSeqErrors)
	if max(lp, op, rs, rt, se) > math.MaxUint32 {
		f.more().wide = Counters{LocalBytes: lb, LocalPackets: lp, OtherBytes: ob, OtherPackets: op, TCPResets: rs, TCPRetrans: rt, TCPSeqErrors: se}
		f.set(wideSum, true)
		return
	}
	f.localBytes, f.otherBytes = lb, ob
	f.counts = [5]uint32{uint32(lp), uint32(op), uint32(rs), uint32(rt), uint32(se)}
}
