package flowtable

import (
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
