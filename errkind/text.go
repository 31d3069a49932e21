package errkind

import (
	"strings"
	"unicode/utf8"
)

// Text checks one free-text field and returns it cleaned (trimmed, no-break spaces made
// plain): valid UTF-8, present when required, at most max characters, and free of control
// characters other than newline and tab, which no name or note needs and which would let a
// hostile string rewrite a terminal or a log line. Each problem is added to e.
func (e *ValidationError) Text(field, s string, max int, required bool) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	switch {
	case !utf8.ValidString(s):
		e.Add(field, "is not valid UTF-8 text")
	case required && s == "":
		e.Add(field, "is required")
	case utf8.RuneCountInString(s) > max:
		e.Add(field, "is longer than %d characters", max)
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }):
		e.Add(field, "contains control characters")
	}
	return s
}
