package flowtable

import (
	"cmp"
	"slices"
	"time"
)

// Point is what one flow contributes to a flush of per-flow metrics.
type Point struct {
	Agent  string
	Digest string
	Attrs  Attributes
	// Time is when the latest record of the flow was received.
	Time time.Time

	// Zero: the flow's cumulative series are announced with zeros (see
	// Config.ZeroHold); its values come in a later flush.
	Zero bool

	HasStats bool
	HasTCP   bool
	// Start and Sum: the cumulative view of the deltas.
	Start time.Time
	Sum   Counters
	// DeltaStart and Delta: what was not yet handed downstream.
	DeltaStart time.Time
	Delta      Counters

	HasRates  bool
	LocalRate float64
	OtherRate float64

	HasTotals    bool
	TotalStart   time.Time
	TotalBytes   uint64
	TotalPackets uint64

	HasDetection bool
	Detection    uint64

	// Final is set on a flow's last point (flow_purge).
	Final bool
}

type ref struct {
	f *Flow
	// incarnation tells f from a later flow of its slot.
	incarnation uint32
	gen         uint32
	// ids are f's, copied under the lock: Point.Digest is unpacked from
	// them after it.
	ids idsCopy
}

// Snapshot is a batch of changed flows at one flush. Hand it back with
// Commit once the consumer took it (or refused it for good); drop it to send
// the same data again at the next flush.
type Snapshot struct {
	Points []Point
	refs   []ref
	now    time.Time
	epoch  uint32
}

// BeginFlush starts a flush at now: the batches that Snapshot returns until
// the next BeginFlush take each flow changed before it at most once.
func (t *Table) BeginFlush(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.epoch++
	t.flushNow = now
}

// Snapshot copies out up to limit (0: no limit) flows changed since they were
// last committed and not yet taken in this flush, least recently updated
// first. It holds the table's lock for one batch only, so a flush of a large
// table in batches never holds the inputs up for long.
//
// What it allocates, it allocates outside the lock: an allocation under it
// can be made to assist the garbage collector, and the inputs wait.
func (t *Table) Snapshot(limit int) *Snapshot {
	s := &Snapshot{}
	if limit > 0 {
		s.Points, s.refs = make([]Point, 0, limit), make([]ref, 0, limit)
	}
	t.snapshot(s, limit)
	for i := range s.Points {
		s.Points[i].Digest = s.refs[i].ids.ids().stable()
	}
	return s
}

func (t *Table) snapshot(s *Snapshot, limit int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s.now, s.epoch = t.flushNow, t.epoch
	n := t.dirty.Len()
	if limit > 0 {
		n = min(n, limit)
	} else {
		s.Points, s.refs = make([]Point, 0, n), make([]ref, 0, n)
	}
	for f := t.dirty.head; f != nil && len(s.refs) < n; f = t.dirty.next(f) {
		if f.x.epoch == t.epoch && t.epoch != 0 {
			// Taken in this flush already and still dirty: it was updated
			// since, or its values are held back; the next flush sends it.
			break
		}
		s.Points = append(s.Points, t.point(f, s.now))
		s.refs = append(s.refs, ref{f: f, incarnation: f.incarnation, gen: f.x.gen})
		f.copyIDs(&s.refs[len(s.refs)-1].ids)
	}
}

func (t *Table) point(f *Flow, now time.Time) Point {
	x := f.x
	zero := t.cfg.ZeroHold > 0 && (x.announced == 0 || now.Sub(x.announced.Time()) < t.cfg.ZeroHold)
	at := f.lastUpdate.Time()
	if !zero && x.announced != 0 && f.lastUpdate <= x.announced {
		// The values of a flow announced with zeros and not updated since
		// must not share the zeros' timestamp: a backend would take them
		// for a duplicate sample. They are stamped with the flush.
		at = now
	}
	_, totalPackets := f.totals()
	return Point{
		Agent:        t.agents.name(f.agent),
		Attrs:        f.attrs.unpack(f.ports, &t.slab.interned),
		Time:         at,
		Zero:         zero,
		HasStats:     f.has(hasStats),
		HasTCP:       f.has(hasTCP),
		Start:        f.start.Time(),
		Sum:          f.sum(),
		DeltaStart:   x.pendingStart.Time(),
		Delta:        x.pending,
		HasRates:     f.has(hasRates),
		LocalRate:    f.localRate,
		OtherRate:    f.otherRate,
		HasTotals:    f.has(hasTotals),
		TotalStart:   f.totalStart().Time(),
		TotalBytes:   f.totalBytes,
		TotalPackets: totalPackets,
		HasDetection: f.has(hasDetection),
		Detection:    f.detectionPackets(),
		Final:        f.has(purged),
	}
}

// Commit marks a snapshot as handed downstream: its deltas leave the pending
// counters, the next delta starts at its points' time, and flows not updated
// since the snapshot become clean; purged ones end (see the flow flag ended). Flows
// whose values were held back (Point.Zero), or that changed since, stay
// dirty and move behind the flows not yet taken in this flush. Its cost is
// linear in the snapshot.
func (t *Table) Commit(s *Snapshot) {
	t.commit(s, make([]*Flow, 0, len(s.refs)))
}

// commit is Commit under the lock, with room for the flows it cleans.
func (t *Table) commit(s *Snapshot, cleaned []*Flow) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, r := range s.refs {
		f, p := r.f, &s.Points[i]
		if f.inList() == inNone || f.incarnation != r.incarnation {
			continue // freed meanwhile
		}
		x := f.x
		x.epoch = s.epoch
		if p.Zero {
			if x.announced == 0 {
				x.announced = stampOf(s.now)
			}
			t.dirty.moveToBack(f)
			continue
		}
		x.pending.Sub(p.Delta)
		x.pendingStart = stampOf(p.Time)
		if x.gen != r.gen {
			t.dirty.moveToBack(f)
			continue
		}
		if f.has(purged) {
			f.set(purged, false)
			f.set(ended, true)
		}
		f.set(dirty, false)
		t.dirty.remove(f)
		cleaned = append(cleaned, f)
	}
	t.mergeClean(cleaned)
}

// mergeClean inserts flows into the clean list, which is ordered by the time
// of the flows' latest record, in one pass: the flows are sorted, and the
// walk starts at the last clean flow not newer than the oldest of them
// (usually the list's back: committed flows are the recently updated ones).
func (t *Table) mergeClean(fs []*Flow) {
	if len(fs) == 0 {
		return
	}
	slices.SortStableFunc(fs, func(a, b *Flow) int { return cmp.Compare(a.lastUpdate, b.lastUpdate) })
	at := t.clean.tail // insert after this; nil: at the front
	for at != nil && at.lastUpdate > fs[0].lastUpdate {
		at = t.clean.prev(at)
	}
	for _, f := range fs {
		// Move past clean flows not newer than f.
		next := t.clean.head
		if at != nil {
			next = t.clean.next(at)
		}
		for next != nil && next.lastUpdate <= f.lastUpdate {
			at, next = next, t.clean.next(next)
		}
		t.clean.insertAfter(f, at)
		at = f
	}
}
