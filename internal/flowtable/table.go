// Package flowtable keeps one entry per Netify flow, keyed by agent and a
// digest that survives the agent's DPI digest changes, and turns the agent's
// per-interval deltas into sums the metrics are built from.
package flowtable // import "github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"

import (
	"container/list"
	"errors"
	"sync"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Temporality of the sums built from the agent's per-interval deltas.
type Temporality int

const (
	// Cumulative sums the deltas per flow under a start time fixed for the
	// life of the flow's series.
	Cumulative Temporality = iota
	// Delta reports what arrived since the flow's previous emitted point.
	Delta
)

// maxAliases bounds how many digests one flow is indexed under, so a record
// with a huge digest_prev cannot grow the index without limit. Agents list a
// handful (the tuple digest and one per DPI change).
const maxAliases = 16

// ErrFull is returned when a record needs a new flow but every tracked flow
// holds data not yet handed downstream, so none can be evicted without
// losing it.
var ErrFull = errors.New("flow table is full of flows with unsent data")

// Config bounds the table.
type Config struct {
	MaxFlows    int
	IdleTimeout time.Duration
	Temporality Temporality
}

type flowKey struct {
	agent  string
	digest string
}

// Table is safe for concurrent use.
type Table struct {
	cfg Config

	mu    sync.Mutex
	index map[flowKey]*flow
	count int
	// dirty holds flows changed since they were last handed downstream, least
	// recently updated first; clean holds the rest, in the order they became
	// clean, which is the eviction and expiry order.
	dirty list.List
	clean list.List
}

// New returns an empty table.
func New(cfg Config) *Table {
	return &Table{cfg: cfg, index: make(map[flowKey]*flow)}
}

// Len is the number of flows tracked.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count
}

// Outcome says what Apply did with a record.
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
)

// Apply updates the table with one per-flow record received at now. It
// returns ErrFull when the record needs a new flow and room cannot be made.
func (t *Table) Apply(agent string, r *record.Record, now time.Time) (Outcome, error) {
	t.mu.Lock()
	defer t.mu.Unlock()

	outcome := Applied
	f := t.lookup(agent, r)
	if f == nil {
		if t.count >= t.cfg.MaxFlows {
			if !t.evictOldestClean() {
				return Applied, ErrFull
			}
			outcome = AppliedEvicting
		}
		f = newFlow(agent, r, now)
		t.count++
	} else if f.seen(r) {
		return Duplicate, nil
	}
	t.indexDigests(f, r)
	f.apply(r, now)
	t.place(f)
	return outcome, nil
}

// lookup finds the flow by the record's digest, then by its earlier digests.
func (t *Table) lookup(agent string, r *record.Record) *flow {
	if f := t.index[flowKey{agent, r.Digest}]; f != nil {
		return f
	}
	for _, d := range r.DigestPrev {
		if f := t.index[flowKey{agent, d}]; f != nil {
			return f
		}
	}
	return nil
}

func (t *Table) indexDigests(f *flow, r *record.Record) {
	t.alias(f, r.Digest)
	for _, d := range r.DigestPrev {
		t.alias(f, d)
	}
}

func (t *Table) alias(f *flow, digest string) {
	if digest == "" || len(f.aliases) >= maxAliases {
		return
	}
	k := flowKey{f.agent, digest}
	if _, taken := t.index[k]; taken {
		// Either already ours, or another live flow's: the first claim wins.
		return
	}
	t.index[k] = f
	f.aliases = append(f.aliases, digest)
}

// place moves a just-updated flow to the back of its list.
func (t *Table) place(f *flow) {
	if f.elem != nil {
		f.list.Remove(f.elem)
	}
	f.list = &t.clean
	if f.dirty {
		f.list = &t.dirty
	}
	f.elem = f.list.PushBack(f)
}

func (t *Table) remove(f *flow) {
	for _, d := range f.aliases {
		delete(t.index, flowKey{f.agent, d})
	}
	f.list.Remove(f.elem)
	f.elem, f.list = nil, nil
	t.count--
}

func (t *Table) evictOldestClean() bool {
	e := t.clean.Front()
	if e == nil {
		return false
	}
	t.remove(e.Value.(*flow))
	return true
}

// Expire frees flows that have seen no record for the idle timeout and have
// nothing left to send; it returns how many.
func (t *Table) Expire(now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for e := t.clean.Front(); e != nil; {
		f := e.Value.(*flow)
		if now.Sub(f.lastUpdate) < t.cfg.IdleTimeout {
			break
		}
		e = e.Next()
		t.remove(f)
		n++
	}
	return n
}
