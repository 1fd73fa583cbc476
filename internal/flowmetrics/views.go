package flowmetrics

import (
	"slices"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
)

// Histogram bucket bounds of the flow duration (seconds) and size (bytes,
// both directions) measured when a flow ends.
var (
	DurationBounds = []float64{0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600}
	SizeBounds     = []float64{100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}
)

// endReasons are the flows.ended reasons, indexed by flowtable.EndReason.
var endReasons = []flowtable.EndReason{flowtable.EndClosed, flowtable.EndExpired, flowtable.EndIdle, flowtable.EndEvicted}

// tally is what a series adds up: over its life (cumulative) and since the
// last flush handed downstream (delta).
type tally struct {
	c        flowtable.Counters
	started  uint64
	ended    [flowtable.EndEvicted + 1]uint64 // by EndReason
	duration histogram
	size     histogram
}

type histogram struct {
	counts []uint64 // len(bounds)+1; nil until the first observation
	sum    float64
	count  uint64
}

// bucket is the bucket of bounds v falls in.
func bucket(bounds []float64, v float64) int {
	i, _ := slices.BinarySearch(bounds, v) // upper bounds are inclusive
	return i
}

// observe counts v, of bucket i of bounds (see bucket).
func (h *histogram) observe(bounds []float64, v float64, i int) {
	if h.counts == nil {
		h.counts = make([]uint64, len(bounds)+1)
	}
	h.counts[i]++
	h.sum += v
	h.count++
}

func (h *histogram) sub(o *histogram) {
	for i := range o.counts {
		h.counts[i] -= o.counts[i]
	}
	h.sum -= o.sum
	h.count -= o.count
}

func (h histogram) clone() histogram {
	h.counts = slices.Clone(h.counts)
	return h
}

func (t *tally) sub(o *tally) {
	t.c.Sub(o.c)
	t.started -= o.started
	for i := range t.ended {
		t.ended[i] -= o.ended[i]
	}
	t.duration.sub(&o.duration)
	t.size.sub(&o.size)
}

// lifeTally is what the series added up over its life.
func (s *series) lifeTally() tally {
	t := s.cum.clone()
	t.c.Add(s.pending.c)
	return t
}

func (t *tally) clone() tally {
	c := *t
	c.duration = t.duration.clone()
	c.size = t.size.clone()
	return c
}

// series is one key of one view for one agent.
type series struct {
	agent    string
	attrs    pcommon.Map // the key's attributes, written once
	overflow bool
	key      string

	start time.Time
	// cum is what the series added up over its life, but for its
	// counters: cum.c holds those handed downstream, and the life's sum
	// is cum.c plus pending.c (see lifeTally). A record's delta is then
	// one sum to add, not two.
	cum          tally
	pending      tally
	pendingStart time.Time
	// announced: see Config.ZeroHold.
	announced time.Time

	active               int64
	localRate, otherRate float64
	lastUpdate           time.Time
	hasTCP               bool
	dead                 bool
}

// view is a compiled ViewConfig with its series.
type view struct {
	cfg      ViewConfig
	groupBy  []*Attribute
	filters  []filter
	measures map[string]bool
	names    viewNames

	byKey map[string]int32
	// overflow holds each agent's overflow series, apart from byKey so
	// that no key made of values can be taken for one.
	overflow map[string]int32
	// series is indexed by the numbers flows keep in Update.ViewKeys; free holds
	// indexes of dropped series for reuse.
	series   []*series
	free     []int32
	perAgent map[string]int
	scratch  []byte
}

// Views aggregates flows into the configured views. It observes the flow
// table (flowtable.Observer), so every delta is counted once, when it
// arrives, toward the key the flow has then.
type Views struct {
	mu    sync.Mutex
	views []*view
	// OnOverflow, if set, is called (under the lock) when a flow is counted
	// toward an overflow series because its view's key set is full.
	OnOverflow func(view, agent string)
	// attrs holds the attributes of the flow being placed: the views read
	// them through a pointer, which a local copy would make escape, one
	// allocation per placement.
	attrs flowtable.Attributes
}

// MaxAgents bounds the agents a view keeps series for; the flows of
// further agents count toward one overflow series of OverflowAgent.
const MaxAgents = 4096

// OverflowAgent is the netify.agent.id of the overflow series of the agents
// past MaxAgents.
const OverflowAgent = "overflow"

const (
	keyUnset    = -2 // the flow was never placed in this view
	keyExcluded = -1 // the flow does not pass the view's filter
)

// NewViews compiles validated view configurations.
func NewViews(cfgs []ViewConfig) *Views {
	vs := &Views{}
	for _, c := range cfgs {
		v := &view{cfg: c, byKey: map[string]int32{}, overflow: map[string]int32{}, perAgent: map[string]int{}, measures: map[string]bool{}}
		if v.cfg.MaxSeries == 0 {
			v.cfg.MaxSeries = DefaultMaxSeries
		}
		if v.cfg.IdleTimeout == 0 {
			v.cfg.IdleTimeout = DefaultIdleTimeout
		}
		for _, g := range c.GroupBy {
			a, _ := LookupAttribute(g)
			v.groupBy = append(v.groupBy, a)
		}
		// Attributes are written in the documented order whatever the
		// configuration's order, so equal keys give equal series.
		slices.SortFunc(v.groupBy, func(a, b *Attribute) int { return attrIndex(a) - attrIndex(b) })
		for _, f := range c.Filter {
			cf, _ := compileFilter(f)
			v.filters = append(v.filters, cf)
		}
		ms := c.Measures
		if len(ms) == 0 {
			ms = AllMeasures
		}
		for _, m := range ms {
			v.measures[m] = true
		}
		v.names = namesFor(c.Name)
		vs.views = append(vs.views, v)
	}
	return vs
}

func attrIndex(a *Attribute) int {
	return slices.IndexFunc(Attributes, func(b Attribute) bool { return b.Key == a.Key })
}

// Len is the number of views.
func (vs *Views) Len() int { return len(vs.views) }

// Observe implements flowtable.Observer.
func (vs *Views) Observe(u *flowtable.Update) {
	if len(vs.views) == 0 {
		return
	}
	vs.mu.Lock()
	// Deferred, though nothing below is expected to panic: a panic that an
	// input recovers (net/http does) must not leave every later record and
	// flush waiting on this lock. An open-coded defer costs a few
	// instructions.
	defer vs.mu.Unlock()
	f := u.Flow
	keys := u.ViewKeys(len(vs.views), keyUnset)
	// Whether the flow counted as active before and after the change, and
	// the rates it contributed.
	afterActive := f.Active()
	beforeActive := !u.Started && (u.Ended != flowtable.NotEnded || afterActive)
	curLocal, curOther := f.Rates()
	prevLocal, prevOther := u.PrevLocalRate, u.PrevOtherRate
	replace := u.Started || u.AttrsChanged
	now := u.Time
	var c change
	changeOf(&c, u, f)
	unpacked := false
	for i, v := range vs.views {
		old := keys[i]
		var was *series
		if old >= 0 {
			if was = v.series[old]; was == nil {
				// Its series was dropped while the flow sat in the table
				// (possible only when a failing downstream kept it there
				// past the view's idle timeout): place it again.
				old = keyUnset
			}
		}
		cur, s := old, was
		if old == keyUnset || replace {
			if !unpacked {
				vs.attrs, unpacked = u.Attrs(), true
			}
			cur, s = v.place(u.Agent, &vs.attrs, now, vs.OnOverflow), nil
			if cur >= 0 {
				s = v.series[cur]
			}
		}
		if was != nil && beforeActive {
			was.active--
			was.localRate -= prevLocal
			was.otherRate -= prevOther
			if was.active == 0 {
				// Exact zero, whatever float rounding left.
				was.localRate, was.otherRate = 0, 0
			}
		}
		keys[i] = cur
		if s == nil {
			continue
		}
		s.lastUpdate = now
		if c.hasTCP {
			s.hasTCP = true
		}
		s.count(&c)
		if afterActive {
			s.active++
			s.localRate += curLocal
			s.otherRate += curOther
		}
	}
}

// change is what one update adds to each series it counts toward: worked
// out once per update, not once per view and tally.
type change struct {
	delta    *flowtable.Counters // the update's
	addDelta bool                // delta is not zero
	started  uint64
	ended    flowtable.EndReason
	// duration (seconds) and size (bytes, both directions) of a flow that
	// ended, and their histogram buckets.
	duration, size             float64
	durationBucket, sizeBucket int
	hasTCP                     bool
}

// changeOf fills c with the change u makes to f. c refers to u's delta.
func changeOf(c *change, u *flowtable.Update, f *flowtable.Flow) {
	*c = change{delta: &u.Delta, addDelta: u.Delta != flowtable.Counters{}, ended: u.Ended, hasTCP: f.HasTCP()}
	if u.Started {
		c.started = 1
	}
	if u.Ended != flowtable.NotEnded {
		c.duration = max(f.LastSeen().Sub(f.LifeFirstSeen()).Seconds(), 0)
		sum := f.LifeSum()
		c.size = float64(sum.LocalBytes) + float64(sum.OtherBytes)
		c.durationBucket, c.sizeBucket = bucket(DurationBounds, c.duration), bucket(SizeBounds, c.size)
	}
}

// count adds c to the series' tallies, over its life and pending (the
// counters to pending only: see series.cum).
func (s *series) count(c *change) {
	if c.addDelta {
		s.pending.c.Add(*c.delta)
	}
	s.cum.started += c.started
	s.pending.started += c.started
	if c.ended != flowtable.NotEnded {
		s.cum.end(c)
		s.pending.end(c)
	}
}

// end counts a flow that ended.
func (t *tally) end(c *change) {
	t.ended[c.ended]++
	t.duration.observe(DurationBounds, c.duration, c.durationBucket)
	t.size.observe(SizeBounds, c.size, c.sizeBucket)
}

// place finds (or makes) the series a flow with these attributes counts
// toward, or keyExcluded.
func (v *view) place(agent string, a *flowtable.Attributes, now time.Time, onOverflow func(string, string)) int32 {
	for _, f := range v.filters {
		if f.match(f.attr.value(a)) == f.negate {
			return keyExcluded
		}
	}
	b := append(v.scratch[:0], agent...)
	for _, g := range v.groupBy {
		b = append(b, 0)
		b = append(b, g.value(a)...)
	}
	v.scratch = b
	if i, ok := v.byKey[string(b)]; ok {
		return i
	}
	n, known := v.perAgent[agent]
	if n >= v.cfg.MaxSeries || (!known && len(v.perAgent) >= MaxAgents) {
		if onOverflow != nil {
			onOverflow(v.cfg.Name, agent)
		}
		if !known && len(v.perAgent) >= MaxAgents {
			// Agent ids are the senders' to choose: past MaxAgents, new
			// agents share one overflow series, so the views' memory stays
			// bounded whatever ids arrive.
			agent = OverflowAgent
		}
		return v.overflowSeries(agent, now)
	}
	attrs := pcommon.NewMap()
	attrs.EnsureCapacity(len(v.groupBy))
	for _, g := range v.groupBy {
		g.put(attrs, g.value(a))
	}
	v.perAgent[agent]++
	return v.newSeries(string(b), agent, attrs, false, now)
}

func (v *view) overflowSeries(agent string, now time.Time) int32 {
	if i, ok := v.overflow[agent]; ok {
		return i
	}
	attrs := pcommon.NewMap()
	attrs.PutBool("otel.metric.overflow", true)
	i := v.newSeries("", agent, attrs, true, now)
	v.overflow[agent] = i
	return i
}

func (v *view) newSeries(key, agent string, attrs pcommon.Map, overflow bool, now time.Time) int32 {
	s := &series{agent: agent, attrs: attrs, overflow: overflow, key: key, start: now, pendingStart: now, lastUpdate: now}
	var i int32
	if n := len(v.free); n > 0 {
		i, v.free = v.free[n-1], v.free[:n-1]
		v.series[i] = s
	} else {
		i = int32(len(v.series))
		v.series = append(v.series, s)
	}
	if !overflow {
		v.byKey[key] = i
	}
	return i
}

// Expire drops series that have had no active flow and no update for their
// view's idle timeout, and have nothing left to send; it returns how many.
func (vs *Views) Expire(now time.Time) int {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	n := 0
	for _, v := range vs.views {
		for i, s := range v.series {
			if s == nil || s.active > 0 || now.Sub(s.lastUpdate) < v.cfg.IdleTimeout || !s.pending.isZero() {
				continue
			}
			delete(v.byKey, s.key)
			if s.overflow {
				delete(v.overflow, s.agent)
			} else {
				if v.perAgent[s.agent]--; v.perAgent[s.agent] == 0 {
					delete(v.perAgent, s.agent)
				}
			}
			s.dead = true
			v.series[i] = nil
			v.free = append(v.free, int32(i))
			n++
		}
	}
	return n
}

func (t *tally) isZero() bool {
	z := t.c == (flowtable.Counters{}) && t.started == 0 && t.duration.count == 0 && t.size.count == 0
	for _, e := range t.ended {
		z = z && e == 0
	}
	return z
}

// SeriesCount is the number of live series over all views.
func (vs *Views) SeriesCount() int {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	n := 0
	for _, v := range vs.views {
		n += len(v.byKey) + len(v.overflow)
	}
	return n
}
