package flowtable

import (
	"fmt"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// FuzzTableSequences feeds the table a random sequence of records, flushes
// (committed or not) and expiries, and checks what must hold whatever the
// input: a flow's cumulative sums never go down under one series start
// while it stays in the table, and the table never holds more than
// MaxFlows flows. (Across an eviction or expiry a new entry for the same
// digest may get the very start time of the old one when the agent's
// update interval exceeds the idle timeout: see the branch's report.)
func FuzzTableSequences(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{3, 0, 255, 255, 3, 0, 255, 255, 3, 0, 255, 255, 200, 0, 0, 0})
	f.Add([]byte{1, 7, 9, 4, 1, 7, 9, 4, 4, 7, 1, 1, 0, 7, 0, 2, 250, 250, 250, 250})
	f.Fuzz(func(t *testing.T, ops []byte) {
		const maxFlows = 4
		tb := New(Config{MaxFlows: maxFlows, IdleTimeout: 30 * time.Second, PerFlow: true})
		type series struct {
			agent, digest string
			start         time.Time
		}
		last := map[series]Counters{}
		now := t0
		for len(ops) >= 4 {
			op, a, b, c := ops[0], ops[1], ops[2], ops[3]
			ops = ops[4:]
			now = now.Add(time.Duration(c%20) * time.Second)
			switch op % 8 {
			case 6: // a flush, committed or not
				s := tb.Snapshot(0)
				for _, p := range s.Points {
					k := series{p.Agent, p.Digest, p.Start}
					prev, seen := last[k]
					if seen && (p.Sum.LocalBytes < prev.LocalBytes || p.Sum.OtherPackets < prev.OtherPackets || p.Sum.TCPRetrans < prev.TCPRetrans) {
						t.Fatalf("sum of %v went down: %+v after %+v", k, p.Sum, prev)
					}
					last[k] = p.Sum
				}
				if a%2 == 0 {
					tb.Commit(s)
				}
				continue
			case 7:
				if tb.Expire(now) > 0 {
					clear(last) // a removed flow's series may come back under its old start
				}
				continue
			}
			types := [...]string{record.TypeFlow, record.TypeFlowStats, record.TypeFlowPurge, record.TypeFlowDPIUpdate, record.TypeFlowStats, record.TypeAgentStatus}
			r := record.Record{
				Type:     types[op%6],
				Digest:   fmt.Sprintf("%x", a%8),
				HasStats: true, LocalBytes: uint64(b) << (c % 64), OtherPackets: uint64(c),
				HasTCP: b%2 == 0, TCPRetrans: uint64(b),
				UpdateIntervalSeconds: uint64(c),
			}
			if a&8 != 0 {
				r.DigestPrev = []string{fmt.Sprintf("%x", (a>>4)%8)}
			}
			agent := fmt.Sprintf("agent-%d", b%2)
			out := make([]Outcome, 1)
			if tb.ApplyBatch(agent, []record.Record{r}, now, a%3 == 0, out) == nil && out[0] == AppliedEvicting {
				clear(last)
			}
			if n := tb.Len(); n > maxFlows {
				t.Fatalf("%d flows, at most %d", n, maxFlows)
			}
		}
	})
}
