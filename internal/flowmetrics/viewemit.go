package flowmetrics

import (
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
)

// viewNames are the metrics of one view.
type viewNames struct {
	io, packets, resets, retrans, seqErrors, started, ended, active, rate, duration, size desc
}

func namesFor(view string) viewNames {
	p := "netify.view." + view + "."
	sum := func(n, unit, d string) desc { return desc{name: p + n, unit: unit, description: d, kind: kindSum} }
	return viewNames{
		io:        sum("io", "By", "Bytes sent by each endpoint of the view's flows (transmit: the local endpoint, receive: the remote one), from the agent's per-interval deltas."),
		packets:   sum("packets", "{packet}", "Packets sent by each endpoint of the view's flows, from the agent's per-interval deltas."),
		resets:    sum("tcp.resets", "{reset}", "TCP resets seen on the view's flows."),
		retrans:   sum("tcp.retransmissions", "{segment}", "TCP retransmissions seen on the view's flows."),
		seqErrors: sum("tcp.sequence_errors", "{error}", "TCP sequence errors seen on the view's flows."),
		started:   sum("flows.started", "{flow}", "Flows that started under the key."),
		ended:     sum("flows.ended", "{flow}", "Flows that ended under the key, by netify.flow.end_reason: closed or expired (the agent's flow_purge), idle (no record for flows.idle_timeout), evicted (flows.max)."),
		active:    desc{name: p + "flows.active", unit: "{flow}", kind: kindGauge, description: "Flows of the key that have not ended."},
		rate:      desc{name: p + "rate", unit: "By/s", kind: kindGauge, description: "Sum of the latest burst rates (local_rate, other_rate) of the key's active flows."},
		duration:  desc{name: p + "flow.duration", unit: "s", kind: kindHistogram, description: "Duration of the view's ended flows, from first to last seen."},
		size:      desc{name: p + "flow.size", unit: "By", kind: kindHistogram, description: "Bytes of the view's ended flows, both directions."},
	}
}

// seriesSnap is a series as one flush reads it.
type seriesSnap struct {
	v      *view
	s      *series
	zero   bool
	start  time.Time
	pstart time.Time
	cum    tally
	pend   tally
	active int64
	lrate  float64
	orate  float64
	hasTCP bool
}

// ViewBatch is one batch of view series taken by a flush.
type ViewBatch struct {
	items []seriesSnap
	now   time.Time
}

// Len is the number of series in the batch.
func (b *ViewBatch) Len() int { return len(b.items) }

// ViewCursor walks the series of all views across the batches of one flush.
type ViewCursor struct{ view, idx int }

// Snapshot copies out up to limit series from the cursor on, and advances
// it; an empty batch ends the flush. zeroHold: see Emitter.
func (vs *Views) Snapshot(c *ViewCursor, limit int, now time.Time, zeroHold time.Duration) *ViewBatch {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	b := &ViewBatch{now: now}
	for ; c.view < len(vs.views); c.view, c.idx = c.view+1, 0 {
		v := vs.views[c.view]
		for ; c.idx < len(v.series); c.idx++ {
			if len(b.items) == limit {
				return b
			}
			s := v.series[c.idx]
			if s == nil {
				continue
			}
			b.items = append(b.items, seriesSnap{
				v: v, s: s,
				zero:  zeroHold > 0 && (s.announced.IsZero() || now.Sub(s.announced) < zeroHold),
				start: s.start, pstart: s.pendingStart,
				cum: s.lifeTally(), pend: s.pending.clone(),
				active: s.active, lrate: s.localRate, orate: s.otherRate, hasTCP: s.hasTCP,
			})
		}
	}
	return b
}

// Commit marks a batch as handed downstream.
func (vs *Views) Commit(b *ViewBatch) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	for i := range b.items {
		it := &b.items[i]
		s := it.s
		if s.dead {
			continue
		}
		if it.zero {
			if s.announced.IsZero() {
				s.announced = b.now
			}
			continue
		}
		s.pending.sub(&it.pend)
		s.cum.c.Add(it.pend.c) // handed downstream: see series.cum
		s.pendingStart = b.now
	}
}

// BuildViews writes a batch of view series as metrics.
func (e *Emitter) BuildViews(vb *ViewBatch) (pmetric.Metrics, int) {
	b := newBuilder(e.Scope, e.Delta)
	now := pcommon.NewTimestampFromTime(vb.now)
	for i := range vb.items {
		e.viewSeries(b, &vb.items[i], now)
	}
	return b.take()
}

func (e *Emitter) viewSeries(b *builder, it *seriesSnap, now pcommon.Timestamp) {
	v, s := it.v, it.s
	n := &v.names
	t, start := &it.cum, pcommon.NewTimestampFromTime(it.start)
	if e.Delta {
		t, start = &it.pend, pcommon.NewTimestampFromTime(it.pstart)
	}
	var zero tally
	if it.zero {
		t = &zero
	}
	sums := !e.Delta || !t.isZero()
	put := func(d *desc, val uint64, extra func(pcommon.Map)) {
		dp := b.number(s.agent, d, start, now)
		s.attrs.CopyTo(dp.Attributes())
		if extra != nil {
			extra(dp.Attributes())
		}
		dp.SetIntValue(clampInt(val))
	}
	dirs := func(d *desc, transmit, receive uint64) {
		put(d, transmit, func(m pcommon.Map) { m.PutStr(directionKey, directionTransmit) })
		put(d, receive, func(m pcommon.Map) { m.PutStr(directionKey, directionReceive) })
	}
	if sums {
		if v.measures[MeasureIO] {
			dirs(&n.io, t.c.LocalBytes, t.c.OtherBytes)
		}
		if v.measures[MeasurePackets] {
			dirs(&n.packets, t.c.LocalPackets, t.c.OtherPackets)
		}
		// TCP series exist for every key, zero for keys without TCP flows:
		// a series that appeared with its first retransmission would lose
		// it to rate() in Prometheus.
		if v.measures[MeasureTCP] {
			put(&n.resets, t.c.TCPResets, nil)
			put(&n.retrans, t.c.TCPRetrans, nil)
			put(&n.seqErrors, t.c.TCPSeqErrors, nil)
		}
		if v.measures[MeasureFlows] {
			put(&n.started, t.started, nil)
			for _, r := range endReasons {
				put(&n.ended, t.ended[r], func(m pcommon.Map) { m.PutStr(endReasonKey, r.String()) })
			}
		}
		if v.measures[MeasureDuration] {
			e.hist(b, s, &n.duration, &t.duration, DurationBounds, start, now)
		}
		if v.measures[MeasureSize] {
			e.hist(b, s, &n.size, &t.size, SizeBounds, start, now)
		}
	}
	// Gauges carry the series' own start in both temporalities.
	gstart := pcommon.NewTimestampFromTime(it.start)
	if v.measures[MeasureFlows] {
		dp := b.number(s.agent, &n.active, gstart, now)
		s.attrs.CopyTo(dp.Attributes())
		dp.SetIntValue(it.active)
	}
	if v.measures[MeasureRate] {
		for _, d := range []struct {
			dir string
			val float64
		}{{directionTransmit, it.lrate}, {directionReceive, it.orate}} {
			dp := b.number(s.agent, &n.rate, gstart, now)
			s.attrs.CopyTo(dp.Attributes())
			dp.Attributes().PutStr(directionKey, d.dir)
			dp.SetDoubleValue(d.val)
		}
	}
}

func (e *Emitter) hist(b *builder, s *series, d *desc, h *histogram, bounds []float64, start, now pcommon.Timestamp) {
	dp := b.histogram(s.agent, d, start, now)
	s.attrs.CopyTo(dp.Attributes())
	dp.ExplicitBounds().FromRaw(bounds)
	counts := h.counts
	if counts == nil {
		counts = make([]uint64, len(bounds)+1)
	}
	dp.BucketCounts().FromRaw(counts)
	dp.SetCount(h.count)
	dp.SetSum(h.sum)
}

// Attribute keys and values the emitter adds to points.
const (
	directionKey      = "network.io.direction"
	directionTransmit = "transmit"
	directionReceive  = "receive"
	endReasonKey      = "netify.flow.end_reason"
)

var _ flowtable.Observer = (*Views)(nil)
