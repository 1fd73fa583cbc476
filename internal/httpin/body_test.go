package httpin

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readBody returns what io.ReadAll returns, whatever the declared size
// says (right, wrong or unknown) and however the reader splits the bytes.
func TestReadBodyLikeReadAll(t *testing.T) {
	for _, n := range []int{0, 1, 491, bodyBufSize - 1, bodyBufSize, bodyBufSize + 1, maxPooledBody, 3 * maxPooledBody} {
		data := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
		for _, size := range []int64{-1, 0, int64(n), int64(n) + 10, int64(n / 2)} {
			for name, r := range map[string]io.Reader{
				"whole":     bytes.NewReader(data),
				"one byte":  iotest.OneByteReader(bytes.NewReader(data)),
				"data, EOF": iotest.DataErrReader(bytes.NewReader(data)),
			} {
				bp, err := readBody(r, size)
				require.NoError(t, err)
				assert.Equal(t, data, *bp, "n=%d size=%d %s", n, size, name)
				releaseBody(bp)
			}
		}
	}
}

func TestReadBodyError(t *testing.T) {
	boom := errors.New("connection reset")
	bp, err := readBody(io.MultiReader(strings.NewReader("partial"), iotest.ErrReader(boom)), -1)
	assert.Equal(t, boom, err)
	assert.Equal(t, "partial", string(*bp))
	releaseBody(bp)

	w := httptest.NewRecorder()
	bp, err = readBody(http.MaxBytesReader(w, io.NopCloser(strings.NewReader(strings.Repeat("x", 100))), 64), 100)
	var tooBig *http.MaxBytesError
	require.ErrorAs(t, err, &tooBig)
	assert.Equal(t, int64(64), tooBig.Limit)
	releaseBody(bp)
}

// A buffer is reused only below the bound, and reused empty.
func TestReleaseBodyBound(t *testing.T) {
	big := make([]byte, 10, maxPooledBody+1)
	releaseBody(&big)
	assert.Len(t, big, 10, "a buffer over the bound is dropped as it is")
	small := make([]byte, 10, 16)
	releaseBody(&small)
	assert.Empty(t, small, "a pooled buffer is handed back empty")
}
