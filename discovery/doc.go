// Package discovery finds what a network really runs, over SNMP: it sweeps targets (CIDR
// ranges, host lists) with bounded concurrency, reads each answering device's system group,
// ENTITY-MIB physical table, vendor inventory tables and HOST-RESOURCES software, and maps the
// result onto a manufacturer and an annex-6 network function with fingerprint rules kept as
// data.
//
// Sweep and Read know nothing of the registry's storage. Service keeps the records around
// them: credential profiles encrypted at rest, runs with their progress and results (a
// later failed poll never replaces what an earlier one saw), uploads from agents that sweep
// inside an operator's management network, and the reconciliation of each run with the
// operator's declared items: findings (new, missing, changed) with their meaning under
// point 63.3, which change the list only when a person accepts them.
package discovery
