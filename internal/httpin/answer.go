package httpin

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// jsonContentType is the Content-Type of every answer, one slice shared by
// all of them: net/http copies the header when the status is written, and a
// header value set per request would be an allocation per request.
var jsonContentType = []string{"application/json"}

// writeAnswer writes a as JSON, byte for byte what json.Encoder writes.
// An answer without errors (every answer to a well-behaved agent) is
// formatted into a pooled buffer; errors take the encoder, which escapes
// them.
func writeAnswer(w http.ResponseWriter, status int, a Answer) {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	if len(a.Errors) > 0 {
		_ = json.NewEncoder(w).Encode(a)
		return
	}
	// A buffer on the stack would escape through the Write interface call.
	bp := bodyPool.Get().(*[]byte)
	*bp = appendCounts((*bp)[:0], a)
	_, _ = w.Write(*bp)
	releaseBody(bp)
}

// appendCounts appends the JSON of an answer without errors and the
// newline json.Encoder ends it with.
func appendCounts(b []byte, a Answer) []byte {
	b = append(b, `{"accepted":`...)
	b = strconv.AppendInt(b, int64(a.Accepted), 10)
	b = append(b, `,"skipped":`...)
	b = strconv.AppendInt(b, int64(a.Skipped), 10)
	b = append(b, `,"rejected":`...)
	b = strconv.AppendInt(b, int64(a.Rejected), 10)
	return append(b, "}\n"...)
}
