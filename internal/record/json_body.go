package record

import "bytes"

// jsonBody decodes the JSON records of a body held in memory: one object,
// arrays of objects, or objects one per line or back to back.
//
// Resynchronisation after a damaged record, best effort:
//   - a complete but invalid frame ({...} balanced) costs only itself;
//   - a frame cut short by a newline inside a string resumes after that newline;
//   - a frame cut short where the next record visibly starts (a '{' at the
//     start of a line, or right after a '}') resumes at that '{';
//   - anything else (stray text, unmatched brackets) resumes at the start of
//     the next line, or, when no newline follows, at the next '{';
//   - a frame still open at the end of the body ends decoding.
type jsonBody struct {
	data []byte
	base int64 // offset of data in the body or stream, for error positions
	idx  int   // index of the next record
	out  emitter
	sc   frameScanner
}

// decodeJSON decodes data and returns the index after its last record.
func decodeJSON(data []byte, base int64, idx int, out emitter) int {
	j := jsonBody{data: data, base: base, idx: idx, out: out}
	j.run()
	return j.idx
}

func (j *jsonBody) run() {
	b := j.data
	p := skipSpace(b, 0)
	for p < len(b) {
		switch b[p] {
		case '{':
			p = j.frame(p)
		case '[':
			p = j.array(p + 1)
		default:
			j.failSyntax(p, func() string { return "invalid character " + quoteByte(b[p]) + ", expected '{' or '['" })
			p = j.resync(p + 1)
		}
		p = skipSpace(b, p)
	}
}

// frame decodes the object or array starting at p as one record and returns
// where decoding resumes.
func (j *jsonBody) frame(p int) int {
	if end, ok := j.oneObject(p); ok {
		return end
	}
	j.sc.reset()
	n, st := j.sc.scan(j.data[p:])
	end := p + n
	switch st {
	case scanDone:
		j.record(j.data[p:end], p)
		return end
	case scanBadString, scanMismatch, scanTooDeep:
		j.failSyntax(end-1, func() string { return st.problem(j.data[end-1]) })
		if st == scanBadString {
			return end
		}
		return j.resync(end)
	}
	j.failSyntax(end, func() string { return st.problem(0) })
	return end
}

// array decodes the elements of an array whose '[' precedes p. It tolerates
// missing commas and a missing ']' at the end of the body.
func (j *jsonBody) array(p int) int {
	b := j.data
	for {
		p = skipSpace(b, p)
		if p >= len(b) {
			return p
		}
		switch b[p] {
		case ']':
			return p + 1
		case ',':
			p++
		case '{', '[':
			p = j.frame(p)
		default:
			// Not an object: let encoding/json say what it is.
			end := skipScalar(b, p)
			j.record(b[p:end], p)
			p = end
		}
	}
}

// skipScalar returns the end of the string, number or literal at p, at
// least one byte on.
func skipScalar(b []byte, p int) int {
	if b[p] == '"' {
		if e := bytes.IndexByte(b[p+1:], '\n'); e >= 0 {
			return min(skipJSONString(b, p), p+1+e)
		}
		return skipJSONString(b, p)
	}
	end := p + 1
	for end < len(b) {
		switch b[end] {
		case ',', ']', '}', '{', '[', '"', ' ', '\t', '\n', '\r':
			return end
		}
		end++
	}
	return end
}

func (j *jsonBody) resync(p int) int {
	b := j.data
	if p >= len(b) {
		return len(b)
	}
	if k := bytes.IndexByte(b[p:], '\n'); k >= 0 {
		return p + k + 1
	}
	if k := bytes.IndexByte(b[p:], '{'); k >= 0 {
		return p + k
	}
	return len(b)
}

func (j *jsonBody) record(frame []byte, p int) {
	rec, err := decodeJSONRecord(frame, j.base+int64(p))
	if err != nil {
		j.fail(err)
		return
	}
	j.out.emit(rec, nil)
	j.idx++
}

// failSyntax reports a syntax error at p, building its message only when
// the error is kept.
func (j *jsonBody) failSyntax(p int, msg func() string) {
	if !j.out.keepsErrors() {
		j.fail(errNotKept)
		return
	}
	j.fail(jsonSyntax(j.base+int64(p), msg()))
}

func (j *jsonBody) fail(err error) {
	failAt(j.out, j.idx, err)
	j.idx++
}
