package flowlogs

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func digests(rs []Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Digest
	}
	return out
}

// The ring keeps order across wrap-arounds and growth, and refuses past
// its bound.
func TestRingOrderGrowthAndBound(t *testing.T) {
	q := newRing(100)
	assert.Empty(t, q.buf, "nothing allocated before the first record")
	var want []string
	next := 0
	push := func(n int) {
		for range n {
			d := string(rune('a'+next%26)) + string(rune('0'+next/26%10))
			require.True(t, q.push(Record{Digest: d}))
			want = append(want, d)
			next++
		}
	}
	push(50)
	q.drop(40)
	want = want[40:]
	push(60) // wraps around the 64-slot buffer, then grows
	assert.Equal(t, 70, q.n)
	assert.Equal(t, want, digests(q.peek(nil, 1000)))
	push(30)
	assert.Equal(t, 100, len(q.buf), "grown to the bound, not past it")
	assert.False(t, q.push(Record{Digest: "over"}))
	assert.Equal(t, want[:5], digests(q.peek(nil, 5)))
	q.drop(1000)
	assert.Zero(t, q.n)
	assert.Empty(t, q.peek(nil, 10))
}
