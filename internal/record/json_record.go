package record

import (
	"encoding/json"
	"errors"
)

// decodeJSONRecord decodes one complete JSON value as a record; base is its
// offset for syntax error positions.
//
// encoding/json validates the value (and words the syntax errors); the
// fields are then picked out by a walk over the validated bytes that hands
// each value to its wire type's UnmarshalJSON. This skips encoding/json's
// reflection, which cost about three times the rest of the decoding. Keys
// match exactly, as in msgpack.
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
	w.readJSON(frame)
	r, err := w.build()
	if err == nil && IsAgentReport(r.Type) {
		if r.Agent, err = decodeAgentJSON(frame, r.Type); err != nil {
			return Record{}, err
		}
	}
	return r, err
}

func (w *wireRecord) readJSON(b []byte) {
	i := skipSpace(b, 0)
	if b[i] != '{' {
		w.shape = &fieldError{problem: "expected an object, got " + jsonKind(b[i])}
		return
	}
	eachField(b, i, func(key, val []byte) {
		switch string(key) {
		case "type":
			_ = w.Type.UnmarshalJSON(val)
		case "interface":
			_ = w.Interface.UnmarshalJSON(val)
		case "internal":
			_ = w.Internal.UnmarshalJSON(val)
		case "reason":
			_ = w.Reason.UnmarshalJSON(val)
		case "update_interval":
			_ = w.UpdateInterval.UnmarshalJSON(val)
		case "flow":
			if w.object(val, "flow") {
				if w.Flow == nil {
					w.Flow = new(wireFlow)
				}
				w.Flow.readJSON(val, w)
			}
		}
	})
}

func (f *wireFlow) readJSON(b []byte, w *wireRecord) {
	eachField(b, 0, func(key, val []byte) {
		switch string(key) {
		case "digest":
			_ = f.Digest.UnmarshalJSON(val)
		case "digest_prev":
			_ = f.DigestPrev.UnmarshalJSON(val)
		case "local_bytes":
			_ = f.LocalBytes.UnmarshalJSON(val)
		case "local_packets":
			_ = f.LocalPackets.UnmarshalJSON(val)
		case "other_bytes":
			_ = f.OtherBytes.UnmarshalJSON(val)
		case "other_packets":
			_ = f.OtherPackets.UnmarshalJSON(val)
		case "local_rate":
			_ = f.LocalRate.UnmarshalJSON(val)
		case "other_rate":
			_ = f.OtherRate.UnmarshalJSON(val)
		case "total_bytes":
			_ = f.TotalBytes.UnmarshalJSON(val)
		case "total_packets":
			_ = f.TotalPackets.UnmarshalJSON(val)
		case "detection_packets":
			_ = f.DetectionPackets.UnmarshalJSON(val)
		case "first_seen_at":
			_ = f.FirstSeenAt.UnmarshalJSON(val)
		case "last_seen_at":
			_ = f.LastSeenAt.UnmarshalJSON(val)
		case "tcp":
			if w.object(val, "flow.tcp") {
				if f.TCP == nil {
					f.TCP = new(wireTCP)
				}
				f.TCP.readJSON(val)
			}
		case "detected_application":
			_ = f.Meta.ApplicationID.UnmarshalJSON(val)
		case "detected_application_name":
			_ = f.Meta.ApplicationName.UnmarshalJSON(val)
		case "detected_protocol":
			_ = f.Meta.ProtocolID.UnmarshalJSON(val)
		case "detected_protocol_name":
			_ = f.Meta.ProtocolName.UnmarshalJSON(val)
		case "category":
			if w.object(val, "flow.category") {
				f.Meta.Category.readJSON(val)
			}
		case "host_server_name":
			_ = f.Meta.HostServerName.UnmarshalJSON(val)
		case "ip_protocol":
			_ = f.Meta.IPProtocol.UnmarshalJSON(val)
		case "ip_version":
			_ = f.Meta.IPVersion.UnmarshalJSON(val)
		case "local_ip":
			_ = f.Meta.LocalIP.UnmarshalJSON(val)
		case "other_ip":
			_ = f.Meta.OtherIP.UnmarshalJSON(val)
		case "local_port":
			_ = f.Meta.LocalPort.UnmarshalJSON(val)
		case "other_port":
			_ = f.Meta.OtherPort.UnmarshalJSON(val)
		case "local_origin":
			_ = f.Meta.LocalOrigin.UnmarshalJSON(val)
		case "other_type":
			_ = f.Meta.OtherType.UnmarshalJSON(val)
		case "vlan_id":
			_ = f.Meta.VLANID.UnmarshalJSON(val)
		}
	})
}

func (c *wireCategory) readJSON(b []byte) {
	eachField(b, 0, func(key, val []byte) {
		switch string(key) {
		case "application":
			_ = c.Application.UnmarshalJSON(val)
		case "protocol":
			_ = c.Protocol.UnmarshalJSON(val)
		case "domain":
			_ = c.Domain.UnmarshalJSON(val)
		}
	})
}

func (t *wireTCP) readJSON(b []byte) {
	eachField(b, 0, func(key, val []byte) {
		switch string(key) {
		case "resets":
			_ = t.Resets.UnmarshalJSON(val)
		case "retrans":
			_ = t.Retrans.UnmarshalJSON(val)
		case "seq_errors":
			_ = t.SeqErrors.UnmarshalJSON(val)
		}
	})
}

// object reports whether val is an object; null is absent, anything else is
// recorded as the record's first wrongly shaped field.
func (w *wireRecord) object(val []byte, path string) bool {
	switch val[0] {
	case '{':
		return true
	case 'n':
		return false
	}
	if w.shape == nil {
		w.shape = &fieldError{path: path, problem: "expected an object, got " + jsonKind(val[0])}
	}
	return false
}

// eachField calls fn with the key and raw value of each member of the valid
// JSON object starting at b[i].
func eachField(b []byte, i int, fn func(key, val []byte)) {
	for {
		i = skipSpace(b, i+1) // past '{' or ','
		if i >= len(b) || b[i] != '"' {
			return // '}'
		}
		end := skipJSONString(b, i)
		key, ok := unquoteFast(b[i:end])
		if !ok {
			key = []byte(jsonString(b[i:end]))
		}
		i = skipSpace(b, skipSpace(b, end)+1) // past ':'
		end = skipJSONValue(b, i)
		fn(key, b[i:end])
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ',' {
			return
		}
	}
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
