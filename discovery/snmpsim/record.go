package snmpsim

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Recording is an agent's MIB view loaded from an snmprec file: OIDs in numeric order, each
// with its value already BER-encoded so that answering a request is only copying bytes.
// A Recording is read-only after loading and may back any number of agents.
type Recording struct {
	entries []entry
}

type entry struct {
	oid    []uint32
	oidTLV []byte // encoded name, ready for a varbind
	valTLV []byte // encoded value
}

// Len is the number of values in the recording.
func (r *Recording) Len() int { return len(r.entries) }

// LoadFile reads an snmprec file.
func LoadFile(path string) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rec, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rec, nil
}

// ParseRecording reads an snmprec recording from a string; handy for recordings built in tests.
func ParseRecording(s string) (*Recording, error) { return Load(strings.NewReader(s)) }

// Load reads snmprec lines (`OID|TYPE|VALUE`; TYPE is the BER tag as a decimal number, an `x`
// suffix marks a hex-encoded value). Blank lines and lines starting with '#' are skipped. The
// entries are sorted numerically whatever the file order, and a repeated OID keeps its last
// value, so a hand-written file cannot break GETNEXT ordering.
func Load(r io.Reader) (*Recording, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	var entries []entry
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		e, err := parseLine(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read recording: %w", err)
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return compareOID(a.oid, b.oid) })
	out := entries[:0]
	for i, e := range entries {
		if i+1 < len(entries) && compareOID(e.oid, entries[i+1].oid) == 0 {
			continue
		}
		out = append(out, e)
	}
	return &Recording{entries: out}, nil
}

func parseLine(text string) (entry, error) {
	parts := strings.SplitN(text, "|", 3)
	if len(parts) != 3 {
		return entry{}, fmt.Errorf("want OID|TYPE|VALUE, got %q", truncate(text))
	}
	oid, err := ParseOID(parts[0])
	if err != nil {
		return entry{}, err
	}
	val, err := encodeValue(parts[1], parts[2])
	if err != nil {
		return entry{}, fmt.Errorf("%s: %w", parts[0], err)
	}
	return entry{oid: oid, oidTLV: appendOID(nil, oid), valTLV: val}, nil
}

// ParseOID parses a dotted OID with or without a leading dot; arcs may reach 2^32-1.
func ParseOID(s string) ([]uint32, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), ".")
	if s == "" {
		return nil, fmt.Errorf("empty OID")
	}
	fields := strings.Split(s, ".")
	if len(fields) < 2 || len(fields) > 128 {
		return nil, fmt.Errorf("OID %q: want 2 to 128 arcs", truncate(s))
	}
	arcs := make([]uint32, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseUint(f, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("OID %q: arc %q: %w", truncate(s), f, err)
		}
		arcs[i] = uint32(v)
	}
	if arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) {
		return nil, fmt.Errorf("OID %q: invalid first arcs", truncate(s))
	}
	return arcs, nil
}

// encodeValue turns an snmprec TYPE and VALUE into a BER TLV.
func encodeValue(typ, val string) ([]byte, error) {
	isHex := strings.HasSuffix(typ, "x")
	typ = strings.TrimSuffix(typ, "x")
	if strings.ContainsAny(typ, ":e") {
		return nil, fmt.Errorf("type %q: variation modules and escaped values are not supported", typ)
	}
	n, err := strconv.ParseUint(typ, 10, 8)
	if err != nil {
		return nil, fmt.Errorf("type %q: %w", typ, err)
	}
	tag := byte(n)
	if isHex {
		raw, err := hex.DecodeString(strings.TrimSpace(val))
		if err != nil {
			return nil, fmt.Errorf("hex value: %w", err)
		}
		return appendTLV(nil, tag, raw), nil
	}
	switch tag {
	case tagInteger:
		v, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("integer: %w", err)
		}
		return appendInt(nil, tag, v), nil
	case tagOctetString, tagOpaque:
		return appendTLV(nil, tag, []byte(val)), nil
	case tagNull, tagNoSuchObject, tagNoSuchInst, tagEndOfMibView:
		return []byte{tag, 0}, nil
	case tagOID:
		if strings.TrimSpace(val) == "" {
			return appendOID(nil, []uint32{0, 0}), nil
		}
		o, err := ParseOID(val)
		if err != nil {
			return nil, err
		}
		return appendOID(nil, o), nil
	case tagIPAddress:
		a, err := netip.ParseAddr(strings.TrimSpace(val))
		if err != nil || !a.Is4() {
			return nil, fmt.Errorf("IpAddress %q: want dotted IPv4", truncate(val))
		}
		b := a.As4()
		return appendTLV(nil, tag, b[:]), nil
	case tagCounter32, tagGauge32, tagTimeTicks:
		v, err := strconv.ParseUint(strings.TrimSpace(val), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("unsigned32: %w", err)
		}
		return appendUint(nil, tag, v), nil
	case tagCounter64:
		v, err := strconv.ParseUint(strings.TrimSpace(val), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("counter64: %w", err)
		}
		return appendUint(nil, tag, v), nil
	}
	return nil, fmt.Errorf("unsupported type tag %d", tag)
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// get returns the entry at oid, or the reason there is none: noSuchInstance when the object
// (the OID without its last arc) has other instances, noSuchObject otherwise.
func (r *Recording) get(oid []uint32) (*entry, byte) {
	i, found := slices.BinarySearchFunc(r.entries, oid, func(e entry, o []uint32) int { return compareOID(e.oid, o) })
	if found {
		return &r.entries[i], 0
	}
	if len(oid) > 1 && i < len(r.entries) && hasPrefix(r.entries[i].oid, oid[:len(oid)-1]) {
		return nil, tagNoSuchInst
	}
	if len(oid) > 1 && i > 0 && hasPrefix(r.entries[i-1].oid, oid[:len(oid)-1]) {
		return nil, tagNoSuchInst
	}
	return nil, tagNoSuchObject
}

// next returns the first entry after oid, or nil at the end of the MIB view.
func (r *Recording) next(oid []uint32) *entry {
	i, found := slices.BinarySearchFunc(r.entries, oid, func(e entry, o []uint32) int { return compareOID(e.oid, o) })
	if found {
		i++
	}
	if i >= len(r.entries) {
		return nil
	}
	return &r.entries[i]
}
