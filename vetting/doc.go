// Package vetting is the security bureau's side of critreg: the states reference data and
// the designations point 65 uses, the ownership-or-control graph behind each supplier, the
// point-65 indicators and point-76 eligibility derived from it, the bureau's opinions
// (points 64 and 66.3), and the compliance of every operator's annex-7 list with the
// opinions in force.
//
// Indicators inform the analyst; only a person issues an opinion. Everything is computed
// from the current rows at the moment it is asked for, so an opinion issued or revoked
// shows in every operator's compliance at once. Evaluations take an "as of" date, so that
// the answer for a past or future day can be read.
//
// The restricted part of the bureau's work (an opinion's rationale, the analyst's own
// entries) is returned only to the bureau and admins, and each such read is audited.
package vetting
