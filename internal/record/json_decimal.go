package record

import (
	"math"
	"math/bits"
)

// maxQuotientScale is the most decimals quotient converts.
const maxQuotientScale = 19

// quotient returns v / 10^k correctly rounded (to nearest, ties to even,
// as strconv.ParseFloat), for 1 <= v < 2^64 and 1 <= k <=
// maxQuotientScale: the decimals of at most 19 digits that float64(v) /
// 10^k cannot convert exactly because v is 2^53 or more, such as the
// float32 rates agents print in their shortest form (935.3333129882812).
//
// v / 10^k = v / 5^k / 2^k. v is shifted left so that its quotient by 5^k
// has 63 or 64 bits (one 128-by-64-bit division); the quotient's top 53
// bits are the result's mantissa, the bits below them and the remainder
// decide the rounding. The result is far from the subnormals and from
// overflow (1e-19 to 2^64), so the float is built from its fields.
func quotient(v uint64, k int) float64 {
	d := pow5[k]
	s := uint(bits.Len64(d) + 63 - bits.Len64(v)) // 2 <= s <= 108
	var hi, lo uint64
	if s >= 64 {
		hi = v << (s - 64)
	} else {
		hi, lo = v>>(64-s), v<<s
	}
	q, rem := bits.Div64(hi, lo, d)   // hi < d: v<<s < 2^(len(d)+63) <= d<<64
	shift := uint(bits.Len64(q) - 53) // q >= 2^62: 10 or 11
	mant, low, half := q>>shift, q&(1<<shift-1), uint64(1)<<(shift-1)
	if low > half || low == half && (rem != 0 || mant&1 == 1) {
		mant++
		if mant == 1<<53 {
			mant >>= 1
			shift++
		}
	}
	// mant * 2^(shift-s-k), mant in [2^52, 2^53).
	exp := int(shift) - int(s) - k + 52 + 1023
	return math.Float64frombits(uint64(exp)<<52 | mant&(1<<52-1))
}
