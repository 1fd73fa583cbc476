package flowtable

import (
	"fmt"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// BenchmarkApplyBatch measures applying records to a table of 100,000
// flows (made as BenchmarkTableMemory makes them), per record: "update"
// sends each flow a periodic report by its own digest, in batches of 100 as
// an HTTP POST of 100 records brings them; "churn" starts a new flow per
// record in a full table, evicting the least recently updated one; "far"
// is described below.
func BenchmarkApplyBatch(b *testing.B) {
	const n = 100_000
	const agent = "8a1f0f3e-0000-4000-8000-00000000000a"
	b.Run("update", func(b *testing.B) {
		tb := New(Config{MaxFlows: n, IdleTimeout: time.Hour, Observer: viewKeys{}})
		fillTable(tb, n, false)
		recs := make([]record.Record, 100)
		out := make([]Outcome, len(recs))
		for i := range recs {
			recs[i] = *stats("", nil, 100, 1000)
		}
		digests := make([]string, n)
		for i := range digests {
			digests[i] = fmt.Sprintf("%040x", uint64(i)+2<<40)
		}
		b.ResetTimer()
		next := 0
		for i := 0; i < b.N; i += len(recs) {
			for j := range recs {
				recs[j].Digest = digests[next]
				next = (next + 1) % n
			}
			_ = tb.ApplyBatch(agent, recs, t0.Add(time.Duration(i)), false, out)
		}
	})
	// "far": flows known under four digests (the tuple digest and three
	// since DPI), whose ids do not fit inline, each sent its periodic
	// report by its current digest with the three others as digest_prev.
	b.Run("far", func(b *testing.B) {
		tb := New(Config{MaxFlows: n, IdleTimeout: time.Hour, Observer: viewKeys{}})
		recs := make([]record.Record, 100)
		out := make([]Outcome, len(recs))
		digests := func(i int) (string, []string) {
			return fmt.Sprintf("%040x", uint64(i)+3<<40), []string{fmt.Sprintf("%040x", i), fmt.Sprintf("%040x", uint64(i)+1<<40), fmt.Sprintf("%040x", uint64(i)+2<<40)}
		}
		all := make([]record.Record, n)
		for i := range all {
			d, prev := digests(i)
			all[i] = *stats(d, prev, 100, 1000)
		}
		for i := 0; i < n; i += len(recs) {
			_ = tb.ApplyBatch(agent, all[i:i+len(recs)], t0, false, out)
		}
		b.ResetTimer()
		next := 0
		for i := 0; i < b.N; i += len(recs) {
			copy(recs, all[next:next+len(recs)])
			next = (next + len(recs)) % n
			_ = tb.ApplyBatch(agent, recs, t0.Add(time.Duration(i)), false, out)
		}
	})
	b.Run("churn", func(b *testing.B) {
		tb := New(Config{MaxFlows: n, IdleTimeout: time.Hour, Observer: viewKeys{}})
		fillTable(tb, n, false)
		recs := make([]record.Record, 1)
		out := make([]Outcome, 1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			// The digest is made here: its cost is the same for any table.
			recs[0] = *stats(fmt.Sprintf("%040x", uint64(i)+3<<40), nil, 100, 1000)
			_ = tb.ApplyBatch(agent, recs, t0.Add(time.Duration(i)), false, out)
		}
	})
}
