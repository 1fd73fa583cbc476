package flowtable

// slab holds the table's flows in chunks of a fixed size, by slot: a flow
// costs its exact size (no allocator size class), the index refers to it
// by a 32-bit slot, and a chunk never moves, so a *Flow stays valid while
// the flow is in the table. A freed slot is reused by the next new flow.
type slab struct {
	flows [][]Flow
	// used is how many slots were handed out; free holds the freed ones.
	used uint32
	free []uint32
	// recents are, by slot as flows are, the flows' latest fingerprints
	// (see seen); a chunk of them is made when a flow of its slots first
	// needs one, so a table fed by transports that deliver once has none.
	recents [][]recent
	// wideKeys are, by slot in the same way, the view keys of flows with
	// more views than fit inline (see Update.ViewKeys).
	wideKeys [][][]int32
	// interned holds the values the flows' attributes share (see
	// packedAttrs).
	interned interners
}

const (
	chunkBits = 10
	chunkLen  = 1 << chunkBits
)

// at is the flow in slot i.
func (s *slab) at(i uint32) *Flow { return &s.flows[i>>chunkBits][i&(chunkLen-1)] }

// alloc returns a zeroed flow in a free slot.
func (s *slab) alloc() *Flow {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		return s.at(i)
	}
	i := s.used
	if int(i>>chunkBits) == len(s.flows) {
		s.flows = append(s.flows, make([]Flow, chunkLen))
	}
	s.used++
	f := s.at(i)
	f.slot = i
	return f
}

// release zeroes f (so that what it pointed to can be collected) and frees
// its slot. Its incarnation moves on, so that a flush holding the freed
// flow does not take the next flow of the slot for it (see ref).
func (s *slab) release(f *Flow) {
	slot, inc := f.slot, f.incarnation+1
	*f = Flow{slot: slot, incarnation: inc}
	clearBeside(s.recents, slot)
	clearBeside(s.wideKeys, slot)
	s.free = append(s.free, slot)
}

// len is how many slots are in use.
func (s *slab) len() int { return int(s.used) - len(s.free) }

// recentOf is the fingerprints of f's slot.
func (s *slab) recentOf(f *Flow) *recent { return beside(&s.recents, f.slot) }

// wideKeysOf is the view keys of f's slot when f has more than fit inline.
func (s *slab) wideKeysOf(f *Flow) *[]int32 { return beside(&s.wideKeys, f.slot) }

// beside is slot's entry in what the slab keeps beside some flows, by slot
// as the flows are: a chunk of entries is made when a slot of it first
// needs one.
func beside[T any](chunks *[][]T, slot uint32) *T {
	c := int(slot >> chunkBits)
	for c >= len(*chunks) {
		*chunks = append(*chunks, nil)
	}
	if (*chunks)[c] == nil {
		(*chunks)[c] = make([]T, chunkLen)
	}
	return &(*chunks)[c][slot&(chunkLen-1)]
}

// clearBeside zeroes slot's entry in chunks, if it has one.
func clearBeside[T any](chunks [][]T, slot uint32) {
	if c := slot >> chunkBits; int(c) < len(chunks) && chunks[c] != nil {
		var zero T
		chunks[c][slot&(chunkLen-1)] = zero
	}
}
