// Package flowmetrics turns the flow table into OTLP metrics: per-flow points
// and views, aggregates of flows grouped by their attributes, each written
// straight into pmetric in one linear pass and handed on in bounded batches.
package flowmetrics // import "github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"

import (
	"slices"
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
)

// Values a flow has before the agent told what it is: its bytes count under
// these until its metadata arrives.
const (
	Unclassified = "unclassified"
	Unknown      = "unknown"
)

type attrKind uint8

const (
	kindStr attrKind = iota
	kindBool
	kindInt
)

// Attribute is a flow attribute that views group by and filter on, and that
// per-flow metrics can carry.
type Attribute struct {
	// Name is how the configuration names it.
	Name string
	// Key is the OpenTelemetry attribute key.
	Key  string
	kind attrKind
	// value renders the attribute of a flow as a string (the form filters
	// and series keys use); put writes it into an attribute map.
	value func(a *flowtable.Attributes) string
}

func (at *Attribute) put(m pcommon.Map, v string) {
	switch at.kind {
	case kindBool:
		m.PutBool(at.Key, v == "true")
	case kindInt:
		n, _ := strconv.ParseInt(v, 10, 64)
		m.PutInt(at.Key, n)
	default:
		m.PutStr(at.Key, v)
	}
}

func itoa[T uint8 | uint16 | uint32](v T) string { return strconv.FormatUint(uint64(v), 10) }

// Attributes is the documented list, in the order series attributes are
// written.
var Attributes = []Attribute{
	{"interface", "network.interface.name", kindStr, func(a *flowtable.Attributes) string { return a.Interface }},
	{"internal", "netify.flow.internal", kindBool, func(a *flowtable.Attributes) string { return strconv.FormatBool(a.Internal) }},
	{"application", "netify.application.name", kindStr, applicationName},
	{"protocol", "netify.protocol.name", kindStr, protocolName},
	{"transport", "network.transport", kindStr, func(a *flowtable.Attributes) string { return Transport(a.Meta.IPProtocol) }},
	{"ip_version", "network.type", kindStr, ipVersion},
	{"application_category", "netify.category.application", kindInt, func(a *flowtable.Attributes) string { return itoa(a.Meta.CategoryApp) }},
	{"protocol_category", "netify.category.protocol", kindInt, func(a *flowtable.Attributes) string { return itoa(a.Meta.CategoryProto) }},
	{"domain_category", "netify.category.domain", kindInt, func(a *flowtable.Attributes) string { return itoa(a.Meta.CategoryDomain) }},
	{"host", "netify.host_server_name", kindStr, func(a *flowtable.Attributes) string { return a.Meta.HostName() }},
	{"local_address", "network.local.address", kindStr, func(a *flowtable.Attributes) string {
		return addr(a.Meta.LocalAddr.IsValid(), a.Meta.LocalAddr.String())
	}},
	{"local_port", "network.local.port", kindInt, func(a *flowtable.Attributes) string { return itoa(a.Meta.LocalPort) }},
	{"other_address", "network.peer.address", kindStr, func(a *flowtable.Attributes) string {
		return addr(a.Meta.OtherAddr.IsValid(), a.Meta.OtherAddr.String())
	}},
	{"other_port", "network.peer.port", kindInt, func(a *flowtable.Attributes) string { return itoa(a.Meta.OtherPort) }},
	{"other_type", "netify.flow.other_type", kindStr, func(a *flowtable.Attributes) string { return orUnknown(a.Meta.OtherTypeName()) }},
	{"local_origin", "netify.flow.local_origin", kindBool, func(a *flowtable.Attributes) string { return strconv.FormatBool(a.Meta.LocalOrigin) }},
	{"vlan", "netify.flow.vlan_id", kindInt, func(a *flowtable.Attributes) string { return itoa(a.Meta.VLAN) }},
}

// LookupAttribute finds an attribute by its configuration name or its key.
func LookupAttribute(name string) (*Attribute, bool) {
	i := slices.IndexFunc(Attributes, func(a Attribute) bool { return a.Name == name || a.Key == name })
	if i < 0 {
		return nil, false
	}
	return &Attributes[i], true
}

// AttributeNames lists the configuration names, for error messages.
func AttributeNames() []string {
	out := make([]string, len(Attributes))
	for i := range Attributes {
		out[i] = Attributes[i].Name
	}
	return out
}

func applicationName(a *flowtable.Attributes) string {
	if a.Meta.ApplicationID == 0 {
		return Unclassified
	}
	if n := a.Meta.ApplicationName(); n != "" {
		return n
	}
	return itoa(a.Meta.ApplicationID)
}

func protocolName(a *flowtable.Attributes) string {
	if a.Meta.ProtocolID == 0 {
		return Unclassified
	}
	if n := a.Meta.ProtocolName(); n != "" {
		return n
	}
	return itoa(a.Meta.ProtocolID)
}

// Transport names an IANA protocol number as semantic conventions'
// network.transport does (tcp, udp), icmp for ICMP and ICMPv6, the number
// otherwise, and "unknown" while the agent has not told it.
func Transport(p uint8) string {
	switch p {
	case 0:
		return Unknown
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1, 58:
		return "icmp"
	}
	return itoa(p)
}

func ipVersion(a *flowtable.Attributes) string {
	switch a.Meta.IPVersion {
	case 4:
		return "ipv4"
	case 6:
		return "ipv6"
	}
	return Unknown
}

func addr(ok bool, s string) string {
	if !ok {
		return ""
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return s
}
