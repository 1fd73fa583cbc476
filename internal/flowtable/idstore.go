package flowtable

import (
	"encoding/binary"
	"unsafe"
)

// inlineIDs is how many bytes of packed ids (see ids) a flow holds inline:
// a flag byte and three digests of 40 lowercase hex digits, as a classified
// flow of agent 5.2 has, take 64. Longer ids live in the flow's x.far.
const inlineIDs = 64

// ids are the flow's packed ids: a view of its inline bytes (valid
// until they change: under the table's lock), or of its far ones.
func (f *Flow) ids() ids {
	if f.idLen > 0 {
		return ids(unsafe.String(&f.idBuf[0], int(f.idLen)))
	}
	return farIDs(f.x.far)
}

// Far ids are one allocation: their length (4 bytes, little endian), then
// the packed ids. A pointer to it is 8 bytes of extra where a string
// header would take 16 (extra stays in its 96-byte size class), and the
// ids are never changed in place (a change makes a new allocation), so a
// view of them stays valid as a string.
const farHeader = 4

// farIDs is the view of the far ids at p.
func farIDs(p *byte) ids {
	n := binary.LittleEndian.Uint32(unsafe.Slice(p, farHeader))
	return ids(unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(p), farHeader)), n))
}

// newFar returns a buffer for far ids of up to n bytes, to append them to
// and then seal.
func newFar(n int) []byte { return make([]byte, farHeader, farHeader+n) }

// sealFar writes the length of the ids appended to b (made by newFar) and
// returns what x.far holds.
func sealFar(b []byte) *byte {
	binary.LittleEndian.PutUint32(b, uint32(len(b)-farHeader))
	return &b[0]
}

// initIDs packs the flow's stable digest.
func (f *Flow) initIDs(stable string) {
	f.idBuf[0] = 0 // no flags
	f.keepIDs(appendID(f.idBuf[:1], stable))
}

// keepIDs takes b, the flow's packed ids, appended to in place in idBuf
// while they fit (append moved them elsewhere once they did not).
func (f *Flow) keepIDs(b []byte) {
	if len(b) <= inlineIDs {
		f.idLen = uint8(len(b))
		return
	}
	f.idLen = 0
	f.extra().far = sealFar(append(newFar(len(b)), b...))
}

// addID makes d one of the flow's aliases (see ids.with).
func (f *Flow) addID(d string, isStable bool) {
	switch {
	case f.idLen > 0 && isStable:
		f.idBuf[0] |= stableIndexed
	case f.idLen > 0:
		f.keepIDs(appendID(f.idBuf[:f.idLen], d))
	default:
		s := f.ids()
		b := append(newFar(len(s)+packedLen(d)), s...)
		if isStable {
			b[farHeader] |= stableIndexed
		} else {
			b = appendID(b, d)
		}
		f.x.far = sealFar(b)
	}
}

// packedLen bounds what appendID adds for d: exactly its packed size for
// a hex digest (a far flow's allocation is sized by it), a varint's
// longest length for the rest.
func packedLen(d string) int {
	if packedHex(d) {
		return 1 + len(d)/2
	}
	return 1 + binary.MaxVarintLen64 + len(d)
}

// idsCopy is a copy of a flow's packed ids, read under the table's lock and
// unpacked after it.
type idsCopy struct {
	buf [inlineIDs]byte
	n   uint8
	far ids
}

func (f *Flow) copyIDs(c *idsCopy) {
	if c.n = f.idLen; c.n > 0 {
		c.buf = f.idBuf
		return
	}
	c.far = farIDs(f.x.far)
}

func (c *idsCopy) ids() ids {
	if c.n > 0 {
		return ids(unsafe.String(&c.buf[0], int(c.n)))
	}
	return c.far
}
