package flowmetrics

import (
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
)

// benchPoints are n flows as a flush hands them to BuildFlows: every
// per-flow metric has a value.
func benchPoints(n int) []flowtable.Point {
	t0 := time.Unix(1772665318, 0)
	pts := make([]flowtable.Point, n)
	for i := range pts {
		pts[i] = flowtable.Point{
			Agent: "a", Digest: fmt.Sprintf("%040x", i), Time: t0.Add(10 * time.Second),
			Attrs:    flowtable.Attributes{Interface: "lan", Internal: i%2 == 0},
			HasStats: true, HasTCP: true, Start: t0, DeltaStart: t0,
			Sum:      flowtable.Counters{LocalBytes: 1500, LocalPackets: 3, OtherBytes: 64000, OtherPackets: 50, TCPRetrans: 1},
			HasRates: true, LocalRate: 100.5, OtherRate: 4266.7,
			HasTotals: true, TotalStart: t0, TotalBytes: uint64(i) * 1000, TotalPackets: uint64(i),
		}
	}
	return pts
}

// BenchmarkBuildFlows sets the per-flow emitter (every per-flow metric on,
// 11 points per flow) beside its floor: the same points, attributes and
// values written with the fewest pdata calls, with no lookup, no switch and
// no configuration. What the floor costs, pdata costs: about six
// allocations per point (the point, its attribute slice, and one per
// attribute value, which pdata 1.71 holds behind an interface).
func BenchmarkBuildFlows(b *testing.B) {
	const flows = 4096 // one flush batch
	pts := benchPoints(flows)
	b.Run("emitter", func(b *testing.B) {
		e := Emitter{PerFlow: NewPerFlow(allOn().Metrics, nil)}
		b.ReportAllocs()
		points := 0
		for b.Loop() {
			_, n := e.BuildFlows(pts)
			points += n
		}
		reportPerFlow(b, flows, points)
	})
	b.Run("pdata_floor", func(b *testing.B) {
		b.ReportAllocs()
		points := 0
		for b.Loop() {
			points += pdataFloor(pts).DataPointCount()
		}
		reportPerFlow(b, flows, points)
	})
}

func reportPerFlow(b *testing.B, flows, points int) {
	ns := float64(b.Elapsed().Nanoseconds())
	b.ReportMetric(ns/float64(b.N*flows), "ns/flow")
	if points > 0 {
		b.ReportMetric(ns/float64(points), "ns/point")
		b.ReportMetric(float64(points)/float64(b.N*flows), "points/flow")
	}
}

// pdataFloor writes pts as BuildFlows does with every per-flow metric on
// but detection packets, straight into pdata.
func pdataFloor(pts []flowtable.Point) pmetric.Metrics {
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr(AgentAttribute, "a")
	ms := rm.ScopeMetrics().AppendEmpty().Metrics()
	sum := func(name string) pmetric.NumberDataPointSlice {
		m := ms.AppendEmpty()
		m.SetName(name)
		s := m.SetEmptySum()
		s.SetIsMonotonic(true)
		s.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
		return s.DataPoints()
	}
	gauge := func(name string) pmetric.NumberDataPointSlice {
		m := ms.AppendEmpty()
		m.SetName(name)
		return m.SetEmptyGauge().DataPoints()
	}
	io, pk, rate := sum("io"), sum("packets"), gauge("rate")
	rs, rt, se := sum("resets"), sum("retrans"), sum("seq_errors")
	lb, lp := sum("lifetime_io"), sum("lifetime_packets")
	for i := range pts {
		p := &pts[i]
		ts := pcommon.NewTimestampFromTime(p.Time)
		start := pcommon.NewTimestampFromTime(p.Start)
		point := func(s pmetric.NumberDataPointSlice, dir string) pmetric.NumberDataPoint {
			dp := s.AppendEmpty()
			dp.SetStartTimestamp(start)
			dp.SetTimestamp(ts)
			a := dp.Attributes()
			a.EnsureCapacity(4)
			a.PutStr("network.interface.name", p.Attrs.Interface)
			a.PutBool("netify.flow.internal", p.Attrs.Internal)
			a.PutStr("netify.flow.digest", p.Digest)
			if dir != "" {
				a.PutStr(directionKey, dir)
			}
			return dp
		}
		point(io, directionTransmit).SetIntValue(int64(p.Sum.LocalBytes))
		point(io, directionReceive).SetIntValue(int64(p.Sum.OtherBytes))
		point(pk, directionTransmit).SetIntValue(int64(p.Sum.LocalPackets))
		point(pk, directionReceive).SetIntValue(int64(p.Sum.OtherPackets))
		point(rate, directionTransmit).SetDoubleValue(p.LocalRate)
		point(rate, directionReceive).SetDoubleValue(p.OtherRate)
		point(rs, "").SetIntValue(int64(p.Sum.TCPResets))
		point(rt, "").SetIntValue(int64(p.Sum.TCPRetrans))
		point(se, "").SetIntValue(int64(p.Sum.TCPSeqErrors))
		point(lb, "").SetIntValue(int64(p.TotalBytes))
		point(lp, "").SetIntValue(int64(p.TotalPackets))
	}
	return md
}

// TestPDataFloorWritesWhatTheEmitterWrites keeps the floor honest: with
// detection packets off, both write the same number of points, and each
// point the same attributes and value.
func TestPDataFloorWritesWhatTheEmitterWrites(t *testing.T) {
	pts := benchPoints(3)
	cfg := allOn()
	cfg.Metrics.NetifyFlowDetectionPackets.Enabled = false
	e := Emitter{PerFlow: NewPerFlow(cfg.Metrics, nil)}
	got, n := e.BuildFlows(pts)
	floor := pdataFloor(pts)
	if n != 33 || floor.DataPointCount() != n {
		t.Fatalf("emitter wrote %d points, the floor %d; want 33 each", n, floor.DataPointCount())
	}
	if a, b := pointSet(got), pointSet(floor); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("points differ:\nemitter %v\nfloor   %v", a, b)
	}
}

// pointSet lists each point as its attributes and value, sorted.
func pointSet(md pmetric.Metrics) map[string]int {
	out := map[string]int{}
	ms := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics()
	for i := 0; i < ms.Len(); i++ {
		m := ms.At(i)
		dps := pmetric.NewNumberDataPointSlice()
		switch m.Type() {
		case pmetric.MetricTypeSum:
			dps = m.Sum().DataPoints()
		case pmetric.MetricTypeGauge:
			dps = m.Gauge().DataPoints()
		}
		for j := 0; j < dps.Len(); j++ {
			dp := dps.At(j)
			v := dp.DoubleValue()
			if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
				v = float64(dp.IntValue())
			}
			out[fmt.Sprintf("%v %v %d %d", dp.Attributes().AsRaw(), v, dp.StartTimestamp(), dp.Timestamp())]++
		}
	}
	return out
}
