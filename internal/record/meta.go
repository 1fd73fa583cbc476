package record

import (
	"math"
	"net/netip"
	"strconv"
)

// Bounds on the metadata strings: they become metric attribute values.
const (
	// MaxNameLen bounds application and protocol names and other_type, in bytes.
	MaxNameLen = 64
	// MaxHostNameLen bounds host_server_name, in bytes: the longest DNS name.
	MaxHostNameLen = 255
)

// Meta is the flow metadata that flow, flow_dpi_update and flow_dpi_complete
// records carry under "flow" (flow_stats and flow_purge carry none). Every
// field is optional; zero means absent unless a field says otherwise. It is
// one value so that the flow table can keep it with one copy.
type Meta struct {
	// ApplicationID is detected_application; the agent sends 0 (with a
	// placeholder name) for a flow it has not classified, so 0 means "not
	// classified or absent".
	ApplicationID uint32
	// ApplicationName is detected_application_name ("netify.youtube"), at
	// most MaxNameLen bytes.
	ApplicationName string
	// ProtocolID and ProtocolName are detected_protocol and
	// detected_protocol_name ("HTTP/S"), the name at most MaxNameLen bytes.
	ProtocolID   uint32
	ProtocolName string
	// Category ids (category.application, .protocol, .domain); the names
	// live in the agent's category list, not in the record.
	CategoryApplication uint32
	CategoryProtocol    uint32
	CategoryDomain      uint32
	// HostServerName is the host name DPI found (SNI, HTTP Host, DNS
	// query), at most MaxHostNameLen bytes.
	HostServerName string
	// IPProtocol is the IANA protocol number (6 TCP, 17 UDP); 0 is absent
	// (IPv6 hop-by-hop, 0, never names a flow's transport).
	IPProtocol uint8
	// IPVersion is 4 or 6 as the agent sent it; 0 is absent.
	IPVersion uint8
	// LocalIP and OtherIP are the endpoints; the zero Addr (IsValid false)
	// is absent, as is an empty string on the wire.
	LocalIP netip.Addr
	OtherIP netip.Addr
	// LocalPort and OtherPort: 0 is absent (or a portless protocol).
	LocalPort uint16
	OtherPort uint16
	// LocalOrigin: the local endpoint opened the flow. HasLocalOrigin is
	// false when the record did not say.
	HasLocalOrigin bool
	LocalOrigin    bool
	// OtherType is what the other endpoint is ("remote", "local"...), at
	// most MaxNameLen bytes.
	OtherType string
	// VLANID is the VLAN; 0 is no VLAN or absent.
	VLANID uint16
}

// wireMeta is Meta as read off the wire, before validation.
type wireMeta struct {
	ApplicationID   num
	ApplicationName str
	ProtocolID      num
	ProtocolName    str
	Category        wireCategory
	HostServerName  str
	IPProtocol      num
	IPVersion       num
	LocalIP         str
	OtherIP         str
	LocalPort       num
	OtherPort       num
	LocalOrigin     flexBool
	OtherType       str
	VLANID          num
}

type wireCategory struct {
	Application num
	Protocol    num
	Domain      num
}

// present reports whether the wire carried any metadata field.
func (m *wireMeta) present() bool {
	return m.ApplicationID.present() || m.ApplicationName.present() ||
		m.ProtocolID.present() || m.ProtocolName.present() ||
		m.Category.Application.present() || m.Category.Protocol.present() || m.Category.Domain.present() ||
		m.HostServerName.present() || m.IPProtocol.present() || m.IPVersion.present() ||
		m.LocalIP.present() || m.OtherIP.present() || m.LocalPort.present() || m.OtherPort.present() ||
		m.LocalOrigin.present() || m.OtherType.present() || m.VLANID.present()
}

// fill validates the metadata into out; the first bad field is the error,
// in the order of the fields of Meta.
func (m *wireMeta) fill(out *Meta) (err error) {
	if out.ApplicationID, err = m.ApplicationID.uint32("flow.detected_application"); err != nil {
		return err
	}
	if out.ApplicationName, err = m.ApplicationName.bounded("flow.detected_application_name", MaxNameLen); err != nil {
		return err
	}
	if out.ProtocolID, err = m.ProtocolID.uint32("flow.detected_protocol"); err != nil {
		return err
	}
	if out.ProtocolName, err = m.ProtocolName.bounded("flow.detected_protocol_name", MaxNameLen); err != nil {
		return err
	}
	c := &m.Category
	if out.CategoryApplication, err = c.Application.uint32("flow.category.application"); err != nil {
		return err
	}
	if out.CategoryProtocol, err = c.Protocol.uint32("flow.category.protocol"); err != nil {
		return err
	}
	if out.CategoryDomain, err = c.Domain.uint32("flow.category.domain"); err != nil {
		return err
	}
	if out.HostServerName, err = m.HostServerName.bounded("flow.host_server_name", MaxHostNameLen); err != nil {
		return err
	}
	var u uint64
	if u, err = m.IPProtocol.upTo("flow.ip_protocol", math.MaxUint8); err != nil {
		return err
	}
	out.IPProtocol = uint8(u)
	if u, err = m.IPVersion.upTo("flow.ip_version", math.MaxUint8); err != nil {
		return err
	}
	out.IPVersion = uint8(u)
	if out.LocalIP, err = m.LocalIP.addr("flow.local_ip"); err != nil {
		return err
	}
	if out.OtherIP, err = m.OtherIP.addr("flow.other_ip"); err != nil {
		return err
	}
	if u, err = m.LocalPort.upTo("flow.local_port", math.MaxUint16); err != nil {
		return err
	}
	out.LocalPort = uint16(u)
	if u, err = m.OtherPort.upTo("flow.other_port", math.MaxUint16); err != nil {
		return err
	}
	out.OtherPort = uint16(u)
	out.HasLocalOrigin = m.LocalOrigin.present()
	if out.LocalOrigin, err = m.LocalOrigin.get("flow.local_origin"); err != nil {
		return err
	}
	if out.OtherType, err = m.OtherType.bounded("flow.other_type", MaxNameLen); err != nil {
		return err
	}
	// 4095 is the largest VLAN id (12 bits); 4095 itself is reserved but
	// passed through as the agent sent it.
	if u, err = m.VLANID.upTo("flow.vlan_id", 4095); err != nil {
		return err
	}
	out.VLANID = uint16(u)
	return nil
}

// upTo is counter, with values above limit reported as out of range.
func (n *num) upTo(path string, limit uint64) (uint64, error) {
	u, err := n.counter(path)
	if err == nil && u > limit {
		return 0, &fieldError{path, "number " + n.String() + " out of range, at most " + strconv.FormatUint(limit, 10)}
	}
	return u, err
}

func (n *num) uint32(path string) (uint32, error) {
	u, err := n.upTo(path, math.MaxUint32)
	return uint32(u), err
}

// bounded is get, with strings longer than limit bytes rejected.
func (s *str) bounded(path string, limit int) (string, error) {
	v, err := s.get(path)
	if err == nil && len(v) > limit {
		return "", &fieldError{path, quoteText(v) + " is " + strconv.Itoa(len(v)) + " bytes, at most " + strconv.Itoa(limit)}
	}
	return v, err
}

// addr parses an IP address field; an empty string is absent.
func (s *str) addr(path string) (netip.Addr, error) {
	v, err := s.get(path)
	if err != nil || v == "" {
		return netip.Addr{}, err
	}
	a, perr := netip.ParseAddr(v)
	if perr != nil {
		return netip.Addr{}, &fieldError{path, quoteText(v) + " is not an IP address"}
	}
	return a, nil
}
