// Package syncbuf is a bytes.Buffer for output written by one goroutine
// (a command, an exec.Cmd's copying goroutines) while a test reads it.
package syncbuf // import "github.com/netify-otel/netifyflowstatsreceiver/internal/syncbuf"

import (
	"bytes"
	"sync"
)

// Buffer is an io.Writer whose contents can be read during writes. The zero
// value is ready to use.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Bytes is a copy of what was written so far.
func (b *Buffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.buf.Bytes()...)
}

// String is what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
