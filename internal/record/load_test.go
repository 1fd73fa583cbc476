package record

import "testing"

// TestLoad64StopsAtTheLength: the checked build's word read refuses bytes
// past the slice's length even where its capacity goes on (a stream's
// buffer), so a caller's missing length test panics under -race.
func TestLoad64StopsAtTheLength(t *testing.T) {
	if !raceEnabled {
		t.Skip("the word reads are checked only in race builds (and off amd64/arm64)")
	}
	buf := []byte("0123456789abcdef")
	defer func() {
		if recover() == nil {
			t.Fatal("load64 read past the slice's length")
		}
	}()
	_ = load64(buf[:4], 0)
}
