package flowtable

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestViewKeysKeepTheirValuesPerCount(t *testing.T) {
	var f Flow
	k := f.ViewKeys(3, -2)
	assert.Equal(t, []int32{-2, -2, -2}, k)
	k[1] = 5
	assert.Equal(t, []int32{-2, 5, -2}, f.ViewKeys(3, -2), "kept in the flow")
	assert.Nil(t, f.x, "three keys fit inline")

	// More views than fit inline.
	k = f.ViewKeys(5, -1)
	assert.Equal(t, []int32{-1, -1, -1, -1, -1}, k)
	k[4] = 9
	assert.Equal(t, []int32{-1, -1, -1, -1, 9}, f.ViewKeys(5, -1))

	// Another number of views starts over.
	assert.Equal(t, []int32{-2, -2}, f.ViewKeys(2, -2))
	assert.Equal(t, []int32{-3, -3, -3, -3}, f.ViewKeys(4, -3))
	assert.Empty(t, f.ViewKeys(0, -2))
}

func TestFlowIDsMoveToExtraWhenTheyOutgrowTheFlow(t *testing.T) {
	hex := func(i int) string { return fmt.Sprintf("%040x", i) }
	var f Flow
	f.initIDs(hex(0))
	want := newIDs(hex(0))
	f.addID(hex(0), true)
	want = want.with(hex(0), true)
	for i := 1; i < 6; i++ {
		f.addID(hex(i), false)
		want = want.with(hex(i), false)
		assert.Equal(t, want, f.ids())
		assert.Equal(t, i < 3, f.idLen > 0, "three 40-hex digests fit inline, %d do not", i+1)
	}
	assert.Equal(t, hex(0), f.Digest())
	for i := 0; i < 6; i++ {
		assert.True(t, f.ids().holds(hex(i)))
	}

	// A long stable digest goes to the extra from the start.
	var g Flow
	long := strings.Repeat("x", 100)
	g.initIDs(long)
	assert.Zero(t, g.idLen)
	g.addID("d", false)
	assert.Equal(t, long, g.Digest())
	assert.True(t, g.ids().holds("d"))
}
