package record

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
)

// Decode decodes the records of one delivery (an HTTP body, an MQTT message).
//
// contentType selects the encoding; its parameters (charset) are ignored.
// JSON: application/json, application/x-ndjson, text/plain or none; msgpack:
// application/msgpack, application/x-msgpack, application/vnd.msgpack. The
// body may hold one record, an array of records, or records one per line or
// back to back.
//
// A malformed record costs only itself: recs holds every good record in body
// order and errs one *DecodeError per bad one, naming its index and what was
// wrong. Body-level problems (empty body, unsupported content type) are a
// single *DecodeError with Index -1.
func Decode(body []byte, contentType string) (recs []Record, errs []error) {
	b := decode(nil, body, contentType, 0, false)
	return b.Records, b.Errors
}

// DecodeAppend is Decode appending the records to recs, so that a caller
// decoding many bodies can reuse one slice (Decode allocates one per body).
func DecodeAppend(recs []Record, body []byte, contentType string) ([]Record, []error) {
	b := decode(recs, body, contentType, 0, false)
	return b.Records, b.Errors
}

// Body is what DecodeBody made of one delivery.
type Body struct {
	// Records are the good records, in body order.
	Records []Record
	// Errors are the first MaxKeptErrors decode errors (*DecodeError).
	Errors []error
	// Bad counts every record that could not be decoded, kept in Errors or
	// not; a body-level problem counts as one.
	Bad int
	// Other counts records of types the receiver does not take (neither a
	// flow record nor an agent's report): counted, not kept.
	Other int
}

// DecodeBody is Decode for the inputs: it keeps the first MaxKeptErrors
// errors and only counts the rest, so that what one delivery costs is
// bounded by its size whatever it holds.
func DecodeBody(body []byte, contentType string) Body {
	return decode(nil, body, contentType, MaxKeptErrors, true)
}

func decode(recs []Record, body []byte, contentType string, maxErrs int, countOther bool) Body {
	enc, err := encodingOf(contentType)
	if err != nil {
		return Body{Records: recs, Errors: []error{&DecodeError{Index: -1, Err: err}}, Bad: 1}
	}
	if enc == encJSON {
		body = bytes.TrimPrefix(body, utf8BOM)
		if skipSpace(body, 0) == len(body) {
			body = nil
		}
	}
	if len(body) == 0 {
		return Body{Records: recs, Errors: []error{&DecodeError{Index: -1, Err: ErrEmptyBody}}, Bad: 1}
	}
	// The records slice grows with what the body really holds: sizing it
	// from the body (newline counts) let a small compressed body of
	// newlines allocate megabytes.
	if recs == nil {
		recs = []Record{}
	}
	// res reaches the decoders as an emitter interface, which makes it
	// escape: pooled, so that decoding a body allocates nothing itself.
	res := resultsPool.Get().(*results)
	res.recs, res.limit, res.countOther = recs, maxErrs, countOther
	if enc == encJSON {
		decodeJSON(body, 0, 0, res)
	} else {
		decodeMsgpack(body, 0, 0, res)
	}
	b := Body{Records: res.recs, Errors: res.errs, Bad: res.bad, Other: res.other}
	res.recs, res.errs, res.bad, res.other = nil, nil, 0, 0
	resultsPool.Put(res)
	return b
}

var resultsPool = sync.Pool{New: func() any { return new(results) }}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

type encoding uint8

const (
	encJSON encoding = iota
	encMsgpack
)

func encodingOf(contentType string) (encoding, error) {
	if contentType == "application/json" {
		return encJSON, nil
	}
	mt := contentType
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.TrimSpace(mt)
	for _, t := range [...]string{"", "application/json", "application/x-ndjson", "text/plain"} {
		if strings.EqualFold(mt, t) {
			return encJSON, nil
		}
	}
	for _, t := range [...]string{"application/msgpack", "application/x-msgpack", "application/vnd.msgpack"} {
		if strings.EqualFold(mt, t) {
			return encMsgpack, nil
		}
	}
	// Bounded: the content type is the sender's text.
	return 0, fmt.Errorf("%w %s", ErrUnsupportedContentType, quoteText(mt))
}
