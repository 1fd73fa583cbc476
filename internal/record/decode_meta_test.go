package record

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// dpi builds a flow_dpi_update record with digest "d" and the given flow fields.
func dpi(fields string) string {
	return `{"type":"flow_dpi_update","flow":{"digest":"d",` + fields + `}}`
}

func TestDecodeMetaJSON(t *testing.T) {
	base := Record{Type: TypeFlowDPIUpdate, Digest: "d", HasMeta: true}
	with := func(m Meta) Record {
		r := base
		r.Meta = m
		return r
	}
	tests := []struct {
		name string
		body string
		want Record
	}{
		{"ipv6 endpoints", dpi(`"local_ip":"fe80::1","other_ip":"2001:db8::7","ip_version":6,"ip_protocol":17`), with(Meta{
			LocalIP: netip.MustParseAddr("fe80::1"), OtherIP: netip.MustParseAddr("2001:db8::7"), IPVersion: 6, IPProtocol: 17,
		})},
		{"loosely typed numbers", dpi(`"detected_application":"11354","detected_protocol":196.0,"local_port":"443","vlan_id":4095`), with(Meta{
			ApplicationID: 11354, ProtocolID: 196, LocalPort: 443, VLANID: 4095,
		})},
		{"local_origin as 0", dpi(`"local_origin":0`), with(Meta{HasLocalOrigin: true})},
		{"local_origin as string", dpi(`"local_origin":"true"`), with(Meta{HasLocalOrigin: true, LocalOrigin: true})},
		{"empty addresses are absent", dpi(`"local_ip":"","other_type":""`), base},
		{"unclassified", dpi(`"detected_application":0,"detected_application_name":"Unknown"`), with(Meta{ApplicationName: "Unknown"})},
		{"escaped host name", dpi(`"host_server_name":"a\u002eexample.com"`), with(Meta{HostServerName: "a.example.com"})},
		{"longest strings", dpi(`"detected_application_name":"` + strings.Repeat("a", 64) + `","host_server_name":"` + strings.Repeat("h", 255) + `"`),
			with(Meta{ApplicationName: strings.Repeat("a", 64), HostServerName: strings.Repeat("h", 255)})},
		{"largest numbers", dpi(`"category":{"application":4294967295},"ip_protocol":255,"other_port":65535`),
			with(Meta{CategoryApplication: 4294967295, IPProtocol: 255, OtherPort: 65535})},
		{"nulls are absent", `{"type":"flow","flow":{"digest":"d","local_ip":null,"category":null,"local_origin":null,"detected_application":null}}`,
			Record{Type: TypeFlow, Digest: "d"}},
		{"empty category is absent", `{"type":"flow","flow":{"digest":"d","category":{}}}`, Record{Type: TypeFlow, Digest: "d"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode([]byte(tc.body), "application/json")
			require.Empty(t, errStrings(errs))
			require.Equal(t, []Record{tc.want}, recs)
		})
	}
}

func TestDecodeMetaJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"bad ip", dpi(`"local_ip":"192.168.4.400"`), `record 0: flow.local_ip: "192.168.4.400" is not an IP address`},
		{"host name as ip", dpi(`"other_ip":"example.com"`), `record 0: flow.other_ip: "example.com" is not an IP address`},
		{"ip not a string", dpi(`"other_ip":3232236588`), `record 0: flow.other_ip: expected a string, got number 3232236588`},
		{"port out of range", dpi(`"local_port":65536`), `record 0: flow.local_port: number 65536 out of range, at most 65535`},
		{"negative port", dpi(`"other_port":-1`), `record 0: flow.other_port: expected a non-negative whole number, got -1`},
		{"vlan out of range", dpi(`"vlan_id":4096`), `record 0: flow.vlan_id: number 4096 out of range, at most 4095`},
		{"ip_protocol out of range", dpi(`"ip_protocol":256`), `record 0: flow.ip_protocol: number 256 out of range, at most 255`},
		{"application id out of range", dpi(`"detected_application":4294967296`), `record 0: flow.detected_application: number 4294967296 out of range, at most 4294967295`},
		{"category id not a number", dpi(`"category":{"domain":"news"}`), `record 0: flow.category.domain: expected a number, got string "news"`},
		{"category not an object", dpi(`"category":28`), `record 0: flow.category: expected an object, got number`},
		{"application name too long", dpi(`"detected_application_name":"` + strings.Repeat("n", 65) + `"`),
			`record 0: flow.detected_application_name: "` + strings.Repeat("n", 40) + `"... is 65 bytes, at most 64`},
		{"protocol name not a string", dpi(`"detected_protocol_name":7`), `record 0: flow.detected_protocol_name: expected a string, got number 7`},
		{"host name too long", dpi(`"host_server_name":"` + strings.Repeat("h", 256) + `"`),
			`record 0: flow.host_server_name: "` + strings.Repeat("h", 40) + `"... is 256 bytes, at most 255`},
		{"other_type too long", dpi(`"other_type":"` + strings.Repeat("r", 65) + `"`),
			`record 0: flow.other_type: "` + strings.Repeat("r", 40) + `"... is 65 bytes, at most 64`},
		{"local_origin not a boolean", dpi(`"local_origin":"maybe"`), `record 0: flow.local_origin: expected a boolean, got string "maybe"`},
		{"first meta error wins", dpi(`"vlan_id":-1,"detected_application":-1`), `record 0: flow.detected_application: expected a non-negative whole number, got -1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode([]byte(tc.body), "application/json")
			require.Empty(t, recs)
			require.Equal(t, []string{tc.want}, errStrings(errs))
		})
	}
}

func TestDecodeMetaMsgpack(t *testing.T) {
	rec := func(flow map[string]any) map[string]any {
		flow["digest"] = "d"
		return map[string]any{"type": "flow_dpi_complete", "flow": flow}
	}
	tests := []struct {
		name string
		in   map[string]any
		want Record
	}{
		{"typed values", rec(map[string]any{
			"detected_application": uint16(11354), "detected_application_name": "netify.tailscale",
			"detected_protocol": int8(96), "detected_protocol_name": "QUIC",
			"category":         map[string]any{"application": 28, "protocol": uint8(22), "domain": 3.0},
			"host_server_name": "login.tailscale.com", "ip_protocol": 17, "ip_version": 6,
			"local_ip": "fd00::2", "other_ip": "2001:db8::1", "local_port": uint16(50000), "other_port": "443",
			"local_origin": false, "other_type": "remote", "vlan_id": 12,
		}), Record{Type: TypeFlowDPIComplete, Digest: "d", HasMeta: true, Meta: Meta{
			ApplicationID: 11354, ApplicationName: "netify.tailscale", ProtocolID: 96, ProtocolName: "QUIC",
			CategoryApplication: 28, CategoryProtocol: 22, CategoryDomain: 3,
			HostServerName: "login.tailscale.com", IPProtocol: 17, IPVersion: 6,
			LocalIP: netip.MustParseAddr("fd00::2"), OtherIP: netip.MustParseAddr("2001:db8::1"), LocalPort: 50000, OtherPort: 443,
			HasLocalOrigin: true, OtherType: "remote", VLANID: 12,
		}}},
		{"nils are absent", rec(map[string]any{"local_ip": nil, "category": nil, "local_origin": nil}),
			Record{Type: TypeFlowDPIComplete, Digest: "d"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode(mustMsgpack(t, tc.in), ctMsgpack)
			require.Empty(t, errStrings(errs))
			require.Equal(t, []Record{tc.want}, recs)
		})
	}
}

func TestDecodeMetaMsgpackErrors(t *testing.T) {
	rec := func(flow map[string]any) map[string]any {
		flow["digest"] = "d"
		return map[string]any{"type": "flow", "flow": flow}
	}
	tests := []struct {
		name string
		in   map[string]any
		want string
	}{
		{"bad ip", rec(map[string]any{"local_ip": "1.2.3"}), `record 0: flow.local_ip: "1.2.3" is not an IP address`},
		{"binary ip", rec(map[string]any{"other_ip": []byte{192, 168, 0, 1}}), `record 0: flow.other_ip: expected a string, got binary`},
		{"category not a map", rec(map[string]any{"category": []int{1}}), `record 0: flow.category: expected an object, got array`},
		{"port out of range", rec(map[string]any{"other_port": 70000}), `record 0: flow.other_port: number 70000 out of range, at most 65535`},
		{"host name too long", rec(map[string]any{"host_server_name": strings.Repeat("x", 300)}),
			`record 0: flow.host_server_name: "` + strings.Repeat("x", 40) + `"... is 300 bytes, at most 255`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode(mustMsgpack(t, tc.in), ctMsgpack)
			require.Empty(t, recs)
			require.Equal(t, []string{tc.want}, errStrings(errs))
		})
	}
}
