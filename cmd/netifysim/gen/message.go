package gen

// Builders of the records' maps. Keys and nesting follow the agent's v5.2
// records; encoding sorts keys like the agent does.

func (f *flow) envelope(recordType string, body map[string]any) map[string]any {
	return map[string]any{
		"flow":      body,
		"interface": f.iface,
		"internal":  f.internal,
		"type":      recordType,
	}
}

// metadata is what `flow` carries: no stats.
func (f *flow) metadata() map[string]any {
	domain := 0
	if f.host != "" {
		domain = f.app.domain // the category of the host name DPI found
	}
	m := map[string]any{
		"category": map[string]any{
			"application": int64(f.app.category),
			"domain":      int64(domain),
			"protocol":    int64(f.proto.category),
		},
		"detected_application":      int64(f.app.id),
		"detected_application_name": f.appName(),
		"detected_protocol":         int64(f.proto.id),
		"detected_protocol_name":    f.proto.name,
		"digest":                    f.current(),
		"digest_prev":               f.prev(),
		"first_seen_at":             f.firstSeen,
		"ip_protocol":               int64(f.ipProtocol),
		"ip_version":                int64(f.ipVersion),
		"last_seen_at":              f.lastSeen,
		"local_ip":                  f.localIP,
		"local_origin":              f.localOrigin,
		"local_port":                int64(f.localPort),
		"other_ip":                  f.otherIP,
		"other_port":                int64(f.otherPort),
		"other_type":                otherType(f.internal),
		"vlan_id":                   int64(f.vlan),
	}
	if f.host != "" {
		m["host_server_name"] = f.host
	}
	return m
}

// stats is what flow_stats and flow_purge carry; d is the deltas since the
// last dispatch.
func (f *flow) stats(d Delta) map[string]any {
	m := map[string]any{
		"detection_packets": f.detectionPackets,
		"digest":            f.current(),
		"digest_prev":       f.prev(),
		"last_seen_at":      f.lastSeen,
		"local_bytes":       d.LocalBytes,
		"local_packets":     d.LocalPackets,
		"local_rate":        f.localRate,
		"other_bytes":       d.OtherBytes,
		"other_packets":     d.OtherPackets,
		"other_rate":        f.otherRate,
		"total_bytes":       f.total.Bytes(),
		"total_packets":     f.total.Packets(),
	}
	if f.prof.tcp() {
		m["tcp"] = map[string]any{
			"resets":     d.TCPResets,
			"retrans":    d.TCPRetrans,
			"seq_errors": d.TCPSeqErrors,
		}
	}
	return m
}

// dpi is a DPI event record: metadata, plus the pending stats when enabled.
func (f *flow) dpi(recordType string, pending Delta, agent string) Record {
	body := f.metadata()
	carried := Delta{}
	if f.dpiStatsInRecords {
		for k, v := range f.stats(pending) {
			body[k] = v
		}
		carried = pending
	}
	rec := f.record(agent, recordType, carried, body)
	rec.Meta = f.meta()
	return rec
}

// record wraps a flow record's body in its envelope.
func (f *flow) record(agent, recordType string, d Delta, body map[string]any) Record {
	return Record{
		Agent: agent, Type: recordType, Flow: f.tuple(), Delta: d,
		Interface: f.iface, Internal: f.internal,
		Msg: f.envelope(recordType, body),
	}
}

// appName is detected_application_name: the placeholder for id 0.
func (f *flow) appName() string {
	if f.app.id == 0 {
		return unknownAppName
	}
	return f.app.name
}

// meta is the classification metadata() sends.
func (f *flow) meta() *Meta {
	return &Meta{
		ApplicationID: f.app.id, ApplicationName: f.appName(),
		ProtocolID: f.proto.id, ProtocolName: f.proto.name,
		IPProtocol: f.ipProtocol,
	}
}

func otherType(internal bool) string {
	if internal {
		return "local"
	}
	return "remote"
}
