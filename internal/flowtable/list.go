package flowtable

// flowList is a doubly linked list of flows through their own links
// (Flow.prevLink, Flow.nextLink: the slots of their neighbours, plus one,
// 0 for none): a container/list element would cost each flow another
// allocation of 48 bytes, and pointers twice the size of a slot.
type flowList struct {
	head, tail *Flow
	n          int
	// id is what the flows in the list hold (Flow.inList).
	id listID
	// slab holds the flows the links refer to.
	slab *slab
}

// listID says which list a flow is in.
type listID uint8

const (
	inNone listID = iota
	inDirty
	inClean
)

// Len is the number of flows in the list.
func (l *flowList) Len() int { return l.n }

// next and prev are f's neighbours in the list, nil at its ends.
func (l *flowList) next(f *Flow) *Flow { return l.flow(f.nextLink) }
func (l *flowList) prev(f *Flow) *Flow { return l.flow(f.prevLink) }

func (l *flowList) flow(link uint32) *Flow {
	if link == 0 {
		return nil
	}
	return l.slab.at(link - 1)
}

func linkOf(f *Flow) uint32 {
	if f == nil {
		return 0
	}
	return f.slot + 1
}

// insertAfter links f after at, or at the front when at is nil.
func (l *flowList) insertAfter(f, at *Flow) {
	f.setList(l.id)
	f.prevLink = linkOf(at)
	var next *Flow
	if at == nil {
		next = l.head
		l.head = f
	} else {
		next = l.next(at)
		at.nextLink = linkOf(f)
	}
	f.nextLink = linkOf(next)
	if next == nil {
		l.tail = f
	} else {
		next.prevLink = linkOf(f)
	}
	l.n++
}

// remove unlinks f, which is in the list.
func (l *flowList) remove(f *Flow) {
	prev, next := l.prev(f), l.next(f)
	if prev == nil {
		l.head = next
	} else {
		prev.nextLink = f.nextLink
	}
	if next == nil {
		l.tail = prev
	} else {
		next.prevLink = f.prevLink
	}
	f.prevLink, f.nextLink = 0, 0
	f.setList(inNone)
	l.n--
}

// moveToBack moves f, which is in the list, to its back.
func (l *flowList) moveToBack(f *Flow) {
	if l.tail == f {
		return
	}
	l.remove(f)
	l.insertAfter(f, l.tail)
}

// listElem is a position in a flowList for walking it as a container/list
// (tests do): Value holds the flow.
type listElem struct {
	Value any
	f     *Flow
	l     *flowList
}

// Front is the list's first position, nil when empty.
func (l *flowList) Front() *listElem { return l.elemOf(l.head) }

// Next is the position after e, nil at the back.
func (e *listElem) Next() *listElem { return e.l.elemOf(e.l.next(e.f)) }

func (l *flowList) elemOf(f *Flow) *listElem {
	if f == nil {
		return nil
	}
	return &listElem{Value: f, f: f, l: l}
}
