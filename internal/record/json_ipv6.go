package record

import "net/netip"

// parseIPv6Prefix parses the IPv6 address b starts with, in the forms
// agents print (hex fields of one to four digits, at most one "::", no
// embedded IPv4, no zone), as netip.ParseAddr does, and returns its
// length: what follows is the caller's to check. Anything else (and a
// field that is followed by a '.', a '%' or a fifth hex digit) is false,
// left to netip, which takes or words it.
func parseIPv6Prefix(b []byte) (netip.Addr, int, bool) {
	var ip [16]byte
	ellipsis, n, i := -1, 0, 0 // where "::" stands in ip; bytes of ip set; bytes of b read
	if len(b) >= 2 && b[0] == ':' && b[1] == ':' {
		ellipsis, i = 0, 2
	}
	for i < len(b) && n < 16 {
		// A field: one to four hex digits.
		var v uint
		j := i
		for ; j < len(b) && j-i < 4; j++ {
			c := b[j]
			if d := c - '0'; d < 10 {
				v = v<<4 | uint(d)
			} else if h := c | 0x20 - 'a'; h < 6 {
				v = v<<4 | uint(h+10)
			} else {
				break
			}
		}
		if j == i {
			if ellipsis == n {
				break // right after "::", which ends the address ("1::", "::")
			}
			return netip.Addr{}, 0, false
		}
		ip[n], ip[n+1] = byte(v>>8), byte(v)
		n += 2
		i = j
		if i == len(b) || b[i] != ':' {
			break
		}
		// A colon: another field follows, or a second colon and maybe one.
		if i+1 < len(b) && b[i+1] == ':' {
			if ellipsis >= 0 {
				return netip.Addr{}, 0, false
			}
			ellipsis, i = n, i+2
			continue
		}
		i++
	}
	if i > 0 && b[i-1] == ':' && (i < 2 || b[i-2] != ':') {
		return netip.Addr{}, 0, false // a single colon ends it
	}
	if i < len(b) && (b[i] == ':' || b[i] == '.' || b[i] == '%' || isHex(b[i])) {
		return netip.Addr{}, 0, false // a ninth field, IPv4, a zone, a long field
	}
	switch {
	case n < 16 && ellipsis < 0:
		return netip.Addr{}, 0, false
	case n < 16:
		gap := 16 - n
		copy(ip[ellipsis+gap:], ip[ellipsis:n])
		clear(ip[ellipsis : ellipsis+gap])
	case ellipsis >= 0:
		return netip.Addr{}, 0, false // "::" stands for no field
	}
	return netip.AddrFrom16(ip), i, true
}

// quotedIPv6 is quotedIPv4 for an IPv6 address (parseIPv6Prefix's forms).
func (d *fastRecord) quotedIPv6() (netip.Addr, bool) {
	r := &d.r
	if r.b[r.i] != '"' {
		return netip.Addr{}, false
	}
	a, n, ok := parseIPv6Prefix(r.b[r.i+1:])
	if end := r.i + 1 + n; ok && end < len(r.b) && r.b[end] == '"' {
		r.i = end + 1
		return a, true
	}
	return netip.Addr{}, false
}
