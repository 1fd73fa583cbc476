package record

import "encoding/binary"

// ValidDigest reports whether s is a digest the receiver takes: 1 to
// MaxDigestLen hex characters. Every input's records pass it (see
// internal/ingest).
func ValidDigest(s string) bool { return validDigest(s) }

// validDigest is isHexDigest eight bytes at a time: digests are random hex,
// on which isHexDigest's range tests mispredict about every other byte. The
// checks call it first and build their error only when it fails.
func validDigest(s string) bool {
	if len(s) == 0 || len(s) > MaxDigestLen {
		return false
	}
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if !hex8(binary.LittleEndian.Uint64([]byte(s[i : i+8]))) {
			return false
		}
	}
	for ; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// nonHex8 flags, by the high bit of each byte, the bytes of x (little
// endian) that are not hex digits; zero when all are. As in special8, only
// the lowest flag is exact: a byte of 0x80 or more can carry into the next.
func nonHex8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// x + (0x80-bound)*ones sets a byte's high bit when it is at least
	// bound. Written out, not as a helper closure: the function then stays
	// small enough to be inlined into the loops that call it per word.
	digit := (x + (0x80-'0')*ones) &^ (x + (0x80-'9'-1)*ones)
	lower := x | 0x20*ones
	letter := (lower + (0x80-'a')*ones) &^ (lower + (0x80-'f'-1)*ones)
	return (x | ^(digit | letter)) & highs
}

// nonDigit8 flags, by the high bit of each byte, the bytes of x (little
// endian) that are not decimal digits; only the lowest flag is exact.
func nonDigit8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	digit := (x + (0x80-'0')*ones) &^ (x + (0x80-'9'-1)*ones)
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

// hex8 reports whether the eight bytes of x are all hex digits. Each test
// adds to every byte a constant that carries into its high bit exactly when
// the byte is at least some bound; no byte below 0x80 carries into the next.
func hex8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if x&highs != 0 {
		return false
	}
	// As in nonHex8, written out so that hex8 is inlined.
	digit := (x + (0x80-'0')*ones) &^ (x + (0x80-'9'-1)*ones)
	lower := x | 0x20*ones // folds 'A'-'F' onto 'a'-'f'
	letter := (lower + (0x80-'a')*ones) &^ (lower + (0x80-'f'-1)*ones)
	return (digit|letter)&highs == highs
}
