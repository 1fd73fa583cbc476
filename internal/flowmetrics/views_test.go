package flowmetrics

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

func statsRec(digest string, local, other uint64) record.Record {
	return record.Record{
		Type: record.TypeFlowStats, HasInterface: true, Interface: "lan", HasInternal: true, Digest: digest,
		HasStats: true, LocalBytes: local, OtherBytes: other, LocalPackets: 1, OtherPackets: 2,
		HasTCP: true, TCPRetrans: 1,
		HasRates: true, LocalRate: float64(local), OtherRate: float64(other),
	}
}

func metaRec(typ, digest, app string, appID uint32, proto uint8) record.Record {
	return record.Record{
		Type: typ, HasInterface: true, Interface: "lan", HasInternal: true, Digest: digest,
		HasMeta: true, Meta: record.Meta{
			ApplicationID: appID, ApplicationName: app, ProtocolID: 196, ProtocolName: "HTTP/S",
			IPProtocol: proto, IPVersion: 4,
			LocalIP: netip.MustParseAddr("192.168.1.10"), OtherIP: netip.MustParseAddr("203.0.113.7"),
			LocalPort: 50000, OtherPort: 443,
		},
	}
}

func purgeRec(digest, reason string, local uint64) record.Record {
	r := statsRec(digest, local, 0)
	r.Type, r.Reason = record.TypeFlowPurge, reason
	return r
}

type fixture struct {
	t     *testing.T
	table *flowtable.Table
	views *Views
	e     Emitter
}

func newFixture(t *testing.T, cfgs []ViewConfig, maxFlows int) *fixture {
	require.NoError(t, ValidateViews(cfgs, time.Minute))
	vs := NewViews(cfgs)
	tb := flowtable.New(flowtable.Config{MaxFlows: maxFlows, IdleTimeout: time.Minute, Observer: vs})
	return &fixture{t: t, table: tb, views: vs, e: Emitter{Scope: Scope{Name: "test"}}}
}

func (fx *fixture) apply(agent string, now time.Time, recs ...record.Record) {
	fx.t.Helper()
	out := make([]flowtable.Outcome, len(recs))
	require.NoError(fx.t, fx.table.ApplyBatch(agent, recs, now, false, out))
}

// flush emits every view series at now and commits them.
func (fx *fixture) flush(now time.Time) pmetric.Metrics {
	var c ViewCursor
	all := pmetric.NewMetrics()
	for {
		b := fx.views.Snapshot(&c, 2, now, fx.e.ZeroHold)
		if b.Len() == 0 {
			return all
		}
		md, n := fx.e.BuildViews(b)
		assert.Equal(fx.t, md.DataPointCount(), n)
		md.ResourceMetrics().MoveAndAppendTo(all.ResourceMetrics())
		fx.views.Commit(b)
	}
}

// value finds the int value of metric name for the data point whose
// attributes include want (and the agent); it fails when there is not
// exactly one.
func value(t *testing.T, md pmetric.Metrics, agent, name string, want map[string]any) int64 {
	t.Helper()
	var found []int64
	eachPoint(md, agent, name, func(attrs pcommon.Map, v int64, _ float64) {
		for k, w := range want {
			got, ok := attrs.Get(k)
			if !ok || got.AsRaw() != w {
				return
			}
		}
		found = append(found, v)
	})
	require.Len(t, found, 1, "%s %v", name, want)
	return found[0]
}

func eachPoint(md pmetric.Metrics, agent, name string, fn func(pcommon.Map, int64, float64)) {
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		a, _ := rms.At(i).Resource().Attributes().Get(AgentAttribute)
		if a.Str() != agent {
			continue
		}
		sms := rms.At(i).ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				m := ms.At(k)
				if m.Name() != name {
					continue
				}
				switch m.Type() {
				case pmetric.MetricTypeSum:
					for p := 0; p < m.Sum().DataPoints().Len(); p++ {
						dp := m.Sum().DataPoints().At(p)
						fn(dp.Attributes(), dp.IntValue(), 0)
					}
				case pmetric.MetricTypeGauge:
					for p := 0; p < m.Gauge().DataPoints().Len(); p++ {
						dp := m.Gauge().DataPoints().At(p)
						fn(dp.Attributes(), dp.IntValue(), dp.DoubleValue())
					}
				case pmetric.MetricTypeHistogram:
					for p := 0; p < m.Histogram().DataPoints().Len(); p++ {
						dp := m.Histogram().DataPoints().At(p)
						fn(dp.Attributes(), int64(dp.Count()), dp.Sum())
					}
				}
			}
		}
	}
}

func TestBytesCountTowardTheKeyKnownWhenTheyArrive(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "app", GroupBy: []string{"application"}}}, 100)
	// Stats before any metadata: unclassified.
	fx.apply("a", at(0), statsRec("d1", 100, 1000))
	// DPI tells the application; its counters are not added.
	fx.apply("a", at(1), metaRec(record.TypeFlowDPIComplete, "d1", "netify.youtube", 11, 17))
	fx.apply("a", at(15), statsRec("d1", 10, 20))
	md := fx.flush(at(16))

	n := "netify.view.app.io"
	assert.EqualValues(t, 100, value(t, md, "a", n, map[string]any{"netify.application.name": "unclassified", "network.io.direction": "transmit"}))
	assert.EqualValues(t, 1000, value(t, md, "a", n, map[string]any{"netify.application.name": "unclassified", "network.io.direction": "receive"}))
	assert.EqualValues(t, 10, value(t, md, "a", n, map[string]any{"netify.application.name": "netify.youtube", "network.io.direction": "transmit"}))
	assert.EqualValues(t, 20, value(t, md, "a", n, map[string]any{"netify.application.name": "netify.youtube", "network.io.direction": "receive"}))
	// The flow started under unclassified, and is active under YouTube now.
	assert.EqualValues(t, 1, value(t, md, "a", "netify.view.app.flows.started", map[string]any{"netify.application.name": "unclassified"}))
	assert.EqualValues(t, 0, value(t, md, "a", "netify.view.app.flows.started", map[string]any{"netify.application.name": "netify.youtube"}))
	assert.EqualValues(t, 0, value(t, md, "a", "netify.view.app.flows.active", map[string]any{"netify.application.name": "unclassified"}))
	assert.EqualValues(t, 1, value(t, md, "a", "netify.view.app.flows.active", map[string]any{"netify.application.name": "netify.youtube"}))
}

func TestFlowEndCountsReasonAndHistograms(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}}}, 100)
	first := metaRec(record.TypeFlow, "d1", "", 0, 6)
	fx.apply("a", at(0), first, statsRec("d1", 1000, 500))
	fx.apply("a", at(20), purgeRec("d1", "closed", 500))
	fx.apply("a", at(20), statsRec("d2", 1, 1))
	md := fx.flush(at(21))
	lan := map[string]any{"network.interface.name": "lan"}
	assert.EqualValues(t, 2, value(t, md, "a", "netify.view.iface.flows.started", lan))
	assert.EqualValues(t, 1, value(t, md, "a", "netify.view.iface.flows.active", lan))
	for reason, want := range map[string]int64{"closed": 1, "expired": 0, "idle": 0, "evicted": 0} {
		assert.EqualValues(t, want, value(t, md, "a", "netify.view.iface.flows.ended", map[string]any{"network.interface.name": "lan", "netify.flow.end_reason": reason}), reason)
	}
	var count int64
	var sum float64
	eachPoint(md, "a", "netify.view.iface.flow.size", func(_ pcommon.Map, c int64, s float64) { count, sum = c, s })
	assert.EqualValues(t, 1, count)
	assert.Equal(t, 2000.0, sum, "size is both directions of the whole flow, purge included")
	eachPoint(md, "a", "netify.view.iface.flow.duration", func(_ pcommon.Map, c int64, s float64) { count, sum = c, s })
	assert.EqualValues(t, 1, count)
	assert.Equal(t, 20.0, sum, "from the first record to the purge, received 20 s apart")

	// The idle flow is expired by the table: it ends as idle.
	fx.table.Expire(at(20 + 61))
	md = fx.flush(at(90))
	assert.EqualValues(t, 1, value(t, md, "a", "netify.view.iface.flows.ended", map[string]any{"network.interface.name": "lan", "netify.flow.end_reason": "idle"}))
	assert.EqualValues(t, 0, value(t, md, "a", "netify.view.iface.flows.active", lan))
}

func TestRatesSumOverActiveFlowsOnly(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}, Measures: []string{MeasureRate}}}, 100)
	fx.apply("a", at(0), statsRec("d1", 100, 10), statsRec("d2", 50, 5))
	fx.apply("a", at(1), statsRec("d1", 300, 30)) // replaces d1's rate
	var got [2]float64
	eachPoint(fx.flush(at(2)), "a", "netify.view.iface.rate", func(a pcommon.Map, _ int64, v float64) {
		if d, _ := a.Get("network.io.direction"); d.Str() == "transmit" {
			got[0] = v
		} else {
			got[1] = v
		}
	})
	assert.Equal(t, [2]float64{350, 35}, got)
	fx.apply("a", at(3), purgeRec("d2", "expired", 0))
	eachPoint(fx.flush(at(4)), "a", "netify.view.iface.rate", func(a pcommon.Map, _ int64, v float64) {
		if d, _ := a.Get("network.io.direction"); d.Str() == "transmit" {
			got[0] = v
		}
	})
	assert.Equal(t, 300.0, got[0], "an ended flow's rate leaves the sum")
}

func TestFiltersDecideWhichFlowsCount(t *testing.T) {
	eq := "true"
	cfgs := []ViewConfig{
		{Name: "web", GroupBy: []string{"transport"}, Measures: []string{MeasureIO}, Filter: []FilterConfig{{Attribute: "other_port", In: []string{"443", "80"}}}},
		{Name: "ext", GroupBy: []string{"interface"}, Measures: []string{MeasureIO}, Filter: []FilterConfig{{Attribute: "internal", NotEquals: &eq}}},
		{Name: "doc", GroupBy: []string{"interface"}, Measures: []string{MeasureIO}, Filter: []FilterConfig{{Attribute: "other_address", CIDR: []string{"203.0.113.0/24"}}}},
		{Name: "yt", GroupBy: []string{"interface"}, Measures: []string{MeasureIO}, Filter: []FilterConfig{{Attribute: "application", Matches: `netify\.you.*`}}},
	}
	fx := newFixture(t, cfgs, 100)
	fx.apply("a", at(0), statsRec("d1", 7, 0)) // nothing known yet: only ext (internal=false) counts it
	fx.apply("a", at(1), metaRec(record.TypeFlowDPIUpdate, "d1", "netify.youtube", 11, 6))
	fx.apply("a", at(2), statsRec("d1", 5, 0))
	md := fx.flush(at(3))
	tx := func(k, v string) map[string]any { return map[string]any{k: v, "network.io.direction": "transmit"} }
	assert.EqualValues(t, 5, value(t, md, "a", "netify.view.web.io", tx("network.transport", "tcp")))
	assert.EqualValues(t, 12, value(t, md, "a", "netify.view.ext.io", tx("network.interface.name", "lan")))
	assert.EqualValues(t, 5, value(t, md, "a", "netify.view.doc.io", tx("network.interface.name", "lan")))
	assert.EqualValues(t, 5, value(t, md, "a", "netify.view.yt.io", tx("network.interface.name", "lan")))
}

func TestSeriesCapFoldsIntoOneOverflowSeriesPerAgent(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "app", GroupBy: []string{"application"}, Measures: []string{MeasureIO}, MaxSeries: 2}}, 100)
	var overflowed int
	fx.views.OnOverflow = func(view, agent string) { overflowed++ }
	var total uint64
	for i, app := range []string{"one", "two", "three", "four", "five"} {
		d := string(rune('a' + i))
		fx.apply("a", at(i), metaRec(record.TypeFlow, d, "netify."+app, uint32(i+1), 6), statsRec(d, 10, 0))
		total += 10
	}
	fx.apply("b", at(9), metaRec(record.TypeFlow, "z", "netify.six", 6, 6), statsRec("z", 1, 0))
	md := fx.flush(at(10))
	assert.Equal(t, 3, overflowed)
	var sum, series int64
	eachPoint(md, "a", "netify.view.app.io", func(a pcommon.Map, v int64, _ float64) {
		if d, _ := a.Get("network.io.direction"); d.Str() == "transmit" {
			sum += v
			series++
		}
	})
	assert.EqualValues(t, total, sum, "the view's total stays exact")
	assert.EqualValues(t, 3, series, "two keys and the overflow series")
	assert.EqualValues(t, 30, value(t, md, "a", "netify.view.app.io", map[string]any{"otel.metric.overflow": true, "network.io.direction": "transmit"}))
	assert.EqualValues(t, 1, value(t, md, "b", "netify.view.app.io", map[string]any{"netify.application.name": "netify.six", "network.io.direction": "transmit"}), "the cap is per agent")
}

func TestZeroHoldAnnouncesNewSeriesWithZeros(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}, Measures: []string{MeasureIO}}}, 100)
	fx.e.ZeroHold = 20 * time.Second
	fx.apply("a", at(0), statsRec("d1", 100, 0))
	tx := map[string]any{"network.interface.name": "lan", "network.io.direction": "transmit"}
	assert.EqualValues(t, 0, value(t, fx.flush(at(10)), "a", "netify.view.iface.io", tx), "first flush: zero")
	assert.EqualValues(t, 0, value(t, fx.flush(at(20)), "a", "netify.view.iface.io", tx), "within the hold: zero")
	assert.EqualValues(t, 100, value(t, fx.flush(at(30)), "a", "netify.view.iface.io", tx), "after the hold: the value")
}

func TestDeltaTemporalityEmitsWhatIsNewAndMergesAfterAFailure(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}, Measures: []string{MeasureIO}}}, 100)
	fx.e.Delta = true
	tx := map[string]any{"network.interface.name": "lan", "network.io.direction": "transmit"}
	fx.apply("a", at(0), statsRec("d1", 100, 0))
	assert.EqualValues(t, 100, value(t, fx.flush(at(10)), "a", "netify.view.iface.io", tx))
	fx.apply("a", at(11), statsRec("d1", 5, 0))
	var c ViewCursor
	failed := fx.views.Snapshot(&c, 10, at(20), 0) // not committed: the consumer failed
	md, _ := fx.e.BuildViews(failed)
	assert.EqualValues(t, 5, value(t, md, "a", "netify.view.iface.io", tx))
	fx.apply("a", at(21), statsRec("d1", 7, 0))
	assert.EqualValues(t, 12, value(t, fx.flush(at(30)), "a", "netify.view.iface.io", tx), "the failed flush's delta merges into the next")
	assert.Zero(t, fx.flush(at(40)).DataPointCount(), "nothing new, nothing sent")
}

func TestCumulativeSumsCarryOverFlushesAndFailures(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}, Measures: []string{MeasureIO}}}, 100)
	tx := map[string]any{"network.interface.name": "lan", "network.io.direction": "transmit"}
	fx.apply("a", at(0), statsRec("d1", 100, 0))
	assert.EqualValues(t, 100, value(t, fx.flush(at(10)), "a", "netify.view.iface.io", tx))
	fx.apply("a", at(11), statsRec("d1", 5, 0))
	var c ViewCursor
	failed := fx.views.Snapshot(&c, 10, at(20), 0) // not committed: the consumer failed
	md, _ := fx.e.BuildViews(failed)
	assert.EqualValues(t, 105, value(t, md, "a", "netify.view.iface.io", tx))
	fx.apply("a", at(21), statsRec("d1", 7, 0))
	assert.EqualValues(t, 112, value(t, fx.flush(at(30)), "a", "netify.view.iface.io", tx))
	assert.EqualValues(t, 112, value(t, fx.flush(at(40)), "a", "netify.view.iface.io", tx), "nothing new: the same sum")
	fx.apply("a", at(41), statsRec("d2", 1, 0))
	assert.EqualValues(t, 113, value(t, fx.flush(at(50)), "a", "netify.view.iface.io", tx), "a second flow adds to it")
}

func TestIdleSeriesAreDroppedAndStartAgain(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}, Measures: []string{MeasureIO}, IdleTimeout: time.Hour}}, 100)
	fx.apply("a", at(0), purgeRec("d1", "closed", 9))
	fx.flush(at(1))
	assert.Equal(t, 0, fx.views.Expire(at(1800)))
	assert.Equal(t, 1, fx.views.Expire(at(3601)))
	assert.Equal(t, 0, fx.views.SeriesCount())
	fx.apply("a", at(3602), statsRec("d2", 4, 0))
	md := fx.flush(at(3603))
	assert.EqualValues(t, 4, value(t, md, "a", "netify.view.iface.io", map[string]any{"network.interface.name": "lan", "network.io.direction": "transmit"}))
}

func TestValidateViewsNamesWhatIsWrong(t *testing.T) {
	err := ValidateViews([]ViewConfig{
		{Name: "Bad-Name"},
		{Name: "x", GroupBy: []string{"colour", "interface", "network.interface.name"}, Measures: []string{"volume"}},
		{Name: "x", Filter: []FilterConfig{{Attribute: "interface"}, {Attribute: "host", Matches: "("}, {Attribute: "interface", CIDR: []string{"10.0.0.0/8"}}}},
		{Name: "y", IdleTimeout: time.Second},
	}, time.Minute)
	require.Error(t, err)
	for _, want := range []string{
		`views[0] (Bad-Name): name must be lower case letters, digits and _ starting with a letter, got "Bad-Name"`,
		`views[1] (x): group_by: unknown attribute "colour"`,
		`views[1] (x): group_by: "network.interface.name" listed twice`,
		`views[1] (x): measures: unknown measure "volume"`,
		`views[2] (x): name "x" is used twice`,
		`views[2] (x): filter[0]: interface: exactly one of equals, not_equals, in, not_in, matches, not_matches, cidr, not_cidr must be set, got 0`,
		`views[2] (x): filter[1]: host: error parsing regexp`,
		`views[2] (x): filter[2]: interface: cidr applies to local_address and other_address only`,
		`views[3] (y): idle_timeout (1s) must not be shorter than flows.idle_timeout (1m0s)`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.NoError(t, ValidateViews(DefaultViews(), time.Minute))
}

func TestReusedTupleMeasuresEachLife(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}, Measures: []string{MeasureDuration, MeasureSize, MeasureFlows}}}, 100)
	fx.apply("a", at(0), statsRec("d1", 1000, 0))
	fx.apply("a", at(10), purgeRec("d1", "closed", 0))
	// The agent reuses the tuple: same entry, a new life.
	fx.apply("a", at(1000), statsRec("d1", 500, 0))
	fx.apply("a", at(1010), purgeRec("d1", "closed", 0))
	md := fx.flush(at(1011))
	var count int64
	var sum float64
	eachPoint(md, "a", "netify.view.iface.flow.size", func(_ pcommon.Map, c int64, s float64) { count, sum = c, s })
	assert.EqualValues(t, 2, count)
	assert.Equal(t, 1500.0, sum, "1000 then 500 bytes, not 1000 then 1500")
	eachPoint(md, "a", "netify.view.iface.flow.duration", func(_ pcommon.Map, c int64, s float64) { count, sum = c, s })
	assert.EqualValues(t, 2, count)
	assert.Equal(t, 20.0, sum, "10 s each")
	assert.EqualValues(t, 2, value(t, md, "a", "netify.view.iface.flows.started", map[string]any{"network.interface.name": "lan"}))
}

func TestAgentsPastTheBoundShareOneOverflowSeries(t *testing.T) {
	fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}, Measures: []string{MeasureIO}}}, 2*MaxAgents)
	for i := 0; i < MaxAgents+10; i++ {
		fx.apply(fmt.Sprintf("agent-%d", i), at(0), statsRec("d1", 1, 0))
	}
	assert.Equal(t, MaxAgents+1, fx.views.SeriesCount())
	md := fx.flush(at(1))
	assert.EqualValues(t, 10, value(t, md, OverflowAgent, "netify.view.iface.io", map[string]any{"otel.metric.overflow": true, "network.io.direction": "transmit"}))
}

// With more views than a flow keeps inline (five), each view still follows
// its flow from key to key: here all five group by application and must
// agree with each other.
func TestFiveViewsEachFollowTheFlow(t *testing.T) {
	var cfgs []ViewConfig
	for i := range 5 {
		cfgs = append(cfgs, ViewConfig{Name: fmt.Sprint("app", i), GroupBy: []string{"application"}})
	}
	fx := newFixture(t, cfgs, 100)
	fx.apply("a", at(0), statsRec("d1", 100, 1000))
	fx.apply("a", at(1), metaRec(record.TypeFlowDPIComplete, "d1", "netify.youtube", 11, 17))
	fx.apply("a", at(15), statsRec("d1", 10, 20))
	fx.apply("a", at(16), statsRec("d2", 7, 0))
	md := fx.flush(at(17))
	for i := range 5 {
		v := fmt.Sprint("netify.view.app", i)
		assert.EqualValues(t, 107, value(t, md, "a", v+".io", map[string]any{"netify.application.name": "unclassified", "network.io.direction": "transmit"}), v)
		assert.EqualValues(t, 10, value(t, md, "a", v+".io", map[string]any{"netify.application.name": "netify.youtube", "network.io.direction": "transmit"}), v)
		assert.EqualValues(t, 1, value(t, md, "a", v+".flows.active", map[string]any{"netify.application.name": "unclassified"}), v)
		assert.EqualValues(t, 1, value(t, md, "a", v+".flows.active", map[string]any{"netify.application.name": "netify.youtube"}), v)
	}
}
