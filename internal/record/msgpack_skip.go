package record

import (
	"errors"
	"io"

	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// errInvalidCode: the byte 0xc1, which msgpack never uses (or a count no
// real record has): the input is not msgpack at this point.
var errInvalidCode = errors.New("invalid code 0xc1")

// mpSource is input that skipMsgpackValue walks: the stream (which keeps
// what fits the record limit) or a body in memory.
type mpSource interface {
	readByte() (byte, error)
	skip(n uint64) error
}

// maxPending bounds the number of values a frame may announce, so that
// garbage claiming 2^32-entry maps cannot overflow the count.
const maxPending = 1 << 40

// skipMsgpackValue consumes one msgpack value by counting the values its
// headers announce. It is iterative, so deeply nested garbage cannot
// exhaust the stack (the msgpack library's Skip recurses).
func skipMsgpackValue(w mpSource) error {
	pending := uint64(1)
	for pending > 0 {
		pending--
		c, err := w.readByte()
		if err != nil {
			return err
		}
		var skip, children uint64
		switch {
		case msgpcode.IsFixedNum(c), c == msgpcode.Nil, c == msgpcode.True, c == msgpcode.False:
		case msgpcode.IsFixedMap(c):
			children = 2 * uint64(c&msgpcode.FixedMapMask)
		case msgpcode.IsFixedArray(c):
			children = uint64(c & msgpcode.FixedArrayMask)
		case msgpcode.IsFixedString(c):
			skip = uint64(c & msgpcode.FixedStrMask)
		default:
			switch c {
			case msgpcode.Uint8, msgpcode.Int8:
				skip = 1
			case msgpcode.Uint16, msgpcode.Int16:
				skip = 2
			case msgpcode.Uint32, msgpcode.Int32, msgpcode.Float:
				skip = 4
			case msgpcode.Uint64, msgpcode.Int64, msgpcode.Double:
				skip = 8
			case msgpcode.FixExt1, msgpcode.FixExt2, msgpcode.FixExt4, msgpcode.FixExt8, msgpcode.FixExt16:
				skip = 1 + 1<<(c-msgpcode.FixExt1)
			case msgpcode.Str8, msgpcode.Bin8:
				skip, err = readMsgpackUint(w, 1)
			case msgpcode.Str16, msgpcode.Bin16:
				skip, err = readMsgpackUint(w, 2)
			case msgpcode.Str32, msgpcode.Bin32:
				skip, err = readMsgpackUint(w, 4)
			case msgpcode.Ext8:
				skip, err = readMsgpackUint(w, 1)
				skip++
			case msgpcode.Ext16:
				skip, err = readMsgpackUint(w, 2)
				skip++
			case msgpcode.Ext32:
				skip, err = readMsgpackUint(w, 4)
				skip++
			case msgpcode.Array16:
				children, err = readMsgpackUint(w, 2)
			case msgpcode.Array32:
				children, err = readMsgpackUint(w, 4)
			case msgpcode.Map16:
				children, err = readMsgpackUint(w, 2)
				children *= 2
			case msgpcode.Map32:
				children, err = readMsgpackUint(w, 4)
				children *= 2
			default:
				return errInvalidCode
			}
		}
		if err == nil {
			err = w.skip(skip)
		}
		if err != nil {
			return err
		}
		pending += children
		if pending > maxPending {
			return errInvalidCode
		}
	}
	return nil
}

// readMsgpackUint reads a big-endian length of size bytes.
func readMsgpackUint(w mpSource, size int) (uint64, error) {
	var v uint64
	for range size {
		c, err := w.readByte()
		if err != nil {
			return 0, err
		}
		v = v<<8 | uint64(c)
	}
	return v, nil
}

// bodySource walks a body in memory.
type bodySource struct{ m *mpBody }

func (s bodySource) readByte() (byte, error) {
	c, err := s.m.rd.ReadByte()
	if err != nil {
		return 0, io.ErrUnexpectedEOF
	}
	return c, nil
}

func (s bodySource) skip(n uint64) error {
	if n > uint64(s.m.rd.Len()) {
		return io.ErrUnexpectedEOF
	}
	_, _ = s.m.rd.Seek(int64(n), io.SeekCurrent)
	return nil
}
