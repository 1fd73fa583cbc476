package record

import (
	"hash/maphash"
	"slices"
	"sync/atomic"
)

// The strings a record keeps must be copies of the input, yet most of them
// repeat from record to record: interface names, application and protocol
// names, and the digests of a flow that reports every interval. The intern
// tables below hand out one shared copy of such strings, so that decoding a
// record whose strings were seen recently allocates nothing.
//
// Each table is direct-mapped and fixed in size (a colliding string replaces
// the slot's), so its memory is bounded whatever the input: at most
// internSlots strings of at most maxInternLen bytes, and listSlots
// digest_prev lists of at most maxListKey bytes of JSON. Slots are atomic
// pointers: lookups take no lock, and a miss costs two allocations (the
// string and its slot entry) instead of one.
const (
	internSlots  = 1 << 13
	maxInternLen = 64
	listSlots    = 1 << 11
	maxListKey   = 160
)

var (
	internSeed  = maphash.MakeSeed()
	internTable [internSlots]atomic.Pointer[string]
	listTable   [listSlots]atomic.Pointer[internedList]
)

// internedList is a digest_prev list and the JSON text it was decoded from.
type internedList struct {
	json string
	list []string
}

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

// lookupList returns the list decoded earlier from the same JSON array text.
// The list is shared: its users must not modify it.
func lookupList(js []byte) ([]string, bool) {
	if len(js) > maxListKey {
		return nil, false
	}
	if p := listTable[maphash.Bytes(internSeed, js)&(listSlots-1)].Load(); p != nil && p.json == string(js) {
		return p.list, true
	}
	return nil, false
}

// storeList remembers the list decoded from the JSON array text js. The
// list is clipped so that an append by a user never writes into it.
func storeList(js []byte, list []string) {
	if len(js) > maxListKey {
		return
	}
	listTable[maphash.Bytes(internSeed, js)&(listSlots-1)].Store(&internedList{json: string(js), list: slices.Clip(list)})
}
