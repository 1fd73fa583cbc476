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
	return DecodeAppend(nil, body, contentType)
}

// DecodeAppend is Decode appending the records to recs, so that a caller
// decoding many bodies can reuse one slice (Decode allocates one per body).
func DecodeAppend(recs []Record, body []byte, contentType string) ([]Record, []error) {
	enc, err := encodingOf(contentType)
	if err != nil {
		return recs, []error{&DecodeError{Index: -1, Err: err}}
	}
	if enc == encJSON {
		body = bytes.TrimPrefix(body, utf8BOM)
		if skipSpace(body, 0) == len(body) {
			body = nil
		}
	}
	if len(body) == 0 {
		return recs, []error{&DecodeError{Index: -1, Err: ErrEmptyBody}}
	}
	if recs == nil {
		recs = make([]Record, 0, estimateRecords(body, enc))
	}
	// res reaches the decoders as an emitter interface, which makes it
	// escape: pooled, so that decoding a body allocates nothing itself.
	res := resultsPool.Get().(*results)
	res.recs = recs
	if enc == encJSON {
		decodeJSON(body, 0, 0, res)
	} else {
		decodeMsgpack(body, 0, 0, res)
	}
	recs, errs := res.recs, res.errs
	*res = results{}
	resultsPool.Put(res)
	return recs, errs
}

var resultsPool = sync.Pool{New: func() any { return new(results) }}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

type encoding uint8

const (
	encJSON encoding = iota
	encMsgpack
)

func encodingOf(contentType string) (encoding, error) {
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
	return 0, fmt.Errorf("%w %q", ErrUnsupportedContentType, mt)
}

// estimateRecords sizes the result slice: newline-delimited JSON has about
// one record per line; anything else starts small and grows.
func estimateRecords(body []byte, enc encoding) int {
	if enc != encJSON || len(body) < 4096 {
		return 1
	}
	return min(bytes.Count(body, []byte{'\n'})+1, 1<<16)
}
