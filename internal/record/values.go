package record

import (
	"errors"
	"math"
	"strconv"
)

// The wire value types below are format-agnostic: the JSON and msgpack
// readers fill them without ever failing, recording what they found, so that
// the record builder can name the field when a value is unusable. A value the
// wire left out or sent as null stays absent.

type valueKind uint8

const (
	absent valueKind = iota
	valid
	wrongType // the wire value had the wrong type; got says what it was
)

type numKind uint8

const (
	numAbsent numKind = iota
	numUint           // non-negative integer in u
	numNeg            // negative integer, magnitude in u
	numFloat          // f
	numBad            // not a number; got says what it was
)

// num is a loosely typed number: an integer, a float or a numeric string.
type num struct {
	kind numKind
	u    uint64
	f    float64
	got  string
}

func (n *num) setUint(u uint64) { n.kind, n.u = numUint, u }

func (n *num) setInt(v int64) {
	if v < 0 {
		n.kind, n.u = numNeg, uint64(-(v+1))+1
		return
	}
	n.setUint(uint64(v))
}

func (n *num) setFloat(f float64) { n.kind, n.f = numFloat, f }

func (n *num) setBad(got string) { n.kind, n.got = numBad, got }

// setText parses a decimal number written as text (a JSON literal or the
// content of a numeric string). It reports false when b is not a number.
func (n *num) setText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	i := 0
	neg := b[0] == '-'
	if neg || b[0] == '+' {
		i = 1
	}
	if i == len(b) {
		return false
	}
	// Up to 19 digits always fit uint64: the common case needs no strconv.
	var u uint64
	digitsOnly := true
	for _, c := range b[i:] {
		if c < '0' || c > '9' {
			digitsOnly = false
			break
		}
		u = u*10 + uint64(c-'0')
	}
	if digitsOnly && len(b)-i <= 19 {
		n.setSigned(neg, u)
		return true
	}
	if f, ok := exactDecimal(b[i:]); ok {
		if neg {
			f = -f
		}
		n.setFloat(f)
		return true
	}
	// strconv accepts more than decimal numbers ("inf", "0x1p3", "1_0"):
	// keep to the characters of a JSON number.
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
		default:
			return false
		}
	}
	if digitsOnly {
		if u, err := strconv.ParseUint(string(b[i:]), 10, 64); err == nil {
			n.setSigned(neg, u)
			return true
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return false
		}
		// Out of float64 range: still a number, rejected by the field's range check.
	}
	n.setFloat(f)
	return true
}

// pow10 holds the powers of ten float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// pow10u holds the powers of ten below 2^64.
var pow10u = func() (p [20]uint64) {
	p[0] = 1
	for k := 1; k < len(p); k++ {
		p[k] = p[k-1] * 10
	}
	return p
}()

// digitCount returns the number of decimal digits of u (1 for 0).
func digitCount(u uint64) int {
	n := 1
	for n < len(pow10u) && u >= pow10u[n] {
		n++
	}
	return n
}

// pow5 holds the powers of five below 2^64.
var pow5 = func() (p [28]uint64) {
	p[0] = 1
	for k := 1; k < len(p); k++ {
		p[k] = p[k-1] * 5
	}
	return p
}()

// exactDecimal converts digits "." digits (at most 19 digits in all), the
// rates agents send (float32 values printed in full, like
// 1510.6666259765625, which send strconv down its slow path), to the
// correctly rounded value, the same as strconv.ParseFloat (see
// decimalValue); false leaves any other text to strconv.
func exactDecimal(b []byte) (float64, bool) {
	var m uint64
	dot, nd := -1, 0
	for j, c := range b {
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			nd++
		case c == '.' && dot < 0:
			dot = j
		default:
			return 0, false
		}
	}
	if dot < 1 || dot == len(b)-1 || nd > 19 {
		return 0, false
	}
	return decimalValue(m, len(b)-1-dot)
}

// decimalValue converts m / 10^k (m of at most 19 digits) correctly
// rounded, as strconv.ParseFloat: with m < 2^53 and k <= 22 both operands
// are exact and one IEEE division rounds; a larger m of 1 to 19 decimals
// goes through quotient. False for anything else.
func decimalValue(m uint64, k int) (float64, bool) {
	switch {
	case m < 1<<53 && k < len(pow10):
		return float64(m) / pow10[k], true
	case 1 <= k && k <= maxQuotientScale:
		return quotient(m, k), true
	}
	return 0, false
}

func (n *num) setSigned(neg bool, u uint64) {
	if neg && u != 0 {
		n.kind, n.u = numNeg, u
		return
	}
	n.setUint(u)
}

func (n *num) present() bool { return n.kind != numAbsent }

// String renders the number for error messages.
func (n *num) String() string {
	switch n.kind {
	case numUint:
		return strconv.FormatUint(n.u, 10)
	case numNeg:
		return "-" + strconv.FormatUint(n.u, 10)
	case numFloat:
		return strconv.FormatFloat(n.f, 'g', -1, 64)
	}
	return n.got
}

const twoTo64 = 18446744073709551616.0 // 2^64, the first float64 beyond uint64
const twoTo63 = 9223372036854775808.0  // 2^63, the first float64 beyond int64

// counter reads a per-interval or cumulative count: a non-negative whole
// number that fits uint64. Floats with no fraction (5559.0) are accepted.
func (n *num) counter(path string) (uint64, error) {
	switch n.kind {
	case numAbsent:
		return 0, nil
	case numUint:
		return n.u, nil
	case numNeg:
		return 0, &fieldError{path, "expected a non-negative whole number, got " + n.String()}
	case numFloat:
		f := n.f
		switch {
		case math.IsNaN(f):
			return 0, &fieldError{path, "expected a number, got NaN"}
		case f < 0 || f != math.Trunc(f):
			return 0, &fieldError{path, "expected a non-negative whole number, got " + n.String()}
		case f >= twoTo64:
			return 0, &fieldError{path, "number " + n.String() + " out of range"}
		}
		return uint64(f), nil
	}
	return 0, &fieldError{path, "expected a number, got " + n.got}
}

// rate reads a bytes-per-second figure: any finite number.
func (n *num) rate(path string) (float64, error) {
	switch n.kind {
	case numAbsent:
		return 0, nil
	case numUint:
		return float64(n.u), nil
	case numNeg:
		return -float64(n.u), nil
	case numFloat:
		if math.IsNaN(n.f) || math.IsInf(n.f, 0) {
			return 0, &fieldError{path, "expected a finite number, got " + n.String()}
		}
		return n.f, nil
	}
	return 0, &fieldError{path, "expected a number, got " + n.got}
}

// millis reads an epoch-milliseconds timestamp. Agents may send it as a
// float; a fraction of a millisecond is dropped.
func (n *num) millis(path string) (int64, error) {
	switch n.kind {
	case numAbsent:
		return 0, nil
	case numUint:
		if n.u <= math.MaxInt64 {
			return int64(n.u), nil
		}
	case numFloat:
		if n.f >= 0 && n.f < twoTo63 {
			return int64(n.f), nil
		}
	case numBad:
		return 0, &fieldError{path, "expected a number, got " + n.got}
	}
	return 0, &fieldError{path, "expected epoch milliseconds, got " + n.String()}
}

// str is a string field.
type str struct {
	kind valueKind
	s    string
	got  string
}

func (s *str) set(v string) { s.kind, s.s = valid, v }

func (s *str) setBad(got string) { s.kind, s.got = wrongType, got }

// present reports whether the wire carried a non-null value of any type.
func (s *str) present() bool { return s.kind != absent }

// get returns the string; a wrong type is an error naming path.
func (s *str) get(path string) (string, error) {
	if s.kind == wrongType {
		return "", &fieldError{path, "expected a string, got " + s.got}
	}
	return s.s, nil
}

// required is get, with an absent or empty string reported as missing.
func (s *str) required(path string) (string, error) {
	v, err := s.get(path)
	if err == nil && v == "" {
		err = missing(path)
	}
	return v, err
}

// flexBool is a boolean agents send as true/false, 0/1 or their string forms.
type flexBool struct {
	kind valueKind
	v    bool
	got  string
}

func (b *flexBool) set(v bool) { b.kind, b.v = valid, v }

func (b *flexBool) setBad(got string) { b.kind, b.got = wrongType, got }

// present reports whether the wire carried a non-null value of any type.
func (b *flexBool) present() bool { return b.kind != absent }

// setText accepts the string forms "true", "false", "1" and "0".
func (b *flexBool) setText(t []byte) bool {
	switch string(t) {
	case "true", "1":
		b.set(true)
	case "false", "0":
		b.set(false)
	default:
		return false
	}
	return true
}

func (b *flexBool) get(path string) (bool, error) {
	if b.kind == wrongType {
		return false, &fieldError{path, "expected a boolean, got " + b.got}
	}
	return b.v, nil
}

// strList is an array of strings (digest_prev). Only the first
// MaxDigestPrev elements are kept: n counts them all, so that a list too long
// to accept is reported without first being copied in full.
type strList struct {
	kind valueKind
	v    []string
	n    int
	// The kept elements not yet copied (views of the input, valid only
	// while the record is decoded; see joinDigests): the first four in
	// litBuf, the rest in litMore. Counted rather than sliced, so that a
	// list never points into itself.
	litN    int
	litBuf  [4][]byte
	litMore [][]byte
	badIdx  int // element that was not a string; -1 when the value was not an array
	got     string
}

// start resets the list for an array about to be read.
func (l *strList) start() { l.kind, l.v, l.n, l.litN, l.litMore = valid, nil, 0, 0, nil }

// addAlias counts the next element, a string kept as a view of the input.
func (l *strList) addAlias(b []byte) {
	if l.litN < len(l.litBuf) {
		l.litBuf[l.litN] = b
	} else {
		l.litMore = append(l.litMore, b)
	}
	l.litN++
	l.n++
}

// aliases appends the kept elements not yet copied to dst.
func (l *strList) aliases(dst [][]byte) [][]byte {
	dst = append(dst, l.litBuf[:min(l.litN, len(l.litBuf))]...)
	return append(dst, l.litMore...)
}

// keeps reports whether the next element will be kept: callers copy the
// element's string only then.
func (l *strList) keeps() bool { return l.n < MaxDigestPrev }

// add counts the next element, a string, and keeps it while there is room.
func (l *strList) add(s string) {
	if l.keeps() {
		l.v = append(l.v, s)
	}
	l.n++
}

// addBad records that the next element was not a string.
func (l *strList) addBad(got string) {
	l.setBad(l.n, got)
	l.n++
}

func (l *strList) setBad(idx int, got string) {
	if l.kind != wrongType { // keep the first problem
		l.kind, l.badIdx, l.got = wrongType, idx, got
	}
}

func (l *strList) get(path string) ([]string, error) {
	if l.litN > 0 {
		var buf [8][]byte
		l.v, l.litN, l.litMore = joinStrings(l.aliases(buf[:0]), nil), 0, nil
	}
	if l.kind != wrongType {
		return l.v, nil
	}
	if l.badIdx < 0 {
		return nil, &fieldError{path, "expected an array of strings, got " + l.got}
	}
	return nil, &fieldError{path + "[" + strconv.Itoa(l.badIdx) + "]", "expected a string, got " + l.got}
}

// quoteText renders a wire string for an error message, shortened so that a
// huge value cannot blow up the error.
func quoteText[T string | []byte](b T) string {
	const limit = 40
	if len(b) > limit {
		return strconv.Quote(string(b[:limit])) + "..."
	}
	return strconv.Quote(string(b))
}

// internType returns the record type constant for b without allocating when
// b is one of the known types.
func internType(b []byte) string {
	switch string(b) {
	case TypeFlowStats:
		return TypeFlowStats
	case TypeFlow:
		return TypeFlow
	case TypeFlowPurge:
		return TypeFlowPurge
	case TypeFlowDPIUpdate:
		return TypeFlowDPIUpdate
	case TypeFlowDPIComplete:
		return TypeFlowDPIComplete
	case TypeAgentStatus:
		return TypeAgentStatus
	case TypeInterfaceStats:
		return TypeInterfaceStats
	}
	return string(b)
}
