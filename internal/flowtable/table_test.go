package flowtable

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

func stats(digest string, prev []string, localBytes, otherBytes uint64) *record.Record {
	return &record.Record{
		Type: record.TypeFlowStats, Interface: "lan", Digest: digest, DigestPrev: prev,
		HasStats: true, LocalBytes: localBytes, OtherBytes: otherBytes, LocalPackets: 1, OtherPackets: 2,
		HasTCP: true, TCPRetrans: 1,
		HasRates: true, LocalRate: float64(localBytes) / 2, OtherRate: 1.5,
		HasTotals: true, TotalBytes: 1000 + localBytes + otherBytes, TotalPackets: 10,
	}
}

func newTable(max int) *Table {
	return New(Config{MaxFlows: max, IdleTimeout: time.Minute, PerFlow: true})
}

// applyOne applies one record as a delivery over an at-least-once
// transport (dedup on).
func applyOne(tb *Table, agent string, r *record.Record, now time.Time) (Outcome, error) {
	out := make([]Outcome, 1)
	err := tb.ApplyBatch(agent, []record.Record{*r}, now, true, out)
	return out[0], err
}

func apply(t *testing.T, tb *Table, agent string, r *record.Record, now time.Time) {
	t.Helper()
	_, err := applyOne(tb, agent, r, now)
	require.NoError(t, err)
}

func TestDeltasAccumulateUnderOneStart(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", []string{"tuple"}, 100, 200), at(0))
	apply(t, tb, "a", stats("d1", []string{"tuple"}, 10, 20), at(15))

	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	p := s.Points[0]
	assert.Equal(t, "tuple", p.Digest, "the stable identity is digest_prev[0]")
	assert.Equal(t, uint64(110), p.Sum.LocalBytes)
	assert.Equal(t, uint64(220), p.Sum.OtherBytes)
	assert.Equal(t, uint64(2), p.Sum.TCPRetrans)
	assert.Equal(t, at(0), p.Start)
	assert.Equal(t, at(15), p.Time)
	assert.Equal(t, 5.0, p.LocalRate, "rates are replaced, never summed")
	assert.Equal(t, uint64(1030), p.TotalBytes, "totals are replaced")
}

func TestDigestChangeKeepsTheFlow(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", []string{"tuple"}, 100, 0), at(0))
	// DPI changed the digest; the agent lists the old ones.
	apply(t, tb, "a", stats("d2", []string{"tuple", "d1"}, 5, 0), at(15))
	// Some agents list only the previous digest, not the tuple one.
	apply(t, tb, "a", stats("d3", []string{"d2"}, 7, 0), at(30))

	require.Equal(t, 1, tb.Len())
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.Equal(t, "tuple", s.Points[0].Digest)
	assert.Equal(t, uint64(112), s.Points[0].Sum.LocalBytes)
}

func TestFlowWithoutDigestPrevIsKeyedByFirstDigest(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(0))
	apply(t, tb, "a", stats("d1", nil, 2, 0), at(15))
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.Equal(t, "d1", s.Points[0].Digest)
	assert.Equal(t, uint64(3), s.Points[0].Sum.LocalBytes)
}

func TestAgentsNeverShareAFlow(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(0))
	apply(t, tb, "b", stats("d1", nil, 2, 0), at(0))
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 2)
	assert.Equal(t, "a", s.Points[0].Agent)
	assert.Equal(t, uint64(1), s.Points[0].Sum.LocalBytes)
	assert.Equal(t, "b", s.Points[1].Agent)
	assert.Equal(t, uint64(2), s.Points[1].Sum.LocalBytes)
}

func TestCommitCleansAndUncommittedIsSentAgain(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(0))

	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	// Not committed (downstream failed): the next snapshot has it again.
	s = tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	tb.Commit(s)
	assert.Empty(t, tb.Snapshot(0).Points, "nothing changed since the commit")
	assert.Equal(t, 1, tb.Len())
}

func TestPendingDeltasMergeAfterFailureAndSurviveConcurrentUpdates(t *testing.T) {
	tb := New(Config{MaxFlows: 10, IdleTimeout: time.Minute, PerFlow: true})
	apply(t, tb, "a", stats("d1", nil, 100, 0), at(0))
	failed := tb.Snapshot(0) // dropped: a retryable error
	require.Equal(t, uint64(100), failed.Points[0].Delta.LocalBytes)

	apply(t, tb, "a", stats("d1", nil, 10, 0), at(15))
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.Equal(t, uint64(110), s.Points[0].Delta.LocalBytes, "the failed flush's deltas merge into this one")
	assert.Equal(t, at(0), s.Points[0].DeltaStart)

	// A record lands between the snapshot and its commit.
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(20))
	tb.Commit(s)
	next := tb.Snapshot(0)
	require.Len(t, next.Points, 1, "the flow changed after the snapshot so it stays dirty")
	assert.Equal(t, uint64(1), next.Points[0].Delta.LocalBytes)
	assert.Equal(t, at(15), next.Points[0].DeltaStart, "a delta starts at the flow's previous emitted point")
	assert.Equal(t, uint64(111), next.Points[0].Sum.LocalBytes)
}

func TestPurgeEmitsFinalPointThenFrees(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(0))
	purge := stats("d1", nil, 4, 0)
	purge.Type = record.TypeFlowPurge
	purge.Reason = "closed"
	apply(t, tb, "a", purge, at(10))

	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.True(t, s.Points[0].Final)
	assert.Equal(t, uint64(5), s.Points[0].Sum.LocalBytes, "purge deltas count")
	tb.Commit(s)
	assert.Empty(t, tb.Snapshot(0).Points)

	// The ended flow is remembered: a redelivered purge or a late DPI
	// record neither counts nor starts a series.
	outcome, err := applyOne(tb, "a", purge, at(20))
	require.NoError(t, err)
	assert.Equal(t, Late, outcome, "without last_seen_at it is no redelivery, but still late")
	dpi := stats("d1", nil, 9, 9)
	dpi.Type = record.TypeFlowDPIUpdate
	outcome, err = applyOne(tb, "a", dpi, at(21))
	require.NoError(t, err)
	assert.Equal(t, Late, outcome)
	assert.Empty(t, tb.Snapshot(0).Points)
	// Until it expires like any idle flow.
	assert.Equal(t, 1, tb.Expire(at(10+60)))
	assert.Equal(t, 0, tb.Len())
}

func TestDPIRecordsDoNotAddDeltas(t *testing.T) {
	tb := newTable(10)
	dpi := stats("d1", nil, 50, 50)
	dpi.Type = record.TypeFlowDPIComplete
	apply(t, tb, "a", dpi, at(0))
	apply(t, tb, "a", stats("d1", nil, 60, 60), at(15))
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.Equal(t, uint64(60), s.Points[0].Sum.LocalBytes)
}

func TestMetadataOnlyFlowIsNotEmitted(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", &record.Record{Type: record.TypeFlow, Digest: "d1", DigestPrev: []string{"tuple"}}, at(0))
	assert.Equal(t, 1, tb.Len())
	assert.Empty(t, tb.Snapshot(0).Points)
	apply(t, tb, "a", stats("d2", []string{"tuple", "d1"}, 3, 0), at(15))
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.Equal(t, at(0), s.Points[0].Start, "the series starts when the flow was first seen")
}

func TestTotalGoingDownStartsANewTotalSeries(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", nil, 100, 0), at(0))
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(15)) // total 1001 < 1100
	s := tb.Snapshot(0)
	assert.Equal(t, at(15), s.Points[0].TotalStart)
	assert.Equal(t, at(0), s.Points[0].Start, "the delta sums keep their series")
}

func TestEvictsLeastRecentlyUpdatedCleanFlow(t *testing.T) {
	tb := newTable(2)
	apply(t, tb, "a", stats("old", nil, 1, 0), at(0))
	apply(t, tb, "a", stats("new", nil, 1, 0), at(1))
	tb.Commit(tb.Snapshot(0))

	outcome, err := applyOne(tb, "a", stats("third", nil, 1, 0), at(2))
	require.NoError(t, err)
	assert.Equal(t, AppliedEvicting, outcome)
	assert.Equal(t, 2, tb.Len())
	// "old" is gone: a record for it starts a new series.
	apply(t, tb, "a", stats("old", nil, 1, 0), at(3))
	var oldStart time.Time
	for _, p := range tb.Snapshot(0).Points {
		if p.Digest == "old" {
			oldStart = p.Start
		}
	}
	assert.Equal(t, at(3), oldStart)
}

func TestFullOfUnsentDataRefusesNewFlows(t *testing.T) {
	tb := newTable(1)
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(0))
	_, err := applyOne(tb, "a", stats("d2", nil, 1, 0), at(1))
	require.ErrorIs(t, err, ErrFull)
	// The existing flow still takes records.
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(2))
	assert.Equal(t, uint64(2), tb.Snapshot(0).Points[0].Sum.LocalBytes)
}

func TestExpireFreesIdleCleanFlowsOnly(t *testing.T) {
	tb := newTable(10)
	apply(t, tb, "a", stats("idle", nil, 1, 0), at(0))
	tb.Commit(tb.Snapshot(0))
	apply(t, tb, "a", stats("busy", nil, 1, 0), at(50))

	assert.Equal(t, 0, tb.Expire(at(59)))
	assert.Equal(t, 1, tb.Expire(at(60)))
	assert.Equal(t, 1, tb.Len())
	assert.Equal(t, 0, tb.Expire(at(600)), "a flow with unsent data is never expired")
}

func TestHugeDigestPrevIsBounded(t *testing.T) {
	tb := newTable(10)
	prev := make([]string, 1000)
	for i := range prev {
		prev[i] = string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
	}
	apply(t, tb, "a", stats("d", prev, 1, 0), at(0))
	assert.Equal(t, maxAliases, tb.index.used)
}

func TestRedeliveredRecordIsIgnored(t *testing.T) {
	tb := newTable(10)
	first := stats("d1", nil, 100, 10)
	first.LastSeenAtMillis = 1000
	second := stats("d1", nil, 100, 10) // same counters, later packet
	second.LastSeenAtMillis = 16000

	apply(t, tb, "a", first, at(0))
	outcome, err := applyOne(tb, "a", first, at(1))
	require.NoError(t, err)
	assert.Equal(t, Duplicate, outcome)
	apply(t, tb, "a", second, at(15))
	outcome, err = applyOne(tb, "a", second, at(16))
	require.NoError(t, err)
	assert.Equal(t, Duplicate, outcome)
	outcome, err = applyOne(tb, "a", first, at(17))
	require.NoError(t, err)
	assert.Equal(t, Duplicate, outcome, "an older redelivery is still recognised")

	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.Equal(t, uint64(200), s.Points[0].Sum.LocalBytes, "each distinct report counted once")
	assert.Equal(t, at(15), s.Points[0].Time)
}

func TestRecordsWithoutLastSeenAreNeverDuplicates(t *testing.T) {
	tb := newTable(10)
	r := stats("d1", nil, 5, 0)
	apply(t, tb, "a", r, at(0))
	apply(t, tb, "a", r, at(15))
	assert.Equal(t, uint64(10), tb.Snapshot(0).Points[0].Sum.LocalBytes)
}

func TestLateDPIRecordNeitherRevivesAPurgedFlowNorResetsItsTotal(t *testing.T) {
	tb := newTable(10)
	dpi := stats("d1", nil, 0, 0)
	dpi.Type = record.TypeFlowDPIComplete
	dpi.TotalBytes = 500
	apply(t, tb, "a", stats("d1", nil, 100, 0), at(0)) // total 1100
	purge := stats("d1", nil, 1, 0)
	purge.Type = record.TypeFlowPurge
	purge.TotalBytes = 1101
	apply(t, tb, "a", purge, at(10))
	apply(t, tb, "a", dpi, at(11)) // an old DPI record, redelivered

	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.True(t, s.Points[0].Final, "the flow stays purged")
	assert.Equal(t, at(0), s.Points[0].TotalStart, "an older total does not restart the series")
	assert.Equal(t, uint64(1101), s.Points[0].TotalBytes)
	tb.Commit(s)
	assert.Empty(t, tb.Snapshot(0).Points)
}
