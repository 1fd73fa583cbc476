package record

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// mpBody decodes the msgpack records of a body held in memory: one map,
// arrays of maps, or maps back to back. Records are read field by field with
// the msgpack Decoder's primitives (no reflection); strings are sliced from
// the body and copied only when kept.
//
// msgpack is length-prefixed, so a record with wrong field types costs only
// itself. Bytes that are not msgpack at all (truncation, an invalid code)
// cannot be resynchronised: decoding stops with an error for that record.
type mpBody struct {
	data []byte
	rd   bytes.Reader
	dec  *msgpack.Decoder
	base int64
	idx  int
	out  emitter
}

// decodeMsgpack decodes data and returns the index after its last record.
func decodeMsgpack(data []byte, base int64, idx int, out emitter) int {
	dec := msgpack.GetDecoder()
	defer msgpack.PutDecoder(dec)
	m := &out.state().mp
	defer func() { *m = mpBody{} }() // holds nothing of the body between calls
	return m.decode(data, base, idx, out, dec)
}

// decode is decodeMsgpack into m with dec, which a stream decoder keeps: a
// stream decodes each of its records on its own, and one mpBody and one
// pooled decoder each would cost allocations per record, however small the
// record.
func (m *mpBody) decode(data []byte, base int64, idx int, out emitter, dec *msgpack.Decoder) int {
	*m = mpBody{data: data, base: base, idx: idx, out: out, dec: dec}
	m.rd.Reset(data)
	m.dec.Reset(&m.rd)
	m.run()
	return m.idx
}

func (m *mpBody) skip() error { return skipMsgpackValue(bodySource{m}) }

func (m *mpBody) pos() int { return len(m.data) - m.rd.Len() }

func (m *mpBody) peek() (byte, error) {
	p := m.pos()
	if p >= len(m.data) {
		return 0, io.ErrUnexpectedEOF
	}
	return m.data[p], nil
}

func (m *mpBody) run() {
	for {
		p := m.pos()
		if p >= len(m.data) {
			return
		}
		var err error
		switch c := m.data[p]; {
		case isSpace(c):
			// Tolerate newlines between records: a top-level fixint is never a record.
			_, _ = m.rd.ReadByte()
			continue
		case isMapCode(c):
			err = m.record()
		case isArrayCode(c):
			err = m.array()
		default:
			err = m.notObject()
		}
		if err != nil {
			m.fail(msgpackSyntax(m.base+int64(m.pos()), msgpackProblem(err)))
			return
		}
	}
}

func (m *mpBody) array() error {
	n, err := m.dec.DecodeArrayLen()
	for i := 0; i < n && err == nil; i++ {
		var c byte
		if c, err = m.peek(); err != nil {
			break
		}
		if isMapCode(c) {
			err = m.record()
		} else {
			err = m.notObject()
		}
	}
	return err
}

func (m *mpBody) notObject() error {
	if !m.out.keepsErrors() {
		// Past the kept errors: skip without describing what it was.
		if err := m.skip(); err != nil {
			return err
		}
		m.fail(errNotKept)
		return nil
	}
	got, err := m.describeSkip()
	if err == nil {
		m.fail(&fieldError{problem: "expected an object, got " + got})
	}
	return err
}

func (m *mpBody) record() error {
	var w wireRecord
	w.Flow.ar = &m.out.state().ar
	start := m.pos()
	if err := m.readRecord(&w); err != nil {
		return err
	}
	rec, err := w.build()
	if err == nil && IsAgentReport(rec.Type) {
		rec.Agent, err = decodeAgentMsgpack(m.data[start:m.pos()], rec.Type)
	}
	if err != nil {
		m.fail(err)
		return nil
	}
	m.out.emit(rec, nil)
	m.idx++
	return nil
}

func (m *mpBody) fail(err error) {
	failAt(m.out, m.idx, err)
	m.idx++
}

// fields calls field for each string key of the map that comes next,
// skipping entries with other keys. field must consume the value.
func (m *mpBody) fields(field func(key []byte) error) error {
	n, err := m.dec.DecodeMapLen()
	for i := 0; i < n && err == nil; i++ {
		var c byte
		if c, err = m.peek(); err != nil {
			break
		}
		if !isStrCode(c) && !msgpcode.IsBin(c) {
			if err = m.skip(); err == nil {
				err = m.skip()
			}
			continue
		}
		var key []byte
		if key, err = m.bytes(); err == nil {
			err = field(key)
		}
	}
	return err
}

func (m *mpBody) readRecord(w *wireRecord) error {
	return m.fields(func(key []byte) error {
		switch string(key) {
		case "type":
			return m.typeName(&w.Type)
		case "interface":
			return m.str(&w.Interface)
		case "internal":
			return m.bool(&w.Internal)
		case "reason":
			return m.str(&w.Reason)
		case "update_interval":
			return m.num(&w.UpdateInterval)
		case "flow":
			ok, err := m.object(&w.shape, "flow")
			if ok && err == nil {
				w.hasFlow = true
				err = m.readFlow(&w.Flow, &w.shape)
			}
			return err
		}
		return m.skip()
	})
}

func (m *mpBody) readFlow(f *wireFlow, shape **fieldError) error {
	return m.fields(func(key []byte) error {
		switch string(key) {
		case "digest":
			return m.digest(f)
		case "digest_prev":
			return m.strList(&f.DigestPrev)
		case "local_bytes":
			return m.num(&f.LocalBytes)
		case "local_packets":
			return m.num(&f.LocalPackets)
		case "other_bytes":
			return m.num(&f.OtherBytes)
		case "other_packets":
			return m.num(&f.OtherPackets)
		case "local_rate":
			return m.num(&f.LocalRate)
		case "other_rate":
			return m.num(&f.OtherRate)
		case "total_bytes":
			return m.num(&f.TotalBytes)
		case "total_packets":
			return m.num(&f.TotalPackets)
		case "detection_packets":
			return m.num(&f.DetectionPackets)
		case "first_seen_at":
			return m.num(&f.FirstSeenAt)
		case "last_seen_at":
			return m.num(&f.LastSeenAt)
		case "tcp":
			ok, err := m.object(shape, "flow.tcp")
			if ok && err == nil {
				f.hasTCP = true
				err = m.readTCP(&f.TCP)
			}
			return err
		case "detected_application":
			return m.num(&f.Meta.ApplicationID)
		case "detected_application_name":
			return m.str(&f.Meta.ApplicationName)
		case "detected_protocol":
			return m.num(&f.Meta.ProtocolID)
		case "detected_protocol_name":
			return m.str(&f.Meta.ProtocolName)
		case "category":
			ok, err := m.object(shape, "flow.category")
			if ok && err == nil {
				err = m.readCategory(&f.Meta.Category)
			}
			return err
		case "host_server_name":
			return m.str(&f.Meta.HostServerName)
		case "ip_protocol":
			return m.num(&f.Meta.IPProtocol)
		case "ip_version":
			return m.num(&f.Meta.IPVersion)
		case "local_ip":
			return m.str(&f.Meta.LocalIP)
		case "other_ip":
			return m.str(&f.Meta.OtherIP)
		case "local_port":
			return m.num(&f.Meta.LocalPort)
		case "other_port":
			return m.num(&f.Meta.OtherPort)
		case "local_origin":
			return m.bool(&f.Meta.LocalOrigin)
		case "other_type":
			return m.str(&f.Meta.OtherType)
		case "vlan_id":
			return m.num(&f.Meta.VLANID)
		}
		return m.skip()
	})
}

func (m *mpBody) readCategory(c *wireCategory) error {
	return m.fields(func(key []byte) error {
		switch string(key) {
		case "application":
			return m.num(&c.Application)
		case "protocol":
			return m.num(&c.Protocol)
		case "domain":
			return m.num(&c.Domain)
		}
		return m.skip()
	})
}

func (m *mpBody) readTCP(t *wireTCP) error {
	return m.fields(func(key []byte) error {
		switch string(key) {
		case "resets":
			return m.num(&t.Resets)
		case "retrans":
			return m.num(&t.Retrans)
		case "seq_errors":
			return m.num(&t.SeqErrors)
		}
		return m.skip()
	})
}

// object reports whether a map comes next. A nil is consumed (absent); any
// other value is consumed and recorded in *shape as the record's first
// wrongly shaped field.
func (m *mpBody) object(shape **fieldError, path string) (bool, error) {
	c, err := m.peek()
	switch {
	case err != nil:
		return false, err
	case isMapCode(c):
		return true, nil
	case c == msgpcode.Nil:
		return false, m.skip()
	}
	got, err := m.describeSkip()
	if err == nil && *shape == nil {
		*shape = &fieldError{path: path, problem: "expected an object, got " + got}
	}
	return false, err
}

// bytes reads a str or bin value as a slice of the body.
func (m *mpBody) bytes() ([]byte, error) {
	n, err := m.dec.DecodeBytesLen()
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, nil
	}
	if n > m.rd.Len() {
		return nil, io.ErrUnexpectedEOF
	}
	p := m.pos()
	_, _ = m.rd.Seek(int64(n), io.SeekCurrent)
	return m.data[p : p+n], nil
}

func (m *mpBody) str(s *str) error {
	c, err := m.peek()
	switch {
	case err != nil:
		return err
	case c == msgpcode.Nil:
		return m.skip()
	case isStrCode(c):
		b, err := m.bytes()
		s.set(string(b)) // a copy: the record must not keep the body alive
		return err
	}
	got, err := m.describeSkip()
	s.setBad(got)
	return err
}

// digest reads flow.digest. A string is left uncopied, a view of the body,
// until the record is built: it is then copied with the digest_prev entries
// into the decoder's arena (see joinDigests), so that a record costs no
// allocation of its own. Anything else is read as str reads it.
func (m *mpBody) digest(f *wireFlow) error {
	c, err := m.peek()
	if err == nil && isStrCode(c) {
		b, err := m.bytes()
		f.Digest.set("")
		f.digestLit = b
		return err
	}
	if err == nil && c != msgpcode.Nil { // nil leaves the field as it was
		f.digestLit = nil
	}
	return m.str(&f.Digest)
}

func (m *mpBody) typeName(t *typeName) error {
	if c, err := m.peek(); err == nil && isStrCode(c) {
		b, err := m.bytes()
		t.set(internType(b))
		return err
	}
	return m.str(&t.str)
}

func (m *mpBody) num(n *num) error {
	c, err := m.peek()
	if err != nil {
		return err
	}
	switch {
	case c == msgpcode.Nil:
		return m.skip()
	case msgpcode.IsFixedNum(c) || c >= msgpcode.Int8 && c <= msgpcode.Int64:
		v, err := m.dec.DecodeInt64()
		n.setInt(v)
		return err
	case c >= msgpcode.Uint8 && c <= msgpcode.Uint64:
		v, err := m.dec.DecodeUint64()
		n.setUint(v)
		return err
	case c == msgpcode.Float || c == msgpcode.Double:
		v, err := m.dec.DecodeFloat64()
		n.setFloat(v)
		return err
	case isStrCode(c):
		b, err := m.bytes()
		if err == nil && !n.setText(b) {
			n.setBad("string " + quoteText(b))
		}
		return err
	}
	got, err := m.describeSkip()
	n.setBad(got)
	return err
}

func (m *mpBody) bool(f *flexBool) error {
	c, err := m.peek()
	switch {
	case err != nil:
		return err
	case c == msgpcode.Nil:
		return m.skip()
	case c == msgpcode.True || c == msgpcode.False:
		v, err := m.dec.DecodeBool()
		f.set(v)
		return err
	case isStrCode(c):
		b, err := m.bytes()
		if err == nil && !f.setText(b) {
			f.setBad("string " + quoteText(b))
		}
		return err
	case msgpcode.IsFixedNum(c) || c >= msgpcode.Uint8 && c <= msgpcode.Int64:
		var n num
		if err := m.num(&n); err != nil {
			return err
		}
		if n.kind == numUint && n.u <= 1 {
			f.set(n.u == 1)
		} else {
			f.setBad("number " + n.String())
		}
		return nil
	}
	got, err := m.describeSkip()
	f.setBad(got)
	return err
}

func (m *mpBody) strList(l *strList) error {
	c, err := m.peek()
	switch {
	case err != nil:
		return err
	case c == msgpcode.Nil:
		return m.skip()
	case !isArrayCode(c):
		got, err := m.describeSkip()
		l.setBad(-1, got)
		return err
	}
	n, err := m.dec.DecodeArrayLen()
	l.start()
	for i := 0; i < n && err == nil; i++ {
		if c, err = m.peek(); err != nil {
			break
		}
		if isStrCode(c) {
			var b []byte
			b, err = m.bytes()
			if l.keeps() {
				l.addAlias(b) // copied when the record is built (see joinDigests)
			} else {
				l.add("")
			}
			continue
		}
		var got string
		got, err = m.describeSkip()
		l.addBad(got)
	}
	return err
}

// describeSkip consumes the next value and says what it was, for
// "expected X, got Y" messages.
func (m *mpBody) describeSkip() (string, error) {
	c, err := m.peek()
	if err != nil {
		return "", err
	}
	switch {
	case c == msgpcode.Nil:
		return "null", m.skip()
	case c == msgpcode.True:
		return "bool true", m.skip()
	case c == msgpcode.False:
		return "bool false", m.skip()
	case isStrCode(c):
		b, err := m.bytes()
		return "string " + quoteText(b), err
	case msgpcode.IsFixedNum(c) || c >= msgpcode.Float && c <= msgpcode.Int64:
		var n num
		err := m.num(&n)
		return "number " + n.String(), err
	case isMapCode(c):
		return "object", m.skip()
	case isArrayCode(c):
		return "array", m.skip()
	case msgpcode.IsBin(c):
		return "binary", m.skip()
	}
	return "extension", m.skip()
}

func isMapCode(c byte) bool {
	return msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32
}

func isArrayCode(c byte) bool {
	return msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32
}

// IsMsgpackContainer reports whether c starts a msgpack map or array: the
// first byte of a msgpack record or batch, never of a JSON document.
func IsMsgpackContainer(c byte) bool { return isMapCode(c) || isArrayCode(c) }

func isStrCode(c byte) bool { return msgpcode.IsString(c) }

// msgpackProblem turns a structural decoding error into message text.
func msgpackProblem(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return strings.TrimPrefix(err.Error(), "msgpack: ")
}
