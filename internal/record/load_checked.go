//go:build !(amd64 || arm64) || race

package record

import "encoding/binary"

// The portable word reads (see load_unsafe.go): bounds-checked, so that
// the race detector's builds also catch a caller's missing length test.

// load64 returns b[i:i+8] as a little-endian word.
//
// b[i:], not b[i:i+8]: a slice expression is checked against the capacity,
// and a stream's buffer has spare capacity past what a read returned.
func load64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i:]) }

// window returns b[i:i+memberWindow] as an array.
func window(b []byte, i int) *[memberWindow]byte { return (*[memberWindow]byte)(b[i:]) }
