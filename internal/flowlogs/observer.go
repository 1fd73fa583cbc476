package flowlogs

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
)

// Drops counts the records not queued since the last TakeDrops, by reason.
type Drops struct {
	// Rate: past max_per_second.
	Rate int64
	// Queue: the queue was full (the next consumer is slower than the flows
	// end, or failing).
	Queue int64
}

// Logs observes the flow table and queues a Record for every flow that ends
// and passes the filters, and for long-lived flows when configured.
type Logs struct {
	mu        sync.Mutex
	filters   flowmetrics.Filters
	minBytes  uint64
	longEvery time.Duration
	// progress holds, per active flow, when its last progress record was
	// made (or when it started); only with longEvery set.
	progress map[*flowtable.Flow]time.Time
	// lives holds, for a flow entry the agent reused (a tuple that ended
	// and started again), what its earlier lives summed and when this one
	// began: a record covers one life.
	lives map[*flowtable.Flow]life
	// limiter is nil without a rate bound.
	limiter *rate.Limiter
	queue   ring
	drops   Drops
}

type life struct {
	before flowtable.Counters
	start  time.Time
}

// New compiles a validated configuration.
func New(cfg Config) *Logs {
	fs, _ := flowmetrics.CompileFilters(cfg.Filter)
	l := &Logs{
		filters:   fs,
		minBytes:  cfg.MinBytes,
		longEvery: cfg.LongFlowInterval,
		queue:     newRing(max(cfg.QueueSize, 1)),
		lives:     map[*flowtable.Flow]life{},
	}
	if l.longEvery > 0 {
		l.progress = map[*flowtable.Flow]time.Time{}
	}
	if cfg.MaxPerSecond > 0 {
		l.limiter = rate.NewLimiter(rate.Limit(cfg.MaxPerSecond), max(int(cfg.MaxPerSecond), 1))
	}
	return l
}

// Observe implements flowtable.Observer. It runs under the table's lock:
// it copies a few fields of the flow and nothing more.
func (l *Logs) Observe(u *flowtable.Update) {
	if u.Ended == flowtable.NotEnded && !u.Started && l.longEvery <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	f := u.Flow
	if u.Started {
		// The table keeps summing a reused entry; what it had before this
		// record belongs to the earlier life.
		before := f.Sum()
		before.Sub(u.Delta)
		if before != (flowtable.Counters{}) {
			l.lives[f] = life{before: before, start: u.Time}
		}
	}
	if u.Ended != flowtable.NotEnded {
		if l.progress != nil {
			delete(l.progress, f)
		}
		l.consider(u)
		delete(l.lives, f)
		return
	}
	if l.longEvery <= 0 || !f.Active() {
		// An ended flow's later records (metadata, or anything before the
		// flush that hands its final point downstream) do not bring it
		// back: there is no progress of it to report, nor to remember.
		return
	}
	last, ok := l.progress[f]
	if u.Started || !ok {
		last = l.firstSeen(f)
		l.progress[f] = last
	}
	if u.Time.Sub(last) >= l.longEvery {
		l.progress[f] = u.Time
		l.consider(u)
	}
}

func (l *Logs) consider(u *flowtable.Update) {
	f := u.Flow
	rec := recordOf(u)
	if lf, ok := l.lives[f]; ok {
		rec.Sum.Sub(lf.before)
		rec.FirstSeen = lf.start
	}
	if rec.Sum.LocalBytes+rec.Sum.OtherBytes < l.minBytes {
		return
	}
	if !l.filters.Pass(&rec.Attrs) {
		return
	}
	// The update's own time keeps the bound a function of the record
	// stream, whatever the wall clock does.
	if l.limiter != nil && !l.limiter.AllowN(u.Time, 1) {
		l.drops.Rate++
		return
	}
	if !l.queue.push(rec) {
		l.drops.Queue++
	}
}

// firstSeen is when the flow's current life began.
func (l *Logs) firstSeen(f *flowtable.Flow) time.Time {
	if lf, ok := l.lives[f]; ok {
		return lf.start
	}
	return f.FirstSeen()
}

// Peek appends up to max of the oldest queued records to dst; Commit removes
// them once they were handed on (or refused for good).
func (l *Logs) Peek(dst []Record, max int) []Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.queue.peek(dst, max)
}

// Commit removes the n oldest queued records.
func (l *Logs) Commit(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queue.drop(n)
}

// Len is the number of queued records.
func (l *Logs) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.queue.n
}

// TakeDrops returns the drops counted since the last call and resets them.
func (l *Logs) TakeDrops() Drops {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.drops
	l.drops = Drops{}
	return d
}
