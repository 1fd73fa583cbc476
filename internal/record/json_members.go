package record

import "net/netip"

// The values of the members whose reading takes more than a line, shared
// by the member loops (json_fast.go) and the sorted readers
// (json_sorted.go), so that both read a member to the same result.

// recordType reads a record's type.
func (d *fastRecord) recordType(rec *Record) {
	if t, ok := d.flowType(); ok {
		rec.Type, d.isFlow = t, true
	} else {
		rec.Type = internType(d.text())
		d.isFlow = rec.IsFlow()
	}
}

// iface reads a record's interface.
func (d *fastRecord) iface(rec *Record) {
	if d.repeatQuoted(d.st.iface, &d.st.ifaceQ) {
		rec.HasInterface, rec.Interface = true, d.st.iface
	} else if v := d.text(); len(v) <= MaxInterfaceLen {
		rec.HasInterface, rec.Interface = true, d.st.internIface(v)
	} else {
		d.r.fail()
	}
}

// flowObject reads a record's flow object.
func (d *fastRecord) flowObject(rec *Record) {
	if d.r.b[d.r.i] == '{' {
		d.flow(rec)
	} else {
		d.r.fail()
	}
}

// digestValue reads the flow's digest. hexText took only hex digits: what
// validDigest checks is the length.
func (d *fastRecord) digestValue() {
	if v := d.hexText(); len(v) > 0 && len(v) <= MaxDigestLen {
		d.digest = v
	} else {
		d.r.fail()
	}
}

// tcpObject reads the flow's tcp object.
func (d *fastRecord) tcpObject(rec *Record) {
	if d.r.b[d.r.i] == '{' {
		rec.HasTCP = true
		d.tcp(rec)
	} else {
		d.r.fail()
	}
}

// categoryObject reads the flow's category object.
func (d *fastRecord) categoryObject(rec *Record) {
	if d.r.b[d.r.i] == '{' {
		d.category(rec)
	} else {
		d.r.fail()
	}
}

// hostValue reads the flow's host_server_name, copied at the record's end.
func (d *fastRecord) hostValue() {
	if v := d.text(); len(v) <= MaxHostNameLen {
		d.host = v
	} else {
		d.r.fail()
	}
}

// ipValue reads an endpoint's address: a dotted quad into out, anything
// else into text, which addrs parses at the record's end.
func (d *fastRecord) ipValue(out *netip.Addr, text *[]byte) {
	if a, ok := d.quotedIPv4(); ok {
		*out = a
	} else {
		*text = d.text()
	}
}

// The members whose value names something (an application, a protocol,
// the other end's type, a purge's reason): a stream's records repeat the
// same few, and a repeat of the value read last for the member is found by
// three masked word compares, where text and intern scan, hash and
// compare it.
const (
	nameApplication = iota
	nameProtocol
	nameOtherType
	nameReason
	numNameKeys
)

// lastName is the value read last for a naming member: the string intern
// returned, and its quoted form in words (see quotedWords).
type lastName struct {
	s string
	q quotedWords
}

// name reads a name of at most limit bytes, interned: last's string when
// the value repeats it (repeatQuoted, as the interface), else text and
// intern, and then the value becomes last.
func (d *fastRecord) name(last *lastName, limit int) string {
	if d.repeatQuoted(last.s, &last.q) {
		return last.s
	}
	v := d.text()
	if len(v) > limit {
		d.r.fail()
		return ""
	}
	// v is what text read whole (nil when it failed: s is then "", the
	// text of ""), as repeat requires of last.
	s := intern(v)
	last.s = s
	last.q.set(s)
	return s
}
