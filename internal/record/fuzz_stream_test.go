package record

import (
	"errors"
	"io"
	"runtime"
	"testing"
)

// chunkReader hands out data in pieces of the sizes in sizes (cycling), as
// a socket does, so that frames split across reads are exercised.
type chunkReader struct {
	data  []byte
	sizes []byte
	i     int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(r.sizes) > 0 {
		n = int(r.sizes[r.i%len(r.sizes)]) + 1
		r.i++
	}
	n = min(n, len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// FuzzStreamFraming feeds a stream in fuzzed pieces: the decoder ends with
// io.EOF, every call makes progress, every error is a *DecodeError, no
// record breaks the record limits, and draining the stream allocates
// within a bound of its size (fixed buffers aside). Seeds are in
// testdata/fuzz/FuzzStreamFraming and below.
func FuzzStreamFraming(f *testing.F) {
	f.Add([]byte(goodLine("a")+"\n"+goodLine("b")), []byte{3, 200, 1}, uint8(0))
	f.Add([]byte(`{"length":120}`+"\n"+goodLine("a")+"\n"), []byte{0}, uint8(1))
	f.Add([]byte("\x82\xa4type\xa4flow\xa4flow\x81\xa6digest\xa2ab\x82\xa4type"), []byte{5}, uint8(2))
	f.Add([]byte(`{"type":"flow_stats","flow":{"digest":"`+string(make([]byte, 300))+`"}}`+"\n"+goodLine("c")), []byte{7, 7}, uint8(1))
	f.Add([]byte("[[[[[[[[[[[[\n"+goodLine("d")+"]]]"), []byte{1}, uint8(1))
	f.Fuzz(func(t *testing.T, data, sizes []byte, format uint8) {
		fm := Format(format % 3)
		d := NewStreamDecoder(&chunkReader{data: data, sizes: sizes}, fm, 256)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		errs := 0
		for i := 0; ; i++ {
			if i > len(data)+2 {
				t.Fatalf("no progress after %d calls", i)
			}
			rec, err := d.Next()
			if err == nil {
				checkRecords(t, []Record{rec})
				continue
			}
			var de *DecodeError
			if errors.As(err, &de) {
				errs++
				continue
			}
			if err != io.EOF {
				t.Fatalf("stream ended with %v, want io.EOF", err)
			}
			break
		}
		runtime.ReadMemStats(&after)
		// The 64 KiB read buffer, per input byte a small multiple, and per
		// error handed out its message (a one-byte value that is not an
		// object is an error of its own: ~130 bytes).
		if got, bound := after.TotalAlloc-before.TotalAlloc, uint64(256<<10+64*len(data)+192*errs); got > bound {
			t.Fatalf("draining %d bytes (%d errors) allocated %d, more than %d", len(data), errs, got, bound)
		}
	})
}
