package flowtable

import (
	"unsafe"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// A table larger than the processor's caches has its index entries and
// flows read from memory, and between two records of one flow a stream
// passes megabytes of other data through the caches. One lookup after
// another waits for each read in turn: the index entry, then the flow.
// warm starts the reads of a whole batch first, level by level, so they
// overlap: the index entries of every record, then the flows they lead
// to, which the lookups and apply then find in the cache.

// warm hashes the digests of recs' flow records into t.tags (for
// findTagged) and starts reading the index entries and flows their
// lookups will need.
func (t *Table) warm(agent agentID, recs []record.Record) {
	t.tags = t.tags[:0]
	if agent == noAgent || t.index.used == 0 {
		return
	}
	entries, mask := t.index.entries, t.index.mask()
	for i := range recs {
		var tag uint32
		if r := &recs[i]; r.IsFlow() {
			tag = tagOf(hashString(agent, r.Digest))
			prefetch(uintptr(unsafe.Pointer(&entries[t.index.home(tag)&mask])))
		}
		t.tags = append(t.tags, tag)
	}
	// The first entry of each tag on its probe leads to the flow the
	// lookup reads first (a collision of tags is rare).
	for i, tag := range t.tags {
		if !recs[i].IsFlow() {
			continue
		}
		for j := t.index.home(tag) & mask; ; j = (j + 1) & mask {
			e := entries[j]
			if e == 0 {
				break
			}
			if uint32(e>>32) == tag {
				prefetchFlow(t.slab.at(uint32(e) - 1))
				break
			}
		}
	}
}

// prefetchFlow starts reading every cache line of f.
func prefetchFlow(f *Flow) {
	p := uintptr(unsafe.Pointer(f))
	for off := uintptr(0); off < unsafe.Sizeof(*f); off += 64 {
		prefetch(p + off)
	}
	prefetch(p + unsafe.Sizeof(*f) - 1)
}
