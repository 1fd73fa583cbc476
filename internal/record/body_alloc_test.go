package record

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// memoryOf returns what f's result keeps alive on the heap, and what f
// allocated in all.
func memoryOf(f func() any) (kept, allocated uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.ReadMemStats(&after)
	allocated = after.TotalAlloc - before.TotalAlloc
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc), allocated
}

// What one hostile body costs is bounded by its size: the first
// MaxKeptErrors errors are kept, the rest counted; nothing is sized from
// the body's newlines; records of unknown types are counted, not kept.
// Bounds: what the result keeps alive at most 10x the body (a small flow
// record decodes to a ~240-byte Record), everything allocated at most 48x (the
// per-record decoder allocates each error it finds).
func TestDecodeBodyMemoryIsBoundedBySize(t *testing.T) {
	flow := []byte(`{"type":"flow","flow":{"digest":"a"}}`)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		records     int
		bad         int
		other       int
	}{
		{"msgpack of fixints", bytes.Repeat([]byte{0x01}, 8<<20), "application/msgpack", 0, 8 << 20, 0},
		{"empty JSON objects back to back", bytes.Repeat([]byte("{}"), 1<<20), "application/json", 0, 1 << 20, 0},
		{"empty JSON objects one per line", bytes.Repeat([]byte("{}\n"), 1<<20), "application/json", 0, 1 << 20, 0},
		{"newlines and one record", append(bytes.Repeat([]byte("\n"), 8<<20), flow...), "application/json", 1, 0, 0},
		{"unknown record types", bytes.Repeat([]byte(`{"type":"x"}`), 500_000), "application/json", 0, 0, 500_000},
		{"stray bytes", bytes.Repeat([]byte("x\n"), 1<<20), "application/json", 0, 1 << 20, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b Body
			kept, allocated := memoryOf(func() any { b = DecodeBody(tc.body, tc.contentType); return b })
			size := uint64(len(tc.body))
			assert.LessOrEqual(t, kept, 10*size, "kept alive")
			assert.LessOrEqual(t, allocated, 48*size, "allocated")
			assert.Len(t, b.Records, tc.records)
			assert.Equal(t, tc.bad, b.Bad)
			assert.Equal(t, tc.other, b.Other)
			assert.Len(t, b.Errors, min(tc.bad, MaxKeptErrors))
		})
	}
}

// A small compressed body of newlines used to allocate a record slice sized
// from its newline count.
func TestDecodeBodyDoesNotSizeFromNewlines(t *testing.T) {
	body := append(bytes.Repeat([]byte("\n"), 1<<20), `{"type":"flow","flow":{"digest":"a"}}`...)
	_, allocated := memoryOf(func() any { return DecodeBody(body, "application/json") })
	assert.Less(t, allocated, uint64(64<<10), "one record needs no more than a few KiB")
}

func TestDecodeBodyKeepsTheFirstErrorsAndCountsTheRest(t *testing.T) {
	var body bytes.Buffer
	body.WriteString(`{"type":"flow","flow":{"digest":"aa"}}` + "\n")
	for range 30 {
		body.WriteString(`{"type":"flow"}` + "\n")
	}
	body.WriteString(`{"type":"flow","flow":{"digest":"bb"}}` + "\n")
	b := DecodeBody(body.Bytes(), "application/json")
	assert.Len(t, b.Records, 2, "good records on both sides kept")
	assert.Equal(t, 30, b.Bad)
	assert.Len(t, b.Errors, MaxKeptErrors)
	assert.EqualError(t, b.Errors[0], `record 1: missing "flow"`)
	assert.EqualError(t, b.Errors[MaxKeptErrors-1], `record 20: missing "flow"`)
}

func TestDecodeBodyCountsOtherTypes(t *testing.T) {
	body := `{"type":"agent_status","update_interval":15}` + "\n" + `{"type":"interfaces"}` + "\n" + `{"type":"flow","flow":{"digest":"aa"}}`
	b := DecodeBody([]byte(body), "application/json")
	assert.Equal(t, 1, b.Other)
	if assert.Len(t, b.Records, 2) {
		assert.Equal(t, TypeAgentStatus, b.Records[0].Type)
		assert.Equal(t, TypeFlow, b.Records[1].Type)
	}
}

func TestUnsupportedContentTypeIsQuotedAndCut(t *testing.T) {
	b := DecodeBody([]byte("x"), "text/"+string(bytes.Repeat([]byte("a"), 500_000))+"\n")
	if assert.Len(t, b.Errors, 1) {
		msg := b.Errors[0].Error()
		assert.Less(t, len(msg), 100, msg)
		assert.Equal(t, `unsupported content type "text/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"...`, msg)
	}
}
