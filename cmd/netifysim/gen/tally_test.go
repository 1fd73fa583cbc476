package gen

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The tally of the generated records equals the sums read back from their
// JSON payloads over flow_stats and flow_purge.
func TestTallyEqualsSumOverPayloads(t *testing.T) {
	recs := records(t, Config{Seed: 11, Agents: 3, Flows: 20, Rate: 3}, 25)
	var tally Tally
	for i := range recs {
		tally.Add(&recs[i])
	}
	want := Tally{Records: map[string]int64{}}
	for _, w := range decodeAll(t, recs) {
		want.Records[w.Type]++
		want.RecordsTotal++
		if w.Type != TypeFlowStats && w.Type != TypeFlowPurge {
			continue
		}
		want.LocalBytes += w.num("local_bytes")
		want.OtherBytes += w.num("other_bytes")
		want.LocalPackets += w.num("local_packets")
		want.OtherPackets += w.num("other_packets")
		if tcp, ok := w.tcp(); ok {
			want.TCPResets += uint64(tcp["resets"].(float64))
			want.TCPRetrans += uint64(tcp["retrans"].(float64))
			want.TCPSeqErrors += uint64(tcp["seq_errors"].(float64))
		}
	}
	require.Equal(t, want, tally)
	require.Positive(t, tally.TCPRetrans)
	require.Positive(t, tally.TCPResets)
	require.Positive(t, tally.TCPSeqErrors)
	require.Equal(t, int64(3*25), tally.Records[TypeAgentStatus])

	var merged Tally
	merged.Merge(tally)
	merged.Merge(tally)
	require.Equal(t, 2*tally.LocalBytes, merged.LocalBytes)
	require.Equal(t, 2*tally.Records[TypeFlowStats], merged.Records[TypeFlowStats])
}

// interface_stats follows agent_status; its packets are the interval's flow
// packets plus the tick's ARP packets, and turning it on leaves the flows'
// records as they were.
func TestInterfaceStatsCountTheIntervalsFlows(t *testing.T) {
	cfg := Config{Seed: 3, Flows: 12}
	with := cfg
	with.InterfaceStats = true
	plain := records(t, cfg, 10)
	recs := records(t, with, 10)
	var flows []Record
	var tally Tally
	var interval Delta
	ticks := uint64(0)
	for i := range recs {
		r := &recs[i]
		tally.Add(r)
		switch r.Type {
		case TypeInterfaceStats:
			ticks++
			require.Equal(t, TypeAgentStatus, recs[i-1].Type)
			require.Equal(t, interval.Packets()+ticks%3, r.Iface.Packets, "interval %d", ticks)
			require.Equal(t, interval.Bytes()+14*interval.Packets()+60*(ticks%3), r.Iface.WireBytes)
			require.Equal(t, interval.TCPResets, r.Iface.TCPResets)
			interval = Delta{}
		default:
			flows = append(flows, *r)
			if CountsDeltas(r.Type) {
				interval.Add(r.Delta)
			}
		}
	}
	require.Equal(t, uint64(10), ticks)
	require.Equal(t, plain, flows)
	require.Equal(t, int64(10), tally.Records[TypeInterfaceStats])
	require.Greater(t, tally.Interface.Packets, tally.Packets())
}

// agent_status' CPU times are running totals: they never go down.
func TestAgentStatusCPUIsARunningTotal(t *testing.T) {
	prevUser, prevSystem := -1.0, -1.0
	for _, r := range records(t, Config{Seed: 2, Flows: 3}, 30) {
		if r.Type != TypeAgentStatus {
			continue
		}
		user, system := r.Msg["cpu_user"].(float64), r.Msg["cpu_system"].(float64)
		require.GreaterOrEqual(t, user, prevUser)
		require.GreaterOrEqual(t, system, prevSystem)
		require.Less(t, r.Msg["memrss_kb"].(int64), r.Msg["maxrss_kb"].(int64))
		prevUser, prevSystem = user, system
	}
	require.Positive(t, prevUser)
}
