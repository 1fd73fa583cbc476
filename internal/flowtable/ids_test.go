package flowtable

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHexDigits4IsHexEncoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(b [4]byte) {
		t.Helper()
		want := hex.EncodeToString(b[:])
		got := hexDigits4(binary.LittleEndian.Uint32(b[:]))
		var gb [8]byte
		binary.LittleEndian.PutUint64(gb[:], got)
		if string(gb[:]) != want {
			t.Fatalf("hexDigits4(% x) = %q, want %q", b, gb, want)
		}
	}
	// Every byte value in every position, then random words.
	for pos := range 4 {
		for v := range 256 {
			var b [4]byte
			b[pos] = byte(v)
			b[(pos+1)%4] = byte(255 - v)
			check(b)
		}
	}
	for range 100_000 {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], rng.Uint32())
		check(b)
	}
}

// TestEqualMatchesUnpacking checks equal against comparing the unpacked
// digest: every one-character change of a digest, at every length up to a
// few words, is told apart.
func TestEqualMatchesUnpacking(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "0123456789abcdefABCDEFgz"
	for n := 1; n <= 13; n++ {
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		d := hex.EncodeToString(raw)
		s := newIDs(d)
		tag, body, _ := s.entry(1)
		if !equal(tag, body, d) {
			t.Fatalf("equal misses %q", d)
		}
		for i := range d {
			for _, c := range []byte(alphabet) {
				if c == d[i] {
					continue
				}
				other := []byte(d)
				other[i] = c
				if equal(tag, body, string(other)) {
					t.Fatalf("equal takes %q for %q", other, d)
				}
			}
		}
		if equal(tag, body, d[:len(d)-1]) || equal(tag, body, d+"0") {
			t.Fatalf("equal takes a digest of another length for %q", d)
		}
	}
}

// TestPackedHexWordwise checks lowerHex8, appendHexDecoded and encodeHex
// against the byte by byte definitions: every byte value in every position
// of a digest of lowercase hex, and random digests of every packable length.
func TestPackedHexWordwise(t *testing.T) {
	isLower := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }
	check := func(d []byte) {
		t.Helper()
		want := len(d) > 0 && len(d)%2 == 0 && len(d)/2 <= maxPackedHex
		for _, c := range d {
			want = want && isLower(c)
		}
		if got := packedHex(string(d)); got != want {
			t.Fatalf("packedHex(%q) = %v, want %v", d, got, want)
		}
		if !want {
			return
		}
		wantBytes, err := hex.DecodeString(string(d))
		if err != nil {
			t.Fatal(err)
		}
		got := appendHexDecoded([]byte{0xaa}, string(d))
		if got[0] != 0xaa || string(got[1:]) != string(wantBytes) {
			t.Fatalf("appendHexDecoded(%q) = % x, want aa % x", d, got, wantBytes)
		}
		var buf digestBuf
		if back := encodeHex(&buf, string(wantBytes)); string(back) != string(d) {
			t.Fatalf("encodeHex(% x) = %q, want %q", wantBytes, back, d)
		}
		if packed := ids(appendID([]byte{0}, string(d))); !packed.isStable(string(d)) || packed[1] != hexTag|byte(len(d)/2) {
			t.Fatalf("appendID(%q) = % x", d, packed)
		}
	}
	base := []byte("0123456789abcdef0123456789abcdef01234567")
	for pos := range base {
		for v := range 256 {
			d := append([]byte(nil), base...)
			d[pos] = byte(v)
			check(d)
			check(d[:pos+1])
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const digits = "0123456789abcdef"
	for n := 0; n <= 2*maxPackedHex+2; n++ {
		for range 20 {
			d := make([]byte, n)
			for i := range d {
				d[i] = digits[rng.IntN(16)]
			}
			check(d)
		}
	}
}

// TestHexEqualEveryPosition checks hexEqual against hex.EncodeToString for
// bodies of every packable length, with the digest changed at each position
// (a digit that differs, an uppercase one) and one digit too long or short.
func TestHexEqualEveryPosition(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n <= maxPackedHex; n++ {
		body := make([]byte, n)
		for i := range body {
			body[i] = byte(rng.Uint32())
		}
		d := hex.EncodeToString(body)
		if !hexEqual(string(body), d) {
			t.Fatalf("hexEqual(% x, %q) = false", body, d)
		}
		for i := range d {
			for _, c := range []byte{d[i] ^ 1, 'A' + d[i]%6, 'g'} {
				e := []byte(d)
				e[i] = c
				if got, want := hexEqual(string(body), string(e)), string(e) == d; got != want {
					t.Fatalf("hexEqual(% x, %q) = %v, want %v", body, e, got, want)
				}
			}
		}
		if hexEqual(string(body), d+"0") || n > 0 && hexEqual(string(body), d[:len(d)-1]) {
			t.Fatalf("hexEqual(% x) took a digest of another length", body)
		}
	}
}

// TestFarAliasIsSizedByItsPackedLength: adding a 40-digit alias to ids held
// out of line allocates the packed size (20 bytes and a tag), not the
// digest's text length: 112 bytes a flow here instead of 144.
func TestFarAliasIsSizedByItsPackedLength(t *testing.T) {
	const n = 1000
	digest := func(i, k int) string { return fmt.Sprintf("%08x%032x", i, k) }
	flows := make([]Flow, n)
	for i := range flows {
		f := &flows[i]
		f.initIDs(digest(i, 0))
		for k := 1; k <= 3; k++ {
			f.addID(digest(i, k), false)
		}
		require.Zero(t, f.idLen, "four digests are held out of line")
	}
	fifth := make([]string, n)
	for i := range fifth {
		fifth[i] = digest(i, 4)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range flows {
		flows[i].addID(fifth[i], false)
	}
	runtime.ReadMemStats(&after)
	perFlow := float64(after.TotalAlloc-before.TotalAlloc) / n
	assert.LessOrEqual(t, perFlow, 112.0, "bytes allocated per alias added")
	for i := range flows {
		assert.True(t, flows[i].ids().holds(fifth[i]))
	}
}
