package record

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// jsonReader reads one JSON record in a single pass: it hands the record
// readers (readJSON) each member's key and raw value while checking the
// bytes against the JSON grammar, so that framing, validation and field
// extraction are one walk over the record.
//
// An untrusted reader stops (bad) at the first byte it cannot vouch for: a
// syntax error, but also a raw newline outside strings or nesting beyond
// maxFastDepth. The caller then drops what was read and takes the slow path
// (frameScanner, json.Valid, a trusted reader), which words the error
// exactly as before and keeps the framing rules for multi-line records. A
// trusted reader walks bytes json.Valid already accepted and checks nothing.
type jsonReader struct {
	b       []byte
	i       int
	trusted bool
	bad     bool
	pending bool // a member's key was read and its value not yet consumed

	// The last number read, when it was an integer of at most 19 digits
	// (isInt): its magnitude and sign, so that members.num need not parse
	// it again.
	isInt bool
	neg   bool
	u     uint64
}

// maxFastDepth bounds the nesting the untrusted reader validates itself
// (a bit per level in a uint64); deeper records take the slow path.
const maxFastDepth = 64

// nullValue stands in for a value the reader could not read; its readers
// treat it as absent, and the record is dropped anyway.
var nullValue = []byte("null")

func (r *jsonReader) fail() {
	r.bad = true
	r.i = len(r.b) // every loop of the reader ends at the end of input
}

// space skips whitespace. A newline is not vouched for by an untrusted
// reader: the frame scanner's rules for cut and pretty-printed records
// depend on where newlines fall.
func (r *jsonReader) space() {
	if r.i < len(r.b) && r.b[r.i] > ' ' {
		return // compact JSON: no whitespace between tokens
	}
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\r':
		case '\n':
			if !r.trusted {
				r.fail()
			}
			if r.bad {
				return
			}
		default:
			return
		}
		r.i++
	}
}

// peek returns the byte the next value starts with.
func (r *jsonReader) peek() byte {
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 'n' // only after fail: reads as null
}

// openArray steps into the array the reader is at ('['): it reports
// whether an element follows, and steps over "]" when the array is empty.
func (r *jsonReader) openArray() bool {
	r.i++ // '['
	r.space()
	if r.i < len(r.b) && r.b[r.i] == ']' {
		r.i++
		return false
	}
	return true
}

// nextElement steps over what follows an array's element: a ',' (true:
// another element follows) or the closing ']' (false); anything else
// fails the reader.
func (r *jsonReader) nextElement() bool {
	r.space()
	if r.i >= len(r.b) {
		r.fail()
		return false
	}
	switch r.b[r.i] {
	case ',':
		r.i++
		r.space()
		return true
	case ']':
		r.i++
		return false
	}
	r.fail()
	return false
}

// memberStart steps to the next member of an object: whitespace and,
// unless first, a ',' (a trusted reader does not check it) and whitespace.
// It returns false at the object's '}' (consumed) or on bad input.
func (r *jsonReader) memberStart(first bool) bool {
	r.space()
	if r.i >= len(r.b) {
		r.fail()
		return false
	}
	c := r.b[r.i]
	if c == '}' {
		r.i++
		return false
	}
	if !first {
		if c != ',' && !r.trusted {
			r.fail()
			return false
		}
		r.i++
		r.space()
		if r.i >= len(r.b) {
			r.fail()
			return false
		}
	}
	return true
}

// members iterates over the object the reader is at; it must start with '{'.
func (r *jsonReader) members() members {
	r.pending = false
	r.i++ // '{'
	return members{r: r}
}

type members struct {
	r   *jsonReader
	n   int
	key []byte
}

// next reads the next member's key into m.key, leaving the reader at its
// value. It returns false at the object's '}' (consumed) or on bad input.
// A value the caller did not consume is skipped.
func (m *members) next() bool {
	r := m.r
	if r.pending {
		r.skip()
	}
	if !r.memberStart(m.n == 0) {
		return false
	}
	lit, esc := r.str()
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != ':' {
		r.fail()
		return false
	}
	r.i++
	r.space()
	if r.i >= len(r.b) {
		r.fail()
		return false
	}
	key := lit[1 : len(lit)-1]
	if esc {
		key = []byte(jsonString(lit))
	}
	m.key, r.pending = key, true
	m.n++
	return true
}

// value consumes the current member's value and returns its bytes.
func (m *members) value() []byte {
	r := m.r
	start := r.i
	r.skip()
	if r.bad {
		return nullValue
	}
	return r.b[start:r.i]
}

// num reads the current member's value into n, as n.UnmarshalJSON would,
// without parsing an integer twice.
func (m *members) num(n *num) {
	r := m.r
	if c := r.peek(); r.trusted || c != '-' && (c < '0' || c > '9') {
		_ = n.UnmarshalJSON(m.value())
		return
	}
	r.pending = false
	start := r.i
	r.number()
	switch {
	case r.bad:
	case r.isInt:
		n.setSigned(r.neg, r.u)
	default:
		_ = n.UnmarshalJSON(r.b[start:r.i])
	}
}

// strList reads the current member's value into l, as l.UnmarshalJSON
// would, validating an array in the same walk that picks its strings out.
// The strings stay views of the input until fill copies them.
func (m *members) strList(l *strList) {
	r := m.r
	if r.trusted || r.peek() != '[' {
		_ = l.UnmarshalJSON(m.value())
		return
	}
	r.pending = false
	l.start()
	if !r.openArray() {
		return
	}
	for !r.bad {
		if r.i >= len(r.b) {
			r.fail()
			return
		}
		if r.b[r.i] == '"' {
			lit, esc := r.str()
			switch {
			case r.bad:
				return
			case !l.keeps():
				l.add("")
			case esc:
				l.addAlias([]byte(jsonString(lit)))
			default:
				l.addAlias(lit[1 : len(lit)-1])
			}
		} else {
			start := r.i
			r.skip()
			if r.bad {
				return
			}
			l.addBad(describeJSON(r.b[start:r.i]))
		}
		if !r.nextElement() {
			return
		}
	}
}

// skip consumes one value.
func (r *jsonReader) skip() {
	r.pending = false
	if r.trusted {
		r.i = skipJSONValue(r.b, r.i)
		return
	}
	switch r.peek() {
	case '{', '[':
		r.container()
	default:
		r.scalar()
	}
}

// str consumes a string literal and returns it, quotes included; esc
// says whether it holds escapes.
func (r *jsonReader) str() (lit []byte, esc bool) {
	b, start := r.b, r.i
	if r.trusted {
		r.i = skipJSONString(b, start)
		lit = b[start:r.i]
		return lit, bytes.IndexByte(lit[1:len(lit)-1], '\\') >= 0
	}
	if start >= len(b) || b[start] != '"' {
		r.fail()
		return nullValue, false
	}
	i := start + 1
	for {
		i = nextSpecial(b, i)
		if i >= len(b) {
			r.fail()
			return nullValue, false
		}
		switch c := b[i]; {
		case c == '"':
			r.i = i + 1
			return b[start:r.i], esc
		case c == '\\':
			esc = true
			if i+1 >= len(b) {
				r.fail()
				return nullValue, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					r.fail()
					return nullValue, false
				}
				i += 6
			default:
				r.fail()
				return nullValue, false
			}
		default: // c < 0x20
			r.fail()
			return nullValue, false
		}
	}
}

// nextSpecial returns the index of the first quote, backslash or control
// byte (below 0x20) at or after i, or len(b): eight bytes at a time.
func nextSpecial(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		if m := special8(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}

// special8 flags, by the high bit of each byte, the quotes, backslashes
// and control bytes (below 0x20) among the eight bytes of x (little
// endian); zero when there are none. (v - ones) &^ v & highs flags the zero
// bytes of v: applied to x with the quote and the backslash xor-ed out, and,
// with 0x20 for 1, to find bytes below 0x20. A borrow can flag a byte above
// a flagged one wrongly, never below it: the lowest flag is exact.
func special8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q := x ^ '"'*ones
	bs := x ^ '\\'*ones
	return ((q-ones)&^q | (bs-ones)&^bs | (x-0x20*ones)&^x) & highs
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// scalar consumes a string, number or literal.
func (r *jsonReader) scalar() {
	b, i := r.b, r.i
	if i >= len(b) {
		r.fail()
		return
	}
	switch c := b[i]; {
	case c == '"':
		_, _ = r.str()
	case c == 't':
		r.literal("true")
	case c == 'f':
		r.literal("false")
	case c == 'n':
		r.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		r.number()
	default:
		r.fail()
	}
}

func (r *jsonReader) literal(lit string) {
	if len(r.b)-r.i < len(lit) || string(r.b[r.i:r.i+len(lit)]) != lit {
		r.fail()
		return
	}
	r.i += len(lit)
}

// number consumes -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and
// keeps the value of an integer of at most 19 digits (see isInt).
func (r *jsonReader) number() {
	b, i := r.b, r.i
	r.isInt, r.neg = false, b[i] == '-'
	if r.neg {
		i++
	}
	var u uint64
	switch {
	case i >= len(b):
		r.fail()
		return
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			u = u*10 + uint64(b[i]-'0')
			i++
		}
	default:
		r.fail()
		return
	}
	nd := i - r.i
	if r.neg {
		nd--
	}
	isInt := nd <= 19
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			r.fail()
			return
		}
		i, isInt = j, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			r.fail()
			return
		}
		i, isInt = j, false
	}
	r.i, r.isInt, r.u = i, isInt, u
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// container consumes an object or array without recursion: one bit per
// open level says whether it is an object.
func (r *jsonReader) container() {
	var objects uint64
	depth := 0
	for !r.bad {
		// r.i is at the start of a value.
		if r.i >= len(r.b) {
			r.fail()
			return
		}
		if c := r.b[r.i]; c == '{' || c == '[' {
			if depth == maxFastDepth {
				r.fail()
				return
			}
			objects <<= 1
			if c == '{' {
				objects |= 1
			}
			depth++
			r.i++
			r.space()
			if r.i < len(r.b) && r.b[r.i] == closerOf(objects) {
				r.i++
				depth--
				objects >>= 1
			} else {
				if objects&1 == 1 {
					r.key()
				}
				continue
			}
		} else {
			r.scalar()
		}
		// After a value: a comma, or the closers of the levels ending here.
		for !r.bad {
			if depth == 0 {
				return
			}
			r.space()
			if r.i >= len(r.b) {
				r.fail()
				return
			}
			c := r.b[r.i]
			if c == ',' {
				r.i++
				r.space()
				if objects&1 == 1 {
					r.key()
				}
				break
			}
			if c != closerOf(objects) {
				r.fail()
				return
			}
			r.i++
			depth--
			objects >>= 1
		}
	}
}

// key consumes an object key and its colon, leaving the reader at the value.
func (r *jsonReader) key() {
	_, _ = r.str()
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != ':' {
		r.fail()
		return
	}
	r.i++
	r.space()
}

func closerOf(objects uint64) byte {
	if objects&1 == 1 {
		return '}'
	}
	return ']'
}
