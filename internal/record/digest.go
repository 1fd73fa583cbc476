package record

import "encoding/binary"

// ValidDigest reports whether s is a digest the receiver takes: 1 to
// MaxDigestLen hex characters. Every input's records pass it (see
// internal/ingest).
func ValidDigest(s string) bool { return validDigest(s) }

// validDigest is isHexDigest eight bytes at a time: digests are random hex,
// on which isHexDigest's range tests mispredict about every other byte. The
// checks call it first and build their error only when it fails. The words'
// flags are or-ed together and tested once; a length that is not a
// multiple of eight ends with the last eight bytes, read again in part.
// The usual 40-digit digest is five words without a loop.
func validDigest(s string) bool {
	n := len(s)
	if n == 40 {
		return nonHex40((*[40]byte)([]byte(s))) == 0
	}
	if n < 8 || n > MaxDigestLen {
		return n > 0 && n < 8 && isHexShort(s)
	}
	var bad uint64
	for i := 0; i+8 <= n; i += 8 {
		bad |= nonHex8(binary.LittleEndian.Uint64([]byte(s[i : i+8])))
	}
	return bad|nonHex8(binary.LittleEndian.Uint64([]byte(s[n-8:]))) == 0
}

// isHexShort reports whether the bytes of s, fewer than eight, are hex.
func isHexShort(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// nonHex40 is nonHex8 of the five words of b or-ed: zero when all forty
// bytes are hex digits. The words' in-range flags are and-ed and their
// bytes or-ed (for the high bit), then both tested once.
func nonHex40(b *[40]byte) uint64 {
	const highs = 0x8080808080808080
	x0, x1 := binary.LittleEndian.Uint64(b[0:8]), binary.LittleEndian.Uint64(b[8:16])
	x2, x3 := binary.LittleEndian.Uint64(b[16:24]), binary.LittleEndian.Uint64(b[24:32])
	x4 := binary.LittleEndian.Uint64(b[32:40])
	in := hexRange(x0) & hexRange(x1) & hexRange(x2) & hexRange(x3) & hexRange(x4)
	return (x0 | x1 | x2 | x3 | x4 | ^in) & highs
}

// nonHex8 flags, by the high bit of each byte, the bytes of x (little
// endian) that are not hex digits; zero when all are, and only then (a
// byte of 0x80 or more flags itself). As in special8, only the lowest flag
// is exact: a byte of 0x80 or more can carry into the next.
func nonHex8(x uint64) uint64 { return hexFlags(x) & 0x8080808080808080 }

// hexFlags is nonHex8 before its mask: the other bits are noise, so that
// several words' flags are or-ed before they are masked once.
//
// x + (0x80-bound)*ones sets a byte's high bit when it is at least bound;
// no byte below 0x80 carries into the next. A byte is in [lo, hi] when the
// sums for lo and hi+1 differ in their high bit (the second set implies the
// first): an xor, not an and-not. Written out, not as a helper closure, so
// that the function stays small enough to be inlined.
func hexFlags(x uint64) uint64 { return x | ^hexRange(x) }

// hexRange sets the high bit of each byte of x below 0x80 that is a hex
// digit (other bits are noise; bytes of 0x80 or more are hexFlags').
func hexRange(x uint64) uint64 {
	const ones = 0x0101010101010101
	digit := (x + (0x80-'0')*ones) ^ (x + (0x80-'9'-1)*ones)
	lower := x | 0x20*ones // folds 'A'-'F' onto 'a'-'f'
	letter := (lower + (0x80-'a')*ones) ^ (lower + (0x80-'f'-1)*ones)
	return digit | letter
}

// nonDigit8 flags, by the high bit of each byte, the bytes of x (little
// endian) that are not decimal digits; only the lowest flag is exact.
func nonDigit8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	digit := (x + (0x80-'0')*ones) ^ (x + (0x80-'9'-1)*ones) // as in hexFlags
	return (x | ^digit) & highs
}

// eightDigits returns the value of the eight decimal digits in x, the
// first in the lowest byte; zero bytes count as leading zeros. Pairs, then
// quads, then the eight are combined by multiplications.
func eightDigits(x uint64) uint64 {
	x = (x & 0x0f0f0f0f0f0f0f0f) * (10<<8 + 1) >> 8
	x = (x & 0x00ff00ff00ff00ff) * (100<<16 + 1) >> 16
	return (x & 0x0000ffff0000ffff) * (10000<<32 + 1) >> 32
}
