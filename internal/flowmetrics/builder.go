package flowmetrics

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// AgentAttribute is the resource attribute every series carries.
const AgentAttribute = "netify.agent.id"

type metricKind uint8

const (
	kindSum metricKind = iota
	kindGauge
	kindHistogram
)

// desc describes one metric.
type desc struct {
	name, description, unit string
	kind                    metricKind
	// cumulativeOnly: sums that are cumulative whatever the temporality
	// (the agent's own totals).
	cumulativeOnly bool
}

// Scope is the instrumentation scope metrics are emitted under.
type Scope struct {
	Name, Version string
}

// builder writes one batch of metrics: one ResourceMetrics per agent, one
// metric per name, data points appended in one pass.
type builder struct {
	scope   Scope
	delta   bool
	md      pmetric.Metrics
	byAgent map[string]*resourceBuilder
	points  int
}

type resourceBuilder struct {
	ms     pmetric.MetricSlice
	byName map[string]pmetric.Metric
}

func newBuilder(scope Scope, delta bool) *builder {
	return &builder{scope: scope, delta: delta, md: pmetric.NewMetrics(), byAgent: map[string]*resourceBuilder{}}
}

func (b *builder) resource(agent string) *resourceBuilder {
	if rb, ok := b.byAgent[agent]; ok {
		return rb
	}
	rm := b.md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr(AgentAttribute, agent)
	sm := rm.ScopeMetrics().AppendEmpty()
	sm.Scope().SetName(b.scope.Name)
	sm.Scope().SetVersion(b.scope.Version)
	rb := &resourceBuilder{ms: sm.Metrics(), byName: map[string]pmetric.Metric{}}
	b.byAgent[agent] = rb
	return rb
}

func (b *builder) metric(agent string, d *desc) pmetric.Metric {
	rb := b.resource(agent)
	if m, ok := rb.byName[d.name]; ok {
		return m
	}
	m := rb.ms.AppendEmpty()
	m.SetName(d.name)
	m.SetDescription(d.description)
	m.SetUnit(d.unit)
	switch d.kind {
	case kindSum:
		s := m.SetEmptySum()
		s.SetIsMonotonic(true)
		s.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
		if b.delta && !d.cumulativeOnly {
			s.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
		}
	case kindGauge:
		m.SetEmptyGauge()
	case kindHistogram:
		h := m.SetEmptyHistogram()
		h.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
		if b.delta {
			h.SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
		}
	}
	rb.byName[d.name] = m
	return m
}

// number appends a data point to a sum or gauge.
func (b *builder) number(agent string, d *desc, start, ts pcommon.Timestamp) pmetric.NumberDataPoint {
	m := b.metric(agent, d)
	var dp pmetric.NumberDataPoint
	if d.kind == kindSum {
		dp = m.Sum().DataPoints().AppendEmpty()
	} else {
		dp = m.Gauge().DataPoints().AppendEmpty()
	}
	dp.SetStartTimestamp(start)
	dp.SetTimestamp(ts)
	b.points++
	return dp
}

func (b *builder) histogram(agent string, d *desc, start, ts pcommon.Timestamp) pmetric.HistogramDataPoint {
	dp := b.metric(agent, d).Histogram().DataPoints().AppendEmpty()
	dp.SetStartTimestamp(start)
	dp.SetTimestamp(ts)
	b.points++
	return dp
}

// take returns the batch built so far and starts a new one.
func (b *builder) take() (pmetric.Metrics, int) {
	md, n := b.md, b.points
	b.md, b.points = pmetric.NewMetrics(), 0
	clear(b.byAgent)
	return md, n
}

// clampInt keeps a counter beyond int64 at the largest value a data point
// holds instead of wrapping negative.
func clampInt(v uint64) int64 {
	if v > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(v)
}
