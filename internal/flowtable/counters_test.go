package flowtable

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// A sum that would pass 2^64 stays at the largest value: it never wraps
// below what was already exported under the same start time.
func TestSumsSaturateInsteadOfWrapping(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", nil, 1e19, 5), at(0))
	first := tb.Snapshot(0)
	require.Len(t, first.Points, 1)
	assert.Equal(t, uint64(1e19), first.Points[0].Sum.LocalBytes)
	tb.Commit(first)

	apply(t, tb, "a", stats("d1", nil, 1e19, 5), at(15))
	second := tb.Snapshot(0)
	require.Len(t, second.Points, 1)
	p := second.Points[0]
	assert.Equal(t, uint64(math.MaxUint64), p.Sum.LocalBytes, "saturated, not wrapped")
	assert.GreaterOrEqual(t, p.Sum.LocalBytes, first.Points[0].Sum.LocalBytes)
	assert.Equal(t, uint64(10), p.Sum.OtherBytes, "the other counters add as usual")
	assert.Equal(t, first.Points[0].Start, p.Start)
}

func TestAddSat(t *testing.T) {
	assert.Equal(t, uint64(3), addSat(1, 2))
	assert.Equal(t, uint64(math.MaxUint64), addSat(math.MaxUint64, 0))
	assert.Equal(t, uint64(math.MaxUint64), addSat(math.MaxUint64-1, 2))
	assert.Equal(t, uint64(math.MaxUint64), addSat(math.MaxUint64, math.MaxUint64))
}

// An agent that stopped sending agent_status is forgotten once the idle
// timeout has passed, so agents that come and go do not grow the table.
func TestAgentIntervalsAreForgotten(t *testing.T) {
	tb := newTable(10)
	status := &record.Record{Type: record.TypeAgentStatus, UpdateIntervalSeconds: 15}
	for i, agent := range []string{"a", "b", "c"} {
		apply(t, tb, agent, status, at(i))
	}
	require.Len(t, tb.intervals, 3)
	tb.Expire(at(60 + 15)) // a's idle timeout plus its interval
	assert.Len(t, tb.intervals, 2, "a forgotten")
	apply(t, tb, "b", status, at(70)) // b reports again
	tb.Expire(at(2 + 60 + 15))
	assert.Equal(t, []string{"b"}, keysOf(tb.intervals))
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
