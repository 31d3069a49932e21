// Package discovery finds what a network really runs, over SNMP: it sweeps targets (CIDR
// ranges, host lists) with bounded concurrency, reads each answering device's system group,
// ENTITY-MIB physical table, vendor inventory tables and HOST-RESOURCES software, and maps the
// result onto a manufacturer and an annex-6 network function with fingerprint rules kept as
// data. It knows nothing of the registry's storage: callers receive Device values as they
// stream out of a Sweep and decide what to keep.
package discovery
