package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/syncbuf"
)

var virtual = []string{"-interval", "10ms", "-fast", "-start", "1765893800000"}

func TestStdoutSummaryIsTheSumOfTheOutput(t *testing.T) {
	out, s := runMain(t, append(virtual, "-agents", "3", "-flows", "15", "-intervals", "12", "-seed", "4")...)
	require.Len(t, s.Agents, 3)
	got := tallyLines(t, out)
	require.Equal(t, s.Total.Delivered, got)
	require.Equal(t, s.Total.Generated, got)
	require.Equal(t, int64(36), got.Records[gen.TypeAgentStatus])
	require.Equal(t, int64(36), got.Records[gen.TypeInterfaceStats])
	require.Positive(t, got.Interface.Packets)
	require.Greater(t, got.Interface.Packets, got.LocalPackets+got.OtherPackets, "the interfaces see the flows' packets and a few more")
	requireBalanced(t, s.Total)
	for _, a := range s.Agents {
		requireBalanced(t, a.Outcomes)
		requireViewsAddUp(t, a)
		require.Equal(t, int64(12), a.Intervals)
		require.Greater(t, a.FlowsStarted, int64(15))
		require.Equal(t, a.FlowsPurged, a.Generated.Records[gen.TypeFlowPurge])
		require.Zero(t, a.Failed.RecordsTotal)
	}
	require.Equal(t, "stdout", s.Mode)
	require.Equal(t, 40, s.DigestLen)
}

func TestVirtualClockOutputIsReproducible(t *testing.T) {
	args := append(virtual, "-agents", "2", "-flows", "8", "-intervals", "6", "-seed", "99", "-digest-len", "16")
	a, _ := runMain(t, args...)
	b, _ := runMain(t, args...)
	require.Equal(t, a, b)
	c, _ := runMain(t, append(args, "-rate", "2")...)
	require.NotEqual(t, a, c)
}

// Per agent, the stream equals what gen produces for the same config.
func TestOutputIsTheGeneratorStream(t *testing.T) {
	out, _ := runMain(t, append(virtual, "-agent-ids", "only", "-flows", "5", "-intervals", "4", "-seed", "8")...)
	want, err := gen.Stream(gen.Config{Seed: 8, AgentIDs: []string{"only"}, Flows: 5, Interval: 10 * time.Millisecond, InterfaceStats: true}, time.UnixMilli(1765893800000), 4)
	require.NoError(t, err)
	require.Equal(t, append(bytes.Join(want, []byte("\n")), '\n'), out)
}

func TestPurgeOnExitEndsEveryFlow(t *testing.T) {
	out, s := runMain(t, append(virtual, "-flows", "6", "-intervals", "3", "-purge-on-exit")...)
	open := map[string]bool{}
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		var m struct {
			Type string `json:"type"`
			Flow struct {
				DigestPrev []string `json:"digest_prev"`
			} `json:"flow"`
		}
		require.NoError(t, json.Unmarshal(line, &m))
		if m.Type == gen.TypeAgentStatus || m.Type == gen.TypeInterfaceStats {
			continue
		}
		open[m.Flow.DigestPrev[0]] = m.Type != gen.TypeFlowPurge
	}
	for flow, isOpen := range open {
		require.False(t, isOpen, "flow %s never purged", flow)
	}
	a := s.Agents[0]
	requireViewsAddUp(t, a)
	for view, list := range a.Views {
		var started int64
		for _, vt := range list {
			require.Zero(t, vt.FlowsActive, "view %s: every flow was purged", view)
			started += vt.FlowsStarted
		}
		require.Equal(t, a.FlowsStarted, started, "view %s", view)
	}
	require.Equal(t, a.FlowsStarted, a.FlowsPurged)
	require.Equal(t, int64(len(open)), a.FlowsStarted)
}

// Stopping (as SIGINT/SIGTERM do) ends the run cleanly with an exact summary.
func TestCancelStopsCleanly(t *testing.T) {
	o, err := parseOptions([]string{"-flows", "4", "-interval", "5ms"}, os.Stderr)
	require.NoError(t, err)
	var stdout, stderr syncbuf.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Summary)
	errc := make(chan error, 1)
	go func() {
		s, err := run(ctx, o, &stdout, &stderr)
		errc <- err
		done <- s
	}()
	require.Eventually(t, func() bool { return bytes.Count(stdout.Bytes(), []byte(`"agent_status"`)) >= 3 }, 10*time.Second, 5*time.Millisecond)
	cancel()
	require.NoError(t, <-errc)
	s := <-done
	require.Equal(t, s.Total.Delivered, tallyLines(t, stdout.Bytes()))
	require.GreaterOrEqual(t, s.Agents[0].Intervals, int64(3))
}

func TestSIGTERMStopsAndPrintsSummary(t *testing.T) {
	var stdout, stderr syncbuf.Buffer
	done := make(chan int)
	go func() { done <- realMain([]string{"-flows", "3", "-interval", "5ms"}, &stdout, &stderr) }()
	// Output exists only once realMain has installed its signal handler.
	require.Eventually(t, func() bool { return bytes.Contains(stdout.Bytes(), []byte(`"agent_status"`)) }, 10*time.Second, 5*time.Millisecond)
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case code := <-done:
		require.Equal(t, 0, code)
	case <-time.After(20 * time.Second):
		t.Fatal("netifysim did not stop on SIGTERM")
	}
	errText := stderr.String()
	var s Summary
	require.NoError(t, json.Unmarshal([]byte(errText[bytes.IndexByte([]byte(errText), '{'):]), &s))
	require.Equal(t, s.Total.Delivered, tallyLines(t, stdout.Bytes()))
}

func TestDurationStops(t *testing.T) {
	out, s := runMain(t, "-flows", "2", "-interval", "5ms", "-duration", "100ms")
	require.Positive(t, s.Agents[0].Intervals)
	require.Equal(t, s.Total.Delivered, tallyLines(t, out))
}
