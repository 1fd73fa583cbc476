package gen

import (
	"math"
	"math/rand/v2"
	"time"
)

// flow is one simulated flow: its tuple, what DPI knows, and its counters.
type flow struct {
	prof        *profile
	app         app
	host        string
	proto       proto
	target      app // what DPI will find
	targetHost  string
	targetProto proto

	iface       string
	internal    bool
	vlan        int
	ipVersion   int
	ipProtocol  int
	localIP     string
	otherIP     string
	localPort   int
	otherPort   int
	localOrigin bool

	// digests[0] is the stable tuple digest; the last element is the current
	// digest; the ones between are earlier metadata digests.
	digests []string
	dpiRev  int

	firstSeen        int64 // epoch ms
	lastSeen         int64 // epoch ms
	detectionPackets uint64
	dpiDone          bool
	total            Delta // cumulative since the flow started
	localRate        float64
	otherRate        float64

	born, end         int64 // tick numbers; purged at tick end
	dpiUpdateTick     int64 // -1: none
	dpiCompleteTick   int64 // -1: none
	announce          bool  // send a `flow` record at birth
	closeReason       string
	digestLen         int
	dpiStatsInRecords bool
}

func (f *flow) tuple() string   { return f.digests[0] }
func (f *flow) current() string { return f.digests[len(f.digests)-1] }

// prev is digest_prev: the tuple digest followed by earlier digests, without
// the current one.
func (f *flow) prev() []string {
	out := make([]string, len(f.digests)-1)
	copy(out, f.digests[:len(f.digests)-1])
	return out
}

// redigest gives the flow a new current digest after DPI changed what it
// knows; the revision keeps it distinct even when the metadata did not move.
func (f *flow) redigest() {
	f.dpiRev++
	d := digest(f.digestLen, f.tuple(), f.proto.id, f.app.id, f.host, f.dpiRev)
	f.digests = append(f.digests, d)
}

// traffic draws one interval's deltas. secs is the interval in seconds (at
// least 1); the rates are the burst rates over the seconds that carried
// traffic, as float32 like the agent computes them.
func (f *flow) traffic(rng *rand.Rand, secs int, mult float64) Delta {
	active := 1 + rng.IntN(secs)
	p := f.prof
	volume := func(bps [2]int) uint64 {
		jitter := 0.9 + 0.2*rng.Float64()
		return uint64(math.Max(1, float64(between(rng, bps)*active)*jitter*mult))
	}
	lb, ob := volume(p.localBps), volume(p.otherBps)
	d := Delta{
		LocalBytes:   lb,
		OtherBytes:   ob,
		LocalPackets: packets(lb, p.localPktSize),
		OtherPackets: packets(ob, p.otherPktSize),
	}
	if p.tcp() {
		pk := d.Packets()
		if rng.IntN(3) == 0 {
			d.TCPRetrans = uint64(rng.IntN(int(pk/20) + 2))
		}
		if rng.IntN(25) == 0 {
			d.TCPSeqErrors = uint64(1 + rng.IntN(2))
		}
		if rng.IntN(200) == 0 {
			d.TCPResets = 1
		}
	}
	f.localRate = float64(float32(lb) / float32(active))
	f.otherRate = float64(float32(ob) / float32(active))
	return d
}

// account adds d to the flow's totals and DPI packet count (counted from
// detBefore, the count when the interval began), stamping
// last_seen_at inside the interval that ends at now.
func (f *flow) account(rng *rand.Rand, d Delta, now time.Time, interval time.Duration, detBefore uint64) {
	f.total.Add(d)
	if !f.dpiDone {
		f.detectionPackets = min(f.prof.maxDetection, detBefore+d.Packets())
	}
	back := min(interval, time.Second).Milliseconds()
	seen := now.UnixMilli() - rng.Int64N(back+1)
	f.lastSeen = max(f.lastSeen, seen, f.firstSeen)
}

// atLeast is the field-wise maximum of d and o: pending counters only grow
// within an interval.
func atLeast(d, o Delta) Delta {
	return Delta{
		LocalBytes: max(d.LocalBytes, o.LocalBytes), OtherBytes: max(d.OtherBytes, o.OtherBytes),
		LocalPackets: max(d.LocalPackets, o.LocalPackets), OtherPackets: max(d.OtherPackets, o.OtherPackets),
		TCPResets: max(d.TCPResets, o.TCPResets), TCPRetrans: max(d.TCPRetrans, o.TCPRetrans),
		TCPSeqErrors: max(d.TCPSeqErrors, o.TCPSeqErrors),
	}
}

// part is the share of an interval's deltas pending at a DPI event inside it.
func part(rng *rand.Rand, d Delta) Delta {
	frac := 0.2 + 0.6*rng.Float64()
	scale := func(v uint64) uint64 { return uint64(float64(v) * frac) }
	// Bytes come in packets: a direction with pending bytes has a packet.
	pkts := func(p, b uint64) uint64 {
		if b > 0 {
			return max(1, scale(p))
		}
		return scale(p)
	}
	lb, ob := scale(d.LocalBytes), scale(d.OtherBytes)
	return Delta{
		LocalBytes: lb, OtherBytes: ob,
		LocalPackets: pkts(d.LocalPackets, lb), OtherPackets: pkts(d.OtherPackets, ob),
		TCPResets: scale(d.TCPResets), TCPRetrans: scale(d.TCPRetrans), TCPSeqErrors: scale(d.TCPSeqErrors),
	}
}

func between(rng *rand.Rand, r [2]int) int {
	if r[1] <= r[0] {
		return r[0]
	}
	return r[0] + rng.IntN(r[1]-r[0]+1)
}

func packets(bytes uint64, size int) uint64 {
	return max(1, (bytes+uint64(size)-1)/uint64(size))
}
