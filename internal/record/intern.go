package record

import (
	"hash/maphash"
	"sync/atomic"
)

// The strings a record keeps must be copies of the input, yet some of them
// repeat from record to record: interface names, purge reasons,
// application and protocol names, other_type. intern hands out one shared
// copy of such strings, so that decoding them allocates nothing.
//
// The table is direct-mapped and fixed in size (a colliding string replaces
// the slot's), so its memory is bounded whatever the input: internSlots
// strings of at most maxInternLen bytes. Slots are atomic pointers: lookups
// take no lock, and a miss costs two allocations (the string and its slot
// entry) instead of one. Digests and host names are not interned: measured
// on a 5,000-flow stream, their lookups missed, each miss a cache miss, and
// decoding took three times as long as with plain copies.
const (
	internSlots  = 1 << 10
	maxInternLen = 64
)

var (
	internSeed  = maphash.MakeSeed()
	internTable [internSlots]atomic.Pointer[string]
)

// intern returns b as a string, shared with earlier calls for the same
// bytes while they stay in the table.
func intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxInternLen {
		return string(b)
	}
	slot := &internTable[maphash.Bytes(internSeed, b)&(internSlots-1)]
	if p := slot.Load(); p != nil && *p == string(b) {
		return *p
	}
	s := string(b)
	slot.Store(&s)
	return s
}
