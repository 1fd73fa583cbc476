package record

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The agent_status example of the Netify Agent v5 documentation.
const agentStatusV5 = `{"agent_version":"5.2.0","build_version":"Netify Agent/5.2.0-...","cpu_cores":8,
"cpu_system":3.148931,"cpu_system_prev":3.134846,"cpu_user":6.237091,"cpu_user_prev":6.206476,
"dhc_status":true,"fhc_status":true,"flow_count":140,"flow_count_prev":135,"flows_active":55,
"flows_expired":21,"flows_expiring":0,"flows_in_use":120,"flows_purged":11,"maxrss_kb":85504,
"maxrss_kb_prev":85504,"memrss_kb":84508,"memrss_kb_prev":84380,"tcm_kb":48141,"tcm_kb_prev":48076,
"timestamp":1772661775,"type":"agent_status","update_imf":1,"update_interval":15,"uptime":1740}`

// The interface_stats example of the same documentation, plus a second
// interface.
const interfaceStatsV5 = `{"type":"interface_stats","eth0":{"capture_dropped":0,"capture_filtered":0,
"discarded":12,"discarded_bytes":1012,"ethernet":772,"flow_dropped":0,"fragmented":0,"icmp":3,"igmp":2,
"ip":760,"ip_bytes":261408,"largest_bytes":1514,"mpls":0,"pppoe":0,"queue_dropped":0,"raw":772,"tcp":648,
"tcp_resets":0,"tcp_seq_errors":0,"udp":107,"vlan":0,"wire_bytes":279648},
"br-lan":{"raw":10,"wire_bytes":2000,"capture_dropped":"3"}}`

func wantAgentStatusV5() *AgentStatus {
	return &AgentStatus{
		Version:   "5.2.0",
		HasUptime: true, Uptime: 1740,
		HasUpdateInterval: true, UpdateInterval: 15,
		HasTimestamp: true, Timestamp: 1772661775,
		HasFlowCount: true, FlowCount: 140,
		HasFlowsActive: true, FlowsActive: 55,
		HasFlowsPurged: true, FlowsPurged: 11,
		HasCPUCores: true, CPUCores: 8,
		HasCPUUser: true, CPUUser: 6.237091,
		HasCPUSystem: true, CPUSystem: 3.148931,
		HasMemRSS: true, MemRSSKB: 84508,
		HasMaxRSS: true, MaxRSSKB: 85504,
		HasTCMalloc: true, TCMallocKB: 48141,
	}
}

func TestAgentStatusV5(t *testing.T) {
	recs, errs := Decode([]byte(agentStatusV5), "application/json")
	require.Empty(t, errs)
	require.Len(t, recs, 1)
	assert.Equal(t, &AgentReport{Status: wantAgentStatusV5()}, recs[0].Agent)
}

func TestInterfaceStatsV5JSONAndMsgpack(t *testing.T) {
	eth0 := InterfaceStats{Name: "eth0", HasLargestBytes: true, LargestBytes: 1514}
	for k, v := range map[InterfaceCounter]uint64{
		IfCaptureDropped: 0, IfCaptureFiltered: 0, IfDiscarded: 12, IfDiscardedBytes: 1012,
		IfEthernet: 772, IfFlowDropped: 0, IfFragmented: 0, IfICMP: 3, IfIGMP: 2, IfIP: 760,
		IfIPBytes: 261408, IfMPLS: 0, IfPPPoE: 0, IfQueueDropped: 0, IfRaw: 772, IfTCP: 648,
		IfTCPResets: 0, IfTCPSeqErrors: 0, IfUDP: 107, IfVLAN: 0, IfWireBytes: 279648,
	} {
		eth0.Has[k], eth0.Counters[k] = true, v
	}
	brlan := InterfaceStats{Name: "br-lan"}
	brlan.Has[IfRaw], brlan.Counters[IfRaw] = true, 10
	brlan.Has[IfWireBytes], brlan.Counters[IfWireBytes] = true, 2000
	brlan.Has[IfCaptureDropped], brlan.Counters[IfCaptureDropped] = true, 3
	want := &AgentReport{Interfaces: []InterfaceStats{brlan, eth0}}

	recs, errs := Decode([]byte(interfaceStatsV5), "application/json")
	require.Empty(t, errs)
	require.Len(t, recs, 1)
	assert.Equal(t, TypeInterfaceStats, recs[0].Type)
	assert.Equal(t, want, recs[0].Agent)

	packed := jsonToMsgpack(t, []byte(interfaceStatsV5))
	recs, errs = Decode(packed, "application/msgpack")
	require.Empty(t, errs)
	require.Len(t, recs, 1)
	assert.Equal(t, want, recs[0].Agent)
}

// Agents 4.x put per-interface counters under agent_status's "stats", with
// tcp_seq_error (no s) and deprecated pcap_* duplicates.
func TestAgentStatusV4CarriesInterfaceStats(t *testing.T) {
	const body = `{"type":"agent_status","agent_version":"4.5.13","update_interval":15,"uptime":60,
"cpu_user":1.5,"cpu_system":0.25,"maxrss_kb":9000,
"stats":{"wlan0":{"raw":5,"tcp_seq_error":2,"pcap_recv":5,"pcap_drop":1,"capture_dropped":1}},
"interfaces":{"wlan0":{"state":1}}}`
	recs, errs := Decode([]byte(body), "")
	require.Empty(t, errs)
	rep := recs[0].Agent
	require.NotNil(t, rep)
	assert.Equal(t, "4.5.13", rep.Status.Version)
	assert.InDelta(t, 1.5, rep.Status.CPUUser, 1e-9)
	assert.False(t, rep.Status.HasMemRSS)
	require.Len(t, rep.Interfaces, 1)
	got := rep.Interfaces[0]
	assert.Equal(t, "wlan0", got.Name)
	assert.Equal(t, uint64(5), got.Counters[IfRaw])
	assert.Equal(t, uint64(2), got.Counters[IfTCPSeqErrors])
	assert.Equal(t, uint64(1), got.Counters[IfCaptureDropped])
	assert.False(t, got.Has[IfWireBytes])
}

func TestAgentRecordErrorsNameTheField(t *testing.T) {
	many := make([]string, 0, MaxAgentInterfaces+1)
	for i := range MaxAgentInterfaces + 1 {
		many = append(many, `"if`+strings.Repeat("x", i%3)+string(rune('a'+i%26))+string(rune('a'+i/26))+`":{"raw":1}`)
	}
	for _, tc := range []struct{ body, want string }{
		{`{"type":"agent_status","update_interval":"soon"}`, `record 0: update_interval: expected a number, got string "soon"`},
		{`{"type":"agent_status","flows_purged":-1}`, `record 0: flows_purged: expected a non-negative whole number, got -1`},
		{`{"type":"agent_status","cpu_user":-0.5}`, `record 0: cpu_user: expected a non-negative number, got -0.5`},
		{`{"type":"agent_status","agent_version":5}`, `record 0: agent_version: expected a string, got number 5`},
		{`{"type":"agent_status","agent_version":"` + strings.Repeat("v", 65) + `"}`, `record 0: agent_version: "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"... is 65 bytes, at most 64`},
		{`{"type":"agent_status","stats":[1]}`, `record 0: stats: expected an object, got array`},
		{`{"type":"interface_stats","eth0":{"raw":"many"}}`, `record 0: eth0.raw: expected a number, got string "many"`},
		{`{"type":"interface_stats","eth0":7}`, `record 0: eth0: expected an object, got number 7`},
		{`{"type":"interface_stats",` + strings.Join(many, ",") + `}`, `record 0: 65 interfaces, at most 64`},
		{`{"type":"interface_stats","` + strings.Repeat("i", 65) + `":{}}`, `record 0: ` + strings.Repeat("i", 65) + `: "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"... is 65 bytes, at most 64`},
	} {
		recs, errs := Decode([]byte(tc.body), "application/json")
		assert.Empty(t, recs, tc.body)
		if assert.Len(t, errs, 1, tc.body) {
			assert.Equal(t, tc.want, errs[0].Error())
		}
	}
}

// A bad agent record costs only itself.
func TestBadAgentRecordKeepsItsNeighbours(t *testing.T) {
	body := `{"type":"interface_stats","eth0":{"raw":true}}` + "\n" + interfaceStatsV5 + "\n" + agentStatusV5
	recs, errs := Decode([]byte(body), "application/x-ndjson")
	require.Len(t, errs, 1)
	assert.Equal(t, `record 0: eth0.raw: expected a number, got bool true`, errs[0].Error())
	require.Len(t, recs, 2)
	assert.Len(t, recs[0].Agent.Interfaces, 2)
	assert.Equal(t, wantAgentStatusV5(), recs[1].Agent.Status)

	var stream []byte
	for _, doc := range []string{`{"type":"agent_status","uptime":"x"}`, agentStatusV5} {
		stream = append(stream, jsonToMsgpack(t, []byte(doc))...)
	}
	recs, errs = Decode(stream, "application/msgpack")
	require.Len(t, errs, 1)
	assert.Equal(t, `record 0: uptime: expected a number, got string "x"`, errs[0].Error())
	require.Len(t, recs, 1)
	assert.Equal(t, wantAgentStatusV5(), recs[0].Agent.Status)
}

func TestOtherRecordsHaveNoAgentReport(t *testing.T) {
	recs, errs := Decode([]byte(`{"type":"global_stats","raw":1}`), "")
	require.Empty(t, errs)
	assert.Nil(t, recs[0].Agent)
}

// Whatever the input, decoding an agent record never panics and keeps to
// the bounds on interfaces and names.
func FuzzAgentRecords(f *testing.F) {
	f.Add([]byte(agentStatusV5))
	f.Add([]byte(interfaceStatsV5))
	f.Add([]byte(`{"type":"agent_status","stats":{"a":{"raw":"1"}},"cpu_user":"1e3"}`))
	f.Add(jsonToMsgpack(f, []byte(interfaceStatsV5)))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, ct := range []string{"application/json", "application/msgpack"} {
			recs, _ := Decode(body, ct)
			for _, r := range recs {
				if r.Agent == nil {
					continue
				}
				if len(r.Agent.Interfaces) > MaxAgentInterfaces {
					t.Fatalf("%d interfaces", len(r.Agent.Interfaces))
				}
				for _, it := range r.Agent.Interfaces {
					if len(it.Name) > MaxInterfaceLen {
						t.Fatalf("interface name of %d bytes", len(it.Name))
					}
				}
				if s := r.Agent.Status; s != nil && len(s.Version) > MaxAgentVersionLen {
					t.Fatalf("version of %d bytes", len(s.Version))
				}
			}
		}
	})
}

// TestDecodeBodyKeepsAgentReports: the body decoder the inputs use counts
// record types the receiver does not map, but keeps the agents' reports.
func TestDecodeBodyKeepsAgentReports(t *testing.T) {
	body := DecodeBody([]byte(agentStatusV5+"\n"+interfaceStatsV5+"\n"+`{"type":"interfaces"}`), "application/json")
	require.Len(t, body.Records, 2)
	assert.Equal(t, TypeAgentStatus, body.Records[0].Type)
	assert.Equal(t, TypeInterfaceStats, body.Records[1].Type)
	assert.NotNil(t, body.Records[1].Agent)
	assert.Equal(t, 1, body.Other)
}
