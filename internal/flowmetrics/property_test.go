package flowmetrics

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// streamFlow is one flow of a random stream.
type streamFlow struct {
	digests []string // [0] is the tuple digest, the last the current one
	app     int
	ended   bool
	sent    []record.Record // stats records sent, for redeliveries
}

// randomStream makes records of agents' flows in random order: flow
// records with metadata (or none), stats before or after the metadata, DPI
// updates that change application and digest, purges, new reports on purged
// flows, exact redeliveries of recent reports. It returns the records with
// their agents, and the sum of the deltas of the distinct reports: what
// every view, and the per-flow sums, must add up to.
func randomStream(rng *rand.Rand, n int) (agents []string, recs []record.Record, truth flowtable.Counters) {
	flows := map[string][]*streamFlow{}
	agentIDs := []string{"agent-a", "agent-b", "agent-c"}
	for i := 0; i < n; i++ {
		agent := agentIDs[rng.IntN(len(agentIDs))]
		fs := flows[agent]
		if len(fs) == 0 || rng.IntN(6) == 0 {
			f := &streamFlow{digests: []string{fmt.Sprintf("%x", rng.Uint64())}, app: rng.IntN(12)}
			flows[agent] = append(fs, f)
			if rng.IntN(2) == 0 { // announced with metadata; else metadata comes late, or never
				agents, recs = append(agents, agent), append(recs, metaRecord(record.TypeFlow, f))
			}
			continue
		}
		f := fs[rng.IntN(len(fs))]
		switch k := rng.IntN(10); {
		case k == 0 && !f.ended: // DPI: new application, new digest
			f.app = rng.IntN(12)
			f.digests = append(f.digests, fmt.Sprintf("%x", rng.Uint64()))
			agents, recs = append(agents, agent), append(recs, metaRecord(record.TypeFlowDPIUpdate, f))
		case k == 1 && len(f.sent) > 0: // a redelivery of a recent report
			agents, recs = append(agents, agent), append(recs, f.sent[max(0, len(f.sent)-1-rng.IntN(3))])
		default:
			r := record.Record{
				Type: record.TypeFlowStats, HasInterface: true, Interface: []string{"lan", "wan"}[rng.IntN(2)],
				HasInternal: true, Internal: rng.IntN(3) == 0,
				Digest: f.digests[len(f.digests)-1], DigestPrev: f.digests[:len(f.digests)-1],
				HasStats: true, LocalBytes: rng.Uint64N(5000), OtherBytes: rng.Uint64N(90000),
				LocalPackets: rng.Uint64N(40), OtherPackets: rng.Uint64N(90),
				HasTCP: true, TCPRetrans: rng.Uint64N(3), TCPResets: rng.Uint64N(2), TCPSeqErrors: rng.Uint64N(2),
				HasRates: true, LocalRate: rng.Float64() * 1000, OtherRate: rng.Float64() * 9000,
				LastSeenAtMillis: 1_772_000_000_000 + int64(i),
			}
			f.ended = rng.IntN(8) == 0
			if f.ended {
				r.Type, r.Reason = record.TypeFlowPurge, []string{"closed", "expired"}[rng.IntN(2)]
			}
			f.sent = append(f.sent, r)
			truth.Add(flowtable.Counters{LocalBytes: r.LocalBytes, OtherBytes: r.OtherBytes, LocalPackets: r.LocalPackets,
				OtherPackets: r.OtherPackets, TCPResets: r.TCPResets, TCPRetrans: r.TCPRetrans, TCPSeqErrors: r.TCPSeqErrors})
			agents, recs = append(agents, agent), append(recs, r)
		}
	}
	return agents, recs, truth
}

func metaRecord(typ string, f *streamFlow) record.Record {
	r := metaRec(typ, f.digests[len(f.digests)-1], fmt.Sprintf("netify.app%d", f.app), uint32(f.app), []uint8{6, 17}[f.app%2])
	r.DigestPrev = f.digests[:len(f.digests)-1]
	r.HasInterface, r.HasInternal = false, false
	return r
}

// TestPropertyViewsAddUpToThePerFlowSumsAndTheTruth plays random streams
// into a table with per-flow sums and views (with and without caps): for
// every view, the sum of its series equals the sum of the per-flow sums
// equals the stream's truth, and no agent has more series in a view than
// its cap plus the overflow series.
func TestPropertyViewsAddUpToThePerFlowSumsAndTheTruth(t *testing.T) {
	cfgs := []ViewConfig{
		{Name: "interface", GroupBy: []string{"interface", "internal"}},
		{Name: "application", GroupBy: []string{"application"}},
		{Name: "capped", GroupBy: []string{"application", "transport"}, MaxSeries: 3},
		{Name: "everything", GroupBy: nil},
	}
	for seed := uint64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			agents, recs, truth := randomStream(rng, 2000)
			vs := NewViews(cfgs)
			tb := flowtable.New(flowtable.Config{MaxFlows: 100_000, IdleTimeout: time.Hour, PerFlow: true, Observer: vs})
			out := make([]flowtable.Outcome, 1)
			// Deliveries of one to three records, as an at-least-once
			// transport would make them.
			for i := 0; i < len(recs); {
				n := min(1+rng.IntN(3), len(recs)-i)
				for j := i; j < i+n; j++ {
					require.NoError(t, tb.ApplyBatch(agents[j], recs[j:j+1], at(i), true, out))
				}
				i += n
			}

			var perFlow flowtable.Counters
			for _, p := range tb.Snapshot(0).Points {
				perFlow.Add(p.Sum)
			}
			assert.Equal(t, truth, perFlow, "per-flow sums")
			for vi, v := range vs.views {
				var sum flowtable.Counters
				perAgent := map[string]int{}
				for _, s := range v.series {
					if s != nil {
						sum.Add(s.lifeTally().c)
						perAgent[s.agent]++
					}
				}
				assert.Equal(t, truth, sum, "view %s", cfgs[vi].Name)
				for agent, n := range perAgent {
					assert.LessOrEqual(t, n, v.cfg.MaxSeries+1, "view %s agent %s", cfgs[vi].Name, agent)
				}
				// Every flow that has not ended counts once as active.
				var active int64
				for _, s := range v.series {
					if s != nil {
						active += s.active
					}
				}
				var started, ended uint64
				for _, s := range v.series {
					if s != nil {
						started += s.cum.started
						for _, e := range s.cum.ended {
							ended += e
						}
					}
				}
				assert.EqualValues(t, started-ended, active, "view %s: started - ended = active", cfgs[vi].Name)
			}
		})
	}
}
