// Package notice keeps what operators send the security bureau: frozen, numbered versions
// of their annex-7 list (63.2) and change notices (63.3), each with a receipt, the
// exemption check of every planned change (63.3.1–63.3.3, by inventory.CheckExemption) and
// the point-64 status of what it brings in, the bureau's review of notices, and the
// carrying out of a notice's lines, which changes the list in the same transaction.
//
// # Canonical JSON
//
// A receipt carries the SHA-256 of the canonical form of what was submitted, so that the
// operator and the bureau can each prove what was sent and when. The canonical form
// (version "critreg-json-c14n/1") is:
//
//   - UTF-8 JSON with no insignificant whitespace: no spaces or line breaks outside
//     strings, and no trailing newline;
//   - the keys of every object sorted by their UTF-8 bytes, each key once;
//   - strings escaped as Go's encoding/json does without HTML escaping: `"` and `\` as
//     \" and \\, U+0008, U+000C, U+000A, U+000D and U+0009 as \b, \f, \n, \r and \t, other
//     control characters and U+2028, U+2029 as \u00XX / \u2028 / \u2029 (lower-case hex);
//     every other character as itself (no \u escapes for <, > or &);
//   - numbers are integers in decimal without sign "+", leading zeros or exponent;
//   - true, false, null as such; an absent value is written as its empty value ("", 0,
//     [], null), never left out, so that every document of one kind has the same keys;
//   - arrays of items and networks in ascending id order, notice lines in ascending line
//     number.
//
// The hash is SHA-256 over exactly those bytes, written as 64 lower-case hex digits. The
// stored content is kept byte for byte, so anyone can recompute the hash from it.
//
// # Dates
//
// Dates are Latvian local dates (Europe/Riga). A notice submitted on day D allows its
// changes to start on day D of the next month at the earliest, or on that month's last day
// where it has no day D.
package notice
