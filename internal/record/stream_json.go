package record

import (
	"bytes"
	"encoding/json"
)

// nextJSON reads one JSON frame and queues what it decodes to. Framing and
// resynchronisation follow jsonBody's rules, except that a damaged frame or
// stray text always resumes at the next line: a stream cannot look ahead.
func (d *StreamDecoder) nextJSON() {
	if d.skipLine && !d.skipRestOfLine() {
		return
	}
	c, err := d.skipSpace()
	if err != nil {
		d.err = err
		return
	}
	start := d.off
	if c != '{' && c != '[' {
		d.fail(jsonSyntax(start, "invalid character "+quoteByte(c)+", expected '{' or '['"))
		d.skipLine = true
		return
	}
	if c == '{' && d.oneObject() {
		return
	}
	d.sc.reset()
	d.buf = d.buf[:0]
	over := false
	for {
		chunk, err := d.peek()
		if err != nil {
			if over {
				d.tooLarge()
			}
			d.setErr(err, !over, "JSON")
			return
		}
		n, st := d.sc.scan(chunk)
		if !over && len(d.buf)+n > d.max {
			over, d.buf = true, d.buf[:0]
		}
		if !over {
			d.buf = append(d.buf, chunk[:n]...)
		}
		last := byte(0)
		if n > 0 {
			last = chunk[n-1]
		}
		d.discard(n)
		if st == scanMore {
			continue
		}
		switch {
		case over:
			d.tooLarge()
		case st == scanDone:
			d.frame(start)
			return
		case st == scanNextRecord:
			d.fail(jsonSyntax(d.off, st.problem(0)))
			return
		default:
			d.fail(jsonSyntax(d.off-1, st.problem(last)))
		}
		if st == scanMismatch || st == scanTooDeep {
			d.skipLine = true
		}
		return
	}
}

// oneObject decodes the object at the start of the buffered input in one
// pass when it is there in full (see decodeJSONObject), without copying it.
func (d *StreamDecoder) oneObject() bool {
	tried := d.directTried
	d.directTried = false
	b, err := d.peek()
	if err != nil {
		return false
	}
	if !tried {
		if end, ok := decodeDirect(b, 0, d.reserve(), &d.st); ok && end <= d.max {
			d.discard(end)
			d.idx++
			return true
		}
		d.release()
	}
	rec, end, ok, err := decodeJSONObjectTo(b, 0, &d.st.ar)
	if !ok || end > d.max {
		return false
	}
	if err != nil && isLengthHeader(b[:end]) {
		d.discard(end)
		return true
	}
	d.discard(end)
	if err != nil {
		d.fail(err)
		return true
	}
	d.emit(rec, nil)
	d.idx++
	return true
}

// frame decodes the complete frame in d.buf.
func (d *StreamDecoder) frame(start int64) {
	if d.buf[0] == '[' {
		d.idx = decodeJSON(d.buf, start, d.idx, d)
		return
	}
	if isLengthHeader(d.buf) {
		return
	}
	rec, err := decodeJSONRecord(d.buf, start)
	if err != nil {
		d.fail(err)
		return
	}
	d.emit(rec, nil)
	d.idx++
}

// isLengthHeader recognises the legacy v4 socket's {"length": N} line, an
// object whose only key is "length".
func isLengthHeader(frame []byte) bool {
	if len(frame) > 64 || !bytes.Contains(frame, []byte(`"length"`)) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(frame, &m) != nil || len(m) != 1 {
		return false
	}
	_, ok := m["length"]
	return ok
}

// skipRestOfLine consumes input up to and including the next newline. It
// reports false when the stream ended first (d.err is then set).
func (d *StreamDecoder) skipRestOfLine() bool {
	for {
		b, err := d.peek()
		if err != nil {
			d.err = err
			return false
		}
		if k := bytes.IndexByte(b, '\n'); k >= 0 {
			d.discard(k + 1)
			d.skipLine = false
			return true
		}
		d.discard(len(b))
	}
}
