package flowtable

import (
	"encoding/binary"
	"encoding/hex"
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
// digits (uppercase would not come back as sent).
func packedHex(s string) bool {
	if len(s) == 0 || len(s)%2 != 0 || len(s)/2 > maxPackedHex {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// appendID appends digest d to the packed form in b.
func appendID(b []byte, d string) []byte {
	if packedHex(d) {
		b = append(b, hexTag|byte(len(d)/2))
		b, _ = hex.AppendDecode(b, []byte(d)) // packedHex checked it
		return b
	}
	b = append(b, 0)
	b = binary.AppendUvarint(b, uint64(len(d)))
	return append(b, d...)
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
	j := 0
	for ; j+4 <= len(body); j += 4 {
		w := binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(pb, j))[:])
		x := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(pd, 2*j))[:])
		if hexDigits4(w) != x {
			return false
		}
	}
	for ; j < len(body) && 2*j+2 <= len(d); j++ {
		if hexPairs[body[j]] != uint16(d[2*j])|uint16(d[2*j+1])<<8 {
			return false
		}
	}
	return true
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
	n := hex.Encode(buf[:], []byte(body))
	return buf[:n], next
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
