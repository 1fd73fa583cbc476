package flowlogs

// ring is a bounded FIFO of records. It grows as records wait, up to its
// bound, so that a quiet receiver does not hold the bound's memory.
type ring struct {
	buf   []Record
	head  int
	n     int
	bound int
}

func newRing(bound int) ring { return ring{bound: bound} }

// push appends r, or reports false when the ring holds its bound.
func (q *ring) push(r Record) bool {
	if q.n == len(q.buf) {
		if q.n >= q.bound {
			return false
		}
		q.grow()
	}
	q.buf[(q.head+q.n)%len(q.buf)] = r
	q.n++
	return true
}

func (q *ring) grow() {
	buf := make([]Record, min(q.bound, max(64, 2*len(q.buf))))
	for i := range q.n {
		buf[i] = q.buf[(q.head+i)%len(q.buf)]
	}
	q.buf, q.head = buf, 0
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
	if n > 0 {
		q.head = (q.head + n) % len(q.buf)
	}
	q.n -= n
}
