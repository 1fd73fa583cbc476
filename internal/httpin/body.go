package httpin

import (
	"io"
	"sync"
)

// The agent posts one record of about 500 bytes per request: reading it
// into a reused buffer saves the allocations (and the growth) io.ReadAll
// makes per request. The decoded records copy what they keep, so a buffer
// is free again once the request is answered.
const (
	// bodyBufSize is a new buffer's capacity: a few records.
	bodyBufSize = 4 << 10
	// maxPooledBody bounds the buffers kept for reuse; a larger body
	// (a relay's batch) is read into a buffer that is then dropped, so the
	// pool never pins more than this per buffer.
	maxPooledBody = 64 << 10
)

var bodyPool = sync.Pool{New: func() any {
	b := make([]byte, 0, bodyBufSize)
	return &b
}}

// readBody reads r to its end, like io.ReadAll, into a pooled buffer; size
// is the declared length (-1 when unknown), used only to size the buffer up
// to maxPooledBody. The caller hands the buffer back with releaseBody.
func readBody(r io.Reader, size int64) (*[]byte, error) {
	bp := bodyPool.Get().(*[]byte)
	b := (*bp)[:0]
	if size > int64(cap(b)) && size < maxPooledBody {
		b = make([]byte, 0, size+1) // +1: the read that sees EOF
	}
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			*bp = b
			if err == io.EOF { // what io.ReadAll takes as the end: Read returns EOF itself
				err = nil
			}
			return bp, err
		}
	}
}

// releaseBody hands a buffer from readBody back for reuse.
func releaseBody(bp *[]byte) {
	if cap(*bp) > maxPooledBody {
		return
	}
	*bp = (*bp)[:0]
	bodyPool.Put(bp)
}
