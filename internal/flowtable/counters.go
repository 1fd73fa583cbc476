package flowtable // import "github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"

import "github.com/netify-otel/netifyflowstatsreceiver/internal/record"

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

func (c *Counters) Add(o Counters) {
	c.LocalBytes += o.LocalBytes
	c.LocalPackets += o.LocalPackets
	c.OtherBytes += o.OtherBytes
	c.OtherPackets += o.OtherPackets
	c.TCPResets += o.TCPResets
	c.TCPRetrans += o.TCPRetrans
	c.TCPSeqErrors += o.TCPSeqErrors
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
