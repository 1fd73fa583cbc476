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

// emitter receives decoded records and errors in body order.
type emitter interface {
	emit(rec Record, err error)
}

// results collects a body's records and errors for Decode.
type results struct {
	recs []Record
	errs []error
}

func (r *results) emit(rec Record, err error) {
	if err != nil {
		r.errs = append(r.errs, err)
		return
	}
	r.recs = append(r.recs, rec)
}
