// Package flowtable keeps one entry per Netify flow, keyed by agent and a
// digest that survives the agent's DPI digest changes, and turns the agent's
// per-interval deltas into sums the metrics are built from.
package flowtable // import "github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// maxAliases bounds how many digests one flow is indexed under, so a record
// with a huge digest_prev cannot grow the index without limit. Agents list a
// handful (the tuple digest and one per DPI change).
const maxAliases = 16

// ErrFull is returned when a record needs a new flow but every tracked flow
// holds data not yet handed downstream, so none can be evicted without
// losing it.
var ErrFull = errors.New("flow table is full of flows with unsent data")

// Config bounds the table. The table keeps both views of every flow's
// deltas (the cumulative sum and what is pending since the last commit); the
// metrics builder picks the one the configured temporality wants.
type Config struct {
	MaxFlows    int
	IdleTimeout time.Duration
	// PerFlow keeps what each flow has not yet handed downstream, for
	// per-flow metrics: a flow is then dirty until a flush commits it, and
	// cannot be evicted before. Without it flows are never dirty and
	// Snapshot is always empty: the Observer has seen every change.
	PerFlow bool
	// ZeroHold, with PerFlow, makes a flow's first points zeros for this
	// long, so that a backend computing rates from cumulative counters
	// (Prometheus) counts the flow's first values.
	ZeroHold time.Duration
	// Observer, if not nil, sees every change to every flow.
	Observer Observer
}

type agentInterval struct {
	every time.Duration
	seen  time.Time
}

// Table is safe for concurrent use.
type Table struct {
	cfg Config

	mu sync.Mutex
	// index finds flows by digest (see find), by their slot in slab.
	index flowIndex
	slab  slab

	// found is, per record of the batch being applied, the flow reserve
	// looked up (nil when none): apply uses it instead of looking again.
	// Cleared after each batch, so it holds no flow.
	found []*Flow
	// tags holds, per record of the batch being applied, its digest's
	// index tag (see warm); empty when the index is.
	tags []uint32

	agents agents
	// intervals holds each agent's update_interval from its agent_status
	// records; at most MaxFlows agents, each forgotten by Expire once its
	// agent_status stopped for the idle timeout.
	intervals map[string]agentInterval
	count     int
	// dirty holds flows changed since they were last handed downstream;
	// clean holds the rest. clean is least recently updated first (see
	// place, mergeClean), which is the eviction and expiry order; dirty is
	// too, except that a flush moves the flows it took but could not clean
	// (held zeros, changed since) behind the others.
	dirty flowList
	clean flowList

	// upd and endUpd are the Updates handed to the Observer (see apply,
	// endQuietly), reused under the lock.
	upd, endUpd Update

	// epoch numbers the flushes (BeginFlush); flushNow is the current one's
	// time.
	epoch    uint32
	flushNow time.Time
}

// New returns an empty table.
func New(cfg Config) *Table {
	t := &Table{cfg: cfg, intervals: make(map[string]agentInterval)}
	t.dirty = flowList{id: inDirty, slab: &t.slab}
	t.clean = flowList{id: inClean, slab: &t.slab}
	return t
}

// Len is the number of flows tracked.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count
}

// Outcome says what ApplyBatch did with a record.
type Outcome int

const (
	// Applied: the record updated its flow.
	Applied Outcome = iota
	// AppliedEvicting: the record started a new flow, and the least recently
	// updated flow with nothing left to send was dropped to make room.
	AppliedEvicting
	// Duplicate: the flow already took this very record (a redelivery, as
	// MQTT's at-least-once delivery makes after a reconnect); ignored.
	Duplicate
	// Late: a record for a flow that has ended (its flow_purge was sent)
	// that cannot start it again: metadata, DPI events, another purge.
	Late
	// Skipped: not a per-flow record; the table does not take it.
	Skipped
)

// ApplyBatch updates the table with the records of one delivery from one
// agent, received at now, and writes each record's outcome to outcomes
// (len(recs) long). When the records need more new flows than the table can
// make room for, it applies none of them and returns ErrFull, so a sender
// that retries the whole delivery never counts a record twice.
//
// dedup marks a delivery over an at-least-once transport: a stats record the
// flow already took is then a redelivery and is ignored. Over transports
// that deliver once it is off, so two reports alike in every counter are
// both counted.
func (t *Table) ApplyBatch(agent string, recs []record.Record, now time.Time, dedup bool, outcomes []Outcome) error {
	t.mu.Lock()
	defer t.mu.Unlock()

	id := t.agents.id(agent)
	keep, err := t.reserve(id, recs)
	if err != nil {
		clear(t.found)
		return err
	}
	for i := range recs {
		outcomes[i] = t.apply(agent, &id, &recs[i], t.found[i], now, dedup, keep)
	}
	clear(t.found)
	return nil
}

// reserve checks that the batch's new flows fit. When they need evictions,
// it returns the clean flows the batch itself updates, which making room
// must not evict.
func (t *Table) reserve(agent agentID, recs []record.Record) (keep map[*Flow]bool, err error) {
	var planned map[string]bool
	needed := 0
	t.found = slices.Grow(t.found[:0], len(recs))[:len(recs)]
	t.warm(agent, recs)
	for i := range recs {
		r := &recs[i]
		if !r.IsFlow() {
			continue
		}
		// Only a flow found by the record's own digest is kept for apply:
		// no other flow can take that digest during the batch (the first
		// claim wins, and a found flow is not removed). Found through
		// digest_prev, an earlier record of the batch may yet make a flow
		// of the digest itself, which apply must then find.
		var f *Flow
		if len(t.tags) > 0 {
			f = t.findTagged(agent, t.tags[i], r.Digest)
		}
		if t.found[i] = f; f != nil || t.lookupPrev(agent, r) != nil {
			continue
		}
		key := stableDigest(r)
		if planned[key] {
			continue
		}
		if planned == nil {
			planned = make(map[string]bool)
		}
		planned[key] = true
		needed++
	}
	room := t.cfg.MaxFlows - t.count
	if needed <= room {
		return nil, nil
	}
	keep = make(map[*Flow]bool)
	for i, f := range t.found {
		if r := &recs[i]; f == nil && r.IsFlow() {
			f = t.lookupPrev(agent, r) // not found by its digest: see above
		}
		if f != nil && f.inList() == inClean {
			keep[f] = true
		}
	}
	if room+t.clean.Len()-len(keep) < needed {
		return nil, ErrFull
	}
	return keep, nil
}

// maxUpdateInterval bounds the update_interval taken from agent_status: a
// larger one is more likely a bad value than an agent's setting.
const maxUpdateInterval = time.Hour

// apply takes one record of agent, whose id (noAgent while it has no flow)
// it keeps up to date. found is the flow reserve found by the record's
// digest: it stays in the table for the whole batch (not evicted: see
// reserve), and keeps the digest.
func (t *Table) apply(agent string, id *agentID, r *record.Record, found *Flow, now time.Time, dedup bool, keep map[*Flow]bool) Outcome {
	if !r.IsFlow() {
		t.noteInterval(agent, r, now)
		return Skipped
	}
	outcome := Applied
	f := found
	if f == nil {
		// Not there before the batch; an earlier record of it may have
		// made it.
		f = t.lookup(*id, r)
	}
	switch {
	case f == nil:
		if t.count >= t.cfg.MaxFlows {
			t.evictOldestClean(keep, now) // reserve made sure there is one
			outcome = AppliedEvicting
		}
		// After the eviction, which may free the agent's last flow.
		*id = t.agents.acquire(agent)
		f = t.slab.alloc()
		// A flow of an agent reporting less often than the idle timeout
		// may have had an entry that expired since its last report: going
		// back at most the idle timeout, which that entry was idle for,
		// keeps the new series from starting before the old one's last
		// point.
		f.init(*id, r, now, min(t.intervals[agent].every, t.cfg.IdleTimeout), t.cfg.PerFlow)
		if dedup {
			t.slab.seen(f, r) // remember the first record too
		}
		t.count++
	case dedup && t.slab.seen(f, r):
		return Duplicate
	case f.has(ended) && !f.revivedBy(r):
		return Late
	}
	t.indexDigests(f, r, f == found)
	// A flow that ended starts again only with a periodic report, as an
	// ended flow is revived (see revivedBy).
	// The Update lives in the table (used under its lock): handed to the
	// Observer interface, one on the stack would be allocated per record.
	u := &t.upd
	*u = Update{Agent: agent, Flow: f, Started: !f.has(applied) || (f.has(finished) && f.revivedBy(r)), Time: now, slab: &t.slab}
	if u.Started && f.has(applied) {
		f.more().life = &life{start: now, base: f.sum()}
	}
	f.apply(r, now, u, t.cfg.PerFlow)
	if !t.cfg.PerFlow && f.has(dirty) {
		// Nothing waits for a per-flow flush: the Observer has it all.
		f.set(dirty, false)
		if f.has(purged) {
			f.set(purged, false)
			f.set(ended, true)
		}
	}
	t.place(f)
	t.observe(u)
	return outcome
}

// observe hands a change to the Observer and keeps track of which flows it
// was told have ended.
func (t *Table) observe(u *Update) {
	f := u.Flow
	if u.Started {
		f.set(finished, false)
	}
	if u.Ended != NotEnded {
		f.set(finished, true)
	}
	if t.cfg.Observer != nil {
		t.cfg.Observer.Observe(u)
	}
}

// endQuietly tells the Observer that a flow the table frees had not ended.
func (t *Table) endQuietly(f *Flow, reason EndReason, now time.Time) {
	if f.has(finished) {
		return
	}
	t.endUpd = Update{Agent: t.agents.name(f.agent), Flow: f, Ended: reason, Time: now, slab: &t.slab,
		PrevLocalRate: f.localRate, PrevOtherRate: f.otherRate}
	t.observe(&t.endUpd)
}

// noteInterval remembers an agent's update interval, which dates the start
// of a flow first seen through a periodic report (see seriesStart).
func (t *Table) noteInterval(agent string, r *record.Record, now time.Time) {
	if r.Type != record.TypeAgentStatus || r.UpdateIntervalSeconds == 0 {
		return
	}
	d := time.Duration(r.UpdateIntervalSeconds) * time.Second
	if d > maxUpdateInterval {
		return
	}
	if _, known := t.intervals[agent]; known || len(t.intervals) < t.cfg.MaxFlows {
		t.intervals[agent] = agentInterval{every: d, seen: now}
	}
}

// lookup finds the flow by the record's digest, then by its earlier digests.
func (t *Table) lookup(agent agentID, r *record.Record) *Flow {
	if f := t.find(agent, r.Digest); f != nil {
		return f
	}
	return t.lookupPrev(agent, r)
}

// lookupPrev is lookup by the record's digest_prev only.
func (t *Table) lookupPrev(agent agentID, r *record.Record) *Flow {
	for _, d := range r.DigestPrev {
		if f := t.find(agent, d); f != nil {
			return f
		}
	}
	return nil
}

// indexDigests makes the record's digests the flow's aliases. byDigest
// says the flow was found by the record's digest, which it then holds
// already.
func (t *Table) indexDigests(f *Flow, r *record.Record, byDigest bool) {
	if !byDigest {
		t.alias(f, r.Digest)
	}
	// A report repeats the flow's digests: those it holds are passed over
	// here, the rest indexed by alias.
	ids := f.ids()
	for _, d := range r.DigestPrev {
		if d != "" && !ids.holds(d) {
			t.alias(f, d)
			ids = f.ids() // it may have changed
		}
	}
}

func (t *Table) alias(f *Flow, digest string) {
	if ids := f.ids(); digest == "" || ids.holds(digest) || ids.count() >= maxAliases {
		// Empty, already the flow's (the common case: each report repeats
		// the flow's digests; no index lookup then), or the flow is full.
		return
	}
	// Taken when already ours, or another live flow's: the first claim
	// wins.
	if t.claim(f, digest) {
		f.addID(digest, f.ids().isStable(digest))
	}
}

// place puts a flow in the list its state calls for, ordered by the time
// of its latest record, so both lists are least recently updated first. The
// flow is usually the latest one, so the walk from the back is short.
func (t *Table) place(f *Flow) {
	if l := t.listOf(f); l != nil {
		l.remove(f)
	}
	l := &t.clean
	if f.has(dirty) {
		l = &t.dirty
	}
	at := l.tail
	for at != nil && at.lastUpdate > f.lastUpdate {
		at = l.prev(at)
	}
	l.insertAfter(f, at)
}

// listOf is the list f is in, nil for none.
func (t *Table) listOf(f *Flow) *flowList {
	switch f.inList() {
	case inDirty:
		return &t.dirty
	case inClean:
		return &t.clean
	}
	return nil
}

func (t *Table) remove(f *Flow) {
	t.unindex(f)
	t.agents.release(f.agent)
	t.listOf(f).remove(f)
	f.attrs.release(&t.slab.interned)
	t.slab.release(f)
	t.count--
}

// evictOldestClean frees the least recently updated flow with nothing left
// to send, other than those in keep.
func (t *Table) evictOldestClean(keep map[*Flow]bool, now time.Time) {
	for f := t.clean.head; f != nil; f = t.clean.next(f) {
		if !keep[f] {
			t.endQuietly(f, EndEvicted, now)
			t.remove(f)
			return
		}
	}
}

// Expire frees flows that have seen no record for the idle timeout and have
// nothing left to send; it returns how many.
func (t *Table) Expire(now time.Time) int {
	t.forgetIntervals(now)
	n := 0
	for {
		freed, more := t.expireSome(now)
		n += freed
		if !more {
			return n
		}
		// Let an input woken by the unlock take the lock (and a
		// processor) before the next batch, rather than after the
		// scheduler's time slice: an expiry of a million flows is a
		// second of batches back to back.
		runtime.Gosched()
	}
}

// forgetIntervals forgets the update interval of agents whose agent_status
// stopped for the idle timeout.
func (t *Table) forgetIntervals(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for agent, iv := range t.intervals {
		if now.Sub(iv.seen) >= t.cfg.IdleTimeout+iv.every {
			delete(t.intervals, agent)
		}
	}
}

// expireBatch bounds the flows one hold of the lock frees, so that the
// inputs never wait long behind an expiry of many flows: ending a flow
// tells the views, about 1 us each, so a batch holds the lock ~0.3 ms.
const expireBatch = 256

func (t *Table) expireSome(now time.Time) (freed int, more bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for f := t.clean.head; f != nil; {
		if now.Sub(f.lastUpdate.Time()) < t.cfg.IdleTimeout {
			return freed, false
		}
		if freed == expireBatch {
			return freed, true
		}
		next := t.clean.next(f)
		t.endQuietly(f, EndIdle, now)
		t.remove(f)
		freed++
		f = next
	}
	return freed, false
}
