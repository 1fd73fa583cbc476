package flowtable

import "unsafe"

// inlineIDs is how many bytes of packed ids (see ids) a flow holds inline:
// a flag byte and three digests of 40 lowercase hex digits, as a classified
// flow of agent 5.2 has, take 64. Longer ids live in the flow's more.
const inlineIDs = 64

// ids are the flow's packed digests: a view of its inline bytes (valid
// until they change: under the table's lock), or its extra's string.
func (f *Flow) ids() ids {
	if f.idLen > 0 {
		return ids(unsafe.String(&f.idBuf[0], int(f.idLen)))
	}
	return f.x.more.ids
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
	f.more().ids = ids(b)
}

// addID makes d one of the flow's aliases (see ids.with).
func (f *Flow) addID(d string, isStable bool) {
	switch {
	case f.idLen > 0 && isStable:
		f.idBuf[0] |= stableIndexed
	case f.idLen > 0:
		f.keepIDs(appendID(f.idBuf[:f.idLen], d))
	default:
		f.x.more.ids = f.x.more.ids.with(d, isStable)
	}
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
	c.far = f.x.more.ids
}

func (c *idsCopy) ids() ids {
	if c.n > 0 {
		return ids(unsafe.String(&c.buf[0], int(c.n)))
	}
	return c.far
}
