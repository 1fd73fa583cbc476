package send

import (
	"context"
	"fmt"
	"io"
	"sync"
)

// Writer writes payloads to one stream shared by every agent: JSON as one
// line each (NDJSON), msgpack back to back.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	newline bool
}

// NewWriter wraps w; newline ends every payload with '\n' (for JSON).
func NewWriter(w io.Writer, newline bool) *Writer {
	return &Writer{w: w, newline: newline}
}

// Send writes one payload whole, never interleaved with another agent's.
func (w *Writer) Send(_ context.Context, payload []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.w.Write(frame(payload, w.newline)); err != nil {
		return fmt.Errorf("writing record: %w", err)
	}
	return nil
}

// Close does nothing: the stream belongs to the caller.
func (w *Writer) Close() error { return nil }

func frame(payload []byte, newline bool) []byte {
	if !newline {
		return payload
	}
	out := make([]byte, len(payload)+1)
	copy(out, payload)
	out[len(payload)] = '\n'
	return out
}
