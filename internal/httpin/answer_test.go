package httpin

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The answer written without the encoder is byte for byte the encoder's.
func TestWriteAnswerMatchesEncoder(t *testing.T) {
	answers := []Answer{
		{},
		{Accepted: 1},
		{Skipped: 1},
		{Accepted: 7, Skipped: 3, Rejected: 20},
		{Accepted: math.MaxInt, Skipped: math.MinInt, Rejected: -1},
		{Accepted: 2, Rejected: 1, Errors: []string{`record 1: "a" <b> & c`}},
	}
	for _, a := range answers {
		var want bytes.Buffer
		require.NoError(t, json.NewEncoder(&want).Encode(a))
		w := httptest.NewRecorder()
		writeAnswer(w, http.StatusAccepted, a)
		assert.Equal(t, want.String(), w.Body.String(), "answer %+v", a)
		assert.Equal(t, http.StatusAccepted, w.Code)
		assert.Equal(t, []string{"application/json"}, w.Result().Header.Values("Content-Type"))
	}
}

// Changing one answer's header afterwards leaves the shared value alone.
func TestWriteAnswerHeaderNotShared(t *testing.T) {
	w := httptest.NewRecorder()
	writeAnswer(w, http.StatusOK, Answer{Accepted: 1})
	w.Header().Add("Content-Type", "text/plain")
	assert.Equal(t, []string{"application/json"}, jsonContentType)
	w2 := httptest.NewRecorder()
	writeAnswer(w2, http.StatusOK, Answer{Accepted: 1})
	assert.Equal(t, []string{"application/json"}, w2.Result().Header.Values("Content-Type"))
}

func BenchmarkWriteAnswer(b *testing.B) {
	w := discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		writeAnswer(w, http.StatusOK, Answer{Accepted: 1})
	}
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d discardWriter) WriteHeader(int)             {}
