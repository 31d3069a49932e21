package snmpsim

import (
	"errors"
	"fmt"
)

// BER tag octets the simulator reads and writes. SNMP uses only single-octet tags.
const (
	tagInteger      = 0x02
	tagOctetString  = 0x04
	tagNull         = 0x05
	tagOID          = 0x06
	tagSequence     = 0x30
	tagIPAddress    = 0x40
	tagCounter32    = 0x41
	tagGauge32      = 0x42
	tagTimeTicks    = 0x43
	tagOpaque       = 0x44
	tagCounter64    = 0x46
	tagNoSuchObject = 0x80
	tagNoSuchInst   = 0x81
	tagEndOfMibView = 0x82

	pduGet      = 0xa0
	pduGetNext  = 0xa1
	pduResponse = 0xa2
	pduSet      = 0xa3
	pduGetBulk  = 0xa5
	pduReport   = 0xa8
)

var errShort = errors.New("truncated BER")

// tlv is one decoded element; start and end index the content in the buffer it was read from,
// so callers can find byte positions in the whole message (the USM digest needs that).
type tlv struct {
	tag        byte
	start, end int
}

// readTLV decodes the element that begins at pos in b.
func readTLV(b []byte, pos int) (tlv, error) {
	if pos+2 > len(b) {
		return tlv{}, errShort
	}
	tag := b[pos]
	l := int(b[pos+1])
	pos += 2
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 4 || pos+n > len(b) {
			return tlv{}, fmt.Errorf("bad BER length form 0x%02x", l)
		}
		l = 0
		for i := 0; i < n; i++ {
			l = l<<8 | int(b[pos+i])
		}
		pos += n
	}
	if l < 0 || pos+l > len(b) {
		return tlv{}, errShort
	}
	return tlv{tag: tag, start: pos, end: pos + l}, nil
}

// expect reads an element at pos and checks its tag.
func expect(b []byte, pos int, tag byte) (tlv, error) {
	t, err := readTLV(b, pos)
	if err != nil {
		return t, err
	}
	if t.tag != tag {
		return t, fmt.Errorf("BER tag 0x%02x at %d, want 0x%02x", t.tag, pos, tag)
	}
	return t, nil
}

// parseInt decodes a two's-complement integer of at most 8 octets.
func parseInt(c []byte) (int64, error) {
	if len(c) == 0 || len(c) > 8 {
		return 0, fmt.Errorf("bad integer length %d", len(c))
	}
	v := int64(int8(c[0]))
	for _, x := range c[1:] {
		v = v<<8 | int64(x)
	}
	return v, nil
}

// parseOID decodes OID content into arcs; arcs up to 2^32-1 are accepted.
func parseOID(c []byte) ([]uint32, error) {
	if len(c) == 0 {
		return nil, errors.New("empty OID")
	}
	out := make([]uint32, 0, len(c)+1)
	var v uint64
	first := true
	for i, x := range c {
		v = v<<7 | uint64(x&0x7f)
		if v > 0xffffffff+80 {
			return nil, errors.New("OID arc too large")
		}
		if x&0x80 != 0 {
			if i == len(c)-1 {
				return nil, errors.New("OID truncated")
			}
			continue
		}
		if first {
			switch {
			case v < 40:
				out = append(out, 0, uint32(v))
			case v < 80:
				out = append(out, 1, uint32(v-40))
			default:
				out = append(out, 2, uint32(v-80))
			}
			first = false
		} else {
			out = append(out, uint32(v))
		}
		v = 0
	}
	return out, nil
}

// appendLength writes a definite length.
func appendLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xff:
		return append(dst, 0x81, byte(n))
	case n <= 0xffff:
		return append(dst, 0x82, byte(n>>8), byte(n))
	default:
		return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
}

// appendTLV writes tag, length and content.
func appendTLV(dst []byte, tag byte, content []byte) []byte {
	dst = append(dst, tag)
	dst = appendLength(dst, len(content))
	return append(dst, content...)
}

// appendInt writes a signed integer with the given tag in minimal two's-complement form.
func appendInt(dst []byte, tag byte, v int64) []byte {
	n := 1
	for n < 8 && (v >= 1<<(8*n-1) || v < -(1<<(8*n-1))) {
		n++
	}
	dst = append(dst, tag, byte(n))
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(v>>(8*i)))
	}
	return dst
}

// appendUint writes an unsigned integer (Counter32, Gauge32, TimeTicks, Counter64).
func appendUint(dst []byte, tag byte, v uint64) []byte {
	var tmp [9]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte(v)
		v >>= 8
		if v == 0 {
			break
		}
	}
	if tmp[i]&0x80 != 0 {
		i--
		tmp[i] = 0
	}
	return appendTLV(dst, tag, tmp[i:])
}

// appendOID writes an OBJECT IDENTIFIER.
func appendOID(dst []byte, arcs []uint32) []byte {
	var c []byte
	switch {
	case len(arcs) == 0:
		c = []byte{0}
	case len(arcs) == 1:
		c = appendBase128(nil, uint64(arcs[0])*40)
	default:
		c = appendBase128(nil, uint64(arcs[0])*40+uint64(arcs[1]))
		for _, a := range arcs[2:] {
			c = appendBase128(c, uint64(a))
		}
	}
	return appendTLV(dst, tagOID, c)
}

func appendBase128(dst []byte, v uint64) []byte {
	var tmp [10]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7f)
	for v >>= 7; v > 0; v >>= 7 {
		i--
		tmp[i] = byte(v&0x7f) | 0x80
	}
	return append(dst, tmp[i:]...)
}

// compareOID orders OIDs lexicographically by arc, as GETNEXT needs.
func compareOID(a, b []uint32) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// hasPrefix reports whether oid lies under prefix.
func hasPrefix(oid, prefix []uint32) bool {
	if len(oid) < len(prefix) {
		return false
	}
	for i := range prefix {
		if oid[i] != prefix[i] {
			return false
		}
	}
	return true
}
