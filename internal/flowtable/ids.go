package flowtable

import (
	"encoding/binary"
	"slices"
	"unsafe"
)

// ids are the digests a flow is known under, packed in one string: a
// digest of lowercase hex (as agents send) takes half its length, and the
// flow one allocation instead of a string header and an allocation per
// digest. The first entry is the flow's stable digest; every entry but
// possibly that one is an alias the flow holds in the index. The packing is
// exact: unpack gives back the very string the agent sent.
//
// Layout: a byte of flags (stableIndexed), then per entry a tag byte: with
// hexTag set, the low bits are the byte count of the decoded hex that
// follows; else a uvarint length and the raw bytes follow.
type ids string

const (
	// stableIndexed: the stable digest is also one of the flow's aliases.
	stableIndexed = 1
	hexTag        = 0x80
	// maxPackedHex is the longest hex digest packed (in decoded bytes).
	maxPackedHex = 0x7f
)

// packedHex reports whether s packs as hex: an even number of lowercase hex
// digits (uppercase would not come back as sent). Eight digits are checked
// at a time (lowerHex8), as a new flow or alias packs every digest it gets.
func packedHex(s string) bool {
	if len(s) == 0 || len(s)%2 != 0 || len(s)/2 > maxPackedHex {
		return false
	}
	p := unsafe.Pointer(unsafe.StringData(s))
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if !lowerHex8(binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:])) {
			return false
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// lowerHex8 reports whether the eight bytes of w are all lowercase hex
// digits. Per byte, with its high bit clear (checked first), adding 0x80-lo
// sets the high bit exactly when it is at least lo, and adding 0x7f-hi
// exactly when it is above hi; no sum carries into the next byte.
func lowerHex8(w uint64) bool {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	if w&high != 0 {
		return false
	}
	geDigit := w + (0x80-'0')*ones  // >= '0'
	gtDigit := w + (0x7f-'9')*ones  // > '9'
	geLetter := w + (0x80-'a')*ones // >= 'a'
	gtLetter := w + (0x7f-'f')*ones // > 'f'
	digit := geDigit &^ gtDigit     // '0'..'9'
	letter := geLetter &^ gtLetter  // 'a'..'f'
	return (digit|letter)&high == high
}

// appendID appends digest d to the packed form in b.
func appendID(b []byte, d string) []byte {
	if packedHex(d) {
		b = append(b, hexTag|byte(len(d)/2))
		return appendHexDecoded(b, d)
	}
	b = append(b, 0)
	b = binary.AppendUvarint(b, uint64(len(d)))
	return append(b, d...)
}

// appendHexDecoded appends the bytes of d, lowercase hex that packedHex
// accepted, eight digits to four bytes at a time: a digit's value is its low
// nibble, plus 9 for a letter (bit 6 set).
func appendHexDecoded(b []byte, d string) []byte {
	n := len(b)
	b = slices.Grow(b, len(d)/2)[:n+len(d)/2]
	p := unsafe.Pointer(unsafe.StringData(d))
	out := b[n:]
	i := 0
	for ; i+8 <= len(d); i += 8 {
		binary.LittleEndian.PutUint32(out[i/2:], hexValue8(binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:])))
	}
	for ; i < len(d); i += 2 {
		out[i/2] = hexValue(d[i])<<4 | hexValue(d[i+1])
	}
	return b
}

// hexValue is the value of a lowercase hex digit.
func hexValue(c byte) byte { return c&0x0f + c>>6*9 }

// hexValue8 is the four bytes of the eight lowercase hex digits of w (the
// first digit in the lowest byte, the high nibble of the first byte), the
// first byte lowest.
func hexValue8(w uint64) uint32 {
	const ones = 0x0101010101010101
	v := w&(0x0f*ones) + (w>>6&ones)*9 // each byte a nibble's value
	// Pair the nibbles: byte 2k (high nibble) and 2k+1 (low) make byte k.
	v = v<<4&0x00f000f000f000f0 | v>>8&0x000f000f000f000f // a byte in each 16-bit lane
	v = v&0x000000ff000000ff | v>>8&0x0000ff000000ff00    // two bytes in each 32-bit lane
	return uint32(v) | uint32(v>>16)&0xffff0000
}

// newIDs packs a flow's stable digest.
func newIDs(stable string) ids {
	return ids(appendID(make([]byte, 1, 1+1+len(stable)), stable))
}

// with returns the ids with d appended as an alias; indexing the stable
// digest itself only sets the flag.
func (s ids) with(d string, isStable bool) ids {
	if isStable {
		b := []byte(s)
		b[0] |= stableIndexed
		return ids(b)
	}
	b := make([]byte, 0, len(s)+2+len(d))
	return ids(appendID(append(b, s...), d))
}

// entry reads the entry at i: its tag, the packed bytes, and where the next
// one begins.
func (s ids) entry(i int) (tag byte, body string, next int) {
	tag = s[i]
	i++
	if tag&hexTag != 0 {
		n := int(tag &^ hexTag)
		return tag, string(s[i : i+n]), i + n
	}
	n, w := binary.Uvarint([]byte(s[i:min(i+binary.MaxVarintLen64, len(s))]))
	i += w
	return tag, string(s[i : i+int(n)]), i + int(n)
}

// equal reports whether a packed entry is digest d.
func equal(tag byte, body, d string) bool {
	if tag&hexTag == 0 {
		return body == d
	}
	return hexEqual(body, d)
}

// hexEqual reports whether d is the lowercase hex of body, which it is
// twice as long as. Compared four bytes (eight digits) at a time, encoded
// in registers rather than into a buffer: a lookup checks the aliases of
// the flow it found, on every record.
func hexEqual(body, d string) bool {
	if len(d) != 2*len(body) {
		return false
	}
	// Words read through pointers within the lengths checked above: no
	// bounds check per word, and one load each where the machine allows
	// unaligned loads (bytes elsewhere).
	pb, pd := unsafe.Pointer(unsafe.StringData(body)), unsafe.Pointer(unsafe.StringData(d))
	if len(body) == 20 {
		// The usual 40-digit digest: five words of digits, or-ed and
		// tested once, without a loop.
		w0, w1 := word64(pb, 0), word64(pb, 8)
		w2 := binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(pb, 16))[:])
		return (hexDigits4(uint32(w0))^word64(pd, 0))|(hexDigits4(uint32(w0>>32))^word64(pd, 8))|
			(hexDigits4(uint32(w1))^word64(pd, 16))|(hexDigits4(uint32(w1>>32))^word64(pd, 24))|
			(hexDigits4(w2)^word64(pd, 32)) == 0
	}
	// Eight bytes a turn (a 40-digit digest takes two, then one of four):
	// fewer loop tests, loads and branches than four at a time.
	j := 0
	for ; j+8 <= len(body); j += 8 {
		w := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(pb, j))[:])
		x0 := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(pd, 2*j))[:])
		x1 := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(pd, 2*j+8))[:])
		if (hexDigits4(uint32(w))^x0)|(hexDigits4(uint32(w>>32))^x1) != 0 {
			return false
		}
	}
	if j+4 <= len(body) {
		w := binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(pb, j))[:])
		x := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(pd, 2*j))[:])
		if hexDigits4(w) != x {
			return false
		}
		j += 4
	}
	for ; j < len(body) && 2*j+2 <= len(d); j++ {
		if hexPairs[body[j]] != uint16(d[2*j])|uint16(d[2*j+1])<<8 {
			return false
		}
	}
	return true
}

// word64 is the little-endian word at p+i.
func word64(p unsafe.Pointer, i int) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:])
}

// hexPairs are the two lowercase hex digits of each byte, read little
// endian.
var hexPairs = func() (t [256]uint16) {
	const digits = "0123456789abcdef"
	for b := range t {
		t[b] = uint16(digits[b>>4]) | uint16(digits[b&0x0f])<<8
	}
	return t
}()

// hexDigits4 is the lowercase hex of the four bytes of x (the first in the
// lowest byte), as eight digits read little endian: the high nibble of
// each byte first. Four lookups in hexPairs take fewer instructions than
// working the nibbles out in a register (26 for the four bytes).
func hexDigits4(x uint32) uint64 {
	return uint64(hexPairs[x&0xff]) | uint64(hexPairs[x>>8&0xff])<<16 |
		uint64(hexPairs[x>>16&0xff])<<32 | uint64(hexPairs[x>>24])<<48
}

// digestBuf holds one unpacked digest.
type digestBuf [2 * maxPackedHex]byte

// at unpacks the entry at i into buf, and returns it and where the next
// entry begins.
func (s ids) at(i int, buf *digestBuf) (d []byte, next int) {
	tag, body, next := s.entry(i)
	if tag&hexTag == 0 {
		return append(buf[:0], body...), next
	}
	return encodeHex(buf, body), next
}

// encodeHex writes the lowercase hex of body (at most maxPackedHex bytes)
// into buf, four bytes at a time (hexDigits4): a flow's digests are all
// unpacked to be hashed when it leaves the index.
func encodeHex(buf *digestBuf, body string) []byte {
	p := unsafe.Pointer(unsafe.StringData(body))
	j := 0
	for ; j+4 <= len(body); j += 4 {
		binary.LittleEndian.PutUint64(buf[2*j:], hexDigits4(binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(p, j))[:])))
	}
	for ; j < len(body); j++ {
		binary.LittleEndian.PutUint16(buf[2*j:], hexPairs[body[j]])
	}
	return buf[:2*len(body)]
}

// firstAlias is where the aliases begin: at the stable digest when it is
// indexed, else after it.
func (s ids) firstAlias() int {
	if s[0]&stableIndexed != 0 {
		return 1
	}
	_, _, i := s.entry(1)
	return i
}

// stable is the flow's stable digest, as sent.
func (s ids) stable() string {
	var buf digestBuf
	d, _ := s.at(1, &buf)
	return string(d)
}

// holds reports whether d is one of the flow's aliases.
func (s ids) holds(d string) bool {
	// The tag d is packed under when it packs (see appendID), else 0, which
	// no hex entry has: an entry of another length is passed over on its
	// tag, and one of d's length on its first byte, before the digests are
	// compared whole.
	var want byte
	if n := len(d); n%2 == 0 && n > 0 && n/2 <= maxPackedHex {
		want = hexTag | byte(n/2)
	}
	var head uint16
	if len(d) >= 2 {
		head = uint16(d[0]) | uint16(d[1])<<8
	}
	for i := s.firstAlias(); i < len(s); {
		tag := s[i]
		if tag&hexTag == 0 {
			var body string
			_, body, i = s.entry(i)
			if body == d {
				return true
			}
			continue
		}
		next := i + 1 + int(tag&^hexTag)
		if tag == want && hexPairs[s[i+1]] == head && hexEqual(string(s[i+1:next]), d) {
			return true
		}
		i = next
	}
	return false
}

// count is how many aliases the flow holds.
func (s ids) count() int {
	n := 0
	for i := s.firstAlias(); i < len(s); n++ {
		_, _, i = s.entry(i)
	}
	return n
}

// isStable reports whether d is the flow's stable digest.
func (s ids) isStable(d string) bool {
	tag, body, _ := s.entry(1)
	return equal(tag, body, d)
}
