package e2e

import (
	"fmt"
	"sort"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// AgentIDAttribute is the resource attribute naming the Netify Agent.
const AgentIDAttribute = "netify.agent.id"

// Point is one OTLP number data point with what identifies its stream.
type Point struct {
	Resource    map[string]any
	Metric      string
	Unit        string
	Type        pmetric.MetricType
	Temporality pmetric.AggregationTemporality // sums only
	Monotonic   bool                           // sums only
	Attributes  map[string]any
	Start, Time pcommon.Timestamp
	Value       float64
}

// Agent is the point's netify.agent.id resource attribute ("" without one).
func (p Point) Agent() string {
	s, _ := p.Resource[AgentIDAttribute].(string)
	return s
}

// streamKey identifies a stream: resource, metric, attributes and start
// time. A cumulative counter that restarts (new start time) is a new stream
// here, so the latest points of all streams add up to everything counted.
type streamKey struct {
	resource, metric, attrs string
	start                   pcommon.Timestamp
}

// LatestPoints flattens OTLP batches (in arrival order) into the latest
// point of every stream: the one with the greatest timestamp, the later
// arrival on a tie. Histograms and summaries are not flattened.
func LatestPoints(batches []pmetric.Metrics) []Point {
	latest := map[streamKey]Point{}
	var order []streamKey
	for _, md := range batches {
		for _, p := range flatten(md) {
			k := streamKey{canonical(p.Resource), p.Metric, canonical(p.Attributes), p.Start}
			old, seen := latest[k]
			if !seen {
				order = append(order, k)
			}
			if !seen || p.Time >= old.Time {
				latest[k] = p
			}
		}
	}
	out := make([]Point, 0, len(order))
	for _, k := range order {
		out = append(out, latest[k])
	}
	return out
}

// PointCount is the number of number data points in batches.
func PointCount(batches []pmetric.Metrics) int {
	n := 0
	for _, md := range batches {
		n += len(flatten(md))
	}
	return n
}

func flatten(md pmetric.Metrics) []Point {
	var out []Point
	rms := md.ResourceMetrics()
	for i := 0; i < rms.Len(); i++ {
		res := rms.At(i).Resource().Attributes().AsRaw()
		sms := rms.At(i).ScopeMetrics()
		for j := 0; j < sms.Len(); j++ {
			ms := sms.At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				m := ms.At(k)
				base := Point{Resource: res, Metric: m.Name(), Unit: m.Unit(), Type: m.Type()}
				var dps pmetric.NumberDataPointSlice
				switch m.Type() {
				case pmetric.MetricTypeSum:
					dps = m.Sum().DataPoints()
					base.Temporality = m.Sum().AggregationTemporality()
					base.Monotonic = m.Sum().IsMonotonic()
				case pmetric.MetricTypeGauge:
					dps = m.Gauge().DataPoints()
				default:
					continue
				}
				for d := 0; d < dps.Len(); d++ {
					dp := dps.At(d)
					p := base
					p.Attributes = dp.Attributes().AsRaw()
					p.Start, p.Time = dp.StartTimestamp(), dp.Timestamp()
					if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
						p.Value = float64(dp.IntValue())
					} else {
						p.Value = dp.DoubleValue()
					}
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// canonical is a map as sorted key=value pairs, value types included so
// that true and "true" stay apart.
func canonical(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%T:%v,", k, m[k], m[k])
	}
	return b.String()
}

// MetricShape is what the points of one metric name look like; every field
// is a set so a metric that is not uniform shows all its variants.
type MetricShape struct {
	Units         map[string]bool
	Types         map[string]bool
	Temporalities map[string]bool
	Monotonic     map[bool]bool
	// AttributeKeys holds each point's attribute keys, sorted and joined
	// with ",".
	AttributeKeys map[string]bool
	// AttributeTypes is each attribute's value type(s), e.g. bool.
	AttributeTypes map[string]map[string]bool
	Points         int
}

// Shapes describe every metric name among points.
func Shapes(points []Point) map[string]*MetricShape {
	out := map[string]*MetricShape{}
	for _, p := range points {
		s, ok := out[p.Metric]
		if !ok {
			s = &MetricShape{
				Units: map[string]bool{}, Types: map[string]bool{}, Temporalities: map[string]bool{},
				Monotonic: map[bool]bool{}, AttributeKeys: map[string]bool{}, AttributeTypes: map[string]map[string]bool{},
			}
			out[p.Metric] = s
		}
		s.Points++
		s.Units[p.Unit] = true
		s.Types[p.Type.String()] = true
		if p.Type == pmetric.MetricTypeSum {
			s.Temporalities[p.Temporality.String()] = true
			s.Monotonic[p.Monotonic] = true
		}
		keys := make([]string, 0, len(p.Attributes))
		for k, v := range p.Attributes {
			keys = append(keys, k)
			if s.AttributeTypes[k] == nil {
				s.AttributeTypes[k] = map[string]bool{}
			}
			s.AttributeTypes[k][fmt.Sprintf("%T", v)] = true
		}
		sort.Strings(keys)
		s.AttributeKeys[strings.Join(keys, ",")] = true
	}
	return out
}
