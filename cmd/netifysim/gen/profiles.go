package gen

// app is what DPI learns about a flow's application.
type app struct {
	id       int
	name     string
	category int // category.application
	hosts    []string
}

// profile is a kind of traffic: the protocol DPI detects and how the flow
// behaves over its life.
type profile struct {
	weight        int
	ipProtocol    int // 6 TCP, 17 UDP
	port          int
	protocolID    int
	protocolName  string
	protocolCat   int // category.protocol
	apps          []app
	localBps      [2]int // per-second byte range sent by the local endpoint
	otherBps      [2]int // per-second byte range sent by the remote endpoint
	localPktSize  int
	otherPktSize  int
	lifetime      [2]int // in update intervals, purge at born+lifetime
	idle          float64
	maxDetection  uint64
	hostFromStart bool // host name known in the first record (SNI in the first packets)
}

func (p *profile) tcp() bool { return p.ipProtocol == 6 }

var profiles = []profile{
	{
		weight: 40, ipProtocol: 6, port: 443, protocolID: 196, protocolName: "HTTP/S", protocolCat: 22,
		apps: []app{
			{10119, "netify.google", 28, []string{"www.google.com", "fonts.gstatic.com", "apis.google.com"}},
			{11354, "netify.tailscale", 28, []string{"login.tailscale.com", "controlplane.tailscale.com"}},
			{10552, "netify.github", 5, []string{"github.com", "api.github.com", "codeload.github.com"}},
			{10185, "netify.netflix", 24, []string{"occ-0-2773-1001.1.nflxso.net", "www.netflix.com"}},
			{10962, "netify.microsoft", 28, []string{"login.microsoftonline.com", "graph.microsoft.com"}},
		},
		localBps: [2]int{60, 2400}, otherBps: [2]int{300, 60000}, localPktSize: 90, otherPktSize: 1250,
		lifetime: [2]int{2, 30}, idle: 0.25, maxDetection: 32, hostFromStart: true,
	},
	{
		weight: 15, ipProtocol: 17, port: 443, protocolID: 188, protocolName: "QUIC", protocolCat: 22,
		apps: []app{
			{10343, "netify.youtube", 24, []string{"rr3---sn-4g5e6nsz.googlevideo.com", "i.ytimg.com"}},
			{10119, "netify.google", 28, []string{"www.google.com", "play.google.com"}},
		},
		localBps: [2]int{100, 3000}, otherBps: [2]int{2000, 250000}, localPktSize: 70, otherPktSize: 1300,
		lifetime: [2]int{2, 20}, idle: 0.2, maxDetection: 32, hostFromStart: false,
	},
	{
		weight: 20, ipProtocol: 17, port: 53, protocolID: 5, protocolName: "DNS", protocolCat: 14,
		apps: []app{
			{0, "", 0, []string{"example.org", "ntp.ubuntu.com", "connectivity-check.ubuntu.com", "time.cloudflare.com"}},
		},
		localBps: [2]int{40, 120}, otherBps: [2]int{60, 400}, localPktSize: 70, otherPktSize: 140,
		lifetime: [2]int{1, 2}, idle: 0.5, maxDetection: 32, hostFromStart: true,
	},
	{
		weight: 8, ipProtocol: 6, port: 22, protocolID: 92, protocolName: "SSH", protocolCat: 20,
		apps:     []app{{0, "", 0, nil}},
		localBps: [2]int{30, 800}, otherBps: [2]int{60, 4000}, localPktSize: 100, otherPktSize: 180,
		lifetime: [2]int{5, 60}, idle: 0.4, maxDetection: 32,
	},
	{
		weight: 7, ipProtocol: 17, port: 123, protocolID: 9, protocolName: "NTP", protocolCat: 14,
		apps:     []app{{0, "", 0, nil}},
		localBps: [2]int{48, 48}, otherBps: [2]int{48, 48}, localPktSize: 48, otherPktSize: 48,
		lifetime: [2]int{1, 3}, idle: 0.3, maxDetection: 32,
	},
	{
		weight: 10, ipProtocol: 6, port: 80, protocolID: 7, protocolName: "HTTP", protocolCat: 22,
		apps: []app{
			{10730, "netify.ubuntu", 5, []string{"mirror.example.org", "security.example.org"}},
			{10012, "netify.debian", 5, []string{"packages.example.net"}},
		},
		localBps: [2]int{80, 1200}, otherBps: [2]int{5000, 400000}, localPktSize: 80, otherPktSize: 1400,
		lifetime: [2]int{1, 10}, idle: 0.15, maxDetection: 32, hostFromStart: true,
	},
}

// remote server addresses per protocol family: documentation and benchmark
// ranges, so no real host is named.
var (
	remoteV4 = []string{"198.51.100.7", "198.51.100.23", "203.0.113.10", "203.0.113.44", "192.0.2.80", "198.18.0.12", "198.18.4.200", "198.19.8.9"}
	remoteV6 = []string{"2001:db8::10", "2001:db8:1::443", "2001:db8:2::53", "2001:db8:ff::1"}
	ifaces   = []string{"lan", "eth0", "wlp3s0", "br-lan", "enp1s0"}
)
