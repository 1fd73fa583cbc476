package record

// frameScanner finds where one top-level JSON object or array ends, fed in
// chunks so that the stream decoder can use it on partial reads and Decode on
// a whole body. It checks only the bracket structure (encoding/json validates
// the frame afterwards) and detects the damage that lets it resynchronise:
//
//   - a raw newline inside a string (JSON forbids it): the line was cut short;
//   - inside an object frame, a '{' at the start of a line, or a '{' after a
//     '}' at depth > 0 (never valid JSON): the frame was cut short and the
//     next record starts at that '{';
//   - a closing bracket that does not match, or nesting beyond maxDepth.
type frameScanner struct {
	// objects has a bit per open bracket, set for '{': the closer expected
	// at each level. A fixed array rather than a slice into itself, so that
	// a scanner held by value does not escape to the heap.
	objects [maxDepth/64 + 1]uint64
	depth   int
	outer   byte
	inStr   bool
	esc     bool
	afterNL bool // the previous byte was a newline outside strings
	lastSig byte // last non-space byte outside strings
}

type scanStatus uint8

const (
	scanMore       scanStatus = iota // the frame continues past this chunk
	scanDone                         // the frame ended; n includes its closer
	scanBadString                    // newline inside a string; n includes it
	scanNextRecord                   // a new record starts before this one ended; n excludes its '{'
	scanMismatch                     // unmatched closing bracket; n includes it
	scanTooDeep                      // nesting beyond maxDepth; n includes the opener
)

const maxDepth = 1000

func (s *frameScanner) reset() { *s = frameScanner{} }

// scan consumes b until the frame ends or b is exhausted. The first byte fed
// after reset must be '{' or '['.
func (s *frameScanner) scan(b []byte) (n int, st scanStatus) {
	for i := 0; i < len(b); i++ {
		if s.inStr && !s.esc {
			// In a string only quotes, backslashes and newlines count:
			// the bytes before the next of them (or another control
			// byte, which the switch below passes over) eight at a time.
			if i = nextSpecial(b, i); i == len(b) {
				break
			}
		}
		c := b[i]
		if s.inStr {
			switch {
			case s.esc:
				s.esc = false
			case c == '\\':
				s.esc = true
			case c == '"':
				s.inStr = false
				s.lastSig = c
			case c == '\n':
				return i + 1, scanBadString
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r':
			s.afterNL = false
			continue
		case '\n':
			s.afterNL = true
			continue
		case '"':
			s.inStr = true
		case '{', '[':
			if s.depth == 0 {
				s.outer = c
			} else if c == '{' && (s.lastSig == '}' || s.afterNL && s.outer == '{') {
				return i, scanNextRecord
			}
			if s.depth >= maxDepth {
				return i + 1, scanTooDeep
			}
			word, bit := s.depth/64, uint64(1)<<(s.depth%64)
			if c == '{' {
				s.objects[word] |= bit
			} else {
				s.objects[word] &^= bit
			}
			s.depth++
		case '}', ']':
			top := s.depth - 1
			if top < 0 || (s.objects[top/64]>>(top%64)&1 == 1) != (c == '}') {
				return i + 1, scanMismatch
			}
			s.depth = top
			if top == 0 {
				return i + 1, scanDone
			}
		}
		s.afterNL = false
		s.lastSig = c
	}
	return len(b), scanMore
}

// problem describes a broken frame for the error message.
func (st scanStatus) problem(c byte) string {
	switch st {
	case scanBadString:
		return "newline inside a string"
	case scanNextRecord:
		return "record cut short: the next record starts here"
	case scanMismatch:
		return "unexpected " + quoteByte(c)
	case scanTooDeep:
		return "nested too deeply"
	}
	return "unexpected end of input"
}

// quoteByte renders a byte for an error message.
func quoteByte(c byte) string {
	if c < 0x20 || c >= 0x7f {
		const hex = "0123456789abcdef"
		return "byte 0x" + string([]byte{hex[c>>4], hex[c&15]})
	}
	return "'" + string(c) + "'"
}
