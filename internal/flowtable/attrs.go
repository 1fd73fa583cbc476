package flowtable

import (
	"net/netip"
	"unique"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Attributes are what the agent tells of a flow beyond its counters: what
// views group by and filter on, and what flow logs carry.
type Attributes struct {
	Interface string
	Internal  bool
	Meta      Meta
}

// Meta is the flow metadata of the agent's flow and DPI records. Strings
// are interned: many flows share an application, protocol or host name, and
// an interned string costs the flow one pointer.
type Meta struct {
	// Known is set once a record carrying metadata was applied.
	Known          bool
	Application    unique.Handle[string]
	ApplicationID  uint32
	Protocol       unique.Handle[string]
	ProtocolID     uint32
	CategoryApp    uint32
	CategoryProto  uint32
	CategoryDomain uint32
	HostServerName unique.Handle[string]
	OtherType      unique.Handle[string]
	// IPProtocol is the IANA protocol number; 0 when unknown.
	IPProtocol uint8
	// IPVersion is 4 or 6; 0 when unknown.
	IPVersion      uint8
	LocalAddr      netip.Addr
	OtherAddr      netip.Addr
	LocalPort      uint16
	OtherPort      uint16
	HasLocalOrigin bool
	LocalOrigin    bool
	VLAN           uint16
}

// str reads an interned string; the zero handle is "".
func str(h unique.Handle[string]) string {
	if h == (unique.Handle[string]{}) {
		return ""
	}
	return h.Value()
}

// intern makes a handle of s; "" stays the zero handle.
func intern(s string) unique.Handle[string] {
	if s == "" {
		return unique.Handle[string]{}
	}
	return unique.Make(s)
}

// ApplicationName, ProtocolName, HostServerName and OtherTypeName read the
// interned strings.
func (m *Meta) ApplicationName() string { return str(m.Application) }
func (m *Meta) ProtocolName() string    { return str(m.Protocol) }
func (m *Meta) HostName() string        { return str(m.HostServerName) }
func (m *Meta) OtherTypeName() string   { return str(m.OtherType) }

// reintern is intern(s), without a lookup when s is what h holds already
// (a flow's DPI records repeat most of its metadata).
func reintern(h unique.Handle[string], s string) unique.Handle[string] {
	if s == str(h) {
		return h
	}
	return intern(s)
}

// mergeMeta updates m with what r carries; fields the record leaves out keep
// their value. It reports whether anything changed.
func mergeMeta(m *Meta, r *record.Record) bool {
	if !r.HasMeta {
		return false
	}
	before := *m
	rm := &r.Meta
	m.Known = true
	if rm.ApplicationName != "" || rm.ApplicationID != 0 {
		m.Application, m.ApplicationID = reintern(m.Application, rm.ApplicationName), rm.ApplicationID
	}
	if rm.ProtocolName != "" || rm.ProtocolID != 0 {
		m.Protocol, m.ProtocolID = reintern(m.Protocol, rm.ProtocolName), rm.ProtocolID
	}
	if rm.CategoryApplication != 0 || rm.CategoryProtocol != 0 || rm.CategoryDomain != 0 {
		m.CategoryApp, m.CategoryProto, m.CategoryDomain = rm.CategoryApplication, rm.CategoryProtocol, rm.CategoryDomain
	}
	if rm.HostServerName != "" {
		m.HostServerName = reintern(m.HostServerName, rm.HostServerName)
	}
	if rm.OtherType != "" {
		m.OtherType = reintern(m.OtherType, rm.OtherType)
	}
	if rm.IPProtocol != 0 {
		m.IPProtocol = rm.IPProtocol
	}
	if rm.IPVersion != 0 {
		m.IPVersion = rm.IPVersion
	}
	if rm.LocalIP.IsValid() {
		m.LocalAddr = rm.LocalIP
	}
	if rm.OtherIP.IsValid() {
		m.OtherAddr = rm.OtherIP
	}
	if rm.LocalPort != 0 {
		m.LocalPort = rm.LocalPort
	}
	if rm.OtherPort != 0 {
		m.OtherPort = rm.OtherPort
	}
	if rm.HasLocalOrigin {
		m.HasLocalOrigin, m.LocalOrigin = true, rm.LocalOrigin
	}
	if rm.VLANID != 0 {
		m.VLAN = rm.VLANID
	}
	return *m != before
}

// packedAttrs is how a flow keeps its Attributes, in 12 bytes and its
// ports (4 bytes beside them in the flow) instead of 152. What many flows
// share (interface, application, protocol, categories, host...) is
// interned as one value; each address is interned on its own (a LAN host,
// a server, serve many flows); the ports, unique to the flow, are inline.
// The ids are its table's interners' (see interner): a flow holds one
// count of each until it releases them.
type packedAttrs struct {
	// shared is the attributes without addresses and ports; 0 for none.
	shared       uint32
	local, other uint32
}

// ports are a flow's local and other ports.
type ports [2]uint16

// unpack gives back the Attributes packed, with the flow's ports.
func (p *packedAttrs) unpack(pt ports, in *interners) Attributes {
	a := in.shared.value(p.shared)
	a.Meta.LocalAddr = in.addrs.value(p.local)
	a.Meta.OtherAddr = in.addrs.value(p.other)
	a.Meta.LocalPort, a.Meta.OtherPort = pt[0], pt[1]
	return a
}

// keeps reports whether a record without metadata leaves the attributes
// as they are: its interface and internal flag, where it has them, are
// the ones packed.
func (p *packedAttrs) keeps(r *record.Record, in *interners) bool {
	var iface string
	var internal bool
	if a := in.shared.ref(p.shared); a != nil {
		iface, internal = a.Interface, a.Internal
	}
	return (!r.HasInterface || iface == r.Interface) && (!r.HasInternal || internal == r.Internal)
}

// pack packs a; old is what the flow had, whose ids are kept for the parts
// that did not change (and released for the others).
func pack(a, old Attributes, p packedAttrs, in *interners) (packedAttrs, ports) {
	if a.Meta.LocalAddr != old.Meta.LocalAddr {
		id := in.addrs.acquire(a.Meta.LocalAddr)
		in.addrs.release(p.local)
		p.local = id
	}
	if a.Meta.OtherAddr != old.Meta.OtherAddr {
		id := in.addrs.acquire(a.Meta.OtherAddr)
		in.addrs.release(p.other)
		p.other = id
	}
	pt := ports{a.Meta.LocalPort, a.Meta.OtherPort}
	a.Meta.LocalAddr, a.Meta.OtherAddr, a.Meta.LocalPort, a.Meta.OtherPort = netip.Addr{}, netip.Addr{}, 0, 0
	old.Meta.LocalAddr, old.Meta.OtherAddr, old.Meta.LocalPort, old.Meta.OtherPort = netip.Addr{}, netip.Addr{}, 0, 0
	if a != old {
		id := in.shared.acquire(a)
		in.shared.release(p.shared)
		p.shared = id
	}
	return p, pt
}

// release gives back the flow's counts of its ids.
func (p *packedAttrs) release(in *interners) {
	in.shared.release(p.shared)
	in.addrs.release(p.local)
	in.addrs.release(p.other)
	*p = packedAttrs{}
}
