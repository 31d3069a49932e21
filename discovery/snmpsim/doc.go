// Package snmpsim is critreg's SNMP agent simulator. It answers SNMPv2c and SNMPv3 (USM,
// authNoPriv and authPriv) GET, GETNEXT and GETBULK over UDP from recordings in snmprec
// format, so discovery can be tested against real sockets without real devices.
//
// One Server serves any number of agents, each on its own socket with its own recording,
// community and users; that is how a test or benchmark simulates a thousand devices from one
// process. Agents can also be told to misbehave (see Fault): stay silent like a dead host, or
// send truncated or malformed replies.
package snmpsim
