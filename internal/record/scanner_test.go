package record

import (
	"math/rand/v2"
	"testing"
)

// scanBytewise is frameScanner.scan as it was before strings were skipped
// a word at a time: every byte through the state machine. The test below
// holds the word-at-a-time scan to it.
func scanBytewise(s *frameScanner, b []byte) (n int, st scanStatus) {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if s.inStr {
			switch {
			case s.esc:
				s.esc = false
			case c == '\\':
				s.esc = true
			case c == '"':
				s.inStr = false
				s.lastSig = c
			case c == '\n':
				return i + 1, scanBadString
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r':
			s.afterNL = false
			continue
		case '\n':
			s.afterNL = true
			continue
		case '"':
			s.inStr = true
		case '{', '[':
			if s.depth == 0 {
				s.outer = c
			} else if c == '{' && (s.lastSig == '}' || s.afterNL && s.outer == '{') {
				return i, scanNextRecord
			}
			if s.depth >= maxDepth {
				return i + 1, scanTooDeep
			}
			word, bit := s.depth/64, uint64(1)<<(s.depth%64)
			if c == '{' {
				s.objects[word] |= bit
			} else {
				s.objects[word] &^= bit
			}
			s.depth++
		case '}', ']':
			top := s.depth - 1
			if top < 0 || (s.objects[top/64]>>(top%64)&1 == 1) != (c == '}') {
				return i + 1, scanMismatch
			}
			s.depth = top
			if top == 0 {
				return i + 1, scanDone
			}
		}
		s.afterNL = false
		s.lastSig = c
	}
	return len(b), scanMore
}

// TestScanMatchesBytewise: on records and random mixes of the bytes that
// matter to the scanner (quotes, backslashes, newlines, other control
// bytes, brackets, long plain runs), fed whole and in random chunks, scan
// ends where the byte-by-byte scan ends, with the same status and state.
func TestScanMatchesBytewise(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 9))
	pieces := []string{`"`, `\`, `\\`, `\"`, "\n", "\t", "\x01", "{", "}", "[", "]", ",", ":", " ",
		"abcdefgh", "0123456789abcdef0123", "é", `"digest":"0a1b"`}
	inputs := []string{
		directStats, directFlow, directStatsReordered,
		string(readTestdata(t, "flow.json")), string(readTestdata(t, "flow_stats.json")),
	}
	for range 3000 {
		b := []byte("{")
		for range rng.IntN(40) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		b := []byte(in)
		var want frameScanner
		wn, wst := scanBytewise(&want, b)
		for round := range 4 {
			var got frameScanner
			n, st := 0, scanMore
			for n < len(b) && st == scanMore {
				size := len(b) - n
				if round > 0 {
					size = min(size, 1+rng.IntN(12))
				}
				k, s := got.scan(b[n : n+size])
				n, st = n+k, s
			}
			if n != wn || st != wst || got != want {
				t.Fatalf("scan(%q) in round %d = %d, %v, %+v; bytewise %d, %v, %+v", in, round, n, st, got, wn, wst, want)
			}
		}
	}
}
