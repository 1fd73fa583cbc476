package record

import (
	"encoding/json"
	"errors"
)

// slowPathOnly turns one-pass decoding off, for the tests that compare it
// with the slow path.
var slowPathOnly = false

// decodeJSONObject decodes the object at b[p] in one pass over its bytes
// (see jsonReader) and returns where it ended. ok is false when the reader
// could not vouch for the bytes: the caller then frames the record and
// calls decodeJSONRecord, which words the error.
func decodeJSONObject(b []byte, p int) (rec Record, end int, ok bool, err error) {
	return decodeJSONObjectTo(b, p, nil)
}

// decodeJSONObjectTo is decodeJSONObject copying the digests to ar.
func decodeJSONObjectTo(b []byte, p int, ar *digestArena) (rec Record, end int, ok bool, err error) {
	if slowPathOnly {
		return Record{}, p, false, nil
	}
	r := jsonReader{b: b, i: p}
	var w wireRecord
	w.Flow.ar = ar
	w.readJSON(&r)
	if r.bad {
		return Record{}, p, false, nil
	}
	rec, err = buildJSON(&w, b[p:r.i])
	return rec, r.i, true, err
}

// oneObject decodes the object at p in one pass when it can (see
// decodeJSONObject) and returns where decoding resumes.
func (j *jsonBody) oneObject(p int) (int, bool) {
	if j.data[p] != '{' {
		return p, false
	}
	if end, ok := decodeDirect(j.data, p, j.out.reserve(), j.out.state()); ok {
		j.idx++
		return end, true
	}
	j.out.release()
	rec, end, ok, err := decodeJSONObjectTo(j.data, p, &j.out.state().ar)
	if !ok {
		return p, false
	}
	if err != nil {
		j.fail(err)
	} else {
		j.out.emit(rec, nil)
		j.idx++
	}
	return end, true
}

// decodeJSONRecord decodes one complete JSON value as a record; base is its
// offset for syntax error positions. This is the slow path, for frames
// decodeJSONObject did not vouch for.
//
// encoding/json validates the value (and words the syntax errors); the
// fields are then picked out by a trusted jsonReader over the validated
// bytes that hands each value to its wire type's UnmarshalJSON. Keys match
// exactly, as in msgpack.
func decodeJSONRecord(frame []byte, base int64) (Record, error) {
	if !json.Valid(frame) {
		var v struct{}
		err := json.Unmarshal(frame, &v)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return Record{}, jsonSyntax(base+max(se.Offset-1, 0), se.Error())
		}
		return Record{}, jsonSyntax(base, "invalid value")
	}
	var w wireRecord
	w.readJSON(&jsonReader{b: frame, i: skipSpace(frame, 0), trusted: true})
	return buildJSON(&w, frame)
}

// buildJSON builds the record read from frame, and an agent's report from
// the same bytes: agent_status and interface_stats have their own shape
// (see agent_records.go).
func buildJSON(w *wireRecord, frame []byte) (Record, error) {
	r, err := w.build()
	if err == nil && IsAgentReport(r.Type) {
		if r.Agent, err = decodeAgentJSON(frame, r.Type); err != nil {
			return Record{}, err
		}
	}
	return r, err
}

func (w *wireRecord) readJSON(r *jsonReader) {
	if c := r.peek(); c != '{' {
		w.shape = &fieldError{problem: "expected an object, got " + jsonKind(c)}
		return
	}
	for m := r.members(); m.next(); {
		switch string(m.key) {
		case "type":
			_ = w.Type.UnmarshalJSON(m.value())
		case "interface":
			_ = w.Interface.UnmarshalJSON(m.value())
		case "internal":
			_ = w.Internal.UnmarshalJSON(m.value())
		case "reason":
			_ = w.Reason.UnmarshalJSON(m.value())
		case "update_interval":
			m.num(&w.UpdateInterval)
		case "flow":
			if w.object(r.peek(), "flow") {
				w.hasFlow = true
				w.Flow.readJSON(r, w)
			}
		}
	}
}

func (f *wireFlow) readJSON(r *jsonReader, w *wireRecord) {
	for m := r.members(); m.next(); {
		switch string(m.key) {
		case "digest":
			f.digestJSON(m.value())
		case "digest_prev":
			m.strList(&f.DigestPrev)
		case "local_bytes":
			m.num(&f.LocalBytes)
		case "local_packets":
			m.num(&f.LocalPackets)
		case "other_bytes":
			m.num(&f.OtherBytes)
		case "other_packets":
			m.num(&f.OtherPackets)
		case "local_rate":
			m.num(&f.LocalRate)
		case "other_rate":
			m.num(&f.OtherRate)
		case "total_bytes":
			m.num(&f.TotalBytes)
		case "total_packets":
			m.num(&f.TotalPackets)
		case "detection_packets":
			m.num(&f.DetectionPackets)
		case "first_seen_at":
			m.num(&f.FirstSeenAt)
		case "last_seen_at":
			m.num(&f.LastSeenAt)
		case "tcp":
			if w.object(r.peek(), "flow.tcp") {
				f.hasTCP = true
				f.TCP.readJSON(r)
			}
		case "detected_application":
			m.num(&f.Meta.ApplicationID)
		case "detected_application_name":
			_ = f.Meta.ApplicationName.UnmarshalJSON(m.value())
		case "detected_protocol":
			m.num(&f.Meta.ProtocolID)
		case "detected_protocol_name":
			_ = f.Meta.ProtocolName.UnmarshalJSON(m.value())
		case "category":
			if w.object(r.peek(), "flow.category") {
				f.Meta.Category.readJSON(r)
			}
		case "host_server_name":
			_ = f.Meta.HostServerName.copyJSON(m.value())
		case "ip_protocol":
			m.num(&f.Meta.IPProtocol)
		case "ip_version":
			m.num(&f.Meta.IPVersion)
		case "local_ip":
			_ = f.Meta.LocalIP.copyJSON(m.value())
		case "other_ip":
			_ = f.Meta.OtherIP.copyJSON(m.value())
		case "local_port":
			m.num(&f.Meta.LocalPort)
		case "other_port":
			m.num(&f.Meta.OtherPort)
		case "local_origin":
			_ = f.Meta.LocalOrigin.UnmarshalJSON(m.value())
		case "other_type":
			_ = f.Meta.OtherType.UnmarshalJSON(m.value())
		case "vlan_id":
			m.num(&f.Meta.VLANID)
		}
	}
}

func (c *wireCategory) readJSON(r *jsonReader) {
	for m := r.members(); m.next(); {
		switch string(m.key) {
		case "application":
			m.num(&c.Application)
		case "protocol":
			m.num(&c.Protocol)
		case "domain":
			m.num(&c.Domain)
		}
	}
}

func (t *wireTCP) readJSON(r *jsonReader) {
	for m := r.members(); m.next(); {
		switch string(m.key) {
		case "resets":
			m.num(&t.Resets)
		case "retrans":
			m.num(&t.Retrans)
		case "seq_errors":
			m.num(&t.SeqErrors)
		}
	}
}

// object reports whether the value starting with c is an object; null is
// absent, anything else is recorded as the record's first wrongly shaped
// field (and left for the reader to skip).
func (w *wireRecord) object(c byte, path string) bool {
	switch c {
	case '{':
		return true
	case 'n':
		return false
	}
	if w.shape == nil {
		w.shape = &fieldError{path: path, problem: "expected an object, got " + jsonKind(c)}
	}
	return false
}

// jsonKind names the kind of JSON value starting with c.
func jsonKind(c byte) string {
	switch c {
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "number"
}
