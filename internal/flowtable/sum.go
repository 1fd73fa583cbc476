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
	s := f.sum()
	s.Add(d)
	if max(s.LocalPackets, s.OtherPackets, s.TCPResets, s.TCPRetrans, s.TCPSeqErrors) > math.MaxUint32 {
		f.more().wide = s
		f.set(wideSum, true)
		return
	}
	f.localBytes, f.otherBytes = s.LocalBytes, s.OtherBytes
	f.counts = [5]uint32{uint32(s.LocalPackets), uint32(s.OtherPackets), uint32(s.TCPResets), uint32(s.TCPRetrans), uint32(s.TCPSeqErrors)}
}
