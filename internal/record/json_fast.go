package record

import (
	"encoding/binary"
	"math"
	"math/bits"
	"net/netip"
	"strconv"
)

// fastPathOff turns the direct reader off, for the tests that compare it
// with the general one-pass reader.
var fastPathOff = false

// The direct reader decodes the shape nearly every record of a stream has
// (per-flow records with plain strings, non-negative integers and decimal
// rates) straight into the Record, in the same single pass with the same
// grammar checks as jsonReader, without the wireRecord and its build step;
// keys are matched by their bytes (json_keys.go). Anything else it gives up
// on (ok false): null or wrongly typed values, escapes, negative or
// over-long integers, a repeated key, a value the record builder would
// reject, non-flow record types. The caller then decodes the record again
// with the general reader, which decides and words every error; so the
// direct reader only ever accepts what the general one accepts, with the
// same result (FuzzDirectMatchesGeneral checks both).

// Bits of fastRecord.seen: a repeated key gives up, as the general reader
// merges repeats by rules not worth repeating here.
const (
	seenType uint64 = 1 << iota
	seenInterface
	seenInternal
	seenReason
	seenFlow
	seenDigest
	seenDigestPrev
	seenLocalBytes
	seenLocalPackets
	seenOtherBytes
	seenOtherPackets
	seenLocalRate
	seenOtherRate
	seenTotalBytes
	seenTotalPackets
	seenDetectionPackets
	seenFirstSeenAt
	seenLastSeenAt
	seenTCP
	seenResets
	seenRetrans
	seenSeqErrors
	seenDetectedApplication
	seenDetectedApplicationName
	seenDetectedProtocol
	seenDetectedProtocolName
	seenCategory
	seenHostServerName
	seenIPProtocol
	seenIPVersion
	seenLocalIP
	seenOtherIP
	seenLocalPort
	seenOtherPort
	seenLocalOrigin
	seenOtherType
	seenVLANID
	seenApplication
	seenProtocol
	seenDomain
)

// maxFastPrev is the most digest_prev entries the direct reader keeps.
const maxFastPrev = 4

type fastRecord struct {
	r    jsonReader
	keys *keyPredictor
	st   *decoderState
	rec  *Record
	seen uint64
	// keysRead counts the marks: more than seen's bits is a key read twice.
	keysRead int
	// Metadata strings not yet copied (see decodeDirect).
	host, localIP, otherIP []byte
	digest                 []byte
	prev                   [maxFastPrev][]byte
	nprev                  int
	// isFlow: the record's type is a flow record's (as rec.IsFlow), known
	// from how it was read.
	isFlow bool
}

// decodeDirect decodes the object at b[p] into rec (which must be zero) and
// returns where it ended; ok false leaves rec to be discarded.
func decodeDirect(b []byte, p int, rec *Record, st *decoderState) (end int, ok bool) {
	if fastPathOff {
		return p, false
	}
	ar := &st.ar
	// Zeroed in place and filled field by field: a composite literal is
	// built in a temporary and copied, twice the stores.
	var d fastRecord
	d.r.b, d.r.i, d.keys, d.st, d.rec = b, p, &st.keys, st, rec
	if !d.record(rec) || !d.isFlow || d.seen&seenFlow == 0 || d.digest == nil ||
		bits.OnesCount64(d.seen) != d.keysRead {
		return p, false
	}
	// Any metadata member read sets HasMeta (the category object itself
	// does not, only its members).
	rec.HasMeta = d.seen&seenMeta != 0
	if !d.addrs(rec, ar) {
		return p, false
	}
	rec.Meta.HostServerName = ar.str(d.host)
	rec.Digest = ar.str(d.digest)
	if d.nprev > 0 {
		rec.DigestPrev = ar.strs(d.nprev)
		for k, v := range d.prev[:d.nprev] {
			rec.DigestPrev[k] = ar.str(v)
		}
	}
	return d.r.i, true
}

// addrs parses the endpoints' addresses as str.addr would; an empty
// string is absent.
func (d *fastRecord) addrs(rec *Record, ar *digestArena) bool {
	return addr(d.localIP, &rec.Meta.LocalIP, ar) && addr(d.otherIP, &rec.Meta.OtherIP, ar)
}

// addr parses text into out, unless it is empty.
func addr(text []byte, out *netip.Addr, ar *digestArena) bool {
	if len(text) == 0 {
		return true
	}
	if a, ok := parseIPv4(text); ok {
		*out = a
		return true
	}
	// IPv6 and anything else: netip decides. The text goes to the arena,
	// not to a new allocation.
	a, err := netip.ParseAddr(ar.str(text))
	if err != nil {
		return false
	}
	*out = a
	return true
}

// parseIPv4 parses dotted-quad text the way netip.ParseAddr does (four
// fields of 0-255, no leading zeros); false for anything else, which
// ParseAddr then reads.
func parseIPv4(b []byte) (netip.Addr, bool) {
	if a, n, ok := parseIPv4Prefix(b); ok && n == len(b) {
		return a, true
	}
	return netip.Addr{}, false
}

// parseIPv4Prefix parses the dotted quad b starts with, as parseIPv4 does,
// and returns its length: what follows it is the caller's to check. A
// field is one to three digits, each tested once.
func parseIPv4Prefix(b []byte) (netip.Addr, int, bool) {
	var ip [4]byte
	i := 0
	for field := range ip {
		if field > 0 {
			if i >= len(b) || b[i] != '.' {
				return netip.Addr{}, 0, false
			}
			i++
		}
		if i >= len(b) || b[i]-'0' > 9 {
			return netip.Addr{}, 0, false
		}
		v := uint(b[i] - '0')
		i++
		if i < len(b) && b[i]-'0' <= 9 {
			if v == 0 { // a leading zero
				return netip.Addr{}, 0, false
			}
			v = v*10 + uint(b[i]-'0')
			i++
			if i < len(b) && b[i]-'0' <= 9 {
				v = v*10 + uint(b[i]-'0')
				i++
				if v > 255 {
					return netip.Addr{}, 0, false
				}
			}
		}
		ip[field] = byte(v)
	}
	return netip.AddrFrom4(ip), i, true
}

// seenMeta are the bits of the flow metadata members.
const seenMeta = seenDetectedApplication | seenDetectedApplicationName | seenDetectedProtocol |
	seenDetectedProtocolName | seenHostServerName | seenIPProtocol | seenIPVersion |
	seenLocalIP | seenOtherIP | seenLocalPort | seenOtherPort | seenLocalOrigin |
	seenOtherType | seenVLANID | seenApplication | seenProtocol | seenDomain

// mark notes a key read. A key read twice gives up when the record ends
// (see decodeDirect): counting the keys read and comparing the count with
// the marks' costs less than a test per key.
func (d *fastRecord) mark(bit uint64) {
	d.seen |= bit
	d.keysRead++
}

// member reads the next member's key, leaving the reader at its value;
// false at the object's end or on input it gives up on (then r.bad). prev
// is the key read before in this object, or the object's keyAt*Start.
// An object's end that was predicted is keyEnd (true), '}' consumed: the
// loops end there too.
//
// The usual member, `,"key":` with the key the predictor expects (or
// `{"key":` for an object's first, whose '{' the caller stepped over), is
// checked here in one window of the input: one bounds check, the pattern's
// words compared at once; small enough to be inlined into the loops that
// read members. The value's first byte is not looked at: a value read from
// whitespace gives up, as every reader of a value fails on it. Anything
// else takes memberSlow, which reads the same bytes to the same result.
func (d *fastRecord) member(prev keyID) (keyID, bool) {
	first := keyStarts[prev]
	if i := d.r.i - int(first); i+memberWindow <= len(d.r.b) {
		key := d.keys.next[prev]
		if p := &memberPatterns[first][key]; p.at(window(d.r.b, i)) {
			d.r.i = i + p.end
			return key, true
		}
	}
	return d.memberSlow(prev)
}

// memberSlow is member's way for every other member: the object's end,
// whitespace, a key not predicted or near the end of input.
//
// It is also where the loops that read members learn that a value failed:
// they do not test r.bad after each value. A value that fails by r.fail
// leaves the reader at the end of input, where member's window does not
// fit; one that only sets r.bad (countUpTo, millis) has read on, and at
// worst the members that follow are read in vain: the record is dropped.
func (d *fastRecord) memberSlow(prev keyID) (keyID, bool) {
	r := &d.r
	if r.bad {
		return keyUnknown, false
	}
	// The object's end, as memberStart reads it; after a key, it is
	// predicted next time (keyEnd).
	if i := r.i; i < len(r.b) && r.b[i] == '}' {
		r.i++
		if prev < keyAtRecordStart {
			d.keys.learn(prev, keyEnd)
		}
		return keyUnknown, false
	}
	// Compact JSON first: `,"key":value`, no whitespace to skip.
	if i := r.i; i+1 < len(r.b) && r.b[i] == ',' && r.b[i+1] == '"' && prev < keyAtRecordStart {
		// The other key that followed prev lately, in the window member
		// read the predicted one in; a hit makes it the prediction.
		if i+memberWindow <= len(r.b) {
			alt := d.keys.alt[prev]
			if p := &memberPatterns[0][alt]; p.at(window(r.b, i)) {
				d.keys.learn(prev, alt)
				r.i = i + p.end
				return alt, true
			}
		}
		r.i++
	} else if !d.memberStart(prev >= keyAtRecordStart) {
		return keyUnknown, false
	}
	key := d.keys.next[prev]
	if p := &keyPatterns[key]; p.at(r.b, r.i+1) {
		r.i += p.size + 2
	} else if id, end := lookupKey(r.b, r.i+1); id != keyUnknown {
		key, r.i = id, end
		d.keys.learn(prev, key)
	} else {
		// Not known, or too near the end of input to be read by words.
		lit, esc := r.str()
		if esc || r.bad {
			r.fail()
			return keyUnknown, false
		}
		key = keyNames[string(lit[1:len(lit)-1])]
		d.keys.learn(prev, key)
	}
	if i := r.i; i+1 < len(r.b) && r.b[i] == ':' && r.b[i+1] > ' ' {
		r.i++
		return key, true
	}
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != ':' {
		r.fail()
		return keyUnknown, false
	}
	r.i++
	r.space()
	if r.i >= len(r.b) {
		r.fail()
		return keyUnknown, false
	}
	return key, true
}

// memberStart reads up to a member key's opening quote (see
// jsonReader.memberStart); false at the object's end (consumed) or on input
// it gives up on (then r.bad).
func (d *fastRecord) memberStart(first bool) bool {
	r := &d.r
	if !r.memberStart(first) {
		return false
	}
	if r.b[r.i] != '"' {
		r.fail()
		return false
	}
	return true
}

// hexText reads a string value of hex digits only, as a view of the
// input: eight bytes at a time, the digest check and the scan for the
// closing quote in one.
func (d *fastRecord) hexText() []byte {
	r := &d.r
	b := r.b
	if b[r.i] != '"' {
		r.fail()
		return nil
	}
	start := r.i + 1
	// The usual digest, 40 hex digits and the closing quote, in five words
	// and one test; anything else is scanned a word at a time below.
	if e := start + 40; e < len(b) && b[e] == '"' && nonHex40((*[40]byte)(b[start:e])) == 0 {
		r.i = e + 1
		return b[start:e]
	}
	i := start
	for ; i+8 <= len(b); i += 8 {
		if m := nonHex8(load64(b, i)); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			break
		}
	}
	for ; i < len(b) && isHex(b[i]); i++ {
	}
	if i >= len(b) || b[i] != '"' {
		r.fail()
		return nil
	}
	r.i = i + 1
	return b[start:i]
}

// text reads a string value without escapes, as a view of the input. The
// first quote, backslash or control byte ends it: a quote is its end, the
// others give up (an escape, or a byte str fails on). Eight bytes at a
// time, in place; near the end of input, through str.
func (d *fastRecord) text() []byte {
	r := &d.r
	b := r.b
	if b[r.i] != '"' {
		r.fail()
		return nil
	}
	start := r.i + 1
	for i := start; i+8 <= len(b); i += 8 {
		if m := special8(load64(b, i)); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			if b[i] != '"' {
				r.fail()
				return nil
			}
			r.i = i + 1
			return b[start:i]
		}
	}
	lit, esc := r.str()
	if esc || r.bad {
		r.fail()
		return nil
	}
	return lit[1 : len(lit)-1]
}

// quotedIPv4 reads a string value that is a dotted quad, as text then
// parseIPv4 would, and reports whether it was one; anything else is left
// to text and addrs.
func (d *fastRecord) quotedIPv4() (netip.Addr, bool) {
	r := &d.r
	if r.b[r.i] != '"' {
		return netip.Addr{}, false
	}
	a, n, ok := parseIPv4Prefix(r.b[r.i+1:])
	if end := r.i + 1 + n; ok && end < len(r.b) && r.b[end] == '"' {
		r.i = end + 1
		return a, true
	}
	return netip.Addr{}, false
}

// repeat reads a string value that is last, a value text read before (so
// free of quotes, backslashes and control bytes), and reports whether it
// was: a stream's records name the same type and interface again and
// again, and one comparison costs less than text's scan.
func (d *fastRecord) repeat(last string) bool {
	r := &d.r
	i, n := r.i+1, len(last)
	if i+n < len(r.b) && r.b[r.i] == '"' && r.b[i+n] == '"' && string(r.b[i:i+n]) == last {
		r.i = i + n + 1
		return true
	}
	return false
}

// repeatQuoted is repeat with q, last's quoted form in words: a short one
// is compared by three masked words rather than by a call to the
// runtime's memequal.
func (d *fastRecord) repeatQuoted(last string, q *quotedWords) bool {
	r := &d.r
	if i := r.i; q.n > 0 && i+quotedWindow <= len(r.b) {
		if (load64(r.b, i)&q.mask[0]^q.w[0])|(load64(r.b, i+8)&q.mask[1]^q.w[1])|
			(load64(r.b, i+16)&q.mask[2]^q.w[2]) == 0 {
			r.i = i + q.n
			return true
		}
		return false
	}
	return d.repeat(last)
}

// flowTypes are the record types the direct reader takes, the most
// frequent in a stream first, with their quoted forms for flowType.
var flowTypes = func() (t [5]struct {
	name string
	q    quotedWords
}) {
	for k, name := range []string{TypeFlowStats, TypeFlow, TypeFlowDPIComplete, TypeFlowDPIUpdate, TypeFlowPurge} {
		t[k].name = name
		t[k].q.set(name)
	}
	return t
}()

// flowType reads a string value that is one of flowTypes by word
// compares, and reports whether it was: a stream's records take turns
// among these types, and comparing with each costs less than text's scan
// and internType's string switch. Anything else is left to them.
func (d *fastRecord) flowType() (string, bool) {
	r := &d.r
	i := r.i
	if i+quotedWindow > len(r.b) {
		return "", false
	}
	x0, x1, x2 := load64(r.b, i), load64(r.b, i+8), load64(r.b, i+16)
	for k := range flowTypes {
		t := &flowTypes[k]
		if (x0&t.q.mask[0]^t.q.w[0])|(x1&t.q.mask[1]^t.q.w[1])|(x2&t.q.mask[2]^t.q.w[2]) == 0 {
			r.i = i + t.q.n
			return t.name, true
		}
	}
	return "", false
}

// quotedWindow is the longest quoted string quotedWords holds.
const quotedWindow = 24

// quotedWords is a string's quoted form ('"' s '"') as little-endian words
// and their masks, for repeat; n is its length, 0 when it is longer than
// quotedWindow (repeat then compares the string).
type quotedWords struct {
	w, mask [quotedWindow / 8]uint64
	n       int
}

func (q *quotedWords) set(s string) {
	*q = quotedWords{}
	n := len(s) + 2
	if n > quotedWindow {
		return
	}
	var buf [quotedWindow]byte // zero past the closing quote
	buf[0] = '"'
	copy(buf[1:], s)
	buf[n-1] = '"'
	for k := range q.w {
		q.w[k] = binary.LittleEndian.Uint64(buf[8*k:])
		// The mask of the quoted form's bytes in word k.
		switch rest := n - 8*k; {
		case rest >= 8:
			q.mask[k] = ^uint64(0)
		case rest > 0:
			q.mask[k] = 1<<(8*rest) - 1
		}
	}
	q.n = n
}

// digits reads the digits at r.i into u, at most 19 of them; false (and
// r.bad) when there are none, more, or a leading zero.
func (d *fastRecord) digits() (u uint64, n int, ok bool) {
	r := &d.r
	b, i := r.b, r.i
	// Eight bytes at a time: a number's length varies from member to
	// member, and a loop per digit mispredicts its exit.
	for i+8 <= len(b) && i-r.i <= 19 {
		x := load64(b, i)
		k := 8
		if m := nonDigit8(x); m != 0 {
			k = bits.TrailingZeros64(m) >> 3
		}
		u = u*pow10u[k] + eightDigits(x<<(64-8*k))
		i += k
		if k < 8 {
			goto done
		}
	}
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		u = u*10 + uint64(c)
	}
done:
	n = i - r.i
	if n == 0 || n > 19 || n > 1 && b[r.i] == '0' {
		r.fail()
		return 0, 0, false
	}
	r.i = i
	return u, n, true
}

// intEnd reports whether c, the byte after an integer's digits, ends the
// number: not a fraction's point or an exponent's letter. Two compares
// (c|0x20 folds 'E' onto 'e'), not a table: a load would lengthen the
// chain from the word read to the branch.
func intEnd(c byte) bool { return c != '.' && c|0x20 != 'e' }

// count reads a non-negative integer of at most 19 digits: countValue,
// then the test of what follows that countValue leaves to its callers.
func (d *fastRecord) count() uint64 {
	u := d.countValue()
	if r := &d.r; r.i < len(r.b) && !intEnd(r.b[r.i]) {
		r.fail()
		return 0
	}
	return u
}

// countValue is count for a member's value. Its fast paths do not look at
// the byte after the digits: the loop that asked reads a member or the
// object's end there next, and a fraction's point or an exponent's letter
// is neither (memberSlow fails on it), so that such a number still costs
// the record, as count would have it, without a test per count.
func (d *fastRecord) countValue() uint64 {
	// The usual count, under eight digits, from one word: its digits and
	// no leading zero.
	r := &d.r
	if b, i := r.b, r.i; i+8 <= len(b) {
		x := load64(b, i)
		// A single digit (a third of a stream's counts: ports, versions,
		// flags, zero counters) by two byte tests.
		if byte(x>>8)-'0' > 9 {
			if c := byte(x) - '0'; c <= 9 {
				r.i = i + 1
				return uint64(c)
			}
		}
		if m := nonDigit8(x); m != 0 {
			// k is at most 7 (the shifts below then need no range test).
			// A first digit of 1 to 9 (one test) means k is at least 1
			// and no leading zero; a '0' must be the only digit.
			k := bits.TrailingZeros64(m) >> 3
			if c := byte(x) - '1'; c < 9 || c == 0xff && k == 1 { // 0xff: '0'
				r.i = i + k
				return eightDigits(x << ((64 - 8*k) & 63))
			}
		} else if i+16 <= len(b) && byte(x) != '0' {
			// Nine to fifteen digits (epoch milliseconds have 13): the
			// same from two words.
			y := load64(b, i+8)
			if k := bits.TrailingZeros64(nonDigit8(y)) >> 3; uint(k-1) < 7 {
				r.i = i + 8 + k
				return eightDigits(x)*pow10u[k] + eightDigits(y<<((64-8*k)&63))
			}
		}
	}
	// Anything else a digit at a time, to the same result as digits and
	// the same test of what follows: written out, so that count calls
	// nothing and needs no stack frame.
	b, start := r.b, r.i
	i := start
	var u uint64
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		u = u*10 + uint64(c)
	}
	if n := i - start; n == 0 || n > 19 || n > 1 && b[start] == '0' || i < len(b) && !intEnd(b[i]) {
		r.fail()
		return 0
	}
	r.i = i
	return u
}

// rate reads a non-negative number as setText would: an integer of at
// most 19 digits; a decimal of at most 19 digits, correctly rounded as
// exactDecimal and strconv.ParseFloat convert it (float32 values printed
// in their shortest form need quotient); anything else (exponents, more
// digits) through strconv.ParseFloat.
func (d *fastRecord) rate() float64 {
	r := &d.r
	start := r.i
	var m uint64
	var n int // m's digits
	// The integer part, as in count: up to seven digits from one word
	// (what follows them is looked at below); anything else through
	// digits.
	if b, i := r.b, r.i; i+8 <= len(b) {
		x := load64(b, i)
		// As in countValue: a first digit of 1 to 9 in one test.
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; k < 8 {
			if c := byte(x) - '1'; c < 9 || c == 0xff && k == 1 { // 0xff: '0'
				m, n, r.i = eightDigits(x<<((64-8*k)&63)), k, i+k
				goto integer
			}
		}
	}
	if u, nd, ok := d.digits(); ok {
		m, n = u, nd
	} else {
		return 0
	}
integer:
	if r.i >= len(r.b) {
		return float64(m)
	}
	switch r.b[r.i] {
	case '.':
		r.i++
		fracStart := r.i
		// The fraction's digits eight at a time, as in digits (leading
		// zeros allowed); a value of more than 19 digits is not used.
		var frac uint64
		b, i := r.b, r.i
		// Up to fifteen digits (agents' float32 rates have up to 14) from
		// two words, without the loop.
		if i+16 <= len(b) {
			x := load64(b, i)
			if m := nonDigit8(x); m != 0 {
				k := bits.TrailingZeros64(m) >> 3 // 0 fails below
				frac, i = eightDigits(x<<((64-8*k)&63)), i+k
				goto fracDone
			}
			y := load64(b, i+8)
			if m := nonDigit8(y); m != 0 {
				// k 0 shifts y out: eight digits in all.
				k := bits.TrailingZeros64(m) >> 3
				frac, i = eightDigits(x)*pow10u[k]+eightDigits(y<<(64-8*k)), i+8+k
				goto fracDone
			}
		}
		for i+8 <= len(b) {
			x := load64(b, i)
			k := 8
			if m := nonDigit8(x); m != 0 {
				k = bits.TrailingZeros64(m) >> 3
			}
			frac = frac*pow10u[k] + eightDigits(x<<(64-8*k))
			i += k
			if k < 8 {
				goto fracDone
			}
		}
		for ; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			frac = frac*10 + uint64(c)
		}
	fracDone:
		r.i = i
		k := r.i - fracStart
		if k == 0 {
			r.fail()
			return 0
		}
		exp := r.i < len(r.b) && r.b[r.i]|0x20 == 'e' // 'e' or 'E'
		if !exp && n+k <= 19 {
			if f, ok := decimalValue(m*pow10u[k]+frac, k); ok {
				return f
			}
		}
	case 'e', 'E':
	default:
		return float64(m)
	}
	// The JSON grammar, then strconv (its argument does not escape: the
	// conversion is not an allocation).
	r.i = start
	r.number()
	if r.bad {
		return 0
	}
	f, err := strconv.ParseFloat(string(r.b[start:r.i]), 64)
	if err != nil {
		r.fail() // out of range: the general reader words the error
	}
	return f
}

// millis reads epoch milliseconds: an integer that fits int64.
func (d *fastRecord) millis() int64 {
	u := d.countValue()
	if u > math.MaxInt64 {
		d.r.bad = true // as in countUpTo
	}
	return int64(u)
}

func (d *fastRecord) record(rec *Record) bool {
	r := &d.r
	if r.i >= len(r.b) || r.b[r.i] != '{' {
		return false
	}
	r.i++
	prev := d.recordSorted(rec, keyAtRecordStart)
	// last is the last known key read, where the sorted reader resumes
	// after an unknown key (keyUnknown: from the first key).
	last := prev
	if prev == keyAtRecordStart {
		last = keyUnknown
	}
	if prev == keyEnd {
		return !r.bad
	}
	for {
		// member's usual case written out, as in flow.
		key := d.keys.next[prev]
		if p := &memberPatterns[0][key]; prev != keyAtRecordStart && r.i+memberWindow <= len(r.b) &&
			p.at(window(r.b, r.i)) {
			r.i += p.end
		} else {
			var ok bool
			if prev == keyAtRecordStart {
				key, ok = d.member(prev)
			} else {
				key, ok = d.memberSlow(prev)
			}
			if !ok {
				return !r.bad
			}
		}
		prev = key
		switch key {
		case keyEnd:
			return !r.bad
		case keyType:
			d.mark(seenType)
			d.recordType(rec)
		case keyInterface:
			d.mark(seenInterface)
			d.iface(rec)
		case keyInternal:
			d.mark(seenInternal)
			rec.HasInternal = true
			rec.Internal = d.boolean()
		case keyReason:
			d.mark(seenReason)
			rec.Reason = d.name(&d.keys.names[nameReason], math.MaxInt)
		case keyFlow:
			d.mark(seenFlow)
			d.flowObject(rec)
		default:
			r.skip()
			// An unknown key (agents write more than this reader
			// knows): the sorted reader resumes after the last known key.
			if prev = d.recordSorted(rec, last); prev == keyEnd {
				return !r.bad
			}
			last = prev
			continue
		}
		last = key
	}
}

func (d *fastRecord) flow(rec *Record) {
	r := &d.r
	r.i++ // '{'
	prev := d.flowSorted(rec, keyAtFlowStart)
	// last is the last known key read, where the sorted reader resumes
	// after an unknown key (keyUnknown: from the first key).
	last := prev
	if prev == keyAtFlowStart {
		last = keyUnknown
	}
	if prev == keyEnd {
		return
	}
	for {
		// member's usual case, written out: most of a record's members are
		// the flow's, and member is too large to be inlined.
		key := d.keys.next[prev]
		if p := &memberPatterns[0][key]; prev != keyAtFlowStart && r.i+memberWindow <= len(r.b) &&
			p.at(window(r.b, r.i)) {
			r.i += p.end
		} else {
			var ok bool
			if prev == keyAtFlowStart {
				key, ok = d.member(prev)
			} else {
				key, ok = d.memberSlow(prev)
			}
			if !ok {
				return
			}
		}
		prev = key
		switch key {
		case keyEnd:
			return
		case keyDigest:
			d.mark(seenDigest)
			d.digestValue()
		case keyDigestPrev:
			d.mark(seenDigestPrev)
			d.digestPrev()
		case keyLocalBytes:
			rec.HasStats = true
			rec.LocalBytes = d.countValue()
			d.mark(seenLocalBytes)
		case keyLocalPackets:
			rec.HasStats = true
			rec.LocalPackets = d.countValue()
			d.mark(seenLocalPackets)
		case keyOtherBytes:
			rec.HasStats = true
			rec.OtherBytes = d.countValue()
			d.mark(seenOtherBytes)
		case keyOtherPackets:
			rec.HasStats = true
			rec.OtherPackets = d.countValue()
			d.mark(seenOtherPackets)
		case keyLocalRate:
			rec.HasRates = true
			rec.LocalRate = d.rate()
			d.mark(seenLocalRate)
		case keyOtherRate:
			rec.HasRates = true
			rec.OtherRate = d.rate()
			d.mark(seenOtherRate)
		case keyTotalBytes:
			rec.HasTotals = true
			rec.TotalBytes = d.countValue()
			d.mark(seenTotalBytes)
		case keyTotalPackets:
			rec.HasTotals = true
			rec.TotalPackets = d.countValue()
			d.mark(seenTotalPackets)
		case keyDetectionPackets:
			rec.HasDetectionPackets = true
			rec.DetectionPackets = d.countValue()
			d.mark(seenDetectionPackets)
		case keyFirstSeenAt:
			rec.FirstSeenAtMillis = d.millis()
			d.mark(seenFirstSeenAt)
		case keyLastSeenAt:
			rec.LastSeenAtMillis = d.millis()
			d.mark(seenLastSeenAt)
		case keyTCP:
			d.mark(seenTCP)
			d.tcpObject(rec)
		case keyDetectedApplication:
			d.mark(seenDetectedApplication)
			rec.Meta.ApplicationID = uint32(d.countUpTo(math.MaxUint32))
		case keyDetectedApplicationName:
			d.mark(seenDetectedApplicationName)
			rec.Meta.ApplicationName = d.name(&d.keys.names[nameApplication], MaxNameLen)
		case keyDetectedProtocol:
			d.mark(seenDetectedProtocol)
			rec.Meta.ProtocolID = uint32(d.countUpTo(math.MaxUint32))
		case keyDetectedProtocolName:
			d.mark(seenDetectedProtocolName)
			rec.Meta.ProtocolName = d.name(&d.keys.names[nameProtocol], MaxNameLen)
		case keyCategory:
			d.mark(seenCategory)
			d.categoryObject(rec)
		case keyHostServerName:
			d.mark(seenHostServerName)
			d.hostValue()
		case keyIPProtocol:
			d.mark(seenIPProtocol)
			rec.Meta.IPProtocol = uint8(d.countUpTo(math.MaxUint8))
		case keyIPVersion:
			d.mark(seenIPVersion)
			rec.Meta.IPVersion = uint8(d.countUpTo(math.MaxUint8))
		case keyLocalIP:
			d.mark(seenLocalIP)
			d.ipValue(&rec.Meta.LocalIP, &d.localIP)
		case keyOtherIP:
			d.mark(seenOtherIP)
			d.ipValue(&rec.Meta.OtherIP, &d.otherIP)
		case keyLocalPort:
			d.mark(seenLocalPort)
			rec.Meta.LocalPort = uint16(d.countUpTo(math.MaxUint16))
		case keyOtherPort:
			d.mark(seenOtherPort)
			rec.Meta.OtherPort = uint16(d.countUpTo(math.MaxUint16))
		case keyLocalOrigin:
			rec.Meta.HasLocalOrigin = true
			rec.Meta.LocalOrigin = d.boolean()
			d.mark(seenLocalOrigin)
		case keyOtherType:
			d.mark(seenOtherType)
			rec.Meta.OtherType = d.name(&d.keys.names[nameOtherType], MaxNameLen)
		case keyVLANID:
			// 4095 is the largest VLAN id (see wireMeta.fill).
			d.mark(seenVLANID)
			rec.Meta.VLANID = uint16(d.countUpTo(4095))
		default:
			r.skip()
			// An unknown key (agents write more than this reader
			// knows): the sorted reader resumes after the last known key.
			if prev = d.flowSorted(rec, last); prev == keyEnd {
				return
			}
			last = prev
			continue
		}
		last = key
	}
}

// countUpTo reads a metadata count of at most limit.
func (d *fastRecord) countUpTo(limit uint64) uint64 {
	u := d.countValue()
	// Over the limit gives up: bad is enough (not fail), as the loop that
	// asked tests it next; so countUpTo is small enough to be inlined.
	if u > limit {
		d.r.bad = true
	}
	return u
}

// boolean reads true or false.
func (d *fastRecord) boolean() bool {
	r := &d.r
	switch r.b[r.i] {
	case 't':
		r.literal("true")
		return true
	case 'f':
		r.literal("false")
	default:
		r.fail()
	}
	return false
}

func (d *fastRecord) category(rec *Record) {
	r := &d.r
	r.i++ // '{'
	prev := d.categorySorted(rec, keyAtCategoryStart)
	// last is the last known key read, where the sorted reader resumes
	// after an unknown key (keyUnknown: from the first key).
	last := prev
	if prev == keyAtCategoryStart {
		last = keyUnknown
	}
	if prev == keyEnd {
		return
	}
	for {
		// member's usual case written out, as in flow.
		key := d.keys.next[prev]
		if p := &memberPatterns[0][key]; prev != keyAtCategoryStart && r.i+memberWindow <= len(r.b) &&
			p.at(window(r.b, r.i)) {
			r.i += p.end
		} else {
			var ok bool
			if prev == keyAtCategoryStart {
				key, ok = d.member(prev)
			} else {
				key, ok = d.memberSlow(prev)
			}
			if !ok {
				return
			}
		}
		prev = key
		switch key {
		case keyEnd:
			return
		case keyApplication:
			d.mark(seenApplication)
			rec.Meta.CategoryApplication = uint32(d.countUpTo(math.MaxUint32))
		case keyProtocol:
			d.mark(seenProtocol)
			rec.Meta.CategoryProtocol = uint32(d.countUpTo(math.MaxUint32))
		case keyDomain:
			d.mark(seenDomain)
			rec.Meta.CategoryDomain = uint32(d.countUpTo(math.MaxUint32))
		default:
			r.skip()
			// An unknown key (agents write more than this reader
			// knows): the sorted reader resumes after the last known key.
			if prev = d.categorySorted(rec, last); prev == keyEnd {
				return
			}
			last = prev
			continue
		}
		last = key
	}
}

func (d *fastRecord) tcp(rec *Record) {
	r := &d.r
	r.i++ // '{'
	prev := d.tcpSorted(rec, keyAtTCPStart)
	// last is the last known key read, where the sorted reader resumes
	// after an unknown key (keyUnknown: from the first key).
	last := prev
	if prev == keyAtTCPStart {
		last = keyUnknown
	}
	if prev == keyEnd {
		return
	}
	for {
		// member's usual case written out, as in flow.
		key := d.keys.next[prev]
		if p := &memberPatterns[0][key]; prev != keyAtTCPStart && r.i+memberWindow <= len(r.b) &&
			p.at(window(r.b, r.i)) {
			r.i += p.end
		} else {
			var ok bool
			if prev == keyAtTCPStart {
				key, ok = d.member(prev)
			} else {
				key, ok = d.memberSlow(prev)
			}
			if !ok {
				return
			}
		}
		prev = key
		switch key {
		case keyEnd:
			return
		case keyResets:
			rec.TCPResets = d.countValue()
			d.mark(seenResets)
		case keyRetrans:
			rec.TCPRetrans = d.countValue()
			d.mark(seenRetrans)
		case keySeqErrors:
			rec.TCPSeqErrors = d.countValue()
			d.mark(seenSeqErrors)
		default:
			r.skip()
			// An unknown key (agents write more than this reader
			// knows): the sorted reader resumes after the last known key.
			if prev = d.tcpSorted(rec, last); prev == keyEnd {
				return
			}
			last = prev
			continue
		}
		last = key
	}
}

// digestPrev reads an array of at most maxFastPrev plain strings.
func (d *fastRecord) digestPrev() {
	r := &d.r
	if r.b[r.i] != '[' {
		r.fail()
		return
	}
	// Compact JSON: the first element's quote right after the bracket,
	// then a comma and the next quote, or the closing bracket. Anything
	// else takes openArray and nextElement, to the same result.
	if r.i+1 < len(r.b) && r.b[r.i+1] == '"' {
		r.i++
	} else if !r.openArray() {
		return
	}
	for !r.bad {
		if r.i >= len(r.b) || d.nprev == maxFastPrev {
			r.fail()
			return
		}
		// hexText took only hex digits: what validDigest checks is the
		// length.
		v := d.hexText()
		if r.bad || len(v) == 0 || len(v) > MaxDigestLen {
			r.fail()
			return
		}
		d.prev[d.nprev] = v
		d.nprev++
		if i := r.i; i+1 < len(r.b) && r.b[i] == ',' && r.b[i+1] == '"' {
			r.i++
			continue
		}
		if i := r.i; i < len(r.b) && r.b[i] == ']' {
			r.i++
			return
		}
		if !r.nextElement() {
			return
		}
	}
}
