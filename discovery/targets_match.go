package discovery

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// String writes the targets back as a list ParseTargets reads, ports other than 161
// spelled out.
func (t *Targets) String() string {
	parts := make([]string, 0, len(t.items))
	for _, it := range t.items {
		s := it.host
		if it.prefix.IsValid() {
			s = it.prefix.String()
		}
		if it.port != 161 {
			if it.prefix.IsValid() {
				s += " (port " + strconv.Itoa(int(it.port)) + ")"
			} else {
				s = net.JoinHostPort(s, strconv.Itoa(int(it.port)))
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ",")
}

// Contains reports whether All yields host on port; port 0 matches any port. Names match
// names only: no DNS lookup is made to compare a name with an address.
func (t *Targets) Contains(host string, port uint16) bool {
	a, err := netip.ParseAddr(host)
	isAddr := err == nil
	if isAddr {
		a = a.Unmap()
	}
	for _, it := range t.items {
		if port != 0 && it.port != port {
			continue
		}
		if !it.prefix.IsValid() {
			if isAddr {
				if b, err := netip.ParseAddr(it.host); err == nil && b.Unmap() == a {
					return true
				}
				continue
			}
			if strings.EqualFold(strings.TrimSuffix(it.host, "."), strings.TrimSuffix(host, ".")) {
				return true
			}
			continue
		}
		if !isAddr || !it.prefix.Contains(a) {
			continue
		}
		// All skips the network and broadcast addresses of IPv4 ranges of /30 and wider.
		if a.Is4() && it.prefix.Bits() <= 30 {
			last := lastAddr(it.prefix)
			if a == it.prefix.Addr() || a == last {
				continue
			}
		}
		return true
	}
	return false
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().As4()
	hostBits := 32 - p.Bits()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v |= (1 << hostBits) - 1
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// splitAddress reads a management address as a host and an optional port (0: none given).
func splitAddress(addr string) (string, uint16) {
	addr = strings.TrimSpace(addr)
	if h, p, err := net.SplitHostPort(addr); err == nil {
		if v, err := strconv.ParseUint(p, 10, 16); err == nil {
			return h, uint16(v)
		}
	}
	return strings.Trim(addr, "[]"), 0
}

// addressMatches reports whether a declared management address names target t: the same
// host, and the same port where the address gives one.
func addressMatches(addr string, t Target) bool {
	host, port := splitAddress(addr)
	if host == "" || (port != 0 && port != t.Port) {
		return false
	}
	if a, err := netip.ParseAddr(host); err == nil {
		b, err := netip.ParseAddr(t.Host)
		return err == nil && a.Unmap() == b.Unmap()
	}
	return strings.EqualFold(strings.TrimSuffix(host, "."), strings.TrimSuffix(t.Host, "."))
}
