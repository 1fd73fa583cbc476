package record

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// quotient is strconv.ParseFloat's result for every decimal it converts:
// random mantissas of every length and scale, the float32 values agents
// print, and exact ties between two floats (rounded to even).
func TestQuotientMatchesParseFloat(t *testing.T) {
	check := func(v uint64, k int) {
		t.Helper()
		s := strconv.FormatUint(v, 10)
		for len(s) <= k {
			s = "0" + s
		}
		lit := s[:len(s)-k] + "." + s[len(s)-k:]
		want, err := strconv.ParseFloat(lit, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := quotient(v, k); got != want {
			t.Fatalf("quotient(%d, %d) = %v, ParseFloat(%s) = %v", v, k, got, lit, want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 200000; n++ {
		k := 1 + rng.IntN(19)
		v := rng.Uint64() >> rng.UintN(64)
		if v == 0 {
			v = 1
		}
		if digitCount(v) > 19 {
			v /= 10
		}
		check(v, k)
	}
	// float32 values in float64's shortest form, as agents print rates.
	for n := 0; n < 100000; n++ {
		f := float64(rng.Float32() * float32(rng.IntN(100000)+1))
		lit := strconv.FormatFloat(f, 'f', -1, 64)
		var v uint64
		k := -1
		for _, c := range []byte(lit) {
			if c == '.' {
				k = 0
				continue
			}
			v = v*10 + uint64(c-'0')
			if k >= 0 {
				k++
			}
		}
		if k > 0 && v > 0 && len(lit) <= 20 {
			check(v, k)
		}
	}
	// Ties: an odd 54-bit integer over 2^t lies halfway between two
	// floats; its decimal is (n * 5^t) / 10^t.
	for n := 0; n < 100000; n++ {
		odd := 1<<53 | rng.Uint64()&(1<<53-1) | 1
		tt := 1 + rng.IntN(3)
		check(odd*pow5[tt], tt)
	}
	check(90071992547409915, 1) // 2^53 - 0.5: to even, 2^53
	check(1, 19)
	check(9999999999999999999, 19)
	check(9999999999999999999, 1)
}
