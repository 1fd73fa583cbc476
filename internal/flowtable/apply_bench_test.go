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
// record in a full table, evicting the least recently updated one.
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
			digests[i] = fmt.Sprintf("%040x", i+2<<40)
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
	b.Run("churn", func(b *testing.B) {
		tb := New(Config{MaxFlows: n, IdleTimeout: time.Hour, Observer: viewKeys{}})
		fillTable(tb, n, false)
		recs := make([]record.Record, 1)
		out := make([]Outcome, 1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			// The digest is made here: its cost is the same for any table.
			recs[0] = *stats(fmt.Sprintf("%040x", i+3<<40), nil, 100, 1000)
			_ = tb.ApplyBatch(agent, recs, t0.Add(time.Duration(i)), false, out)
		}
	})
}
