package flowtable

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAddBothIsAddTwice(t *testing.T) {
	for _, o := range []Counters{
		{LocalBytes: 1, LocalPackets: 2, OtherBytes: 3, OtherPackets: 4, TCPResets: 5, TCPRetrans: 6, TCPSeqErrors: 7},
		{LocalBytes: math.MaxUint64, OtherPackets: 1 << 63, TCPSeqErrors: math.MaxUint64 - 1},
	} {
		c := Counters{LocalBytes: 10, LocalPackets: math.MaxUint64, OtherBytes: 1 << 63, TCPSeqErrors: 2}
		d := Counters{LocalBytes: math.MaxUint64 - 3, OtherPackets: 1 << 63, TCPRetrans: 9}
		wantC, wantD := c, d
		wantC.Add(o)
		wantD.Add(o)
		c.AddBoth(&d, &o)
		assert.Equal(t, wantC, c)
		assert.Equal(t, wantD, d)
	}
}
