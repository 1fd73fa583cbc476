package flowlogs

// ring is a bounded FIFO of records.
type ring struct {
	buf  []Record
	head int
	n    int
}

func newRing(size int) ring { return ring{buf: make([]Record, size)} }

// push appends r, or reports false when the ring is full.
func (q *ring) push(r Record) bool {
	if q.n == len(q.buf) {
		return false
	}
	q.buf[(q.head+q.n)%len(q.buf)] = r
	q.n++
	return true
}

// peek appends up to max records from the front to dst.
func (q *ring) peek(dst []Record, max int) []Record {
	for i := 0; i < min(max, q.n); i++ {
		dst = append(dst, q.buf[(q.head+i)%len(q.buf)])
	}
	return dst
}

// drop removes n records from the front.
func (q *ring) drop(n int) {
	n = min(n, q.n)
	for i := 0; i < n; i++ {
		q.buf[(q.head+i)%len(q.buf)] = Record{} // let go of the strings
	}
	q.head = (q.head + n) % len(q.buf)
	q.n -= n
}
