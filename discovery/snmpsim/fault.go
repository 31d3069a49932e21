package snmpsim

// Fault makes an agent misbehave on purpose, so that tests can show a client survives it.
type Fault int

// Faults an agent can be given.
const (
	// FaultNone answers correctly.
	FaultNone Fault = iota
	// FaultSilent reads every request and never answers: a dead host, or a live one that
	// does not know the community.
	FaultSilent
	// FaultTruncate sends only the first half of each reply.
	FaultTruncate
	// FaultMalformed sends a reply whose outer frame is intact but whose contents are
	// garbage: lengths that overrun their container and an unknown PDU tag.
	FaultMalformed
)

// String names the fault for logs and flags.
func (f Fault) String() string {
	switch f {
	case FaultNone:
		return "none"
	case FaultSilent:
		return "silent"
	case FaultTruncate:
		return "truncate"
	case FaultMalformed:
		return "malformed"
	}
	return "unknown"
}

func (f Fault) apply(reply []byte) []byte {
	if reply == nil {
		return nil
	}
	switch f {
	case FaultSilent:
		return nil
	case FaultTruncate:
		return reply[:len(reply)/2]
	case FaultMalformed:
		out := make([]byte, len(reply))
		copy(out, reply)
		// Keep the first header so the datagram looks like SNMP, then corrupt everything
		// after the version field.
		for i := 5; i < len(out); i++ {
			out[i] = 0xff ^ byte(i)
		}
		if len(out) > 6 {
			out[5], out[6] = 0xbf, 0x84
		}
		return out
	}
	return reply
}
