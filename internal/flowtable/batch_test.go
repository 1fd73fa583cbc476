package flowtable

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// TestBatchAppliesAsOneByOne: a batch goes to the same flows, with the same
// outcomes, as its records delivered one at a time. A stream input batches
// whatever one read brought, so the split must not matter. The first case
// is the one a lookup kept from before the batch got wrong: the second
// record's digest is made a flow by the first record, while its
// digest_prev names an older flow.
func TestBatchAppliesAsOneByOne(t *testing.T) {
	check := func(t *testing.T, pre []record.Record, recs []record.Record) {
		t.Helper()
		one, batch := newTable(100), newTable(100)
		for _, tb := range []*Table{one, batch} {
			for i := range pre {
				apply(t, tb, "a", &pre[i], at(0))
			}
		}
		var oneOut []Outcome
		for i := range recs {
			o, err := applyOne(one, "a", &recs[i], at(1))
			require.NoError(t, err)
			oneOut = append(oneOut, o)
		}
		batchOut := make([]Outcome, len(recs))
		require.NoError(t, batch.ApplyBatch("a", recs, at(1), true, batchOut))
		require.Equal(t, oneOut, batchOut, "outcomes")
		require.Equal(t, flowSums(one), flowSums(batch), "sums per flow")
	}

	t.Run("digest made earlier in the batch", func(t *testing.T) {
		pre := []record.Record{*stats("bb", nil, 1, 1)}
		recs := []record.Record{*stats("aa", nil, 10, 1), *stats("aa", []string{"bb"}, 100, 1)}
		check(t, pre, recs)
		tb := newTable(100)
		apply(t, tb, "a", &pre[0], at(0))
		require.NoError(t, tb.ApplyBatch("a", recs, at(1), true, make([]Outcome, 2)))
		require.Equal(t, []string{"aa:110", "bb:1"}, flowSums(tb))
	})

	t.Run("random", func(t *testing.T) {
		digests := []string{"a1", "b2", "c3", "d4", "e5", "f6"}
		rng := rand.New(rand.NewPCG(1, 2))
		pick := func() string { return digests[rng.IntN(len(digests))] }
		for trial := range 2000 {
			var prev []string
			for range rng.IntN(3) {
				prev = append(prev, pick())
			}
			pre := []record.Record{*stats(pick(), prev, 1000, 1)}
			var recs []record.Record
			for i := range 6 {
				prev = nil
				for range rng.IntN(3) {
					prev = append(prev, pick())
				}
				recs = append(recs, *stats(pick(), prev, uint64(1+i), 1))
			}
			t.Run(fmt.Sprint(trial), func(t *testing.T) { check(t, pre, recs) })
		}
	})
}

// flowSums lists each flow as its digest and local byte sum, sorted.
func flowSums(tb *Table) []string {
	var out []string
	for _, p := range tb.Snapshot(0).Points {
		out = append(out, fmt.Sprintf("%s:%d", p.Digest, p.Sum.LocalBytes))
	}
	sort.Strings(out)
	return out
}
