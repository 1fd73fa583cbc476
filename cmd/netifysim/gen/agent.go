package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Agent is one simulated Netify Agent: its flow table and RNG. Tick it once per
// update interval; an Agent is not safe for concurrent use.
type Agent struct {
	id    string
	cfg   Config
	rng   *rand.Rand
	iface string
	net4  int // third octet of the agent's 192.168.x.0/24 LAN
	net6  int // fd00:x::/64 LAN
	vlan  int

	flows []*flow
	live  map[string]bool // tuple digests of the flows in the table

	tick    int64
	started bool
	start   time.Time

	flowsStarted int64
	flowsPurged  int64

	// cpuUser and cpuSystem are the running CPU totals agent_status reports.
	cpuUser, cpuSystem float64
}

// agentStreams separates each agent's random streams from the id stream so
// that giving explicit agent ids does not change the traffic.
const (
	streamFlows = 0x6e6574696679 // "netify"
	streamIDs   = 0x61676e74     // "agnt"
)

func newAgent(cfg Config, idx int) *Agent {
	id := ""
	if idx < len(cfg.AgentIDs) {
		id = cfg.AgentIDs[idx]
	} else {
		id = agentUUID(cfg.Seed, idx)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, streamFlows+uint64(idx)))
	return &Agent{
		id:    id,
		cfg:   cfg,
		rng:   rng,
		iface: ifaces[rng.IntN(len(ifaces))],
		net4:  rng.IntN(255),
		net6:  1 + rng.IntN(0xfffe),
		vlan:  vlans[rng.IntN(len(vlans))],
		live:  map[string]bool{},
	}
}

// agentUUID derives a version-4 shaped UUID from the seed and agent index.
func agentUUID(seed uint64, idx int) string {
	rng := rand.New(rand.NewPCG(seed, streamIDs+uint64(idx)<<32))
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// ID is the agent's uuid_agent.
func (a *Agent) ID() string { return a.id }

// FlowsStarted counts flows the agent has created so far.
func (a *Agent) FlowsStarted() int64 { return a.flowsStarted }

// FlowsPurged counts flows ended with a flow_purge so far.
func (a *Agent) FlowsPurged() int64 { return a.flowsPurged }

// Intervals counts the Ticks so far.
func (a *Agent) Intervals() int64 { return a.tick }

// Tick advances the agent by one update interval ending at now and returns
// the records the agent dispatches for it, in order: DPI events (flow,
// flow_dpi_update, flow_dpi_complete), flow_purge, flow_stats, agent_status.
// The first Tick marks the agent's start one interval before now.
func (a *Agent) Tick(now time.Time) []Record {
	if !a.started {
		a.started = true
		a.start = now.Add(-a.cfg.Interval)
	}
	a.tick++
	secs := max(1, int(math.Ceil(a.cfg.Interval.Seconds())))

	var events, purges, stats []Record
	kept := make([]*flow, 0, max(len(a.flows), a.cfg.Flows))
	for _, f := range a.flows {
		if a.tick >= f.end {
			purges = append(purges, a.purge(f, now))
			continue
		}
		kept = append(kept, f)
		ev, st := a.advance(f, now, secs, false)
		events = append(events, ev...)
		stats = append(stats, st...)
	}
	for len(kept) < a.cfg.Flows {
		f := a.newFlow(now)
		kept = append(kept, f)
		ev, st := a.advance(f, now, secs, true)
		events = append(events, ev...)
		stats = append(stats, st...)
	}
	a.flows = kept

	out := make([]Record, 0, len(events)+len(purges)+len(stats)+2)
	out = append(out, events...)
	out = append(out, purges...)
	out = append(out, stats...)
	out = append(out, a.status(now, len(stats), len(purges)))
	if a.cfg.InterfaceStats {
		var sum Delta
		var tcpPackets uint64
		for _, rs := range [][]Record{purges, stats} {
			for _, r := range rs {
				sum.Add(r.Delta)
				if f, _ := r.Msg["flow"].(map[string]any); f != nil && f["tcp"] != nil {
					tcpPackets += r.Delta.Packets()
				}
			}
		}
		out = append(out, a.interfaceStats(sum, tcpPackets))
	}
	return out
}

// interfaceStats is the interval's interface_stats of the agent's capture
// interface: the packets and bytes of the flows it dispatched, plus a few
// packets no flow carries (ARP), Ethernet framing, and some capture drops.
// The simulated flows are TCP (with a tcp object) or UDP.
// Derived from the tick, not the RNG, so that turning it on does not change
// the flows' traffic.
func (a *Agent) interfaceStats(sum Delta, tcpPackets uint64) Record {
	const ethernetHeader = 14
	ip, ipBytes := sum.Packets(), sum.Bytes()
	arp := uint64(a.tick % 3)
	c := InterfaceCounts{
		Packets:        ip + arp,
		WireBytes:      ipBytes + ethernetHeader*ip + 60*arp,
		TCPResets:      sum.TCPResets,
		CaptureDropped: uint64(a.tick % 2),
	}
	counters := map[string]any{
		"raw": c.Packets, "ethernet": c.Packets, "ip": ip, "ip_bytes": ipBytes,
		"tcp": tcpPackets, "udp": ip - tcpPackets,
		"wire_bytes": c.WireBytes, "tcp_resets": c.TCPResets, "tcp_seq_errors": sum.TCPSeqErrors,
		"capture_dropped": c.CaptureDropped, "queue_dropped": uint64(0), "flow_dropped": uint64(0),
		"capture_filtered": uint64(0), "discarded": uint64(0), "discarded_bytes": uint64(0),
		"largest_bytes": uint64(1514),
	}
	msg := map[string]any{"type": TypeInterfaceStats, a.iface: counters}
	return Record{Agent: a.id, Type: TypeInterfaceStats, Iface: c, Msg: msg}
}

// PurgeAll ends every flow in the table with a flow_purge (reason expired,
// nothing pending since the last interval's dispatch), as a flush on exit.
func (a *Agent) PurgeAll() []Record {
	out := make([]Record, 0, len(a.flows))
	for _, f := range a.flows {
		f.closeReason = "expired"
		out = append(out, a.purgeRecord(f, Delta{}))
	}
	a.flows = nil
	return out
}

// advance runs one interval of an existing or newborn flow.
func (a *Agent) advance(f *flow, now time.Time, secs int, born bool) (events, stats []Record) {
	if born && f.announce {
		rec := f.record(a.id, TypeFlow, Delta{}, f.metadata())
		rec.Meta = f.meta()
		events = append(events, rec)
	}
	dpiNow := a.tick == f.dpiUpdateTick || a.tick == f.dpiCompleteTick
	if !born && !dpiNow && a.rng.Float64() < f.prof.idle {
		return events, nil
	}
	d := f.traffic(a.rng, secs, a.cfg.Rate)
	detBefore := f.detectionPackets
	var pending Delta
	if a.tick == f.dpiUpdateTick {
		pending = part(a.rng, d)
		events = append(events, a.dpiEvent(f, TypeFlowDPIUpdate, pending, detBefore))
	}
	if a.tick == f.dpiCompleteTick {
		pending = atLeast(part(a.rng, d), pending)
		events = append(events, a.dpiEvent(f, TypeFlowDPIComplete, pending, detBefore))
		f.dpiDone = true
	}
	f.account(a.rng, d, now, a.cfg.Interval, detBefore)
	stats = append(stats, f.record(a.id, TypeFlowStats, d, f.stats(d)))
	return events, stats
}

// dpiEvent lets DPI learn the flow's application and host and builds the
// record; a change of what DPI knows changes the digest.
func (a *Agent) dpiEvent(f *flow, recordType string, pending Delta, detBefore uint64) Record {
	changed := f.learn(recordType == TypeFlowDPIComplete)
	// Some DPI events change the digest without visible metadata changes
	// (risks, categories); a flow's first record never names a digest the
	// receiver could not have seen.
	if changed || (f.announce && a.rng.IntN(10) < 3) {
		f.redigest()
	}
	f.detectionPackets = min(f.prof.maxDetection, detBefore+pending.Packets())
	saved := f.total
	f.total.Add(pending)
	rec := f.dpi(recordType, pending, a.id)
	f.total = saved
	return rec
}

func (a *Agent) purge(f *flow, now time.Time) Record {
	var d Delta
	if f.closeReason == "closed" {
		// The FIN exchange and the last data since the previous dispatch.
		d = f.traffic(a.rng, 1, a.cfg.Rate)
		if a.rng.IntN(5) == 0 {
			d.TCPResets++
		}
		f.account(a.rng, d, now, a.cfg.Interval, f.detectionPackets)
	}
	return a.purgeRecord(f, d)
}

func (a *Agent) purgeRecord(f *flow, d Delta) Record {
	delete(a.live, f.tuple())
	a.flowsPurged++
	rec := f.record(a.id, TypeFlowPurge, d, f.stats(d))
	rec.Msg["reason"] = f.closeReason
	rec.Reason = f.closeReason
	return rec
}

func (a *Agent) status(now time.Time, active, purged int) Record {
	interval := a.cfg.Interval.Seconds()
	var updateInterval any = interval
	if interval == math.Trunc(interval) {
		updateInterval = int64(interval)
	}
	// The CPU times are the process's running totals, as getrusage gives
	// them: each interval adds to them. Three RNG draws, in this order, as
	// always, so that the flows' traffic does not change.
	a.cpuSystem += math.Round(a.rng.Float64()*50) / 1000
	a.cpuUser += math.Round(a.rng.Float64()*200) / 1000
	maxRSS := int64(40000 + a.rng.IntN(20000))
	msg := map[string]any{
		"agent_version":   a.cfg.AgentVersion,
		"cpu_cores":       int64(2),
		"cpu_system":      math.Round(a.cpuSystem*1000) / 1000,
		"cpu_user":        math.Round(a.cpuUser*1000) / 1000,
		"flow_count":      int64(len(a.flows)),
		"flows_active":    int64(active),
		"flows_purged":    int64(purged),
		"maxrss_kb":       maxRSS,
		"memrss_kb":       maxRSS * 9 / 10,
		"timestamp":       now.Unix(),
		"type":            TypeAgentStatus,
		"update_interval": updateInterval,
		"uptime":          int64(now.Sub(a.start).Seconds()),
	}
	return Record{Agent: a.id, Type: TypeAgentStatus, Msg: msg}
}
