package e2e

import (
	"fmt"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

// FlowKey names one simulated flow: its agent and stable tuple digest.
type FlowKey struct{ Agent, Flow string }

// FlowTruth is what the simulator sent of one flow: its per-interval
// deltas summed (flow_stats and flow_purge only, as a receiver must count
// them) and how it ended.
type FlowTruth struct {
	gen.Delta
	Purged bool
	Reason string // the flow_purge's reason
}

// SimFlowTruth replays, with the simulator's own generator, what a
// netifysim run on a virtual clock (-start) sends: cfg for intervals
// intervals whose first ends at start+cfg.Interval, then, with purgeOnExit,
// the purge of every flow left. The same seed and configuration give the
// same records whatever the transport.
func SimFlowTruth(cfg gen.Config, start time.Time, intervals int, purgeOnExit bool) (map[FlowKey]*FlowTruth, error) {
	g, err := gen.New(cfg)
	if err != nil {
		return nil, err
	}
	var recs []gen.Record
	for k := 1; k <= intervals; k++ {
		recs = append(recs, g.Tick(start.Add(time.Duration(k)*g.Config().Interval))...)
	}
	if purgeOnExit {
		recs = append(recs, g.PurgeAll()...)
	}
	out := map[FlowKey]*FlowTruth{}
	for _, r := range recs {
		if r.Type != gen.TypeFlowStats && r.Type != gen.TypeFlowPurge {
			continue
		}
		key := FlowKey{r.Agent, r.Flow}
		t := out[key]
		if t == nil {
			t = &FlowTruth{}
			out[key] = t
		}
		if t.Purged {
			return nil, fmt.Errorf("flow %s of agent %s has records after its purge", r.Flow, r.Agent)
		}
		t.Add(r.Delta)
		if r.Type == gen.TypeFlowPurge {
			t.Purged = true
			t.Reason, _ = r.Msg["reason"].(string)
		}
	}
	return out, nil
}
