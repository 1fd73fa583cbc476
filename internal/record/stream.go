package record

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/vmihailenco/msgpack/v5"
)

// Format is the encoding of a record stream.
type Format int

const (
	// FormatAuto detects the encoding from the stream's first non-space
	// byte: '{' or '[' is JSON, a msgpack map or array marker is msgpack,
	// anything else is read as (damaged) JSON.
	FormatAuto Format = iota
	FormatJSON
	FormatMsgpack
)

// DefaultMaxRecordBytes is the record size limit when NewStreamDecoder is
// given none: half the agent's 2 MiB sink queue.
const DefaultMaxRecordBytes = 1 << 20

// StreamDecoder reads records from a connection to the agent's socket sink:
// newline-delimited or back-to-back JSON objects (with or without the legacy
// v4 {"length": N} line before each), or back-to-back msgpack maps. It reads
// incrementally and buffers at most one record (up to the size limit).
type StreamDecoder struct {
	br     *bufio.Reader
	format Format
	max    int

	off int64 // bytes consumed so far, for error positions
	idx int   // index of the next record

	buf []byte // the current frame
	sc  frameScanner

	queue []queued // decoded but not yet returned (arrays hold several)
	qhead int

	// skipLine: a damaged JSON frame was reported; the next call first
	// skips the rest of its line. skipToMap: the same for msgpack.
	skipLine  bool
	skipToMap bool
	err       error // sticky: returned once the queue is drained

	st decoderState
	// directTried: direct gave up on the object at the head of the input,
	// which oneObject then need not try again.
	directTried bool
	next        Record // Next's record
	// readErr is a read error readOn met, for the next peek that finds
	// nothing buffered.
	readErr error
	// mpDec decodes msgpack records (with st.mp, see mpBody.decode).
	mpDec *msgpack.Decoder
	// win is the buffered input as direct last peeked it, of which the
	// first used bytes are consumed (counted in off) but not yet
	// discarded from br: records read back to back from one read cost no
	// Peek and Discard each. Valid while nothing else reads br: every
	// other way to the input first calls sync.
	win  []byte
	used int
}

type queued struct {
	rec Record
	err error
}

// NewStreamDecoder returns a decoder reading from r. maxRecordBytes <= 0
// means DefaultMaxRecordBytes.
func NewStreamDecoder(r io.Reader, f Format, maxRecordBytes int) *StreamDecoder {
	if maxRecordBytes <= 0 {
		maxRecordBytes = DefaultMaxRecordBytes
	}
	return &StreamDecoder{
		br:     bufio.NewReaderSize(r, 64<<10),
		format: f,
		max:    maxRecordBytes,
	}
}

// Next returns the next record. A *DecodeError costs only that record: call
// Next again. Any other error (io.EOF at the end of the stream, a read
// error) is final and returned as is.
func (d *StreamDecoder) Next() (Record, error) {
	// Through a field: a local would escape (the direct reader keeps its
	// output behind a pointer), an allocation per record.
	err := d.NextInto(&d.next)
	rec := d.next
	d.next = Record{}
	return rec, err
}

// NextInto is Next writing the record into *rec, which it overwrites
// whatever the outcome (zero on an error). A record in the shape the
// direct reader takes is decoded straight into *rec: a Record is a few
// hundred bytes, and a stream's caller gathers them in a slice.
func (d *StreamDecoder) NextInto(rec *Record) error {
	*rec = Record{}
	if d.qhead == len(d.queue) && d.err == nil && d.format == FormatJSON && !d.skipLine && d.direct(rec) {
		return nil
	}
	d.sync()
	for {
		if d.qhead < len(d.queue) {
			q := &d.queue[d.qhead]
			*rec, q.rec = q.rec, Record{}
			err := q.err
			q.err = nil
			d.qhead++
			return err
		}
		d.queue, d.qhead = d.queue[:0], 0
		if d.err != nil {
			return d.err
		}
		switch d.format {
		case FormatAuto:
			d.detect()
		case FormatMsgpack:
			d.nextMsgpack()
		default:
			d.nextJSON()
		}
	}
}

// direct decodes the next JSON object into rec (zero) with the direct
// reader when it is buffered in full and in its shape, as oneObject would
// first; false leaves rec zero, and the next nextJSON does the rest without
// trying the direct reader again (a read error is kept in d.err).
func (d *StreamDecoder) direct(rec *Record) bool {
	// The usual case: the record is in the window, behind the previous
	// one's newline.
	b, i := d.win, skipSpace(d.win, d.used)
	if i == len(b) {
		d.consumeTo(i)
		d.sync()
		c, err := d.skipSpace()
		if err != nil {
			d.err = err
			return false
		}
		if c != '{' {
			return false
		}
		b, _ = d.peek() // buffered: skipSpace found c there
		d.win, i = b, 0
	}
	if b[i] != '{' {
		d.consumeTo(i)
		d.sync()
		return false
	}
	if end, ok := decodeDirect(b, i, rec, &d.st); ok && end-i <= d.max {
		d.consumeTo(end)
		d.idx++
		return true
	}
	d.consumeTo(i)
	d.sync()
	b = b[i:]
	// A record cut by the end of a read (one every few hundred): read on
	// behind it, once, and try again, rather than have the frame scanner
	// copy it and the slow path decode it.
	if d.readOn(b) {
		*rec = Record{}
		b, _ = d.peek()
		if end, ok := decodeDirect(b, 0, rec, &d.st); ok && end <= d.max {
			d.discard(end)
			d.idx++
			return true
		}
	}
	*rec = Record{}
	d.directTried = true
	return false
}

// readOn reads more input behind b, the buffered input, while the object
// b starts with is cut by its end (the frame scanner wants more) and the
// buffer has room: the frame path would wait for the same bytes. It
// reports whether it read anything. A read error is kept for the next
// peek: bufio hands an error out once.
func (d *StreamDecoder) readOn(b []byte) bool {
	d.sc.reset()
	if _, st := d.sc.scan(b); st != scanMore {
		return false
	}
	read := false
	for len(b) < d.br.Size() {
		more, err := d.br.Peek(len(b) + 1)
		if len(more) > len(b) {
			read = true
		}
		if err != nil {
			d.readErr = err
			return read
		}
		all, _ := d.peek()
		_, st := d.sc.scan(all[len(b):])
		b = all
		if st != scanMore {
			break
		}
	}
	return read
}

// keepsErrors is always true: a stream hands out its errors one at a time.
func (d *StreamDecoder) keepsErrors() bool { return true }

func (d *StreamDecoder) emit(rec Record, err error) {
	d.queue = append(d.queue, queued{rec, err})
}

func (d *StreamDecoder) reserve() *Record {
	d.queue = append(d.queue, queued{})
	return &d.queue[len(d.queue)-1].rec
}

func (d *StreamDecoder) release() { d.queue = d.queue[:len(d.queue)-1] }

func (d *StreamDecoder) state() *decoderState { return &d.st }

// fail queues a DecodeError for the next record.
func (d *StreamDecoder) fail(err error) {
	d.emit(Record{}, &DecodeError{Index: d.idx, Err: err})
	d.idx++
}

func (d *StreamDecoder) tooLarge() {
	d.fail(fmt.Errorf("%w of %d bytes", ErrRecordTooLarge, d.max))
}

// peek returns the buffered input, reading when none is buffered.
func (d *StreamDecoder) peek() ([]byte, error) {
	if d.br.Buffered() == 0 {
		if err := d.readErr; err != nil {
			d.readErr = nil
			return nil, err
		}
		if _, err := d.br.Peek(1); err != nil {
			return nil, err
		}
	}
	b, _ := d.br.Peek(d.br.Buffered())
	return b, nil
}

// consumeTo consumes the window up to win[k].
func (d *StreamDecoder) consumeTo(k int) {
	d.off += int64(k - d.used)
	d.used = k
}

// sync discards from br what the window consumed and drops the window,
// before anything else reads br.
func (d *StreamDecoder) sync() {
	if d.win == nil {
		return
	}
	_, _ = d.br.Discard(d.used) // never more than is buffered
	d.win, d.used = nil, 0
}

func (d *StreamDecoder) discard(n int) {
	_, _ = d.br.Discard(n) // n never exceeds what is buffered
	d.off += int64(n)
}

// setErr records a final error. io.EOF in the middle of a frame first costs
// the frame a DecodeError.
func (d *StreamDecoder) setErr(err error, midFrame bool, encoding string) {
	if midFrame && errors.Is(err, io.EOF) {
		d.fail(&syntaxError{encoding: encoding, offset: d.off, msg: "unexpected end of input"})
	}
	d.err = err
}

// detect settles FormatAuto from the first non-space byte.
func (d *StreamDecoder) detect() {
	c, err := d.skipSpace()
	if err != nil {
		d.err = err
		return
	}
	d.format = FormatJSON
	if IsMsgpackContainer(c) {
		d.format = FormatMsgpack
	}
}

// skipSpace consumes whitespace and returns the next byte, unconsumed.
func (d *StreamDecoder) skipSpace() (byte, error) {
	for {
		b, err := d.peek()
		if err != nil {
			return 0, err
		}
		i := skipSpace(b, 0)
		d.discard(i)
		if i < len(b) {
			return b[i], nil
		}
	}
}
