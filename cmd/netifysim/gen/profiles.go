package gen

// app is what DPI learns about a flow's application. Ids and category ids
// are made up in the agent's style; only their consistency matters (one id,
// one name, one category per application).
type app struct {
	id       int
	name     string
	category int // category.application
	domain   int // category.domain of its host names (0: none)
	hosts    []string
	// via names the application DPI reports first, at flow_dpi_update,
	// before settling on this one at flow_dpi_complete (a YouTube flow
	// first seen as Google): the flow changes key mid-life.
	via string
}

// proto is a protocol as DPI names it.
type proto struct {
	id       int
	name     string
	category int // category.protocol
}

// unknownProto is what the agent reports before DPI named the protocol.
var unknownProto = proto{0, "Unknown", 0}

// unknownAppName is the placeholder name the agent sends with application id
// 0 (not classified).
const unknownAppName = "netify.unknown"

// profile is a kind of traffic: the protocol DPI detects and how the flow
// behaves over its life.
type profile struct {
	weight     int
	ipProtocol int // 6 TCP, 17 UDP, 1 ICMP (58 for ICMPv6 flows)
	port       int // server port; 0 for ICMP (no ports)
	proto      proto
	// protoV6 replaces proto on IPv6 flows when set (ICMPv6).
	protoV6 *proto
	// protoLate: the birth `flow` record carries protocol id 0 (Unknown);
	// DPI names the protocol at its first event.
	protoLate bool
	// inbound is the percentage of flows opened by the remote end towards a
	// local server (local_origin false, local_port is the server port).
	inbound       int
	apps          []app
	localBps      [2]int // per-second byte range sent by the local endpoint
	otherBps      [2]int // per-second byte range sent by the remote endpoint
	localPktSize  int
	otherPktSize  int
	lifetime      [2]int // in update intervals, purge at born+lifetime
	idle          float64
	maxDetection  uint64
	hostFromStart bool // host name known in the first record (SNI in the first packets)
	// syntheticApps: with Config.Apps, this profile's flows may belong to
	// one of the synthetic applications (high-cardinality runs).
	syntheticApps bool
}

func (p *profile) tcp() bool { return p.ipProtocol == 6 }
func (p *profile) icmp() bool {
	return p.ipProtocol == 1
}

// noApp is "not classified": protocols with no application above them.
var noApp = []app{{0, "", 0, 0, nil, ""}}

var profiles = []profile{
	{
		weight: 34, ipProtocol: 6, port: 443, proto: proto{196, "HTTP/S", 22},
		apps: []app{
			{10119, "netify.google", 28, 28, []string{"www.google.com", "fonts.gstatic.com", "apis.google.com"}, ""},
			{10343, "netify.youtube", 24, 24, []string{"www.youtube.com", "i.ytimg.com"}, "netify.google"},
			{11354, "netify.tailscale", 28, 0, []string{"login.tailscale.com", "controlplane.tailscale.com"}, ""},
			{10552, "netify.github", 5, 5, []string{"github.com", "api.github.com", "codeload.github.com"}, ""},
			{10185, "netify.netflix", 24, 24, []string{"occ-0-2773-1001.1.nflxso.net", "www.netflix.com"}, ""},
			{10962, "netify.microsoft", 28, 28, []string{"login.microsoftonline.com", "graph.microsoft.com"}, ""},
			{10021, "netify.apple", 28, 28, []string{"gateway.icloud.com", "init.itunes.apple.com"}, ""},
			{10486, "netify.zoom", 7, 7, []string{"zoom.us", "us05web.zoom.us"}, ""},
			{10274, "netify.whatsapp", 7, 7, []string{"web.whatsapp.com", "mmg.whatsapp.net"}, "netify.facebook"},
		},
		localBps: [2]int{60, 2400}, otherBps: [2]int{300, 60000}, localPktSize: 90, otherPktSize: 1250,
		lifetime: [2]int{2, 30}, idle: 0.25, maxDetection: 32, hostFromStart: true, syntheticApps: true,
	},
	{
		weight: 14, ipProtocol: 17, port: 443, proto: proto{188, "QUIC", 22}, protoLate: true,
		apps: []app{
			{10343, "netify.youtube", 24, 24, []string{"rr3---sn-4g5e6nsz.googlevideo.com", "i.ytimg.com"}, "netify.google"},
			{10119, "netify.google", 28, 28, []string{"www.google.com", "play.google.com"}, ""},
		},
		localBps: [2]int{100, 3000}, otherBps: [2]int{2000, 250000}, localPktSize: 70, otherPktSize: 1300,
		lifetime: [2]int{2, 20}, idle: 0.2, maxDetection: 32, hostFromStart: false, syntheticApps: true,
	},
	{
		weight: 18, ipProtocol: 17, port: 53, proto: proto{5, "DNS", 14},
		apps: []app{
			{0, "", 0, 0, []string{"example.org", "ntp.ubuntu.com", "connectivity-check.ubuntu.com", "time.cloudflare.com"}, ""},
		},
		localBps: [2]int{40, 120}, otherBps: [2]int{60, 400}, localPktSize: 70, otherPktSize: 140,
		lifetime: [2]int{1, 2}, idle: 0.5, maxDetection: 32, hostFromStart: true,
	},
	{
		weight: 6, ipProtocol: 6, port: 22, proto: proto{92, "SSH", 20}, inbound: 30,
		apps:     noApp,
		localBps: [2]int{30, 800}, otherBps: [2]int{60, 4000}, localPktSize: 100, otherPktSize: 180,
		lifetime: [2]int{5, 60}, idle: 0.4, maxDetection: 32,
	},
	{
		weight: 6, ipProtocol: 17, port: 123, proto: proto{9, "NTP", 14},
		apps:     noApp,
		localBps: [2]int{48, 48}, otherBps: [2]int{48, 48}, localPktSize: 48, otherPktSize: 48,
		lifetime: [2]int{1, 3}, idle: 0.3, maxDetection: 32,
	},
	{
		weight: 9, ipProtocol: 6, port: 80, proto: proto{7, "HTTP", 22},
		apps: []app{
			{10730, "netify.ubuntu", 5, 5, []string{"mirror.example.org", "security.example.org"}, ""},
			{10012, "netify.debian", 5, 5, []string{"packages.example.net"}, ""},
		},
		localBps: [2]int{80, 1200}, otherBps: [2]int{5000, 400000}, localPktSize: 80, otherPktSize: 1400,
		lifetime: [2]int{1, 10}, idle: 0.15, maxDetection: 32, hostFromStart: true,
	},
	{
		weight: 4, ipProtocol: 1, proto: proto{81, "ICMP", 14}, protoV6: &proto{102, "ICMPv6", 14},
		apps:     noApp,
		localBps: [2]int{64, 128}, otherBps: [2]int{64, 128}, localPktSize: 64, otherPktSize: 64,
		lifetime: [2]int{1, 4}, idle: 0.3, maxDetection: 32,
	},
	{
		weight: 4, ipProtocol: 17, port: 3478, proto: proto{78, "STUN", 7}, protoLate: true,
		apps: []app{
			{10486, "netify.zoom", 7, 0, nil, ""},
			{10274, "netify.whatsapp", 7, 0, nil, ""},
		},
		localBps: [2]int{4000, 40000}, otherBps: [2]int{4000, 60000}, localPktSize: 900, otherPktSize: 1000,
		lifetime: [2]int{3, 40}, idle: 0.05, maxDetection: 32,
	},
	{
		weight: 3, ipProtocol: 6, port: 6881, proto: proto{37, "BitTorrent", 16}, protoLate: true, inbound: 40,
		apps:     noApp,
		localBps: [2]int{500, 80000}, otherBps: [2]int{500, 120000}, localPktSize: 1200, otherPktSize: 1300,
		lifetime: [2]int{2, 40}, idle: 0.3, maxDetection: 32,
	},
	{
		weight: 2, ipProtocol: 17, port: 6881, proto: proto{37, "BitTorrent", 16}, protoLate: true,
		apps:     noApp,
		localBps: [2]int{100, 4000}, otherBps: [2]int{100, 6000}, localPktSize: 300, otherPktSize: 400,
		lifetime: [2]int{1, 10}, idle: 0.4, maxDetection: 32,
	},
}

// appsByName finds the applications a `via` names.
var appsByName = func() map[string]app {
	m := map[string]app{"netify.facebook": {10226, "netify.facebook", 7, 7, nil, ""}}
	for _, p := range profiles {
		for _, a := range p.apps {
			if a.id != 0 {
				m[a.name] = a
			}
		}
	}
	return m
}()

// Addresses: documentation ranges only for the remote ends (RFC 5737,
// RFC 3849), so that no real host is named; local ends are private LAN
// addresses.
var (
	remoteV4 = []string{"198.51.100.7", "198.51.100.23", "203.0.113.10", "203.0.113.44", "192.0.2.80", "192.0.2.153", "203.0.113.200", "198.51.100.99"}
	// remoteNetsV4 are the three IPv4 documentation /24s.
	remoteNetsV4 = []string{"192.0.2", "198.51.100", "203.0.113"}
	remoteV6     = []string{"2001:db8::10", "2001:db8:1::443", "2001:db8:2::53", "2001:db8:ff::1"}
	ifaces       = []string{"lan", "eth0", "wlp3s0", "br-lan", "enp1s0"}
	// vlans: most agents see untagged traffic.
	vlans = []int{0, 0, 0, 10, 20}
)
