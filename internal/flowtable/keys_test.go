package flowtable

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func TestViewKeysKeepTheirValuesPerCount(t *testing.T) {
	tb := New(Config{MaxFlows: 10, IdleTimeout: time.Minute}) // no per-flow metrics: no side struct
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(0))
	f := tb.find(tb.agents.id("a"), "d1")
	require.NotNil(t, f)
	u := &Update{Flow: f, slab: &tb.slab}
	k := u.ViewKeys(3, -2)
	assert.Equal(t, []int32{-2, -2, -2}, k)
	k[1] = 5
	assert.Equal(t, []int32{-2, 5, -2}, u.ViewKeys(3, -2), "kept in the flow")
	assert.Nil(t, f.x, "three keys fit inline")

	// More views than fit inline.
	k = u.ViewKeys(5, -1)
	assert.Equal(t, []int32{-1, -1, -1, -1, -1}, k)
	k[4] = 9
	assert.Equal(t, []int32{-1, -1, -1, -1, 9}, u.ViewKeys(5, -1))
	assert.Nil(t, f.x, "beside the flow, not in its side struct")

	// Another number of views starts over.
	assert.Equal(t, []int32{-2, -2}, u.ViewKeys(2, -2))
	assert.Equal(t, []int32{-3, -3, -3, -3}, u.ViewKeys(4, -3))
	assert.Empty(t, u.ViewKeys(0, -2))
}

// Four views (one more than the defaults) cost a flow what the views' keys
// cost before flows were held in a slab: a slice of its own, 40 B.
func TestMoreViewsThanFitInlineCostASlicePerFlow(t *testing.T) {
	const n = chunkLen
	tb := New(Config{MaxFlows: n, IdleTimeout: time.Minute})
	recs := make([]record.Record, n)
	for i := range recs {
		recs[i] = *stats(fmt.Sprintf("d%d", i), nil, 1, 0)
	}
	require.NoError(t, tb.ApplyBatch("a", recs, at(0), false, make([]Outcome, n)))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range uint32(n) {
		u := Update{Flow: tb.slab.at(i), slab: &tb.slab}
		u.ViewKeys(4, -2)[3] = int32(i)
	}
	runtime.ReadMemStats(&after)
	perFlow := float64(after.TotalAlloc-before.TotalAlloc) / n
	assert.LessOrEqual(t, perFlow, 48.0, "bytes per flow for four view keys")
	for i := range uint32(n) {
		u := Update{Flow: tb.slab.at(i), slab: &tb.slab}
		require.Equal(t, []int32{-2, -2, -2, int32(i)}, u.ViewKeys(4, -2))
	}
}

// A freed slot's next flow starts without the keys of the one before.
func TestReusedSlotForgetsTheViewKeys(t *testing.T) {
	tb := newTable(1)
	apply(t, tb, "a", stats("d1", nil, 1, 0), at(0))
	f := tb.find(tb.agents.id("a"), "d1")
	(&Update{Flow: f, slab: &tb.slab}).ViewKeys(5, -2)[0] = 7
	tb.Commit(tb.Snapshot(0))
	require.Equal(t, 1, tb.Expire(at(61)))
	apply(t, tb, "a", stats("d2", nil, 1, 0), at(62))
	g := tb.find(tb.agents.id("a"), "d2")
	require.Equal(t, f.slot, g.slot, "the slot is reused")
	assert.Equal(t, []int32{-2, -2, -2, -2, -2}, (&Update{Flow: g, slab: &tb.slab}).ViewKeys(5, -2))
}

func TestFlowIDsMoveToExtraWhenTheyOutgrowTheFlow(t *testing.T) {
	hex := func(i int) string { return fmt.Sprintf("%040x", i) }
	var f Flow
	f.initIDs(hex(0))
	want := newIDs(hex(0))
	f.addID(hex(0), true)
	want = want.with(hex(0), true)
	for i := 1; i < 6; i++ {
		f.addID(hex(i), false)
		want = want.with(hex(i), false)
		assert.Equal(t, want, f.ids())
		assert.Equal(t, i < 3, f.idLen > 0, "three 40-hex digests fit inline, %d do not", i+1)
	}
	assert.Equal(t, hex(0), f.Digest())
	for i := 0; i < 6; i++ {
		assert.True(t, f.ids().holds(hex(i)))
	}

	// A long stable digest goes to the extra from the start.
	var g Flow
	long := strings.Repeat("x", 100)
	g.initIDs(long)
	assert.Zero(t, g.idLen)
	g.addID("d", false)
	assert.Equal(t, long, g.Digest())
	assert.True(t, g.ids().holds("d"))
}
