package gen

import (
	"math"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var baseCfg = Config{Seed: 42, Agents: 2, Flows: 25}

func TestStreamIsDeterministicForASeed(t *testing.T) {
	a, err := Stream(baseCfg, testStart, 12)
	require.NoError(t, err)
	b, err := Stream(baseCfg, testStart, 12)
	require.NoError(t, err)
	require.Equal(t, a, b)

	other := baseCfg
	other.Seed = 43
	c, err := Stream(other, testStart, 12)
	require.NoError(t, err)
	require.NotEqual(t, a, c)
}

func TestAgentIDsAreUUIDsDerivedFromSeed(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	g, err := New(Config{Seed: 7, Agents: 3})
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, a := range g.Agents() {
		assert.Regexp(t, uuid, a.ID())
		seen[a.ID()] = true
	}
	assert.Len(t, seen, 3)

	again, err := New(Config{Seed: 7, Agents: 3})
	require.NoError(t, err)
	assert.Equal(t, g.Agents()[2].ID(), again.Agents()[2].ID())
}

func TestExplicitAgentIDsKeepTheTraffic(t *testing.T) {
	derived := records(t, Config{Seed: 9, Agents: 2, Flows: 5}, 4)
	named := records(t, Config{Seed: 9, AgentIDs: []string{"a", "b"}, Flows: 5}, 4)
	require.Len(t, named, len(derived))
	for i := range named {
		assert.Contains(t, []string{"a", "b"}, named[i].Agent)
		assert.Equal(t, derived[i].JSON(), named[i].JSON())
	}
}

// Every flow's cumulative totals equal the running sum of the deltas of its
// flow_stats and flow_purge records, read back from the JSON payloads.
func TestTotalsAreRunningSumsOfDeltas(t *testing.T) {
	recs := records(t, baseCfg, 30)
	type sums struct{ bytes, packets uint64 }
	run := map[string]*sums{}
	checked := 0
	for i, w := range decodeAll(t, recs) {
		if !CountsDeltas(w.Type) {
			continue
		}
		key := recs[i].Agent + "/" + w.tuple()
		s := run[key]
		if s == nil {
			s = &sums{}
			run[key] = s
		}
		s.bytes += w.num("local_bytes") + w.num("other_bytes")
		s.packets += w.num("local_packets") + w.num("other_packets")
		require.Equal(t, s.bytes, w.num("total_bytes"), "record %d %s", i, w.Type)
		require.Equal(t, s.packets, w.num("total_packets"), "record %d %s", i, w.Type)
		checked++
	}
	require.Greater(t, checked, 500)
}

func TestDigestsChangeButTupleDigestStays(t *testing.T) {
	for _, length := range []int{40, 16} {
		cfg := baseCfg
		cfg.DigestLen = length
		hex := regexp.MustCompile(`^[0-9a-f]{` + map[int]string{40: "40", 16: "16"}[length] + `}$`)
		recs := records(t, cfg, 20)
		tuples := map[string]string{}    // flow -> digest_prev[0]
		history := map[string][]string{} // flow -> digests seen, in order
		changed := 0
		for i, w := range decodeAll(t, recs) {
			if w.Type == TypeAgentStatus {
				continue
			}
			flow := recs[i].Agent + "/" + recs[i].Flow
			d, _ := w.Flow["digest"].(string)
			prev := w.digestPrev()
			require.Regexp(t, hex, d)
			require.NotEmpty(t, prev)
			for _, p := range prev {
				require.Regexp(t, hex, p)
			}
			require.Equal(t, recs[i].Flow, prev[0], "digest_prev[0] is the tuple digest")
			require.NotEqual(t, prev[0], d)
			if old, ok := tuples[flow]; ok {
				require.Equal(t, old, prev[0])
			}
			tuples[flow] = prev[0]
			h := history[flow]
			if len(h) > 0 && h[len(h)-1] != d {
				changed++
				// The previous current digest is now the last earlier digest.
				require.Equal(t, h[len(h)-1], prev[len(prev)-1])
			}
			if len(h) == 0 || h[len(h)-1] != d {
				history[flow] = append(h, d)
			}
			require.Equal(t, len(prev), len(history[flow]), "digest_prev is the tuple digest and every earlier digest")
		}
		require.Greater(t, changed, 20, "digest length %d", length)
	}
}

// Each flow starts with a metadata record or, when DPI reports late, with
// flow_stats; non-TCP flows never carry tcp, TCP flows always do in stats,
// and nothing follows a flow_purge.
func TestFlowLifecycle(t *testing.T) {
	recs := records(t, baseCfg, 30)
	wires := decodeAll(t, recs)
	proto := map[string]float64{} // from any metadata record of the flow
	for i, w := range wires {
		if p, ok := w.Flow["ip_protocol"].(float64); ok {
			proto[recs[i].Agent+"/"+recs[i].Flow] = p
		}
	}
	seen := map[string]bool{}
	purged := map[string]bool{}
	reasons := map[string]int{}
	firstTypes := map[string]int{}
	for i, w := range wires {
		if w.Type == TypeAgentStatus {
			continue
		}
		flow := recs[i].Agent + "/" + recs[i].Flow
		require.False(t, purged[flow], "record %s after flow_purge of %s", w.Type, flow)
		require.NotEmpty(t, w.Interface)
		require.NotNil(t, w.Internal)
		if !seen[flow] {
			seen[flow] = true
			require.Contains(t, []string{TypeFlow, TypeFlowDPIComplete, TypeFlowStats}, w.Type, "first record of a flow")
			firstTypes[w.Type]++
		}
		if w.Type != TypeFlowStats && w.Type != TypeFlowPurge {
			require.Contains(t, []float64{1, 6, 17, 58}, proto[flow])
			for _, k := range []string{"local_ip", "other_ip", "local_port", "other_port", "detected_protocol_name", "first_seen_at", "ip_version"} {
				require.Contains(t, w.Flow, k)
			}
		}
		if _, known := proto[flow]; !known {
			continue // metadata never sent: the transport is unknown
		}
		_, hasTCP := w.tcp()
		switch {
		case w.Type == TypeFlow:
			require.False(t, hasTCP, "flow records carry no stats")
			require.NotContains(t, w.Flow, "local_bytes")
		case proto[flow] != 6:
			require.False(t, hasTCP, "non-TCP flow %s has a tcp object in %s", flow, w.Type)
		default:
			require.True(t, hasTCP, "TCP flow %s lacks the tcp object in %s", flow, w.Type)
		}
		if w.Type == TypeFlowPurge {
			purged[flow] = true
			reasons[w.Reason]++
			if proto[flow] != 6 {
				require.Equal(t, "expired", w.Reason)
			}
		}
		if w.Type == TypeFlowStats || w.Type == TypeFlowPurge {
			require.GreaterOrEqual(t, w.num("last_seen_at"), uint64(testStart.UnixMilli()))
			require.LessOrEqual(t, w.num("detection_packets"), uint64(32))
		}
	}
	require.Positive(t, reasons["closed"])
	require.Positive(t, reasons["expired"])
	require.Positive(t, firstTypes[TypeFlow])
	require.Positive(t, firstTypes[TypeFlowDPIComplete])
	require.Positive(t, firstTypes[TypeFlowStats], "no flow whose stats come before its metadata")
}

// Idle flows send no flow_stats for an interval, and agent_status counts what
// each interval dispatched.
func TestIdleFlowsAndAgentStatus(t *testing.T) {
	cfg := Config{Seed: 5, Flows: 30}
	g, err := New(cfg)
	require.NoError(t, err)
	a := g.Agents()[0]
	idleIntervals := 0
	for i := 1; i <= 20; i++ {
		recs := a.Tick(testStart.Add(time.Duration(i) * defaultInterval))
		counts := map[string]int{}
		for _, r := range recs {
			counts[r.Type]++
		}
		status := recs[len(recs)-1]
		require.Equal(t, TypeAgentStatus, status.Type)
		require.Equal(t, 1, counts[TypeAgentStatus])
		require.Equal(t, int64(counts[TypeFlowStats]), status.Msg["flows_active"])
		require.Equal(t, int64(counts[TypeFlowPurge]), status.Msg["flows_purged"])
		require.Equal(t, int64(30), status.Msg["flow_count"])
		require.Equal(t, int64(15*i), status.Msg["uptime"])
		require.Equal(t, int64(15), status.Msg["update_interval"])
		require.Equal(t, "5.2.1", status.Msg["agent_version"])
		if counts[TypeFlowStats] < 30 {
			idleIntervals++
		}
	}
	require.Positive(t, idleIntervals)
	require.Greater(t, a.FlowsStarted(), int64(30))
	require.Equal(t, a.FlowsStarted()-30, a.FlowsPurged())
}

func TestRatesAreFloatsAndSometimesWhole(t *testing.T) {
	whole, fractional := 0, 0
	for _, r := range records(t, baseCfg, 10) {
		if r.Type != TypeFlowStats {
			continue
		}
		body := r.Msg["flow"].(map[string]any)
		for _, k := range []string{"local_rate", "other_rate"} {
			v := body[k].(float64)
			require.Positive(t, v)
			require.Equal(t, v, float64(float32(v)), "rates are float32 values")
			if v == math.Trunc(v) {
				whole++
			} else {
				fractional++
			}
		}
	}
	require.Positive(t, whole)
	require.Positive(t, fractional)
}

func TestPurgeAllEndsEveryFlow(t *testing.T) {
	g, err := New(Config{Seed: 3, Flows: 8})
	require.NoError(t, err)
	g.Tick(testStart)
	purges := g.PurgeAll()
	require.Len(t, purges, 8)
	for _, p := range purges {
		require.Equal(t, TypeFlowPurge, p.Type)
		require.Equal(t, "expired", p.Msg["reason"])
		require.Equal(t, Delta{}, p.Delta)
	}
	recs := g.Tick(testStart.Add(defaultInterval))
	flows := 0
	for _, r := range recs {
		if r.Type == TypeFlowStats {
			flows++
		}
	}
	require.Equal(t, 8, flows, "the table refills with new flows")
}

func TestDPIStatsNone(t *testing.T) {
	cfg := baseCfg
	cfg.DPIStats = DPIStatsNone
	n := 0
	for _, r := range records(t, cfg, 5) {
		if r.Type == TypeFlowDPIUpdate || r.Type == TypeFlowDPIComplete {
			n++
			require.NotContains(t, r.Msg["flow"], "local_bytes")
			require.Equal(t, Delta{}, r.Delta)
		}
	}
	require.Positive(t, n)
}

func TestConfigValidation(t *testing.T) {
	for name, cfg := range map[string]Config{
		"digest":    {DigestLen: 20},
		"flows":     {Flows: -1},
		"rate":      {Rate: -2},
		"duplicate": {AgentIDs: []string{"x", "x"}},
		"empty id":  {AgentIDs: []string{""}},
	} {
		_, err := New(cfg)
		require.Error(t, err, name)
	}
}
