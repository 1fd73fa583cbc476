package record

import (
	"errors"
	"strconv"
)

// Sentinels callers can test with errors.Is on a *DecodeError.
var (
	// ErrUnsupportedContentType: the body's media type is neither JSON nor msgpack.
	ErrUnsupportedContentType = errors.New("unsupported content type")
	// ErrEmptyBody: the body held no bytes (or, for JSON, only whitespace).
	ErrEmptyBody = errors.New("empty body")
	// ErrRecordTooLarge: a stream record exceeded the decoder's size limit.
	ErrRecordTooLarge = errors.New("record exceeds the size limit")
)

// DecodeError is one record that could not be decoded. Index is the record's
// 0-based position in the body or stream (good and bad records both count);
// it is -1 for errors about the body as a whole (empty body, unsupported
// content type).
type DecodeError struct {
	Index int
	Err   error
}

func (e *DecodeError) Error() string {
	if e.Index < 0 {
		return e.Err.Error()
	}
	return "record " + strconv.Itoa(e.Index) + ": " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// fieldError names the field of a record that was missing or wrong.
type fieldError struct {
	path    string // dotted path, e.g. "flow.local_bytes"; "" for the record itself
	problem string
}

func (e *fieldError) Error() string {
	if e.path == "" {
		return e.problem
	}
	return e.path + ": " + e.problem
}

func missing(path string) error {
	return &fieldError{problem: "missing " + strconv.Quote(path)}
}

// syntaxError is a record whose bytes are not valid JSON or msgpack.
type syntaxError struct {
	encoding string // "JSON" or "msgpack"
	offset   int64  // of the offending byte, from the start of the body or stream
	msg      string
}

func (e *syntaxError) Error() string {
	return "invalid " + e.encoding + " at byte " + strconv.FormatInt(e.offset, 10) + ": " + e.msg
}

func jsonSyntax(offset int64, msg string) error {
	return &syntaxError{encoding: "JSON", offset: offset, msg: msg}
}

func msgpackSyntax(offset int64, msg string) error {
	return &syntaxError{encoding: "msgpack", offset: offset, msg: msg}
}

// MaxKeptErrors is how many decode errors of one delivery DecodeBody keeps
// with their message; past it bad records are only counted. A body of bad
// bytes then costs a counter, not one stored error per byte.
const MaxKeptErrors = 20

// errNotKept stands for a decode error past the delivery's cap: it is
// counted, and its message is never built.
var errNotKept = errors.New("decode error past the kept limit")

// emitter receives decoded records and errors in body order.
type emitter interface {
	emit(rec Record, err error)
	// keepsErrors reports whether the next error is kept; when false the
	// decoders pass errNotKept instead of building the error.
	keepsErrors() bool
	// reserve appends a zero record to the output for a decoder to fill
	// in place (see decodeDirect); release takes it back.
	reserve() *Record
	release()
	// state is what the decoder keeps from record to record.
	state() *decoderState
}

// results collects a body's records and errors for Decode and DecodeBody.
type results struct {
	recs []Record
	errs []error
	bad  int
	// limit caps errs; 0 keeps every error.
	limit int
	// countOther: records of types the receiver does not take are counted
	// in other rather than kept, so a body of them costs no memory.
	countOther bool
	other      int
	// st outlives the body: results are pooled with it (see decode).
	st decoderState
}

func (r *results) reserve() *Record {
	r.recs = append(r.recs, Record{})
	return &r.recs[len(r.recs)-1]
}

func (r *results) release() { r.recs = r.recs[:len(r.recs)-1] }

func (r *results) state() *decoderState { return &r.st }

func (r *results) keepsErrors() bool { return r.limit == 0 || len(r.errs) < r.limit }

func (r *results) emit(rec Record, err error) {
	if err != nil {
		r.bad++
		if err != errNotKept && r.keepsErrors() {
			r.errs = append(r.errs, err)
		}
		return
	}
	if r.countOther && !rec.IsFlow() && !IsAgentReport(rec.Type) {
		r.other++
		return
	}
	r.recs = append(r.recs, rec)
}

// failAt hands out the error of the record at idx, or errNotKept when out
// keeps no more errors.
func failAt(out emitter, idx int, err error) {
	if !out.keepsErrors() {
		out.emit(Record{}, errNotKept)
		return
	}
	out.emit(Record{}, &DecodeError{Index: idx, Err: err})
}
