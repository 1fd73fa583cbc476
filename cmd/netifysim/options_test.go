package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

func TestOptionsDefaults(t *testing.T) {
	o, err := parseOptions(nil, io.Discard)
	require.NoError(t, err)
	require.Equal(t, modeStdout, o.mode)
	require.Equal(t, 15*time.Second, o.gen.Interval)
	require.Equal(t, 40, o.gen.DigestLen)
	require.Equal(t, uint64(1), o.gen.Seed)
	require.Equal(t, "X-Netify-Agent", o.agentHeader)
	require.Equal(t, "netify/${uuid_agent}/flows", o.topic)
	require.Equal(t, 1, o.qos)
	require.Equal(t, gen.FormatJSON, o.format)
	require.True(t, o.start.IsZero())

	require.Zero(t, o.gen.Apps)

	o, err = parseOptions([]string{"-apps", "5000", "-agent-ids", "x,y", "-start", "2025-12-16T14:03:20Z", "-dpi-stats", "none", "-seed", "18446744073709551615"}, io.Discard)
	require.NoError(t, err)
	require.Equal(t, []string{"x", "y"}, o.gen.AgentIDs)
	require.Equal(t, int64(1765893800), o.start.Unix())
	require.Equal(t, gen.DPIStatsNone, o.gen.DPIStats)
	require.Equal(t, uint64(18446744073709551615), o.gen.Seed)
	require.Equal(t, 5000, o.gen.Apps)
}

func TestOptionsRejectWhatCannotRun(t *testing.T) {
	for args, want := range map[string][]string{
		`-mode "carrier-pigeon"`:  {"-mode", "carrier-pigeon"},
		"needs -url":              {"-mode", "http"},
		"needs -listen":           {"-mode", "socket"},
		"-gzip applies":           {"-mode", "socket", "-listen", "tcp://127.0.0.1:0", "-gzip"},
		"-qos must be":            {"-mode", "mqtt", "-qos", "3"},
		"-fast needs -intervals":  {"-fast"},
		"digest length":           {"-digest-len", "32"},
		"not an unsigned integer": {"-seed", "-1"},
		"want json or msgpack":    {"-format", "xml"},
		"want pending or none":    {"-dpi-stats", "all"},
		"epoch milliseconds":      {"-start", "yesterday"},
		"-interval must be":       {"-interval", "0s"},
		"given twice":             {"-agent-ids", "a,a"},
		"unexpected arguments":    {"extra"},
		"apps must be between":    {"-apps", "-3"},
	} {
		_, err := parseOptions(want, io.Discard)
		require.ErrorContains(t, err, args, "%v", want)
	}
	require.Equal(t, 2, realMain([]string{"-mode", "nope"}, io.Discard, io.Discard))
	require.Equal(t, 0, realMain([]string{"-h"}, io.Discard, io.Discard))
}

func TestListenAddrPerAgent(t *testing.T) {
	for _, c := range []struct {
		tmpl   string
		idx, n int
		want   string
	}{
		{"unix:///run/${uuid_agent}.sock", 1, 2, "unix:///run/b.sock"},
		{"tcp://127.0.0.1:7150", 0, 1, "tcp://127.0.0.1:7150"},
		{"tcp://127.0.0.1:7150", 2, 3, "tcp://127.0.0.1:7152"},
		{"tcp://127.0.0.1:0", 2, 3, "tcp://127.0.0.1:0"},
	} {
		got, err := listenAddr(c.tmpl, "b", c.idx, c.n)
		require.NoError(t, err)
		require.Equal(t, c.want, got)
	}
	_, err := listenAddr("unix:///run/flows.sock", "a", 0, 2)
	require.ErrorContains(t, err, "needs ${uuid_agent}")
}
