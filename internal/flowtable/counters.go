package flowtable // import "github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"

import (
	"math/bits"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Counters are the per-interval delta counters of a flow, summed.
type Counters struct {
	LocalBytes   uint64
	LocalPackets uint64
	OtherBytes   uint64
	OtherPackets uint64
	TCPResets    uint64
	TCPRetrans   uint64
	TCPSeqErrors uint64
}

func countersOf(r *record.Record) Counters {
	return Counters{
		LocalBytes:   r.LocalBytes,
		LocalPackets: r.LocalPackets,
		OtherBytes:   r.OtherBytes,
		OtherPackets: r.OtherPackets,
		TCPResets:    r.TCPResets,
		TCPRetrans:   r.TCPRetrans,
		TCPSeqErrors: r.TCPSeqErrors,
	}
}

// Add saturates at the largest uint64 instead of wrapping: a cumulative
// sum that wrapped would go down under the same start time, which reads as
// a huge negative rate; one that saturates only stops growing. (The inputs
// refuse deltas beyond ingest.MaxDelta, so reaching it takes forged input
// sustained for decades of real traffic.)
func (c *Counters) Add(o Counters) {
	c.LocalBytes = addSat(c.LocalBytes, o.LocalBytes)
	c.LocalPackets = addSat(c.LocalPackets, o.LocalPackets)
	c.OtherBytes = addSat(c.OtherBytes, o.OtherBytes)
	c.OtherPackets = addSat(c.OtherPackets, o.OtherPackets)
	c.TCPResets = addSat(c.TCPResets, o.TCPResets)
	c.TCPRetrans = addSat(c.TCPRetrans, o.TCPRetrans)
	c.TCPSeqErrors = addSat(c.TCPSeqErrors, o.TCPSeqErrors)
}

func addSat(a, b uint64) uint64 {
	// Without a branch: a carry (1) makes the mask all ones, the largest
	// uint64.
	s, carry := bits.Add64(a, b, 0)
	return s | -carry
}

// sub removes what a flush sent from what is pending; what arrived after the
// snapshot stays.
func (c *Counters) Sub(o Counters) {
	c.LocalBytes -= o.LocalBytes
	c.LocalPackets -= o.LocalPackets
	c.OtherBytes -= o.OtherBytes
	c.OtherPackets -= o.OtherPackets
	c.TCPResets -= o.TCPResets
	c.TCPRetrans -= o.TCPRetrans
	c.TCPSeqErrors -= o.TCPSeqErrors
}
