package flowtable

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func TestNewReportRevivesAnEndedFlowInItsSeries(t *testing.T) {
	tb := newTable(10)
	purge := stats("d1", nil, 4, 0)
	purge.Type = record.TypeFlowPurge
	apply(t, tb, "a", purge, at(0))
	tb.Commit(tb.Snapshot(0))
	apply(t, tb, "a", stats("d1", nil, 6, 0), at(30))
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.Equal(t, uint64(10), s.Points[0].Sum.LocalBytes)
	assert.Equal(t, at(0), s.Points[0].Start)
	assert.False(t, s.Points[0].Final)
}

func TestRedeliveredPurgeOfAnEndedFlowIsADuplicate(t *testing.T) {
	tb := newTable(10)
	purge := stats("d1", nil, 4, 0)
	purge.Type = record.TypeFlowPurge
	purge.LastSeenAtMillis = 1000
	apply(t, tb, "a", purge, at(0))
	tb.Commit(tb.Snapshot(0))
	outcome, err := applyOne(tb, "a", purge, at(5))
	require.NoError(t, err)
	assert.Equal(t, Duplicate, outcome)
	assert.Empty(t, tb.Snapshot(0).Points)
}

func TestBatchThatDoesNotFitAppliesNothing(t *testing.T) {
	tb := newTable(2)
	apply(t, tb, "a", stats("x", nil, 1, 0), at(0)) // unsent: not evictable
	recs := []record.Record{*stats("x", nil, 1, 0), *stats("y", nil, 1, 0), *stats("z", nil, 1, 0)}
	out := make([]Outcome, len(recs))
	require.ErrorIs(t, tb.ApplyBatch("a", recs, at(1), false, out), ErrFull)
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1, "nothing of the refused batch was applied")
	assert.Equal(t, uint64(1), s.Points[0].Sum.LocalBytes)

	// Once x is sent it can be evicted, but not by a batch that updates it:
	// y and z need two places, and only one is free besides x.
	tb.Commit(s)
	require.ErrorIs(t, tb.ApplyBatch("a", recs, at(2), false, out), ErrFull)
	require.NoError(t, tb.ApplyBatch("a", recs[1:], at(3), false, out[:2]))
	assert.Equal(t, []Outcome{Applied, AppliedEvicting}, out[:2])
}

func TestWithoutDedupAlikeReportsBothCount(t *testing.T) {
	tb := newTable(10)
	r := stats("d1", nil, 5, 0)
	r.LastSeenAtMillis = 1000
	out := make([]Outcome, 2)
	require.NoError(t, tb.ApplyBatch("a", []record.Record{*r, *r}, at(0), false, out))
	assert.Equal(t, []Outcome{Applied, Applied}, out)
	assert.Equal(t, uint64(10), tb.Snapshot(0).Points[0].Sum.LocalBytes)
}

func TestNonFlowRecordsAreSkipped(t *testing.T) {
	tb := newTable(10)
	out := make([]Outcome, 1)
	require.NoError(t, tb.ApplyBatch("a", []record.Record{{Type: record.TypeAgentStatus}}, at(0), false, out))
	assert.Equal(t, Skipped, out[0])
	assert.Equal(t, 0, tb.Len())
}

func TestRecordWithoutInterfaceKeepsTheFlowsAttributes(t *testing.T) {
	tb := newTable(10)
	r := stats("d1", nil, 1, 0)
	r.HasInterface, r.HasInternal, r.Internal = true, true, true
	apply(t, tb, "a", r, at(0))
	bare := stats("d1", nil, 1, 0)
	bare.Interface = ""
	apply(t, tb, "a", bare, at(15))
	p := tb.Snapshot(0).Points[0]
	assert.Equal(t, "lan", p.Attrs.Interface)
	assert.True(t, p.Attrs.Internal)
}

func TestZeroTotalsAreLagNotANewSeries(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", nil, 100, 0), at(0))
	lag := stats("d1", nil, 5, 0)
	lag.TotalBytes, lag.TotalPackets = 0, 0
	apply(t, tb, "a", lag, at(15))
	p := tb.Snapshot(0).Points[0]
	assert.Equal(t, at(0), p.TotalStart)
	assert.Equal(t, uint64(1100), p.TotalBytes)
	assert.Equal(t, uint64(105), p.Sum.LocalBytes)
}

func TestFirstSeenAtStartsTheSeries(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", &record.Record{Type: record.TypeFlow, Digest: "d1", FirstSeenAtMillis: at(-5).UnixMilli()}, at(0))
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(15))
	apply(t, tb, "a", &record.Record{Type: record.TypeFlow, Digest: "d2", FirstSeenAtMillis: at(3600).UnixMilli()}, at(0))
	apply(t, tb, "a", stats("d2", nil, 1, 0), at(15))
	starts := map[string]any{}
	for _, p := range tb.Snapshot(0).Points {
		starts[p.Digest] = p.Start
		assert.Equal(t, p.Start, p.TotalStart)
		assert.Equal(t, p.Start, p.DeltaStart)
	}
	assert.Equal(t, at(-5), starts["d1"])
	assert.Equal(t, at(0), starts["d2"], "a first_seen_at in the future is the agent's clock, not the flow")
}

func TestExpiryFollowsLastUpdateNotCommitOrder(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("old", nil, 1, 0), at(0))
	// A metadata-only record makes "meta" clean at 30s, before "old" is
	// committed.
	apply(t, tb, "a", &record.Record{Type: record.TypeFlow, Digest: "meta"}, at(30))
	tb.Commit(tb.Snapshot(0))
	assert.Equal(t, 1, tb.Expire(at(61)), "old, idle for 61s, expires although committed after meta")
	assert.Equal(t, 1, tb.Len())
}

func TestFlowFirstSeenThroughAReportStartsOneIntervalEarlier(t *testing.T) {
	tb := newTable(10)
	out := make([]Outcome, 3)
	require.NoError(t, tb.ApplyBatch("a", []record.Record{
		{Type: record.TypeAgentStatus, UpdateIntervalSeconds: 15},
		*stats("d1", nil, 1, 0),
		{Type: record.TypeFlow, Digest: "d2"},
	}, at(100), false, out))
	assert.Equal(t, []Outcome{Skipped, Applied, Applied}, out)
	apply(t, tb, "a", stats("d2", nil, 1, 0), at(115))
	apply(t, tb, "b", stats("d1", nil, 1, 0), at(100))
	starts := map[string]any{}
	for _, p := range tb.Snapshot(0).Points {
		starts[p.Agent+"/"+p.Digest] = p.Start
	}
	assert.Equal(t, map[string]any{
		"a/d1": at(85),  // its deltas cover the 15 s before the report
		"a/d2": at(100), // seen by its flow record: the series starts then
		"b/d1": at(100), // agent b sent no agent_status: receive time
	}, starts)
}

// An agent whose update interval is longer than the idle timeout has its
// flows expire between two reports. The entry made by the next report must
// not start before the expired one's last point: a backend would see two
// series of the same flow overlap. The start goes back at most the idle
// timeout, which an expired entry was idle for.
func TestNewEntryAfterExpiryStartsAfterTheOldOne(t *testing.T) {
	tb := newTable(10) // idle timeout 1 minute
	out := make([]Outcome, 2)
	require.NoError(t, tb.ApplyBatch("a", []record.Record{
		{Type: record.TypeAgentStatus, UpdateIntervalSeconds: 300},
		*stats("d1", nil, 1, 0),
	}, at(1000), false, out))
	first := tb.Snapshot(0)
	require.Len(t, first.Points, 1)
	assert.Equal(t, at(940), first.Points[0].Start, "one idle timeout back, not the 300 s interval")
	tb.Commit(first)
	require.Equal(t, 1, tb.Expire(at(1061)))
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(1300))
	second := tb.Snapshot(0)
	require.Len(t, second.Points, 1)
	assert.Equal(t, at(1240), second.Points[0].Start)
	assert.True(t, second.Points[0].Start.After(first.Points[0].Time), "the new series starts after the old one's last point (%v)", first.Points[0].Time)
}

// TestStatsRecordChangesInterfaceAndInternal: a record without metadata
// that carries another interface or internal flag than the flow's changes
// them (the attributes are kept packed only when it repeats them).
func TestStatsRecordChangesInterfaceAndInternal(t *testing.T) {
	tb := New(Config{MaxFlows: 10, IdleTimeout: time.Hour, PerFlow: true})
	n := 0
	report := func(iface string, internal bool) Attributes {
		r := stats("ab12", nil, 1, 0)
		r.HasInterface, r.Interface = true, iface
		r.HasInternal, r.Internal = true, internal
		apply(t, tb, "a", r, at(n))
		n++
		s := tb.Snapshot(0)
		require.Len(t, s.Points, 1)
		tb.Commit(s)
		return s.Points[0].Attrs
	}
	a := report("lan", false)
	assert.Equal(t, "lan", a.Interface)
	assert.False(t, a.Internal)
	a = report("wan", false)
	assert.Equal(t, "wan", a.Interface)
	assert.False(t, a.Internal)
	a = report("wan", true)
	assert.Equal(t, "wan", a.Interface)
	assert.True(t, a.Internal)
	a = report("wan", true)
	assert.Equal(t, "wan", a.Interface)
	assert.True(t, a.Internal)
}
