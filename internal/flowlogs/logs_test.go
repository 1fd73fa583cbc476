package flowlogs

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

type fixture struct {
	t     *testing.T
	table *flowtable.Table
	logs  *Logs
}

func newFixture(t *testing.T, cfg Config) *fixture {
	require.NoError(t, cfg.Validate())
	l := New(cfg)
	return &fixture{t: t, logs: l, table: flowtable.New(flowtable.Config{MaxFlows: 100, IdleTimeout: time.Minute, Observer: l})}
}

func (f *fixture) apply(agent string, sec int, lines ...string) {
	f.t.Helper()
	for _, line := range lines {
		recs, errs := record.Decode([]byte(line), "application/json")
		require.Empty(f.t, errs, line)
		out := make([]flowtable.Outcome, len(recs))
		require.NoError(f.t, f.table.ApplyBatch(agent, recs, at(sec), true, out))
	}
}

func (f *fixture) queued() []Record {
	return f.logs.Peek(nil, 1<<20)
}

const flowMeta = `{"type":"flow","interface":"eth0","internal":false,"flow":{"digest":"%s","detected_application":10,"detected_application_name":"netify.example","detected_protocol":196,"detected_protocol_name":"HTTP/S","ip_protocol":6,"ip_version":4,"local_ip":"192.168.1.10","local_port":40000,"other_ip":"198.51.100.7","other_port":443,"other_type":"remote","local_origin":true,"first_seen_at":%d}}`

func stats(digest string, local, other uint64) string {
	return fmt.Sprintf(`{"type":"flow_stats","interface":"eth0","internal":false,"flow":{"digest":%q,"local_bytes":%d,"other_bytes":%d,"local_packets":1,"other_packets":2,"tcp":{"resets":0,"retrans":1,"seq_errors":0},"total_bytes":%d,"total_packets":30}}`, digest, local, other, 5000+local+other)
}

func purge(digest, reason string, local, other uint64) string {
	return fmt.Sprintf(`{"type":"flow_purge","reason":%q,"interface":"eth0","internal":false,"flow":{"digest":%q,"local_bytes":%d,"other_bytes":%d,"local_packets":1,"other_packets":1,"tcp":{"resets":1,"retrans":0,"seq_errors":0},"total_bytes":%d,"total_packets":31}}`, reason, digest, local, other, 6000+local+other)
}

func TestEndedFlowQueuesOneRecordWithItsTotals(t *testing.T) {
	f := newFixture(t, NewDefaultConfig())
	f.apply("a", 0, fmt.Sprintf(flowMeta, "d1", at(-5).UnixMilli()))
	f.apply("a", 15, stats("d1", 100, 200))
	assert.Empty(t, f.queued(), "a flow going on makes no record")
	f.apply("a", 30, purge("d1", "closed", 10, 20))

	recs := f.queued()
	require.Len(t, recs, 1)
	r := recs[0]
	assert.Equal(t, "a", r.Agent)
	assert.Equal(t, "d1", r.Digest)
	assert.Equal(t, flowtable.EndClosed, r.Ended)
	assert.Equal(t, flowtable.Counters{LocalBytes: 110, OtherBytes: 220, LocalPackets: 2, OtherPackets: 3, TCPResets: 1, TCPRetrans: 1}, r.Sum)
	assert.True(t, r.HasTotals)
	assert.Equal(t, uint64(6030), r.TotalBytes, "the agent's own total of the purge")
	assert.Equal(t, at(-5), r.FirstSeen, "first_seen_at of the flow record")
	assert.Equal(t, at(30), r.Observed)

	// A redelivered purge does not end the flow twice.
	f.apply("a", 31, purge("d1", "closed", 10, 20))
	assert.Len(t, f.queued(), 1)
	f.logs.Commit(1)
	assert.Equal(t, 0, f.logs.Len())
}

func TestBuildWritesOneResourcePerAgent(t *testing.T) {
	f := newFixture(t, NewDefaultConfig())
	f.apply("a", 0, fmt.Sprintf(flowMeta, "d1", at(-5).UnixMilli()), stats("d1", 100, 200))
	f.apply("b", 0, stats("d2", 1, 2))
	f.apply("a", 10, stats("d3", 7, 8))
	f.apply("a", 15, purge("d1", "closed", 10, 20))
	f.apply("b", 16, purge("d2", "expired", 0, 0))
	f.apply("a", 17, purge("d3", "weird", 0, 0))

	ld := Build(f.queued(), Scope{Name: "scope", Version: "v1"})
	require.Equal(t, 2, ld.ResourceLogs().Len())
	require.Equal(t, 3, ld.LogRecordCount())
	ra := ld.ResourceLogs().At(0)
	agent, _ := ra.Resource().Attributes().Get(AttrAgentID)
	assert.Equal(t, "a", agent.Str())
	assert.Equal(t, "scope", ra.ScopeLogs().At(0).Scope().Name())
	lrs := ra.ScopeLogs().At(0).LogRecords()
	require.Equal(t, 2, lrs.Len())

	lr := lrs.At(0)
	assert.Equal(t, EventEnd, lr.EventName())
	assert.Equal(t, at(15), lr.ObservedTimestamp().AsTime())
	assert.Equal(t, "closed tcp 192.168.1.10:40000 -> 198.51.100.7:443 netify.example", lr.Body().Str())
	got := lr.Attributes().AsRaw()
	for k, want := range map[string]any{
		AttrDigest: "d1", AttrEndReason: "closed", AttrFirstSeen: "2026-03-04T11:59:55Z",
		"network.interface.name": "eth0", "netify.flow.internal": false,
		"netify.application.name": "netify.example", "netify.protocol.name": "HTTP/S",
		"network.transport": "tcp", "network.type": "ipv4",
		"network.local.address": "192.168.1.10", "network.local.port": int64(40000),
		"network.peer.address": "198.51.100.7", "network.peer.port": int64(443),
		"netify.flow.other_type": "remote", "netify.flow.local_origin": true,
		AttrLocalBytes: int64(110), AttrOtherBytes: int64(220), AttrLocalPackets: int64(2), AttrOtherPackets: int64(3),
		AttrTCPResets: int64(1), AttrTCPRetrans: int64(1), AttrTCPSeqErrors: int64(0),
		AttrTotalBytes: int64(6030), AttrTotalPackets: int64(31),
	} {
		assert.Equal(t, want, got[k], k)
	}
	assert.NotContains(t, got, "netify.flow.vlan_id", "a zero VLAN id is left out")

	// d3 never had metadata: what the agent did not tell is left out.
	bare := lrs.At(1).Attributes().AsRaw()
	assert.Equal(t, "expired", bare[AttrEndReason], "an unknown purge reason counts as expired")
	assert.Equal(t, "unclassified", bare["netify.application.name"])
	for _, k := range []string{"network.transport", "network.type", "network.local.address", "network.peer.port", "netify.flow.local_origin"} {
		assert.NotContains(t, bare, k)
	}
	assert.Equal(t, "expired flow d3", lrs.At(1).Body().Str())
}

func TestFiltersAndMinBytes(t *testing.T) {
	cfg := NewDefaultConfig()
	external := "false"
	cfg.Filter = []flowmetrics.FilterConfig{{Attribute: "internal", Equals: &external}}
	cfg.MinBytes = 100
	f := newFixture(t, cfg)
	f.apply("a", 0, stats("5a11", 10, 20), stats("b19", 100, 0),
		`{"type":"flow_stats","interface":"eth0","internal":true,"flow":{"digest":"1a5d","local_bytes":500,"other_bytes":500}}`)
	f.apply("a", 5, purge("5a11", "closed", 0, 0), purge("b19", "closed", 0, 0),
		`{"type":"flow_purge","reason":"closed","interface":"eth0","internal":true,"flow":{"digest":"1a5d","local_bytes":0,"other_bytes":0}}`)
	recs := f.queued()
	require.Len(t, recs, 1)
	assert.Equal(t, "b19", recs[0].Digest)
	assert.Equal(t, Drops{}, f.logs.TakeDrops(), "filtered flows are not drops")
}

func TestRateAndQueueBoundsCountDrops(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.MaxPerSecond = 2
	cfg.QueueSize = 3
	f := newFixture(t, cfg)
	for i := range 5 {
		f.apply("a", 0, stats(fmt.Sprint("a", i), 1, 1))
	}
	for i := range 5 {
		f.apply("a", 1, purge(fmt.Sprint("a", i), "closed", 0, 0))
	}
	assert.Len(t, f.queued(), 2, "one second's burst of two")
	assert.Equal(t, Drops{Rate: 3}, f.logs.TakeDrops())
	assert.Equal(t, Drops{}, f.logs.TakeDrops(), "TakeDrops resets")

	// Two seconds later the bucket is full again; the queue holds one more.
	for i := range 2 {
		f.apply("a", 3, purge(fmt.Sprint("a", i), "closed", 0, 0))
		f.apply("a", 3, stats(fmt.Sprint("b", i), 1, 1))
		f.apply("a", 3, purge(fmt.Sprint("b", i), "closed", 0, 0))
	}
	assert.Len(t, f.queued(), 3)
	assert.Equal(t, Drops{Queue: 1}, f.logs.TakeDrops())
}

func TestLongFlowProgressRecords(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.LongFlowInterval = time.Minute
	f := newFixture(t, cfg)
	for s := 0; s <= 150; s += 15 {
		f.apply("a", s, stats("10a9", 10, 10))
	}
	recs := f.queued()
	// Started at 0: progress at 60 and at 120.
	require.Len(t, recs, 2)
	assert.Equal(t, []time.Time{at(60), at(120)}, []time.Time{recs[0].Observed, recs[1].Observed})
	assert.Equal(t, uint64(50), recs[0].Sum.LocalBytes, "totals so far")
	assert.Equal(t, EventProgress, recs[0].Event())
	f.apply("a", 160, purge("10a9", "closed", 1, 1))
	recs = f.queued()
	require.Len(t, recs, 3)
	assert.Equal(t, EventEnd, recs[2].Event())
	assert.Empty(t, f.logs.progress, "an ended flow leaves no state behind")
	// A metadata record after the purge does not bring the flow back: it
	// is no active flow to report progress of, and leaves no state either.
	f.apply("a", 230, fmt.Sprintf(flowMeta, "10a9", at(-5).UnixMilli()))
	require.Len(t, f.queued(), 3)
	assert.Empty(t, f.logs.progress, "nothing kept for an ended flow's later records")

	// The same with per-flow metrics on, the record arriving before the
	// flush that hands the flow's final point downstream.
	g := newFixture(t, cfg)
	g.table = flowtable.New(flowtable.Config{MaxFlows: 100, IdleTimeout: time.Minute, PerFlow: true, Observer: g.logs})
	g.apply("a", 0, stats("10aa", 10, 10))
	g.apply("a", 160, purge("10aa", "closed", 1, 1))
	require.Len(t, g.queued(), 1)
	g.apply("a", 230, fmt.Sprintf(flowMeta, "10aa", at(-5).UnixMilli()))
	assert.Len(t, g.queued(), 1, "no progress record of an ended flow")
	assert.Empty(t, g.logs.progress, "nothing kept for an ended flow's later records")

	ld := Build(recs[:1], Scope{})
	lr := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
	assert.Equal(t, EventProgress, lr.EventName())
	_, hasReason := lr.Attributes().Get(AttrEndReason)
	assert.False(t, hasReason)
	assert.Equal(t, "active flow 10a9", lr.Body().Str())
}

func TestConfigValidateNamesTheKey(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.Filter = []flowmetrics.FilterConfig{{Attribute: "nope", In: []string{"x"}}}
	cfg.LongFlowInterval = -time.Second
	cfg.MaxPerSecond = -1
	cfg.QueueSize = 0
	err := cfg.Validate()
	require.Error(t, err)
	for _, want := range []string{`logs.filter[0]: unknown attribute "nope"`, "logs.long_flow_interval", "logs.max_per_second", "logs.queue_size"} {
		assert.ErrorContains(t, err, want)
	}
}

// An agent reusing an ended flow's tuple starts a new flow under the same
// entry: its record carries its own totals and start, not the sum of both.
func TestReusedTupleRecordsEachLife(t *testing.T) {
	f := newFixture(t, NewDefaultConfig())
	f.apply("a", 0, stats("d1", 100, 200))
	f.apply("a", 15, purge("d1", "closed", 10, 20))
	f.apply("a", 30, stats("d1", 1, 2))
	f.apply("a", 45, purge("d1", "expired", 3, 4))
	recs := f.queued()
	require.Len(t, recs, 2)
	assert.Equal(t, flowtable.Counters{LocalBytes: 110, OtherBytes: 220, LocalPackets: 2, OtherPackets: 3, TCPResets: 1, TCPRetrans: 1}, recs[0].Sum)
	assert.Equal(t, flowtable.Counters{LocalBytes: 4, OtherBytes: 6, LocalPackets: 2, OtherPackets: 3, TCPResets: 1, TCPRetrans: 1}, recs[1].Sum)
	assert.Equal(t, at(30), recs[1].FirstSeen, "the second life began with the report that revived the entry")
	assert.Equal(t, flowtable.EndExpired, recs[1].Ended)
	assert.Empty(t, f.logs.lives, "an ended life leaves no state behind")
}
