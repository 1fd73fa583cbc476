package gen

import (
	"fmt"
	"time"
)

// newFlow creates a flow first seen in the interval ending at now and puts it
// in the table. It draws the profile, the tuple, the life span and when DPI
// will report on it.
func (a *Agent) newFlow(now time.Time) *flow {
	return a.newFlowOf(a.pickProfile(), now)
}

// newFlowOf is newFlow with the profile given.
func (a *Agent) newFlowOf(p *profile, now time.Time) *flow {
	rng := a.rng
	target := a.pickApp(p)
	f := &flow{
		prof:              p,
		iface:             a.iface,
		internal:          rng.IntN(100) < 8,
		vlan:              a.vlan,
		ipVersion:         4,
		ipProtocol:        p.ipProtocol,
		proto:             unknownProto,
		targetProto:       p.proto,
		otherPort:         p.port,
		localOrigin:       true,
		digestLen:         a.cfg.DigestLen,
		dpiStatsInRecords: a.cfg.DPIStats == DPIStatsPending,
		born:              a.tick,
		end:               a.tick + int64(between(rng, p.lifetime)),
		dpiUpdateTick:     -1,
		dpiCompleteTick:   -1,
		closeReason:       "expired",
	}
	if rng.IntN(100) < 20 {
		f.useIPv6()
	}
	if p.tcp() && rng.IntN(100) < 85 {
		f.closeReason = "closed"
	}
	inbound := rng.IntN(100) < p.inbound
	for attempt := 0; ; attempt++ {
		// A busy table (many flows, or ICMP's portless tuples) exhausts the
		// few usual servers: widen to whole ranges, then to IPv6.
		if attempt == 64 {
			f.useIPv6()
		}
		f.localIP, f.otherIP = a.addresses(f.ipVersion, f.internal, attempt >= 8)
		switch {
		case p.icmp():
			f.localPort, f.otherPort = 0, 0
		case inbound:
			// A remote client opened the flow to a local server.
			f.localPort, f.otherPort, f.localOrigin = p.port, 1024+rng.IntN(64511), false
		default:
			f.localPort = 32768 + rng.IntN(60999-32768+1) // Linux's ephemeral range
		}
		tuple := digest(a.cfg.DigestLen, f.iface, f.ipVersion, f.ipProtocol, f.vlan, f.localIP, f.localPort, f.otherIP, f.otherPort)
		if !a.live[tuple] {
			a.live[tuple] = true
			f.digests = []string{tuple}
			break
		}
	}

	ms := max(1, a.cfg.Interval.Milliseconds())
	f.firstSeen = now.UnixMilli() - rng.Int64N(ms)
	f.lastSeen = f.firstSeen

	hostIdx := 0
	if len(target.hosts) > 0 {
		hostIdx = rng.IntN(len(target.hosts))
	}
	f.setTarget(target, hostIdx)
	a.scheduleDPI(f)
	f.redigest()
	a.flowsStarted++
	return f
}

// pickApp draws what DPI will find for a flow of profile p: one of the
// profile's applications or, with Config.Apps, as often one of the synthetic
// ones.
func (a *Agent) pickApp(p *profile) app {
	if a.cfg.Apps > 0 && p.syntheticApps && a.rng.IntN(2) == 0 {
		return syntheticApp(a.rng.IntN(a.cfg.Apps))
	}
	return p.apps[a.rng.IntN(len(p.apps))]
}

// syntheticApp is the i-th made-up application, with a host name of its own,
// for runs that need many distinct application and host names.
func syntheticApp(i int) app {
	return app{
		id:       900000 + i,
		name:     fmt.Sprintf("netify.synthetic-%05d", i),
		category: 90 + i%10,
		domain:   90 + i%10,
		hosts:    []string{fmt.Sprintf("app%05d.example.net", i)},
	}
}

// scheduleDPI decides which DPI records the flow gets. Most flows get a `flow`
// record at birth, then an update and a completion; some are only reported
// once DPI completes (flow_dpi_complete with no earlier `flow`), at birth or
// after their first flow_stats.
func (a *Agent) scheduleDPI(f *flow) {
	rng := a.rng
	if rng.IntN(100) < 12 {
		// No `flow` record: flow_dpi_complete is the first metadata.
		if rng.IntN(2) == 0 {
			f.dpiCompleteTick = f.born
			f.learn(true) // complete already: the first record carries everything
			return
		}
		// DPI completes an interval or two later (or never, for a short
		// flow): until then the receiver sees flow_stats only.
		f.dpiCompleteTick = f.born + 1 + int64(rng.IntN(2))
		if f.dpiCompleteTick >= f.end {
			f.dpiCompleteTick = -1
		}
		return
	}
	f.announce = true
	if !f.prof.protoLate {
		f.proto = f.targetProto // the port and first packets tell
	}
	if f.prof.hostFromStart {
		f.host = f.targetHost
	}
	f.dpiUpdateTick = f.born + int64(rng.IntN(2))
	f.dpiCompleteTick = f.dpiUpdateTick + int64(rng.IntN(3))
	if rng.IntN(100) < 15 {
		f.dpiUpdateTick = -1
	}
	if f.dpiUpdateTick >= f.end {
		f.dpiUpdateTick = -1
	}
	if f.dpiCompleteTick >= f.end {
		f.dpiCompleteTick = -1
	}
}

func (a *Agent) pickProfile() *profile {
	total := 0
	for i := range profiles {
		total += profiles[i].weight
	}
	n := a.rng.IntN(total)
	for i := range profiles {
		if n < profiles[i].weight {
			return &profiles[i]
		}
		n -= profiles[i].weight
	}
	return &profiles[len(profiles)-1]
}

// addresses draws a LAN address for the local end and a server address for the
// other end (another LAN host for internal flows). Usually the remote end is
// one of a few servers; wide draws from whole documentation ranges.
func (a *Agent) addresses(ipVersion int, internal, wide bool) (local, other string) {
	rng := a.rng
	hosts := 60
	if wide {
		hosts = 98
	}
	host := 2 + rng.IntN(hosts)
	if ipVersion == 6 {
		if wide {
			local = fmt.Sprintf("fd00:%x::%x:%x", a.net6, 1+rng.IntN(0xffff), host)
		} else {
			local = fmt.Sprintf("fd00:%x::%x", a.net6, 0x100+host)
		}
		switch {
		case internal:
			return local, fmt.Sprintf("fd00:%x::%x", a.net6, 0x200+rng.IntN(60))
		case wide:
			return local, fmt.Sprintf("2001:db8:%x::%x", rng.IntN(0x10000), 1+rng.IntN(0xffff))
		}
		return local, remoteV6[rng.IntN(len(remoteV6))]
	}
	local = fmt.Sprintf("192.168.%d.%d", a.net4, host)
	switch {
	case internal:
		return local, fmt.Sprintf("192.168.%d.%d", a.net4, 100+rng.IntN(155))
	case wide:
		return local, fmt.Sprintf("%s.%d", remoteNetsV4[rng.IntN(len(remoteNetsV4))], 1+rng.IntN(254))
	}
	return local, remoteV4[rng.IntN(len(remoteV4))]
}

// useIPv6 makes the flow an IPv6 one: ICMP becomes ICMPv6.
func (f *flow) useIPv6() {
	f.ipVersion = 6
	if f.prof.protoV6 != nil {
		f.targetProto = *f.prof.protoV6
	}
	if f.prof.icmp() {
		f.ipProtocol = 58
	}
}

// setTarget records what DPI will eventually find.
func (f *flow) setTarget(target app, hostIdx int) {
	f.target = target
	if len(target.hosts) > 0 {
		f.targetHost = target.hosts[hostIdx]
	}
}

// learn applies what DPI found, at flow_dpi_complete when final, else at
// flow_dpi_update (where an application with a `via` shows as that one
// first); it reports whether the metadata changed.
func (f *flow) learn(final bool) bool {
	next := f.target
	if via, ok := appsByName[f.target.via]; ok && !final {
		next = via
	}
	changed := f.app.id != next.id || f.app.name != next.name || f.host != f.targetHost || f.proto != f.targetProto
	f.app = next
	f.host = f.targetHost
	f.proto = f.targetProto
	return changed
}
