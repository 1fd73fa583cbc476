package syncbuf

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBufferReadsWhileWritten(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_, err := fmt.Fprintf(&b, "%d", w)
				assert.NoError(t, err)
				_ = b.String() // a reader racing the writers
			}
		}()
	}
	wg.Wait()
	require.Len(t, b.String(), 400)
	assert.Equal(t, b.String(), string(b.Bytes()))
}

func TestBufferBytesIsACopy(t *testing.T) {
	var b Buffer
	_, err := b.Write([]byte("abc"))
	require.NoError(t, err)
	got := b.Bytes()
	got[0] = 'x'
	assert.Equal(t, "abc", b.String())
}
