package record

import (
	"encoding/binary"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// exactDecimal must agree with strconv.ParseFloat wherever it answers.
func TestExactDecimalMatchesStrconv(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, ok := exactDecimal([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactDecimal(%q) = %v, strconv: %v (%v)", s, got, want, err)
		}
	}
	for _, s := range []string{"1510.6666259765625", "29478.0", "0.5", "0.1", "123456789.123456789", "9007199254740993.0",
		"0.0000000000000000001", "1.0000000000000000001", "18446744073709551.615"} {
		check(s)
	}
	answered := 0
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		f32 := math.Float32frombits(rng.Uint32() & 0x7f7fffff) // finite, non-negative
		s := strconv.FormatFloat(float64(f32), 'f', -1, 64)
		if _, ok := exactDecimal([]byte(s)); ok {
			answered++
		}
		check(s)
		check(strconv.FormatFloat(rng.Float64()*math.Pow(10, float64(rng.IntN(12))), 'f', rng.IntN(12), 64))
	}
	if answered == 0 {
		t.Fatal("exactDecimal answered for no float32 value")
	}
	for _, s := range []string{"1.", ".5", "1.2.3", "12", "1e5", "99999999999999999999.5"} {
		if _, ok := exactDecimal([]byte(s)); ok {
			t.Errorf("exactDecimal(%q) answered; want it left to strconv", s)
		}
	}
	if f, ok := exactDecimal([]byte("1510.6666259765625")); !ok || f != 1510.6666259765625 {
		t.Errorf("exactDecimal(1510.6666259765625) = %v, %v", f, ok)
	}
}

func TestNextSpecial(t *testing.T) {
	for c := range 256 {
		special := c == '"' || c == '\\' || c < 0x20
		for n := 1; n <= 20; n++ {
			for p := range n {
				b := []byte(strings.Repeat("a", n))
				b[p] = byte(c)
				want := n
				if special {
					want = p
				}
				if got := nextSpecial(b, 0); got != want {
					t.Fatalf("nextSpecial(%q) = %d, want %d", b, got, want)
				}
			}
		}
	}
	// Several special bytes: the first one counts, whatever follows it.
	if got := nextSpecial([]byte("ab\\\"\x01\"cdefgh"), 0); got != 2 {
		t.Fatalf("nextSpecial = %d, want 2", got)
	}
}

func TestValidDigestMatchesIsHexDigest(t *testing.T) {
	for c := range 256 {
		for n := 1; n <= 20; n++ {
			for p := range n {
				b := []byte(strings.Repeat("aF09", 5)[:n])
				b[p] = byte(c)
				if got, want := validDigest(string(b)), isHexDigest(string(b)); got != want {
					t.Fatalf("validDigest(%q) = %v, isHexDigest %v", b, got, want)
				}
			}
		}
	}
	for _, n := range []int{0, 1, 40, 64, 65} {
		s := strings.Repeat("aF0", 30)[:n]
		if validDigest(s) != isHexDigest(s) {
			t.Fatalf("validDigest of %d characters = %v, isHexDigest %v", n, validDigest(s), isHexDigest(s))
		}
	}
}

// TestNonHex8FlagsTheFirstNonHexByte: in a word of hex digits with one byte
// replaced, nonHex8's lowest flag is that byte's exactly when it is not a
// hex digit, whatever the byte and its place.
func TestNonHex8FlagsTheFirstNonHexByte(t *testing.T) {
	for c := range 256 {
		for p := range 8 {
			b := []byte("aF09bE87")
			b[p] = byte(c)
			m := nonHex8(binary.LittleEndian.Uint64(b))
			first := 8
			if m != 0 {
				first = bits.TrailingZeros64(m) >> 3
			}
			want := 8
			if !isHex(byte(c)) {
				want = p
			}
			if first != want {
				t.Fatalf("nonHex8(%q) flags byte %d first, want %d", b, first, want)
			}
		}
	}
}
