package record

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

func TestAgentStatusCarriesTheUpdateInterval(t *testing.T) {
	const body = `{"type":"agent_status","agent_version":"5.2.1","timestamp":1772625600,"update_interval":15,"uptime":3600,"flow_count":3}`
	recs, errs := Decode([]byte(body), "application/json")
	require.Empty(t, errs)
	require.Len(t, recs, 1)
	assert.Equal(t, TypeAgentStatus, recs[0].Type)
	assert.Equal(t, uint64(15), recs[0].UpdateIntervalSeconds)
	assert.Equal(t, &AgentReport{Status: &AgentStatus{
		Version:   "5.2.1",
		HasUptime: true, Uptime: 3600,
		HasUpdateInterval: true, UpdateInterval: 15,
		HasTimestamp: true, Timestamp: 1772625600,
		HasFlowCount: true, FlowCount: 3,
	}}, recs[0].Agent)

	packed, err := msgpack.Marshal(map[string]any{"type": "agent_status", "update_interval": 7.0})
	require.NoError(t, err)
	recs, errs = Decode(packed, "application/msgpack")
	require.Empty(t, errs)
	assert.Equal(t, uint64(7), recs[0].UpdateIntervalSeconds)
	assert.InDelta(t, 7.0, recs[0].Agent.Status.UpdateInterval, 1e-9)
}

// Simulators with sub-second intervals send a fractional update_interval:
// the agent figure keeps it; the flow table's whole-second hint is lost.
func TestFractionalUpdateInterval(t *testing.T) {
	recs, errs := Decode([]byte(`{"type":"agent_status","update_interval":0.3}`), "")
	require.Empty(t, errs)
	assert.InDelta(t, 0.3, recs[0].Agent.Status.UpdateInterval, 1e-9)
	assert.Zero(t, recs[0].UpdateIntervalSeconds)
}
