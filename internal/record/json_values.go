package record

import (
	"bytes"
	"encoding/json"
	"strings"
)

// The UnmarshalJSON methods never return an error: a value of the wrong type
// is recorded on the field, so that decoding carries on and the record
// builder can report it with the field's path. The record was validated with
// json.Valid before they are called, so their input is well-formed JSON.

func (n *num) UnmarshalJSON(b []byte) error {
	switch c := b[0]; {
	case c == 'n':
	case c == '-' || c >= '0' && c <= '9':
		if !n.setText(b) {
			n.setBad(describeJSON(b))
		}
	case c == '"':
		if s, ok := unquoteFast(b); !ok || !n.setText(s) {
			n.setBad(describeJSON(b))
		}
	default:
		n.setBad(describeJSON(b))
	}
	return nil
}

// UnmarshalJSON reads a string that repeats from record to record (an
// interface, application or protocol name): interned, see intern.go. Strings
// of high cardinality (digests, host names) use copyJSON.
func (s *str) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
	case '"':
		if inner, ok := unquoteFast(b); ok {
			s.set(intern(inner))
		} else {
			s.set(jsonString(b))
		}
	default:
		s.setBad(describeJSON(b))
	}
	return nil
}

// copyJSON is UnmarshalJSON for strings of high cardinality: a new copy.
// Interning them would cost a cache miss per lookup and evict the strings
// that do repeat.
func (s *str) copyJSON(b []byte) error {
	if b[0] == '"' {
		s.set(jsonString(b))
		return nil
	}
	return s.UnmarshalJSON(b)
}

// digestJSON is Digest.copyJSON, leaving an unescaped digest uncopied
// until fill (see joinDigests).
func (f *wireFlow) digestJSON(b []byte) {
	if inner, ok := unquoteFast(b); ok {
		f.Digest.set("")
		f.digestLit = inner
		return
	}
	if b[0] != 'n' { // null leaves the field as it was
		f.digestLit = nil
	}
	_ = f.Digest.copyJSON(b)
}

func (t *typeName) UnmarshalJSON(b []byte) error {
	if raw, ok := unquoteFast(b); ok {
		t.set(internType(raw))
		return nil
	}
	return t.str.UnmarshalJSON(b)
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
	case 't':
		f.set(true)
	case 'f':
		f.set(false)
	case '"':
		if s, ok := unquoteFast(b); !ok || !f.setText(s) {
			f.setBad(describeJSON(b))
		}
	default:
		if !f.setText(b) {
			f.setBad(describeJSON(b))
		}
	}
	return nil
}

func (l *strList) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		return nil
	case '[':
	default:
		l.setBad(-1, describeJSON(b))
		return nil
	}
	l.start()
	// The kept strings are cut from one allocation (see joinStrings).
	var small [4][]byte
	parts := small[:0]
	i := skipSpace(b, 1)
	for i < len(b) && b[i] != ']' {
		end := skipJSONValue(b, i)
		elem := b[i:end]
		switch {
		case elem[0] != '"':
			l.addBad(describeJSON(elem))
		case l.keeps():
			inner, ok := unquoteFast(elem)
			if !ok {
				inner = []byte(jsonString(elem))
			}
			parts = append(parts, inner)
			l.n++
		default:
			l.add("")
		}
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	if len(parts) > 0 {
		l.v = joinStrings(parts, nil)
	}
	return nil
}

// joinStrings copies parts into one new string and returns its pieces: two
// allocations for a list of digests rather than one per digest; none in
// steady state when an arena is given.
func joinStrings(parts [][]byte, ar *digestArena) []string {
	if ar != nil {
		out := ar.strs(len(parts))
		for k, p := range parts {
			out[k] = ar.str(p)
		}
		return out
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, p := range parts {
		sb.Write(p)
	}
	all := sb.String()
	out := make([]string, len(parts))
	for k, p := range parts {
		out[k], all = all[:len(p)], all[len(p):]
	}
	return out
}

// unquoteFast returns the content of a JSON string literal that has no
// escapes, without copying; ok is false for anything else.
func unquoteFast(b []byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return nil, false
	}
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		return nil, false
	}
	return inner, true
}

// jsonString decodes a valid JSON string literal into a new string (never
// a view of b, so that a record does not keep the body alive).
func jsonString(b []byte) string {
	if inner, ok := unquoteFast(b); ok {
		return string(inner)
	}
	var s string
	_ = json.Unmarshal(b, &s) // b is a validated string literal: cannot fail
	return s
}

// describeJSON says what a JSON value is, for "expected X, got Y" messages.
func describeJSON(b []byte) string {
	switch b[0] {
	case '"':
		if inner, ok := unquoteFast(b); ok {
			return "string " + quoteText(inner)
		}
		return "string " + quoteText(jsonString(b))
	case 't', 'f':
		return "bool " + string(b)
	case 'n':
		return "null"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	if len(b) > 40 {
		b = b[:40]
	}
	return "number " + string(b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipJSONValue returns the end of the well-formed JSON value starting at i.
func skipJSONValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipJSONString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipJSONString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ',', ']', '}', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// skipJSONString returns the end of the string literal starting at i.
func skipJSONString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}
