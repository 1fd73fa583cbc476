package record

import (
	"errors"

	"github.com/vmihailenco/msgpack/v5"
)

// nextMsgpack reads one msgpack value by walking its headers (so that an
// oversized record is skipped without buffering it), then decodes it.
// Newline and space bytes between values are skipped. After bytes that are
// not msgpack the decoder resumes at the next map marker.
func (d *StreamDecoder) nextMsgpack() {
	if d.skipToMap && !d.skipToNextMap() {
		return
	}
	if _, err := d.skipSpace(); err != nil {
		d.err = err
		return
	}
	start := d.off
	d.buf = d.buf[:0]
	w := mpWalker{d: d}
	err := skipMsgpackValue(&w)
	switch {
	case err == nil && w.over:
		d.tooLarge()
	case err == nil:
		if d.mpDec == nil {
			d.mpDec = msgpack.NewDecoder(nil)
		}
		d.idx = d.st.mp.decode(d.buf, start, d.idx, d, d.mpDec)
		d.st.mp = mpBody{} // holds nothing of the record between calls
	case errors.Is(err, errInvalidCode):
		if w.over {
			d.tooLarge()
		} else {
			d.fail(msgpackSyntax(d.off-1, err.Error()))
		}
		d.skipToMap = true
	default:
		if w.over {
			d.tooLarge()
		}
		d.setErr(err, !w.over, "msgpack")
	}
}

// skipToNextMap consumes bytes up to the next map marker.
func (d *StreamDecoder) skipToNextMap() bool {
	for {
		b, err := d.peek()
		if err != nil {
			d.err = err
			return false
		}
		for i, c := range b {
			if isMapCode(c) {
				d.discard(i)
				d.skipToMap = false
				return true
			}
		}
		d.discard(len(b))
	}
}

// mpWalker consumes one msgpack value from the stream into d.buf, or past
// it once the value outgrows the record limit.
type mpWalker struct {
	d    *StreamDecoder
	over bool
}

func (w *mpWalker) readByte() (byte, error) {
	b, err := w.d.peek()
	if err != nil {
		return 0, err
	}
	c := b[0]
	w.keep(b[:1])
	w.d.discard(1)
	return c, nil
}

// skip consumes n bytes of payload.
func (w *mpWalker) skip(n uint64) error {
	for n > 0 {
		b, err := w.d.peek()
		if err != nil {
			return err
		}
		k := len(b)
		if uint64(k) > n {
			k = int(n)
		}
		w.keep(b[:k])
		w.d.discard(k)
		n -= uint64(k)
	}
	return nil
}

// keep appends consumed bytes to the frame while it fits the limit.
func (w *mpWalker) keep(b []byte) {
	d := w.d
	if !w.over && len(d.buf)+len(b) > d.max {
		w.over, d.buf = true, d.buf[:0]
	}
	if !w.over {
		d.buf = append(d.buf, b...)
	}
}
