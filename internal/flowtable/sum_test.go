package flowtable

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSumOutgrowingThirtyTwoBitsStaysExact(t *testing.T) {
	var f Flow
	d := Counters{LocalBytes: 1 << 40, LocalPackets: math.MaxUint32 - 1, OtherBytes: 7, OtherPackets: 3, TCPResets: 1, TCPRetrans: 2, TCPSeqErrors: 3}
	f.addSum(d)
	assert.Equal(t, d, f.Sum())
	assert.False(t, f.has(wideSum))

	f.addSum(Counters{LocalPackets: 2, TCPSeqErrors: 1})
	assert.True(t, f.has(wideSum))
	want := d
	want.LocalPackets, want.TCPSeqErrors = math.MaxUint32+1, 4
	assert.Equal(t, want, f.Sum())

	f.addSum(Counters{LocalBytes: math.MaxUint64, TCPRetrans: 1 << 40})
	want.LocalBytes, want.TCPRetrans = math.MaxUint64, 2+1<<40
	assert.Equal(t, want, f.Sum(), "saturates as Counters.Add does")
}

func TestTotalsAndDetectionBeyondThirtyTwoBitsStayExact(t *testing.T) {
	var f Flow
	f.setTotals(1<<40, math.MaxUint32)
	f.setDetectionPackets(12)
	b, p := f.totals()
	assert.Equal(t, [2]uint64{1 << 40, math.MaxUint32}, [2]uint64{b, p})
	assert.Equal(t, uint64(12), f.detectionPackets())
	assert.Nil(t, f.x, "all fit the flow")

	f.setTotals(1<<41, math.MaxUint32+1)
	f.setDetectionPackets(math.MaxUint64)
	b, p = f.totals()
	assert.Equal(t, [2]uint64{1 << 41, math.MaxUint32 + 1}, [2]uint64{b, p})
	assert.Equal(t, uint64(math.MaxUint64), f.detectionPackets())

	// Back under 32 bits: still exact.
	f.setTotals(5, 6)
	f.setDetectionPackets(7)
	b, p = f.totals()
	assert.Equal(t, [2]uint64{5, 6}, [2]uint64{b, p})
	assert.Equal(t, uint64(7), f.detectionPackets())
}
