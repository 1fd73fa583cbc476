package agentstate

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func cfg() Config { return Config{MaxAgents: 2, MaxInterfaces: 2, Timeout: time.Minute} }

func status(uptime uint64, cpuUser float64, purged uint64) *record.AgentReport {
	return &record.AgentReport{Status: &record.AgentStatus{
		Version: "5.2.1", HasUptime: true, Uptime: uptime,
		HasUpdateInterval: true, UpdateInterval: 15,
		HasCPUUser: true, CPUUser: cpuUser,
		HasFlowsPurged: true, FlowsPurged: purged,
		HasFlowCount: true, FlowCount: 40,
	}}
}

func ifaceStats(name string, raw, wire uint64) *record.AgentReport {
	st := record.InterfaceStats{Name: name}
	st.Has[record.IfRaw], st.Counters[record.IfRaw] = true, raw
	st.Has[record.IfWireBytes], st.Counters[record.IfWireBytes] = true, wire
	return &record.AgentReport{Interfaces: []record.InterfaceStats{st}}
}

func TestStatusSumsPurgedAndKeepsTheAgentStart(t *testing.T) {
	s := New(cfg())
	require.True(t, s.Observe("a", status(100, 1.5, 3), t0))
	require.True(t, s.Observe("a", status(115, 2.0, 4), t0.Add(15*time.Second)))
	snap := s.Snapshot()
	require.Len(t, snap, 1)
	st := snap[0].Status
	assert.Equal(t, uint64(7), st.PurgedSum)
	// The first purged count covers the interval before the first report.
	assert.Equal(t, t0.Add(-15*time.Second), st.PurgedStart)
	// The agent started uptime seconds before the first report.
	assert.Equal(t, t0.Add(-100*time.Second), st.CPUStart)
	assert.InDelta(t, 2.0, st.CPUUser, 1e-9)
	assert.Equal(t, uint64(115), st.Uptime)
	assert.Equal(t, t0.Add(15*time.Second), st.Received)
}

func TestRestartGivesTheCPUTotalsANewStart(t *testing.T) {
	s := New(cfg())
	s.Observe("a", status(100, 9.0, 0), t0)
	restart := t0.Add(30 * time.Second)
	s.Observe("a", status(10, 0.2, 1), restart)
	st := s.Snapshot()[0].Status
	assert.Equal(t, restart.Add(-10*time.Second), st.CPUStart)
	assert.InDelta(t, 0.2, st.CPUUser, 1e-9)
	// flows_purged is the receiver's own sum: it goes on across the restart.
	assert.Equal(t, uint64(1), st.PurgedSum)
	assert.Equal(t, t0.Add(-15*time.Second), st.PurgedStart)
}

func TestInterfaceCountersAreSummedFromTheirFirstInterval(t *testing.T) {
	s := New(cfg())
	s.Observe("a", status(100, 1, 0), t0) // gives the update interval
	s.Observe("a", ifaceStats("eth0", 10, 1000), t0)
	s.Observe("a", ifaceStats("eth0", 5, 400), t0.Add(15*time.Second))
	it := s.Snapshot()[0].Interfaces
	require.Len(t, it, 1)
	assert.Equal(t, "eth0", it[0].Name)
	assert.Equal(t, t0.Add(-15*time.Second), it[0].Start)
	assert.Equal(t, t0.Add(15*time.Second), it[0].Last)
	assert.Equal(t, uint64(15), it[0].Sums[record.IfRaw])
	assert.Equal(t, uint64(1400), it[0].Sums[record.IfWireBytes])
	assert.False(t, it[0].Has[record.IfTCP])
}

func TestCountersSaturate(t *testing.T) {
	s := New(cfg())
	s.Observe("a", ifaceStats("eth0", math.MaxUint64-1, 0), t0)
	s.Observe("a", ifaceStats("eth0", 5, 0), t0)
	assert.Equal(t, uint64(math.MaxUint64), s.Snapshot()[0].Interfaces[0].Sums[record.IfRaw])
}

func TestBoundsOnAgentsAndInterfaces(t *testing.T) {
	s := New(cfg())
	require.True(t, s.Observe("a", ifaceStats("if0", 1, 1), t0))
	require.True(t, s.Observe("b", ifaceStats("if0", 1, 1), t0))
	assert.False(t, s.Observe("c", ifaceStats("if0", 1, 1), t0), "a third agent past MaxAgents")
	assert.Equal(t, 2, s.Len())
	for i := range 4 {
		s.Observe("a", ifaceStats(fmt.Sprintf("if%d", i), 1, 1), t0)
	}
	names := []string{}
	for _, it := range s.Snapshot()[0].Interfaces {
		names = append(names, it.Name)
	}
	assert.Equal(t, []string{"if0", "if1"}, names)
}

func TestExpireForgetsSilentAgentsAndInterfaces(t *testing.T) {
	s := New(cfg())
	s.Observe("a", ifaceStats("old", 1, 1), t0)
	s.Observe("b", ifaceStats("if0", 1, 1), t0)
	later := t0.Add(50 * time.Second)
	s.Observe("a", ifaceStats("new", 1, 1), later)
	assert.Equal(t, 1, s.Expire(t0.Add(61*time.Second)))
	snap := s.Snapshot()
	require.Len(t, snap, 1)
	assert.Equal(t, "a", snap[0].ID)
	require.Len(t, snap[0].Interfaces, 1)
	assert.Equal(t, "new", snap[0].Interfaces[0].Name)
	// Room for a new agent again.
	assert.True(t, s.Observe("c", ifaceStats("if0", 1, 1), later))
}

func TestMissingFiguresKeepTheirLastValue(t *testing.T) {
	s := New(cfg())
	s.Observe("a", status(100, 1, 0), t0)
	s.Observe("a", &record.AgentReport{Status: &record.AgentStatus{HasUptime: true, Uptime: 115}}, t0.Add(15*time.Second))
	st := s.Snapshot()[0].Status
	assert.Equal(t, "5.2.1", st.Version)
	assert.Equal(t, uint64(40), st.FlowCount)
	assert.True(t, st.HasCPUUser)
	assert.Equal(t, uint64(115), st.Uptime)
}

func TestRestartDropsFiguresTheNewRunLeftOut(t *testing.T) {
	s := New(cfg())
	s.Observe("a", status(100, 1, 0), t0)
	s.Observe("a", &record.AgentReport{Status: &record.AgentStatus{HasUptime: true, Uptime: 3}}, t0.Add(15*time.Second))
	st := s.Snapshot()[0].Status
	assert.False(t, st.HasFlowCount)
	assert.False(t, st.HasCPUUser)
	assert.Equal(t, t0.Add(12*time.Second), st.CPUStart)
}
