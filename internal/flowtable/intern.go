package flowtable

import "net/netip"

// interner numbers the values flows share (their attributes without
// addresses, their addresses), so a flow keeps four bytes per value
// instead of a pointer, and the value's entry costs a fraction of a
// unique.Handle's. Each id counts the flows holding it and is freed with
// the last one. Id 0 is the zero value, never counted.
//
// A table has its own (see interners), used under its lock: a table
// dropped with flows in it takes their values with it.
type interner[T comparable] struct {
	ids  map[T]uint32
	vals []T // by id - 1
	refs []uint32
	free []uint32
}

// interners are a table's: what its flows share, and their addresses.
type interners struct {
	shared interner[Attributes]
	addrs  interner[netip.Addr]
}

// acquire counts one more holder of v and returns its id.
func (in *interner[T]) acquire(v T) uint32 {
	var zero T
	if v == zero {
		return 0
	}
	id, ok := in.ids[v]
	if !ok {
		if n := len(in.free); n > 0 {
			id, in.free = in.free[n-1], in.free[:n-1]
			in.vals[id-1] = v
		} else {
			in.vals, in.refs = append(in.vals, v), append(in.refs, 0)
			id = uint32(len(in.vals))
		}
		if in.ids == nil {
			in.ids = make(map[T]uint32)
		}
		in.ids[v] = id
	}
	in.refs[id-1]++
	return id
}

// release counts one holder of id less.
func (in *interner[T]) release(id uint32) {
	if id == 0 {
		return
	}
	if in.refs[id-1]--; in.refs[id-1] > 0 {
		return
	}
	var zero T
	delete(in.ids, in.vals[id-1])
	in.vals[id-1] = zero
	in.free = append(in.free, id)
}

// value is the value of id, which its holder keeps from being freed.
func (in *interner[T]) value(id uint32) T {
	if id == 0 {
		var zero T
		return zero
	}
	return in.vals[id-1]
}

// ref is the value of id where it is held, nil for 0: read it, and only
// until the interner next changes.
func (in *interner[T]) ref(id uint32) *T {
	if id == 0 {
		return nil
	}
	return &in.vals[id-1]
}

// size is how many values are interned (tests).
func (in *interner[T]) size() int {
	return len(in.ids)
}
