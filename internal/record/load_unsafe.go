//go:build (amd64 || arm64) && !race

package record

import "unsafe"

// On little-endian machines that load unaligned words natively, the
// direct reader's word reads are plain loads: the bounds checks and slice
// arithmetic of binary.LittleEndian.Uint64(b[i:]) cost about as much as
// the test the word is read for, and every caller has already checked that
// the bytes are there (see load_checked.go, which the race detector's
// builds use, for the same reads with the checks kept).

// load64 returns b[i:i+8] as a little-endian word. The caller has checked
// that i >= 0 and i+8 <= len(b).
func load64(b []byte, i int) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))
}

// window returns b[i:i+memberWindow] as an array. The caller has checked
// that i >= 0 and i+memberWindow <= len(b).
func window(b []byte, i int) *[memberWindow]byte {
	return (*[memberWindow]byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), i))
}
