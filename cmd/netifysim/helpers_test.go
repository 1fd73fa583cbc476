package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/syncbuf"
)

// addPayload counts one JSON record into t the way a receiver sums: deltas of
// flow_stats and flow_purge only.
func addPayload(tb testing.TB, t *gen.Tally, payload []byte) {
	tb.Helper()
	require.NoError(tb, tallyPayload(t, payload))
}

// tallyPayload is addPayload for goroutines that must not stop the test.
func tallyPayload(t *gen.Tally, payload []byte) error {
	var m struct {
		Type string `json:"type"`
		Flow struct {
			LocalBytes   uint64 `json:"local_bytes"`
			OtherBytes   uint64 `json:"other_bytes"`
			LocalPackets uint64 `json:"local_packets"`
			OtherPackets uint64 `json:"other_packets"`
			TCP          *struct {
				Resets    uint64 `json:"resets"`
				Retrans   uint64 `json:"retrans"`
				SeqErrors uint64 `json:"seq_errors"`
			} `json:"tcp"`
		} `json:"flow"`
	}
	if err := json.Unmarshal(payload, &m); err != nil {
		return fmt.Errorf("payload %q: %w", payload, err)
	}
	if m.Type == "" {
		return fmt.Errorf("payload %q has no type", payload)
	}
	if t.Records == nil {
		t.Records = map[string]int64{}
	}
	t.Records[m.Type]++
	t.RecordsTotal++
	if m.Type == gen.TypeInterfaceStats {
		return tallyInterfaces(t, payload)
	}
	if !gen.CountsDeltas(m.Type) {
		return nil
	}
	t.LocalBytes += m.Flow.LocalBytes
	t.OtherBytes += m.Flow.OtherBytes
	t.LocalPackets += m.Flow.LocalPackets
	t.OtherPackets += m.Flow.OtherPackets
	if m.Flow.TCP != nil {
		t.TCPResets += m.Flow.TCP.Resets
		t.TCPRetrans += m.Flow.TCP.Retrans
		t.TCPSeqErrors += m.Flow.TCP.SeqErrors
	}
	return nil
}

func tallyLines(tb testing.TB, ndjson []byte) gen.Tally {
	tb.Helper()
	t := gen.Tally{Records: map[string]int64{}}
	sc := bufio.NewScanner(bytes.NewReader(ndjson))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		addPayload(tb, &t, sc.Bytes())
	}
	require.NoError(tb, sc.Err())
	return t
}

// runMain runs the command in-process and returns stdout and the summary it
// wrote to -summary.
func runMain(t *testing.T, args ...string) ([]byte, Summary) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "summary.json")
	var stdout, stderr syncbuf.Buffer
	code := realMain(append(args, "-summary", file, "-quiet"), &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	return stdout.Bytes(), readSummary(t, file)
}

func readSummary(t *testing.T, file string) Summary {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var s Summary
	require.NoError(t, json.Unmarshal(b, &s))
	return s
}

// requireBalanced checks generated = delivered + failed + dropped.
func requireBalanced(t *testing.T, o Outcomes) {
	t.Helper()
	sum := gen.Tally{Records: map[string]int64{}}
	sum.Merge(o.Delivered)
	sum.Merge(o.Failed)
	sum.Merge(o.Dropped)
	require.Equal(t, o.Generated, sum)
}

// requireViewsAddUp checks an agent's view truth against its delivered
// tally: for each default view, the keys' sums equal the tally's, every
// delivered flow_purge ended a flow under one key, and started = ended +
// active.
func requireViewsAddUp(t *testing.T, a AgentSummary) {
	t.Helper()
	require.ElementsMatch(t, gen.ViewNames(), keysOf(a.Views), "agent %s", a.AgentID)
	for view, list := range a.Views {
		var sum gen.Delta
		var started, ended, active int64
		for _, vt := range list {
			sum.Add(vt.Delta)
			started += vt.FlowsStarted
			active += vt.FlowsActive
			for _, n := range vt.FlowsEnded {
				ended += n
			}
		}
		require.Equal(t, a.Delivered.Delta, sum, "agent %s view %s", a.AgentID, view)
		require.Equal(t, a.Delivered.Records[gen.TypeFlowPurge], ended, "agent %s view %s", a.AgentID, view)
		require.Equal(t, started, ended+active, "agent %s view %s", a.AgentID, view)
	}
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// tallyInterfaces adds the counters of every interface of an
// interface_stats payload.
func tallyInterfaces(t *gen.Tally, payload []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil {
		return err
	}
	for key, raw := range m {
		if key == "type" {
			continue
		}
		var c gen.InterfaceCounts
		if err := json.Unmarshal(raw, &struct {
			Packets        *uint64 `json:"raw"`
			WireBytes      *uint64 `json:"wire_bytes"`
			TCPResets      *uint64 `json:"tcp_resets"`
			CaptureDropped *uint64 `json:"capture_dropped"`
		}{&c.Packets, &c.WireBytes, &c.TCPResets, &c.CaptureDropped}); err != nil {
			return fmt.Errorf("interface %s: %w", key, err)
		}
		t.Interface.Add(c)
	}
	return nil
}
