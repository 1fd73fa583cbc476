package flowtable

import "time"

// EndReason says why a flow ended.
type EndReason uint8

const (
	// NotEnded: the flow goes on.
	NotEnded EndReason = iota
	// EndClosed: the agent purged the flow with reason "closed" (TCP FIN).
	EndClosed
	// EndExpired: the agent purged the flow with reason "expired" (idle in
	// the agent), or gave another or no reason.
	EndExpired
	// EndIdle: no purge came and the flow saw no record for the table's
	// idle timeout.
	EndIdle
	// EndEvicted: the table needed the room for a new flow.
	EndEvicted
)

// String is the reason as the netify.flow.end_reason attribute value.
func (r EndReason) String() string {
	switch r {
	case EndClosed:
		return "closed"
	case EndExpired:
		return "expired"
	case EndIdle:
		return "idle"
	case EndEvicted:
		return "evicted"
	}
	return ""
}

// Update is one change the table made to a flow, handed to the Observer.
type Update struct {
	Agent string
	Flow  *Flow
	// Started is set on the flow's first record, and on the first record of
	// a flow that had ended (the agent reusing the tuple).
	Started bool
	// AttrsChanged is set when the record changed the flow's attributes
	// (interface, internal or metadata); never together with Started.
	AttrsChanged bool
	// Delta is what the record added to the flow's counters.
	Delta Counters
	// PrevLocalRate and PrevOtherRate are the flow's rates before the record
	// (zero when it had none). A flow that had ended contributed none:
	// observers look at Started to tell.
	PrevLocalRate, PrevOtherRate float64
	// Ended is set when the record (a flow_purge) or the table ended the flow.
	Ended EndReason
	// Time is when the change happened (the record's receive time, or the
	// time of the expiry or eviction).
	Time time.Time

	// slab is the table's: it holds the values the flow's attributes are
	// interned as, and the view keys of flows that have more than fit
	// inline.
	slab *slab
}

// Attrs is what the agent told of the flow so far, unpacked at each call
// (a flow keeps them packed, with ids of its table's interners).
func (u *Update) Attrs() Attributes { return u.Flow.attrs.unpack(u.Flow.ports, &u.slab.interned) }

// ViewKeys belongs to the Observer: the views keep there, per view, the
// series the flow counts toward. It returns the flow's n keys, all set to
// unset when the flow had not n keys before. Up to inlineKeys (the default
// views) are held in the flow; more beside it in the slab, by slot, as the
// old per-flow slice cost. The slice refers to the flow: use it during
// Observe only.
func (u *Update) ViewKeys(n int, unset int32) []int32 {
	if n <= inlineKeys {
		return u.Flow.inlineViewKeys(n, unset)
	}
	k := u.slab.wideKeysOf(u.Flow)
	if len(*k) != n {
		*k = make([]int32, n)
		for i := range *k {
			(*k)[i] = unset
		}
	}
	return *k
}

// Observer sees every change the table makes to a flow, in order, while the
// table's lock is held: it must be quick and must not call the table. Views
// and flow logs are observers: they see each delta exactly once, when it
// arrives, whatever happens to the flush of per-flow metrics.
type Observer interface {
	Observe(u *Update)
}

// Observers fans changes out to several observers.
type Observers []Observer

// Observe implements Observer.
func (os Observers) Observe(u *Update) {
	for _, o := range os {
		o.Observe(u)
	}
}
