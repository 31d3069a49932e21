package discovery

import (
	"fmt"
	"iter"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"critreg/errkind"
)

// DefaultMaxHosts caps a sweep at a /16: enough for any management network, small enough
// that a typo like /8 is refused rather than run for days.
const DefaultMaxHosts = 65536

// Target is one SNMP agent to ask: a host (IP literal or DNS name) and a UDP port.
type Target struct {
	Host string `json:"host"`
	Port uint16 `json:"port"`
}

// String is host:port, with brackets around IPv6.
func (t Target) String() string { return net.JoinHostPort(t.Host, strconv.Itoa(int(t.Port))) }

// Targets is a parsed target list. Ranges are expanded lazily by All, so a large sweep does
// not hold every address in memory.
type Targets struct {
	items []targetItem
	n     int
}

type targetItem struct {
	prefix netip.Prefix // valid for a range
	host   string       // otherwise a single host
	port   uint16
}

// TargetOptions tunes ParseTargets.
type TargetOptions struct {
	// DefaultPort is used where an item names no port; 0 means 161.
	DefaultPort uint16
	// MaxHosts caps the total; 0 means DefaultMaxHosts.
	MaxHosts int
}

// ParseTargets reads target items separated by commas, spaces or newlines: IPv4 or IPv6
// CIDR ranges ("10.0.0.0/24", "fd00::/120"), addresses, host names, and any of the last two
// with a port ("10.0.0.1:1161", "[fd00::1]:1161", "router1:1161"). For IPv4 ranges of /30
// and wider the network and broadcast addresses are skipped: no agent answers there, and a
// datagram to a broadcast address is refused by the kernel anyway.
func ParseTargets(spec string, opts TargetOptions) (*Targets, error) {
	if opts.DefaultPort == 0 {
		opts.DefaultPort = 161
	}
	if opts.MaxHosts <= 0 {
		opts.MaxHosts = DefaultMaxHosts
	}
	fields := strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })
	if len(fields) == 0 {
		return nil, errkind.Errorf("no targets given")
	}
	t := &Targets{}
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f] {
			continue
		}
		seen[f] = true
		it, n, err := parseTargetItem(f, opts.DefaultPort)
		if err != nil {
			return nil, errkind.Errorf("target %q: %s", f, err)
		}
		if n > opts.MaxHosts-t.n {
			return nil, errkind.Errorf("targets exceed the limit of %d hosts (at %q); split the sweep or raise the limit", opts.MaxHosts, f)
		}
		t.items = append(t.items, it)
		t.n += n
	}
	return t, nil
}

func parseTargetItem(f string, defPort uint16) (targetItem, int, error) {
	if strings.Contains(f, "/") {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return targetItem{}, 0, errkind.Errorf("not a CIDR range: %s", err)
		}
		if p.Masked() != p {
			return targetItem{}, 0, errkind.Errorf("host bits set; did you mean %s?", p.Masked())
		}
		if err := checkAddr(p.Addr()); err != nil {
			return targetItem{}, 0, err
		}
		n := prefixSize(p)
		if n <= 0 {
			return targetItem{}, 0, errkind.Errorf("range too large")
		}
		return targetItem{prefix: p, port: defPort}, n, nil
	}
	host, port := f, defPort
	if h, ps, err := net.SplitHostPort(f); err == nil {
		v, err := strconv.ParseUint(ps, 10, 16)
		if err != nil || v == 0 {
			return targetItem{}, 0, errkind.Errorf("port %q: want 1 to 65535", ps)
		}
		host, port = h, uint16(v)
	} else if strings.Count(f, ":") == 1 {
		return targetItem{}, 0, errkind.Errorf("not a host:port: %s", err)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if err := checkAddr(a); err != nil {
			return targetItem{}, 0, err
		}
		return targetItem{host: a.Unmap().String(), port: port}, 1, nil
	}
	if !validHostname(host) {
		return targetItem{}, 0, errkind.Errorf("neither an IP address, a CIDR range nor a host name")
	}
	return targetItem{host: host, port: port}, 1, nil
}

// checkAddr refuses addresses no agent can sit behind.
func checkAddr(a netip.Addr) error {
	a = a.Unmap()
	switch {
	case a.IsUnspecified():
		return errkind.Errorf("unspecified address")
	case a.IsMulticast():
		return errkind.Errorf("multicast address")
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return errkind.Errorf("broadcast address")
	case a.Zone() != "":
		return errkind.Errorf("zoned IPv6 addresses are not supported")
	}
	return nil
}

// validHostname checks RFC 1123 syntax, so a mistyped address is not sent to DNS.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	allDigits := true
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			switch {
			case r >= '0' && r <= '9':
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-':
				allDigits = false
			default:
				return false
			}
		}
	}
	return !allDigits // "10.0.0.256" is a bad address, not a name
}

// prefixSize counts the hosts ParseTargets will expand a prefix to; -1 when it does not fit.
func prefixSize(p netip.Prefix) int {
	hostBits := p.Addr().BitLen() - p.Bits()
	if hostBits > 30 {
		return -1
	}
	n := 1 << hostBits
	if p.Addr().Is4() && hostBits >= 2 {
		n -= 2
	}
	return n
}

// Len is the number of targets All yields.
func (t *Targets) Len() int { return t.n }

// All yields every target in order.
func (t *Targets) All() iter.Seq[Target] {
	return func(yield func(Target) bool) {
		for _, it := range t.items {
			if !it.prefix.IsValid() {
				if !yield(Target{Host: it.host, Port: it.port}) {
					return
				}
				continue
			}
			a := it.prefix.Addr()
			n := prefixSize(it.prefix)
			if a.Is4() && it.prefix.Bits() <= 30 {
				a = a.Next()
			}
			for i := 0; i < n; i++ {
				if !yield(Target{Host: a.String(), Port: it.port}) {
					return
				}
				a = a.Next()
			}
		}
	}
}

// ParseTarget parses one "host[:port]" for Read.
func ParseTarget(s string, defaultPort uint16) (Target, error) {
	ts, err := ParseTargets(s, TargetOptions{DefaultPort: defaultPort, MaxHosts: 1})
	if err != nil {
		return Target{}, err
	}
	for t := range ts.All() {
		return t, nil
	}
	return Target{}, fmt.Errorf("target %q: no host", s)
}
