package gen

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
)

// Record types the simulator emits.
const (
	TypeFlow            = "flow"
	TypeFlowDPIUpdate   = "flow_dpi_update"
	TypeFlowDPIComplete = "flow_dpi_complete"
	TypeFlowStats       = "flow_stats"
	TypeFlowPurge       = "flow_purge"
	TypeAgentStatus     = "agent_status"
	TypeInterfaceStats  = "interface_stats"
)

// Delta is the per-interval counters a record carries. Its JSON names and
// order are those of the summary's tallies.
type Delta struct {
	LocalBytes   uint64 `json:"local_bytes"`
	OtherBytes   uint64 `json:"other_bytes"`
	LocalPackets uint64 `json:"local_packets"`
	OtherPackets uint64 `json:"other_packets"`
	TCPResets    uint64 `json:"tcp_resets"`
	TCPRetrans   uint64 `json:"tcp_retrans"`
	TCPSeqErrors uint64 `json:"tcp_seq_errors"`
}

// Bytes is local plus other bytes.
func (d Delta) Bytes() uint64 { return d.LocalBytes + d.OtherBytes }

// Packets is local plus other packets.
func (d Delta) Packets() uint64 { return d.LocalPackets + d.OtherPackets }

// Add adds o to d.
func (d *Delta) Add(o Delta) {
	d.LocalBytes += o.LocalBytes
	d.LocalPackets += o.LocalPackets
	d.OtherBytes += o.OtherBytes
	d.OtherPackets += o.OtherPackets
	d.TCPResets += o.TCPResets
	d.TCPRetrans += o.TCPRetrans
	d.TCPSeqErrors += o.TCPSeqErrors
}

// Record is one agent record: the message as the agent would encode it plus
// what the simulator knows about it, so that nobody has to parse it back.
type Record struct {
	// Agent is the id of the agent that produced the record.
	Agent string
	// Type is the record's "type".
	Type string
	// Flow is the flow's stable tuple digest (digest_prev[0]); empty for
	// agent_status.
	Flow string
	// Delta is what the record's local_/other_ bytes and packets and tcp
	// fields carry (zero for records without stats).
	Delta Delta
	// Interface and Internal are the envelope's "interface" and "internal"
	// (flow records only).
	Interface string
	Internal  bool
	// Reason is a flow_purge's "reason": closed or expired.
	Reason string
	// Meta is the classification a flow, flow_dpi_update or
	// flow_dpi_complete record carries; nil for other records.
	Meta *Meta
	// Iface is what an interface_stats record carries (zero for others).
	Iface InterfaceCounts
	// Msg is the record; values are strings, bools, int64, uint64, float64,
	// []string and nested map[string]any.
	Msg map[string]any
}

// Meta is the classification part of a metadata record, as sent.
type Meta struct {
	ApplicationID   int    // detected_application; 0: not classified
	ApplicationName string // detected_application_name
	ProtocolID      int    // detected_protocol; 0: Unknown
	ProtocolName    string // detected_protocol_name
	IPProtocol      int    // ip_protocol
}

// Format is a payload encoding of the agent's sinks.
type Format int

// Encodings: the agent's channel `format` json or msgpack.
const (
	FormatJSON Format = iota
	FormatMsgpack
)

// ParseFormat maps "json" and "msgpack" to a Format.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "json":
		return FormatJSON, nil
	case "msgpack":
		return FormatMsgpack, nil
	}
	return 0, fmt.Errorf("unknown format %q (want json or msgpack)", s)
}

// String is the format's flag spelling.
func (f Format) String() string {
	if f == FormatMsgpack {
		return "msgpack"
	}
	return "json"
}

// ContentType is the HTTP sink's Content-Type for the format.
func (f Format) ContentType() string {
	if f == FormatMsgpack {
		return "application/msgpack"
	}
	return "application/json"
}

// Encode returns the record in the given format, map keys sorted as the
// agent's encoder writes them.
func (r *Record) Encode(f Format) ([]byte, error) {
	switch f {
	case FormatJSON:
		return json.Marshal(r.Msg)
	case FormatMsgpack:
		var buf bytes.Buffer
		enc := msgpack.NewEncoder(&buf)
		enc.SetSortMapKeys(true)
		enc.UseCompactInts(true)
		if err := enc.Encode(r.Msg); err != nil {
			return nil, fmt.Errorf("encoding %s record as msgpack: %w", r.Type, err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("unknown format %d", f)
}

// JSON is Encode(FormatJSON) for records built by this package, whose values
// always encode.
func (r *Record) JSON() []byte {
	b, err := json.Marshal(r.Msg)
	if err != nil {
		panic(fmt.Sprintf("gen built a record JSON cannot encode: %v", err))
	}
	return b
}
