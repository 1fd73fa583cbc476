package flowtable

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/cputime"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func TestZeroHoldAnnouncesAFlowBeforeItsValues(t *testing.T) {
	tb := New(Config{MaxFlows: 10, IdleTimeout: time.Hour, PerFlow: true, ZeroHold: 20 * time.Second})
	apply(t, tb, "a", stats("d1", nil, 100, 0), at(0))
	purge := stats("d1", nil, 5, 0)
	purge.Type = record.TypeFlowPurge
	apply(t, tb, "a", purge, at(5))

	flush := func(now time.Time) []Point {
		tb.BeginFlush(now)
		s := tb.Snapshot(0)
		tb.Commit(s)
		return s.Points
	}
	p := flush(at(10))
	require.Len(t, p, 1)
	assert.True(t, p[0].Zero, "first flush: zeros")
	p = flush(at(20))
	require.Len(t, p, 1)
	assert.True(t, p[0].Zero, "10 s after the announcement: still zeros")
	assert.Equal(t, 1, tb.Len(), "a held flow is not freed, purged or not")
	p = flush(at(30))
	require.Len(t, p, 1)
	assert.False(t, p[0].Zero, "20 s after the announcement: its values")
	assert.Equal(t, at(30), p[0].Time, "stamped with the flush, after the zeros (stamped at(5))")
	assert.True(t, p[0].Final)
	assert.Equal(t, uint64(105), p[0].Sum.LocalBytes)
	assert.Empty(t, flush(at(40)), "sent and ended")
}

func TestFlushInBatchesTakesEachFlowOnce(t *testing.T) {
	tb := newTable(100)
	for i := 0; i < 10; i++ {
		apply(t, tb, "a", stats(fmt.Sprintf("d%d", i), nil, 1, 0), at(i))
	}
	tb.BeginFlush(at(20))
	var seen []string
	for {
		s := tb.Snapshot(3)
		if len(s.Points) == 0 {
			break
		}
		for _, p := range s.Points {
			seen = append(seen, p.Digest)
		}
		// A record for a flow already taken lands between two batches: it
		// waits for the next flush.
		apply(t, tb, "a", stats("d0", nil, 1, 0), at(21))
		tb.Commit(s)
	}
	assert.Equal(t, []string{"d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"}, seen)
	tb.BeginFlush(at(30))
	s := tb.Snapshot(0)
	require.Len(t, s.Points, 1)
	assert.Equal(t, uint64(1+4), s.Points[0].Sum.LocalBytes, "d0's later records come in the next flush")
}

func TestCommitKeepsTheCleanListInUpdateOrder(t *testing.T) {
	tb := newTable(100)
	// Clean flows updated at 0..4, then dirty ones at 5..9 committed in
	// batches, with one clean flow updated late without a change.
	for i := 0; i < 10; i++ {
		apply(t, tb, "a", stats(fmt.Sprintf("d%d", i), nil, 1, 0), at(i))
		if i == 4 {
			tb.Commit(tb.Snapshot(0))
		}
	}
	tb.BeginFlush(at(10))
	for s := tb.Snapshot(2); len(s.Points) > 0; s = tb.Snapshot(2) {
		tb.Commit(s)
	}
	var order []time.Time
	for e := tb.clean.Front(); e != nil; e = e.Next() {
		order = append(order, e.Value.(*Flow).lastUpdate.Time())
	}
	require.Len(t, order, 10)
	for i := 1; i < len(order); i++ {
		assert.False(t, order[i].Before(order[i-1]), "clean list out of order at %d: %v", i, order)
	}
}

// BenchmarkCommit is the cost of committing a flush of N changed flows into
// a table whose clean list already holds N flows: linear, so ns/flow stays
// flat as N grows.
func BenchmarkCommit(b *testing.B) {
	for _, n := range []int{5_000, 20_000, 80_000} {
		b.Run(fmt.Sprint("flows=", n), func(b *testing.B) {
			tb := New(Config{MaxFlows: 2 * n, IdleTimeout: time.Hour, PerFlow: true})
			recs := make([]record.Record, 2*n)
			for i := range recs {
				recs[i] = *stats(fmt.Sprintf("%x", i), nil, 1, 1)
			}
			out := make([]Outcome, 1)
			for i := range recs[:n] {
				_ = tb.ApplyBatch("a", recs[i:i+1], at(0), false, out)
			}
			tb.Commit(tb.Snapshot(0))
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				for j := n; j < 2*n; j++ {
					_ = tb.ApplyBatch("a", recs[j:j+1], at(i+1), false, out)
				}
				tb.BeginFlush(at(i + 1))
				s := tb.Snapshot(0)
				b.StartTimer()
				tb.Commit(s)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/flow")
		})
	}
}

func TestExpireFreesManyFlowsInBatches(t *testing.T) {
	const n = 3*expireBatch + 5
	tb := New(Config{MaxFlows: n + 1, IdleTimeout: time.Minute})
	out := make([]Outcome, 1)
	for i := 0; i < n; i++ {
		require.NoError(t, tb.ApplyBatch("a", []record.Record{*stats(fmt.Sprintf("%x", i), nil, 1, 0)}, at(0), false, out))
	}
	apply(t, tb, "a", stats("recent", nil, 1, 0), at(30))
	assert.Equal(t, n, tb.Expire(at(61)))
	assert.Equal(t, 1, tb.Len(), "the recent flow stays")
}

// BenchmarkSnapshotBatch is the cost, per flow, of taking N changed flows
// (with metadata and three digests, as BenchmarkTableMemory fills them) out
// of the table in batches of flushBatch and committing them, and the
// longest Snapshot and Commit of one batch: what a flush of per-flow metrics
// holds the table's lock for, batch after batch (only the parts under the
// lock are timed). Times are the benchmark thread's CPU time, which other
// processes on the machine do not inflate.
func BenchmarkSnapshotBatch(b *testing.B) {
	const flushBatch = 256 // the receiver's flowsPerBatch
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint("flows=", n), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tb := New(Config{MaxFlows: n, IdleTimeout: time.Hour, PerFlow: true})
			fillTable(tb, n, false)
			var snap, commit, snapMax, commitMax time.Duration
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				// fillTable left every flow dirty; the later rounds dirty
				// them again with one record each.
				if i > 0 {
					out := make([]Outcome, 1)
					for f := tb.clean.head; f != nil; {
						next := tb.clean.next(f)
						r := stats(f.Digest(), nil, 1, 1)
						_ = tb.ApplyBatch("8a1f0f3e-0000-4000-8000-00000000000a", []record.Record{*r}, t0.Add(time.Duration(i)*time.Second), false, out)
						f = next
					}
				}
				tb.BeginFlush(t0.Add(time.Duration(i) * time.Second))
				b.StartTimer()
				for {
					// Snapshot and Commit, timing only what they do under
					// the lock.
					s := &Snapshot{Points: make([]Point, 0, flushBatch), refs: make([]ref, 0, flushBatch)}
					start := cputime.Thread()
					tb.snapshot(s, flushBatch)
					d := cputime.Thread() - start
					snap, snapMax = snap+d, max(snapMax, d)
					if len(s.Points) == 0 {
						break
					}
					cleaned := make([]*Flow, 0, len(s.refs))
					start = cputime.Thread()
					tb.commit(s, cleaned)
					d = cputime.Thread() - start
					commit, commitMax = commit+d, max(commitMax, d)
				}
			}
			b.ReportMetric(float64(snap.Nanoseconds())/float64(b.N*n), "snapshot-ns/flow")
			b.ReportMetric(float64(commit.Nanoseconds())/float64(b.N*n), "commit-ns/flow")
			b.ReportMetric(float64(snapMax.Microseconds())/1000, "max-snapshot-ms")
			b.ReportMetric(float64(commitMax.Microseconds())/1000, "max-commit-ms")
		})
	}
}

// BenchmarkExpireBatch is the cost of expiring N idle flows, per flow, and
// the longest hold of the table's lock among its batches (thread CPU time,
// as BenchmarkSnapshotBatch).
func BenchmarkExpireBatch(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint("flows=", n), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var total, longest time.Duration
			for b.Loop() {
				b.StopTimer()
				tb := New(Config{MaxFlows: n, IdleTimeout: time.Minute})
				fillTable(tb, n, false)
				b.StartTimer()
				for more := true; more; {
					start := cputime.Thread()
					var freed int
					freed, more = tb.expireSome(t0.Add(time.Hour))
					d := cputime.Thread() - start
					total, longest = total+d, max(longest, d)
					if freed == 0 {
						break
					}
				}
				if tb.Len() != 0 {
					b.Fatalf("%d flows left", tb.Len())
				}
			}
			b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*n), "cpu-ns/flow")
			b.ReportMetric(float64(longest.Microseconds())/1000, "max-hold-ms")
		})
	}
}
