package flowtable

import "math"

// A flow keeps in 32 bits what rarely needs more (the agent's total packet
// count, the detection packets), and the whole value in its more, flagged,
// once it does not fit: exact either way.

// totals are the agent's total bytes and packets of the flow.
func (f *Flow) totals() (bytes, packets uint64) {
	if f.has(wideTotals) {
		return f.totalBytes, f.x.more.totalPackets
	}
	return f.totalBytes, uint64(f.totalPackets)
}

func (f *Flow) setTotals(bytes, packets uint64) {
	f.totalBytes = bytes
	if !f.has(wideTotals) && packets <= math.MaxUint32 {
		f.totalPackets = uint32(packets)
		return
	}
	f.more().totalPackets = packets
	f.set(wideTotals, true)
}

// detectionPackets is the agent's detection_packets of the flow.
func (f *Flow) detectionPackets() uint64 {
	if f.has(wideDetection) {
		return f.x.more.detection
	}
	return uint64(f.detection)
}

func (f *Flow) setDetectionPackets(n uint64) {
	if !f.has(wideDetection) && n <= math.MaxUint32 {
		f.detection = uint32(n)
		return
	}
	f.more().detection = n
	f.set(wideDetection, true)
}
