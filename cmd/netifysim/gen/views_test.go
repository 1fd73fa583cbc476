package gen

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// refTotals is a key's truth in the reference implementation's terms.
type refTotals struct {
	Delta
	started, active int64
	ended           map[string]int64
}

// refViews re-implements the attribution rule over the JSON payloads only:
// per flow (digest_prev[0]), the latest metadata record's fields name the
// application, protocol and transport; every record names interface and
// internal. Keys are "view|value|value".
func refViews(t *testing.T, recs []Record) map[string]*refTotals {
	t.Helper()
	type meta struct {
		app, proto, transport string
	}
	flows := map[string]*meta{}
	lastKeys := map[string][]string{}
	out := map[string]*refTotals{}
	get := func(k string) *refTotals {
		if out[k] == nil {
			out[k] = &refTotals{ended: map[string]int64{}}
		}
		return out[k]
	}
	for _, w := range decodeAll(t, recs) {
		if w.Type == TypeAgentStatus {
			continue
		}
		id := w.tuple()
		m, known := flows[id]
		if !known {
			m = &meta{app: "unclassified", proto: "unclassified", transport: "unknown"}
			flows[id] = m
		}
		if _, ok := w.Flow["detected_application"]; ok {
			m.app, m.proto = "unclassified", "unclassified"
			if w.Flow["detected_application"].(float64) != 0 {
				m.app = w.Flow["detected_application_name"].(string)
			}
			if w.Flow["detected_protocol"].(float64) != 0 {
				m.proto = w.Flow["detected_protocol_name"].(string)
			}
			switch n := int(w.Flow["ip_protocol"].(float64)); n {
			case 6:
				m.transport = "tcp"
			case 17:
				m.transport = "udp"
			case 1, 58:
				m.transport = "icmp"
			default:
				m.transport = strconv.Itoa(n)
			}
		}
		keys := []string{
			fmt.Sprintf("interface|%s|%t", w.Interface, *w.Internal),
			"application|" + m.app,
			"protocol|" + m.proto + "|" + m.transport,
		}
		for _, k := range keys {
			r := get(k)
			if !known {
				r.started++
			}
			if w.Type == TypeFlowStats || w.Type == TypeFlowPurge {
				r.LocalBytes += w.num("local_bytes")
				r.OtherBytes += w.num("other_bytes")
				r.LocalPackets += w.num("local_packets")
				r.OtherPackets += w.num("other_packets")
				if tcp, ok := w.tcp(); ok {
					r.TCPResets += uint64(tcp["resets"].(float64))
					r.TCPRetrans += uint64(tcp["retrans"].(float64))
					r.TCPSeqErrors += uint64(tcp["seq_errors"].(float64))
				}
			}
			if w.Type == TypeFlowPurge {
				r.ended[w.Reason]++
			}
		}
		lastKeys[id] = keys
		if w.Type == TypeFlowPurge {
			delete(flows, id)
			delete(lastKeys, id)
		}
	}
	for _, keys := range lastKeys {
		for _, k := range keys {
			get(k).active++
		}
	}
	for k, r := range out {
		if r.Delta == (Delta{}) && r.started == 0 && len(r.ended) == 0 && r.active == 0 {
			delete(out, k)
		}
	}
	return out
}

// asRef flattens Views.Result into refViews' terms.
func asRef(res map[string][]ViewTotals) map[string]*refTotals {
	out := map[string]*refTotals{}
	for view, list := range res {
		for _, vt := range list {
			k := view
			for _, a := range viewAttrs[view] {
				k += "|" + vt.Key[a]
			}
			out[k] = &refTotals{Delta: vt.Delta, started: vt.FlowsStarted, active: vt.FlowsActive, ended: vt.FlowsEnded}
		}
	}
	return out
}

// viewsOf runs one agent's records through Views.
func viewsOf(recs []Record) map[string][]ViewTotals {
	v := NewViews()
	for i := range recs {
		v.Add(&recs[i])
	}
	return v.Result()
}

func byAgent(recs []Record) map[string][]Record {
	out := map[string][]Record{}
	for _, r := range recs {
		out[r.Agent] = append(out[r.Agent], r)
	}
	return out
}

// Views agrees with the reference re-implementation, on the full stream and
// on one that lost records (so that stats arrive before any metadata).
func TestViewsMatchReference(t *testing.T) {
	recs := records(t, Config{Seed: 23, Agents: 2, Flows: 30}, 20)
	lossy := make([]Record, 0, len(recs))
	for i, r := range recs {
		// Lose a third of the first metadata records and some others.
		if (r.Type == TypeFlow && i%3 == 0) || (r.Type == TypeFlowDPIComplete && i%5 == 0) || (r.Type == TypeFlowStats && i%11 == 0) {
			continue
		}
		lossy = append(lossy, r)
	}
	for name, stream := range map[string][]Record{"full": recs, "lossy": lossy} {
		for agent, own := range byAgent(stream) {
			res := viewsOf(own)
			require.Equal(t, refViews(t, own), asRef(res), "%s stream, agent %s", name, agent)
		}
	}

	// The streams exercise every branch of the rule.
	res := viewsOf(byAgent(lossy)[lossy[0].Agent])
	has := func(view string, key map[string]string) bool {
		for _, vt := range res[view] {
			if fmt.Sprint(vt.Key) == fmt.Sprint(key) {
				return vt.Bytes() > 0
			}
		}
		return false
	}
	require.True(t, has(ViewApplication, map[string]string{AttrApplication: Unclassified}))
	require.True(t, has(ViewApplication, map[string]string{AttrApplication: "netify.youtube"}))
	require.True(t, has(ViewProtocol, map[string]string{AttrProtocol: Unclassified, AttrTransport: UnknownTransport}))
	require.True(t, has(ViewProtocol, map[string]string{AttrProtocol: Unclassified, AttrTransport: "udp"}))
	require.True(t, has(ViewProtocol, map[string]string{AttrProtocol: "ICMP", AttrTransport: "icmp"}))
	require.True(t, has(ViewProtocol, map[string]string{AttrProtocol: "HTTP/S", AttrTransport: "tcp"}))
}

// Per agent and view, the keys add up to the agent's tally, every flow
// started once and ended once, and started = ended + active.
func TestViewsAddUpToTheTally(t *testing.T) {
	g, err := New(Config{Seed: 31, Agents: 2, Flows: 50})
	require.NoError(t, err)
	var recs []Record
	for i := 1; i <= 25; i++ {
		recs = append(recs, g.Tick(testStart.Add(defaultInterval*time.Duration(i)))...)
	}
	flowsStarted := map[string]int64{}
	for _, a := range g.Agents() {
		flowsStarted[a.ID()] = a.FlowsStarted()
	}
	for agent, own := range byAgent(recs) {
		var tally Tally
		for i := range own {
			tally.Add(&own[i])
		}
		res := viewsOf(own)
		require.Len(t, res, 3)
		for view, list := range res {
			var sum Delta
			var started, active int64
			ended := map[string]int64{}
			for _, vt := range list {
				sum.Add(vt.Delta)
				started += vt.FlowsStarted
				active += vt.FlowsActive
				for r, n := range vt.FlowsEnded {
					ended[r] += n
				}
			}
			require.Equal(t, tally.Delta, sum, "agent %s view %s", agent, view)
			require.Equal(t, flowsStarted[agent], started, "view %s", view)
			require.Equal(t, tally.Records[TypeFlowPurge], ended["closed"]+ended["expired"], "view %s", view)
			require.Equal(t, started, ended["closed"]+ended["expired"]+active, "view %s", view)
			require.Equal(t, int64(50), active, "the table is full")
			require.Greater(t, len(list), 1, "view %s has one key only", view)
		}
	}
}
