package flowtable

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A flow freed while a flush holds it leaves its slot to the next new flow:
// committing the older snapshot must not take that flow for the freed one.
func TestCommitSkipsAFlowFreedAndItsSlotReused(t *testing.T) {
	tb := newTable(1)
	apply(t, tb, "a", stats("d1", nil, 100, 0), at(0))
	tb.BeginFlush(at(1))
	s1 := tb.Snapshot(0)
	tb.BeginFlush(at(2)) // s1 was not committed in time: sent again
	s2 := tb.Snapshot(0)
	require.Len(t, s2.Points, 1)
	tb.Commit(s1)
	assert.Equal(t, 1, tb.Expire(at(120)))

	apply(t, tb, "a", stats("d2", nil, 7, 0), at(121))
	require.Equal(t, uint32(1), tb.slab.used, "the new flow took the freed slot")
	tb.Commit(s2)

	tb.BeginFlush(at(122))
	s3 := tb.Snapshot(0)
	require.Len(t, s3.Points, 1, "the new flow is still dirty")
	assert.Equal(t, "d2", s3.Points[0].Digest)
	assert.Equal(t, uint64(7), s3.Points[0].Delta.LocalBytes)
}

// A new flow in a freed slot does not inherit the redelivery fingerprints
// of the flow before it.
func TestReusedSlotForgetsTheFingerprints(t *testing.T) {
	tb := newTable(1)
	r1 := stats("d1", nil, 100, 0)
	r1.LastSeenAtMillis = 1000
	apply(t, tb, "a", r1, at(0))
	tb.BeginFlush(at(1))
	tb.Commit(tb.Snapshot(0))
	require.Equal(t, 1, tb.Expire(at(120)))

	r2 := stats("d2", nil, 5, 0)
	r2.LastSeenAtMillis = 2000
	apply(t, tb, "a", r2, at(121))
	same := *r1 // the counters of d1's record, now d2's
	same.Digest = "d2"
	outcome, err := applyOne(tb, "a", &same, at(122))
	require.NoError(t, err)
	assert.Equal(t, Applied, outcome)
}
