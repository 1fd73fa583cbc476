package flowtable

import "time"

// Point is what one flow contributes to a flush.
type Point struct {
	Agent     string
	Digest    string
	Interface string
	Internal  bool
	// Time is when the latest record of the flow was received.
	Time time.Time

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
	f   *flow
	gen uint64
}

// Snapshot is the changed flows at one flush. Hand it back with Commit once
// the consumer took it (or refused it for good); drop it to send the same
// data again at the next flush.
type Snapshot struct {
	Points []Point
	refs   []ref
}

// Snapshot copies out every flow changed since it was last committed, least
// recently updated first.
func (t *Table) Snapshot() *Snapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &Snapshot{
		Points: make([]Point, 0, t.dirty.Len()),
		refs:   make([]ref, 0, t.dirty.Len()),
	}
	for e := t.dirty.Front(); e != nil; e = e.Next() {
		f := e.Value.(*flow)
		s.Points = append(s.Points, Point{
			Agent:        f.agent,
			Digest:       f.digest,
			Interface:    f.iface,
			Internal:     f.internal,
			Time:         f.lastUpdate,
			HasStats:     f.hasStats,
			HasTCP:       f.hasTCP,
			Start:        f.start,
			Sum:          f.sum,
			DeltaStart:   f.pendingStart,
			Delta:        f.pending,
			HasRates:     f.hasRates,
			LocalRate:    f.localRate,
			OtherRate:    f.otherRate,
			HasTotals:    f.hasTotals,
			TotalStart:   f.totalStart,
			TotalBytes:   f.totalBytes,
			TotalPackets: f.totalPackets,
			HasDetection: f.hasDetection,
			Detection:    f.detection,
			Final:        f.purged,
		})
		s.refs = append(s.refs, ref{f: f, gen: f.gen})
	}
	return s
}

// Commit marks a snapshot as handed downstream: its deltas leave the pending
// counters, the next delta starts at its points' time, and flows not updated
// since the snapshot become clean; purged ones end (see flow.ended).
func (t *Table) Commit(s *Snapshot) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, r := range s.refs {
		f := r.f
		if f.elem == nil {
			continue // freed meanwhile
		}
		f.pending.sub(s.Points[i].Delta)
		f.pendingStart = s.Points[i].Time
		if f.gen != r.gen {
			continue
		}
		if f.purged {
			f.purged, f.ended = false, true
		}
		f.dirty = false
		t.place(f)
	}
}
