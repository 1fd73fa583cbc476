//go:build !(amd64 || arm64) || race

package record

import "encoding/binary"

// The portable word reads (see load_unsafe.go): bounds-checked, so that
// the race detector's builds also catch a caller's missing length test.

// load64 returns b[i:i+8] as a little-endian word.
func load64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i : i+8]) }

// window returns b[i:i+memberWindow] as an array.
func window(b []byte, i int) *[memberWindow]byte { return (*[memberWindow]byte)(b[i:]) }
