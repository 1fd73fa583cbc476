package ingesttest

import (
	"runtime"
	"testing"
)

// Allocation bound of one delivery, for the fuzz targets: what handling an
// input of size bytes may allocate in all. The fixed part covers buffers
// of a set size (a 64 KiB stream buffer, a response writer); the per-byte
// part the records and errors decoded from it. A fuzz run fails above it,
// not only on panics.
const (
	AllocPerInputByte = 64
	AllocFixed        = 1 << 20
)

// Allocated returns the bytes f allocated on the heap.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// CheckAllocBound runs f and fails t when it allocated more than the bound
// for an input of size bytes.
func CheckAllocBound(t testing.TB, size int, f func()) {
	t.Helper()
	bound := uint64(size)*AllocPerInputByte + AllocFixed
	if got := Allocated(f); got > bound {
		t.Fatalf("handling %d bytes of input allocated %d bytes, more than the bound %d", size, got, bound)
	}
}
