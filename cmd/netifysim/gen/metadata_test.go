package gen

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// transportOf is the IANA protocol numbers each detected protocol may run on.
var transportOf = map[string][]float64{
	"HTTP/S": {6}, "HTTP": {6}, "SSH": {6}, "BitTorrent": {6, 17},
	"QUIC": {17}, "DNS": {17}, "NTP": {17}, "STUN": {17},
	"ICMP": {1}, "ICMPv6": {58}, "Unknown": {1, 6, 17, 58},
}

// The metadata records read back from JSON are consistent with each other
// and with the flow: one name and category per id, the transport and
// addresses that go with the protocol and IP version, documentation
// addresses for remote ends, and DPI that refines what it knows.
func TestMetadataIsConsistent(t *testing.T) {
	recs := records(t, Config{Seed: 17, Agents: 3, Flows: 50}, 25)
	doc := []netip.Prefix{
		netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("2001:db8::/32"),
	}
	lan := []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fd00::/8")}
	in := func(a netip.Addr, set []netip.Prefix) bool {
		for _, p := range set {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}

	appName := map[float64]string{}
	appCat := map[float64]float64{}
	protoName := map[float64]string{}
	protoCat := map[float64]float64{}
	vlan := map[string]float64{}
	lastApp := map[string]string{}
	lastProto := map[string]string{}
	apps := map[string]bool{}
	protos := map[string]bool{}
	appChanges, protoLearned, inbound := 0, 0, 0
	for i, w := range decodeAll(t, recs) {
		if w.Type != TypeFlow && w.Type != TypeFlowDPIUpdate && w.Type != TypeFlowDPIComplete {
			continue
		}
		f := w.Flow
		flow := recs[i].Agent + "/" + recs[i].Flow
		id := f["detected_application"].(float64)
		name := f["detected_application_name"].(string)
		if id == 0 {
			require.Equal(t, "netify.unknown", name)
		}
		if old, ok := appName[id]; ok {
			require.Equal(t, old, name, "application id %v", id)
			require.Equal(t, appCat[id], f["category"].(map[string]any)["application"], "category of %s", name)
		}
		appName[id], appCat[id] = name, f["category"].(map[string]any)["application"].(float64)
		apps[name] = true
		if last, ok := lastApp[flow]; ok && last != name && last != "netify.unknown" {
			appChanges++
		}
		lastApp[flow] = name

		pid := f["detected_protocol"].(float64)
		pname := f["detected_protocol_name"].(string)
		if old, ok := protoName[pid]; ok {
			require.Equal(t, old, pname, "protocol id %v", pid)
			require.Equal(t, protoCat[pid], f["category"].(map[string]any)["protocol"])
		}
		protoName[pid], protoCat[pid] = pname, f["category"].(map[string]any)["protocol"].(float64)
		protos[pname] = true
		if lastProto[flow] == "Unknown" && pname != "Unknown" {
			protoLearned++
		}
		lastProto[flow] = pname

		ipProto := f["ip_protocol"].(float64)
		require.Contains(t, transportOf[pname], ipProto, "%s over %v", pname, ipProto)
		ipVersion := f["ip_version"].(float64)
		local := netip.MustParseAddr(f["local_ip"].(string))
		other := netip.MustParseAddr(f["other_ip"].(string))
		require.Equal(t, ipVersion == 6, local.Is6(), "local %s for IPv%v", local, ipVersion)
		require.Equal(t, ipVersion == 6, other.Is6(), "other %s for IPv%v", other, ipVersion)
		if ipProto == 1 || ipProto == 58 {
			require.Equal(t, ipVersion == 6, ipProto == 58, "ICMP %v over IPv%v", ipProto, ipVersion)
		}
		require.True(t, in(local, lan), "local address %s", local)
		if *w.Internal {
			require.True(t, in(other, lan), "internal flow's other address %s", other)
			require.Equal(t, "local", f["other_type"])
		} else {
			require.True(t, in(other, doc), "remote address %s is not a documentation address", other)
			require.Equal(t, "remote", f["other_type"])
		}
		if ipProto == 1 || ipProto == 58 {
			require.Zero(t, f["local_port"])
			require.Zero(t, f["other_port"])
		} else {
			require.Positive(t, f["local_port"])
			require.Positive(t, f["other_port"])
		}
		if f["local_origin"] == false {
			inbound++
			require.Less(t, f["local_port"], float64(10000), "an inbound flow reaches a local server port")
		}
		if v, ok := vlan[recs[i].Agent]; ok {
			require.Equal(t, v, f["vlan_id"])
		}
		vlan[recs[i].Agent] = f["vlan_id"].(float64)
		require.LessOrEqual(t, f["first_seen_at"], f["last_seen_at"])
	}
	for _, a := range []string{"netify.youtube", "netify.netflix", "netify.google", "netify.microsoft", "netify.apple", "netify.zoom", "netify.whatsapp", "netify.unknown"} {
		require.True(t, apps[a], "application %s never seen", a)
	}
	for _, p := range []string{"HTTP/S", "HTTP", "QUIC", "DNS", "NTP", "SSH", "ICMP", "ICMPv6", "BitTorrent", "STUN", "Unknown"} {
		require.True(t, protos[p], "protocol %s never seen", p)
	}
	require.Positive(t, appChanges, "no flow changed application between DPI records")
	require.Positive(t, protoLearned, "no flow learned its protocol after its first record")
	require.Positive(t, inbound, "no inbound flow")
}

// With Config.Apps, flows spread over that many more application and host
// names.
func TestSyntheticApps(t *testing.T) {
	names := map[string]bool{}
	hosts := map[string]bool{}
	for _, w := range decodeAll(t, records(t, Config{Seed: 3, Flows: 200, Apps: 500}, 8)) {
		if n, ok := w.Flow["detected_application_name"].(string); ok {
			names[n] = true
		}
		if h, ok := w.Flow["host_server_name"].(string); ok {
			hosts[h] = true
		}
	}
	require.Greater(t, len(names), 60, "built-in applications are fewer than 20")
	require.Greater(t, len(hosts), 60)
	require.Error(t, Config{Apps: -1}.Validate())
}

// A table with more ICMP flows than the usual servers give portless tuples
// for still fills, with distinct tuples and documentation addresses.
func TestBusyTableFindsFreeTuples(t *testing.T) {
	var icmp *profile
	for i := range profiles {
		if profiles[i].icmp() {
			icmp = &profiles[i]
		}
	}
	require.NotNil(t, icmp)
	a := newAgent(Config{Seed: 1}.withDefaults(), 0)
	// Local hosts x usual servers, which most (external) flows draw from.
	usual := 60 * (len(remoteV4) + len(remoteV6))
	tuples := map[string]bool{}
	wide := 0
	for range 2 * usual {
		f := a.newFlowOf(icmp, testStart)
		require.False(t, tuples[f.tuple()], "tuple %s given twice", f.tuple())
		tuples[f.tuple()] = true
		if !slices.Contains(remoteV4, f.otherIP) && !slices.Contains(remoteV6, f.otherIP) && !f.internal {
			wide++
		}
	}
	require.Positive(t, wide, "no flow went beyond the usual servers")
}
