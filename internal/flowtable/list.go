package flowtable

// flowList is a doubly linked list of flows through their own links
// (Flow.prev, Flow.next): a container/list element would cost each flow
// another allocation of 48 bytes and two pointers to find it.
type flowList struct {
	head, tail *Flow
	n          int
	// id is what the flows in the list hold in Flow.list.
	id listID
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

// insertAfter links f after at, or at the front when at is nil.
func (l *flowList) insertAfter(f, at *Flow) {
	f.list = l.id
	f.prev = at
	if at == nil {
		f.next = l.head
		l.head = f
	} else {
		f.next = at.next
		at.next = f
	}
	if f.next == nil {
		l.tail = f
	} else {
		f.next.prev = f
	}
	l.n++
}

// remove unlinks f, which is in the list.
func (l *flowList) remove(f *Flow) {
	if f.prev == nil {
		l.head = f.next
	} else {
		f.prev.next = f.next
	}
	if f.next == nil {
		l.tail = f.prev
	} else {
		f.next.prev = f.prev
	}
	f.prev, f.next, f.list = nil, nil, inNone
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
}

// Front is the list's first position, nil when empty.
func (l *flowList) Front() *listElem { return elemOf(l.head) }

// Next is the position after e, nil at the back.
func (e *listElem) Next() *listElem { return elemOf(e.f.next) }

func elemOf(f *Flow) *listElem {
	if f == nil {
		return nil
	}
	return &listElem{Value: f, f: f}
}
