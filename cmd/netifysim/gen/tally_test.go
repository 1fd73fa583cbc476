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
